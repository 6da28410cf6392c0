"""The tariffs a CDR carries: one row per tariff, every part the spec defines decoded with units."""

from __future__ import annotations

import json
from typing import Any

from evtui.adapters.api import Field, Presenter, Section, Table, decode, decoded, section
from evtui.adapters.ocpi.words import PRICE_UNITS

_T = "tariffs[]"
_RESTRICTIONS = (
    "start_time", "end_time", "start_date", "end_date", "min_kwh", "max_kwh", "min_current", "max_current",
    "min_power", "max_power", "min_duration", "max_duration", "day_of_week", "reservation",
)
_MIX = (
    "is_green_energy", "supplier_name", "energy_product_name",
    "energy_sources[].source", "energy_sources[].percentage", "environ_impact[].category", "environ_impact[].amount",
)
#: What a row of the Tariffs table shows; any other field of a tariff goes to Other fields.
TARIFF_PATHS = (
    *(f"{_T}.{k}" for k in ("id", "country_code", "party_id", "currency", "type", "last_updated", "start_date_time", "end_date_time", "tariff_alt_url")),
    *(f"{_T}.tariff_alt_text[].{k}" for k in ("language", "text")),
    *(f"{_T}.{m}.{k}" for m in ("min_price", "max_price") for k in ("excl_vat", "incl_vat")),
    *(f"{_T}.elements[].price_components[].{k}" for k in ("type", "price", "vat", "step_size")),
    *(f"{_T}.elements[].restrictions.{k}" for k in _RESTRICTIONS),
    f"{_T}.elements[].restrictions.day_of_week[]",
    *(f"{_T}.energy_mix.{k}" for k in _MIX),
)
_COLUMNS = ("Tariff", "Currency", "Type", "Price components (excl. VAT)", "Min price", "Max price", "Valid", "Alt text", "Alt URL", "Energy mix", "Last updated")
_UNITS = {"min_kwh": "kWh", "max_kwh": "kWh", "min_current": "A", "max_current": "A", "min_power": "kW", "max_power": "kW"}


def tariffs_section(p: Presenter, currency: Any) -> Section:
    raw = p.get("tariffs")
    used: list[Any] = []
    for period in p.get("charging_periods") or []:
        if isinstance(period, dict) and period.get("tariff_id") and period["tariff_id"] not in used:
            used.append(period["tariff_id"])
    fields: list[Field] = [p.value("Used by periods", ", ".join(map(str, used)) or "none named", note="tariff_id of the charging periods")]
    if not isinstance(raw, list) or not raw:
        table = Table("Tariffs", ("Id",), (), note="none sent" if raw is None else "empty", shows=TARIFF_PATHS)
        return section("tariffs", "Tariffs", fields, [table])
    rows = tuple(_row(t, currency) for t in raw)
    note = "elements separated by |; restrictions in brackets; times are the station's local time"
    return section("tariffs", "Tariffs", fields, [Table("Tariffs", _COLUMNS, rows, note=note, shows=TARIFF_PATHS)])


def _row(t: Any, currency: Any) -> tuple[str, ...]:
    if not isinstance(t, dict):
        return (json.dumps(t, ensure_ascii=False), *[""] * (len(_COLUMNS) - 1))
    cur = t.get("currency") or currency
    elements = t.get("elements") if isinstance(t.get("elements"), list) else []
    valid = " → ".join(_when(t.get(k)) for k in ("start_date_time", "end_date_time")) if t.get("start_date_time") or t.get("end_date_time") else "always"
    texts = t.get("tariff_alt_text") if isinstance(t.get("tariff_alt_text"), list) else []
    alt = " | ".join(f"{x.get('language', '?')}: {x.get('text', '')}" if isinstance(x, dict) else json.dumps(x) for x in texts)
    return (
        f"{t.get('country_code', '?')}*{t.get('party_id', '?')} {t.get('id', '?')}",
        str(cur or "—"),
        str(t.get("type") or "—"),
        " | ".join(_element_text(e, cur) for e in elements) or "—",
        _price(t.get("min_price"), cur),
        _price(t.get("max_price"), cur),
        valid,
        alt or "—",
        str(t.get("tariff_alt_url") or "—"),
        _mix(t.get("energy_mix")),
        _when(t.get("last_updated")),
    )


def _when(value: Any) -> str:
    return "—" if value is None else decoded(decode.timestamp, value) or str(value)


def _price(value: Any, currency: Any) -> str:
    if not isinstance(value, dict):
        return "—" if value is None else json.dumps(value, ensure_ascii=False)
    return " · ".join(
        f"{_money(value.get(k), currency)} {word}" if value.get(k) is not None else f"{word} not sent"
        for k, word in (("incl_vat", "incl. VAT"), ("excl_vat", "excl. VAT"))
    )


def _money(value: Any, currency: Any) -> str:
    return decoded(decode.money_major, value, currency) or json.dumps(value)


def _element_text(element: Any, currency: Any) -> str:
    if not isinstance(element, dict):
        return json.dumps(element, ensure_ascii=False)
    parts = []
    for c in element.get("price_components") or []:
        if not isinstance(c, dict):
            continue
        kind = str(c.get("type"))
        per, step_unit = PRICE_UNITS.get(kind, ("", ""))
        text = f"{kind} {_money(c.get('price'), currency)}{per}"
        if c.get("vat") is not None:
            text += f" + {decode.number(c.get('vat'))} % VAT"
        if c.get("step_size") is not None:
            text += f", billed in steps of {c.get('step_size')} {step_unit}".rstrip()
        parts.append(text)
    restrictions = element.get("restrictions")
    if isinstance(restrictions, dict) and restrictions:
        parts.append("(" + ", ".join(_restriction(k, v) for k, v in restrictions.items()) + ")")
    return "; ".join(parts) or "—"


def _restriction(key: str, value: Any) -> str:
    if key == "day_of_week" and isinstance(value, list):
        return "on " + ", ".join(str(d).capitalize() for d in value)
    if key in ("min_duration", "max_duration"):
        return f"{key} {decoded(decode.human_duration, value) or value} ({value} s)"
    if key in _UNITS:
        return f"{key} {decode.number(value) or value} {_UNITS[key]}"
    return f"{key} {value if isinstance(value, str) else json.dumps(value)}"


def _mix(mix: Any) -> str:
    if not isinstance(mix, dict):
        return "—" if mix is None else json.dumps(mix, ensure_ascii=False)
    parts = ["green" if mix.get("is_green_energy") is True else "not green" if mix.get("is_green_energy") is False else "green not sent"]
    for k in ("supplier_name", "energy_product_name"):
        if mix.get(k) is not None:
            parts.append(str(mix[k]))
    for s in mix.get("energy_sources") or []:
        if isinstance(s, dict):
            parts.append(f"{s.get('source')} {s.get('percentage')} %")
    for e in mix.get("environ_impact") or []:
        if isinstance(e, dict):
            parts.append(f"{e.get('category')} {e.get('amount')} g/kWh")
    return "; ".join(parts)
