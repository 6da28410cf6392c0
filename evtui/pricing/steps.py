"""From matched components to priced lines: step_size, VAT, totals, min/max price.

step_size (mod_cdrs "step_size", mod_tariffs PriceComponent): taken into
account once per session for ENERGY, once for TIME and PARKING_TIME combined,
and (our reading: a reservation is billed before, and apart from, the session)
once for reservation time. The step size is the one of the component that priced
the *last* priced period of that group; the group's total (of the last period's
dimension only: charging time followed by parking is not rounded) is rounded up
to a multiple of it, and the extra is billed in that last period. The other modes
exist to explain a provider's total: "period" rounds every line on its own,
"none" bills volumes as measured.

Amounts are exact decimals, never rounded per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from evtui.pricing.periods import Piece
from evtui.pricing.result import KINDS, ZERO, Amount, Limit, PriceLine
from evtui.pricing.tariffs import Component, Element, Tariff

SESSION, PER_PERIOD, NO_STEPS = "session", "period", "none"
_UNITS = {"ENERGY": (Decimal(1000), "kWh", "Wh"), "TIME": (Decimal(3600), "h", "s")}
_UNITS["PARKING_TIME"] = _UNITS["RESERVATION_TIME"] = _UNITS["TIME"]
_GROUP = {"ENERGY": "energy", "TIME": "time", "PARKING_TIME": "time", "RESERVATION_TIME": "reservation"}


@dataclass(slots=True)
class Item:
    """One dimension of one piece, with the component that prices it."""

    piece: Piece
    dimension: str  # ENERGY, TIME, PARKING_TIME, RESERVATION_TIME or FLAT
    kind: str  # one of KINDS
    volume: Decimal
    tariff: Tariff
    element: Element
    component: Component
    why: str


def _ceil(units: Decimal, step: int) -> Decimal:
    return (units / step).to_integral_value(rounding=ROUND_CEILING) * step


def _n(d: Decimal) -> str:
    text = f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def billed_volumes(items: list[Item], mode: str) -> tuple[list[Decimal], dict[int, str]]:
    """The billed volume of each item, and a note on each one step_size changed."""
    billed = [item.volume for item in items]
    notes: dict[int, str] = {}
    if mode == NO_STEPS:
        return billed, notes
    if mode == PER_PERIOD:
        for i, item in enumerate(items):
            if item.dimension in _UNITS and item.component.step_size > 0 and item.volume > 0:
                factor, _, base = _UNITS[item.dimension]
                billed[i] = _ceil(item.volume * factor, item.component.step_size) / factor
                if billed[i] != item.volume:
                    notes[i] = f"step_size {item.component.step_size} {base} applied to this period alone"
        return billed, notes
    last: dict[str, int] = {}
    sums: dict[str, Decimal] = {}
    for i, item in enumerate(items):
        if item.dimension in _GROUP and item.volume > 0:
            last[_GROUP[item.dimension]] = i
            sums[item.dimension] = sums.get(item.dimension, Decimal(0)) + item.volume
    for i in last.values():
        item = items[i]
        step = item.component.step_size
        if step <= 0:
            continue
        factor, unit, base = _UNITS[item.dimension]
        total = sums[item.dimension]
        rounded = _ceil(total * factor, step) / factor
        if rounded != total:
            billed[i] = item.volume + (rounded - total)
            notes[i] = (
                f"step_size {step} {base} of this last {item.dimension} period: session total "
                f"{_n(total)} {unit} billed as {_n(rounded)} {unit}, +{_n(rounded - total)} {unit} here"
            )
    return billed, notes


def price_lines(items: list[Item], mode: str = SESSION) -> list[PriceLine]:
    billed, notes = billed_volumes(items, mode)
    lines: list[PriceLine] = []
    for i, item in enumerate(items):
        component = item.component
        excl = billed[i] * component.price
        vat = excl * component.vat_rate
        unit = _UNITS[item.dimension][1] if item.dimension in _UNITS else ""
        lines.append(
            PriceLine(
                kind=item.kind,
                dimension=item.dimension,
                period=item.piece.period,
                start=item.piece.start,
                end=item.piece.end,
                volume=item.volume,
                billed_volume=billed[i],
                unit=unit,
                price=component.price,
                excl_vat=excl,
                vat_percent=component.vat,
                vat=vat,
                incl_vat=excl + vat,
                tariff_id=item.tariff.id,
                element=item.element.index,
                why=item.why,
                step_note=notes.get(i, ""),
            )
        )
    return lines


def totals(lines: list[PriceLine]) -> dict[str, Amount]:
    sums = {kind: [Decimal(0), Decimal(0)] for kind in KINDS}
    for line in lines:
        pair = sums[line.kind]
        pair[0] += line.excl_vat
        pair[1] += line.incl_vat
    return {kind: Amount(excl, incl) for kind, (excl, incl) in sums.items()}


def _clamp(value: Decimal | None, bound: Decimal | None, lower: bool) -> Decimal | None:
    if value is None or bound is None:
        return value
    return max(value, bound) if lower else min(value, bound)


def apply_limits(lines: list[PriceLine], used: dict[str, Tariff]) -> tuple[Amount, list[Limit]]:
    """The session total after min_price and max_price of each tariff the periods used,
    excl. and incl. VAT each on its own (mod_tariffs: "they both apply")."""
    sums = {tariff_id: [Decimal(0), Decimal(0)] for tariff_id in used}  # a free session still owes a minimum
    for line in lines:
        pair = sums.setdefault(line.tariff_id, [Decimal(0), Decimal(0)])
        pair[0] += line.excl_vat
        pair[1] += line.incl_vat
    return _limited(sums, used)


def _limited(sums: dict[str, list[Decimal]], used: dict[str, Tariff]) -> tuple[Amount, list[Limit]]:
    total = ZERO
    limits: list[Limit] = []
    for tariff_id, (excl, incl) in sums.items():
        amount = Amount(excl, incl)
        tariff = used.get(tariff_id)
        for kind, bound, lower in (
            ("min_price", tariff.min_price if tariff else None, True),
            ("max_price", tariff.max_price if tariff else None, False),
        ):
            if bound is None:
                continue
            after = Amount(_clamp(amount.excl_vat, bound.excl_vat, lower), _clamp(amount.incl_vat, bound.incl_vat, lower))
            limits.append(Limit(kind, tariff_id, bound, amount, after))
            amount = after
        total = total + amount
    return total, limits


def alternative_totals(items: list[Item], used: dict[str, Tariff], *, per_period: bool = True) -> dict[str, Amount]:
    """What `price_lines` then `apply_limits` would total under each mode (and the session
    mode without limits, "unlimited"), in one pass and without making lines: an amount is
    linear in the billed volume, so each component's billed volumes are summed first."""
    per: dict[int, list] = {}  # id(component) -> [item, measured, billed per period]
    last: dict[str, int] = {}
    by_dimension: dict[str, Decimal] = {}
    for i, item in enumerate(items):
        acc = per.get(id(item.component))
        if acc is None:
            acc = per[id(item.component)] = [item, Decimal(0), Decimal(0)]
        volume = item.volume
        acc[1] += volume
        if volume > 0 and item.dimension in _GROUP:
            last[_GROUP[item.dimension]] = i
            by_dimension[item.dimension] = by_dimension.get(item.dimension, Decimal(0)) + volume
            if per_period and item.component.step_size > 0:
                factor = _UNITS[item.dimension][0]
                acc[2] += _ceil(volume * factor, item.component.step_size) / factor
                continue
        acc[2] += volume
    extras: dict[int, Decimal] = {}
    for i in last.values():
        item = items[i]
        if item.component.step_size > 0:
            factor, total = _UNITS[item.dimension][0], by_dimension[item.dimension]
            extra = _ceil(total * factor, item.component.step_size) / factor - total
            extras[id(item.component)] = extras.get(id(item.component), Decimal(0)) + extra
    out: dict[str, Amount] = {}
    for mode, column in ((NO_STEPS, 1), (PER_PERIOD, 2), (SESSION, 1)):
        sums: dict[str, list[Decimal]] = {tariff_id: [Decimal(0), Decimal(0)] for tariff_id in used}
        for key, acc in per.items():
            item = acc[0]
            volume = acc[column] + extras.get(key, 0) if mode == SESSION else acc[column]
            excl = volume * item.component.price
            pair = sums.setdefault(item.tariff.id, [Decimal(0), Decimal(0)])
            pair[0] += excl
            pair[1] += excl + excl * item.component.vat_rate
        out[mode] = _limited(sums, used)[0]
    unlimited = [sum((pair[i] for pair in sums.values()), Decimal(0)) for i in (0, 1)]
    out["unlimited"] = Amount(*unlimited)
    return out
