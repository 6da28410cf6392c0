"""OCPI 2.2.1 Tariff dicts read into what the engine needs, with what could not be read named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from evtui.decode import parse_timestamp
from evtui.pricing.restrictions import NONE, Restrictions, number, parse_restrictions
from evtui.pricing.result import Amount

PRICED = ("FLAT", "ENERGY", "TIME", "PARKING_TIME")


@dataclass(frozen=True, slots=True)
class Component:
    type: str
    price: Decimal  # per unit (kWh, hour, or once), excl. VAT
    vat: Decimal | None  # percent; None: no VAT applicable (not the same as 0 %)
    step_size: int  # Wh for ENERGY, seconds for TIME and PARKING_TIME
    vat_rate: Decimal = Decimal(0)  # vat / 100, the multiplier (0 without VAT)


@dataclass(frozen=True, slots=True)
class Element:
    index: int  # position in the tariff's elements, as sent
    restrictions: Restrictions
    components: dict[str, Component]  # by dimension: the first component of each type

    @property
    def parking_only(self) -> bool:
        return "PARKING_TIME" in self.components and not ({"ENERGY", "TIME"} & self.components.keys())


@dataclass(frozen=True, slots=True)
class Tariff:
    id: str
    currency: str | None
    elements: tuple[Element, ...]
    min_price: Amount | None
    max_price: Amount | None
    start: datetime | None
    end: datetime | None

    def boundaries(self, types: frozenset[str]) -> tuple[tuple[int, ...], tuple[Decimal, ...], tuple[Decimal, ...]]:
        """Where a period priced by components of these types may have to be split: local
        seconds of day (0, midnight, for days and dates), seconds since charging began,
        kWh charged. Elements pricing none of the types do not split."""
        times: set[int] = set()
        midnight = False
        durations: set[Decimal] = set()
        energies: set[Decimal] = set()
        for element in self.elements:
            if not types & element.components.keys():
                continue
            r = element.restrictions
            for t in (r.start_time, r.end_time):
                if t is not None:
                    times.add(t % 86400)
            midnight = midnight or r.days is not None or r.start_date is not None or r.end_date is not None
            durations.update(d for d in (r.min_duration, r.max_duration) if d is not None)
            energies.update(e for e in (r.min_kwh, r.max_kwh) if e is not None)
        if midnight:
            times.add(0)
        return tuple(sorted(times)), tuple(sorted(durations)), tuple(sorted(energies))


def read_amount(raw: Any) -> Amount | None:
    """An OCPI Price {excl_vat, incl_vat?}; a bare number (2.1.1) is read as excl. VAT."""
    if isinstance(raw, dict):
        excl = number(raw.get("excl_vat"))
        incl = number(raw.get("incl_vat"))
        return None if excl is None and incl is None else Amount(excl, incl)
    value = number(raw)
    return None if value is None else Amount(value, None)


def _component(raw: Any, where: str, problems: list[str]) -> Component | None:
    if not isinstance(raw, dict):
        problems.append(f"{where} is not an object; ignored")
        return None
    kind = raw.get("type")
    if kind not in PRICED:
        problems.append(f"{where} type {kind!r} is not FLAT, ENERGY, TIME or PARKING_TIME; ignored")
        return None
    price = number(raw.get("price"))
    if price is None:
        problems.append(f"{where} has no price; ignored")
        return None
    vat = number(raw.get("vat")) if raw.get("vat") is not None else None
    if raw.get("vat") is not None and vat is None:
        problems.append(f"{where} vat {raw.get('vat')!r} is not a number; taken as no VAT")
    step = number(raw.get("step_size"))
    if step is None or step < 0 or step != step.to_integral_value():
        if kind != "FLAT":
            problems.append(f"{where} step_size {raw.get('step_size')!r} is not a whole number; taken as 1")
        step = Decimal(1)
    return Component(kind, price, vat, int(step), vat / 100 if vat is not None else Decimal(0))


def read_tariff(raw: Any, problems: list[str]) -> Tariff | None:
    if not isinstance(raw, dict):
        problems.append("a tariff is not an object; ignored")
        return None
    tariff_id = str(raw.get("id") or "")
    elements: list[Element] = []
    raw_elements = raw.get("elements")
    if not isinstance(raw_elements, list) or not raw_elements:
        problems.append(f"tariff {tariff_id!r} has no elements")
        raw_elements = []
    for index, raw_element in enumerate(raw_elements):
        where = f"tariff {tariff_id!r} element {index}"
        if not isinstance(raw_element, dict):
            problems.append(f"{where} is not an object; ignored")
            continue
        restriction_problems: list[str] = []
        restrictions = parse_restrictions(raw_element.get("restrictions"), restriction_problems)
        problems.extend(f"{where}: {p}" for p in restriction_problems)
        components: dict[str, Component] = {}
        raw_components = raw_element.get("price_components")
        for c_index, raw_component in enumerate(raw_components if isinstance(raw_components, list) else []):
            component = _component(raw_component, f"{where} component {c_index}", problems)
            if component is None:
                continue
            if component.type in components:
                problems.append(f"{where} has a second {component.type} component; the first is used")
                continue
            components[component.type] = component
        elements.append(Element(index, restrictions or NONE, components))
    return Tariff(
        id=tariff_id,
        currency=raw.get("currency") if isinstance(raw.get("currency"), str) else None,
        elements=tuple(elements),
        min_price=read_amount(raw.get("min_price")),
        max_price=read_amount(raw.get("max_price")),
        start=parse_timestamp(raw.get("start_date_time")),
        end=parse_timestamp(raw.get("end_date_time")),
    )
