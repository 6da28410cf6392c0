"""Costs: totals incl. and excl. VAT, the components, and the check that they add up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evtui.adapters.api import Field, Presenter, decode, derived, major_money

NOT_SENT_COST = "not sent (unknown, not zero)"
VAT_NOT_GIVEN = "VAT not given"
NOT_SENT_COST_NOTE = "absent is not free: the CPO has not priced it (yet)"


def total_fields(p: Presenter, currency: Any) -> tuple[Field, Field]:
    raw = p.get("total_cost")
    if _is_number(raw):
        p.problem("total_cost is a bare number (OCPI 2.1.1 style; 2.2.1 sends {excl_vat, incl_vat})")
        money = decode.money_major(raw, currency) or str(raw)
        return (
            p.value("Total incl. VAT", VAT_NOT_GIVEN, note="OCPI 2.1.1 sends one amount, excl. VAT", path="total_cost"),
            p.value("Total excl. VAT", money, note="OCPI 2.1.1 style: total_cost is a bare number", path="total_cost", raw=raw, flag="deprecated"),
        )

    money = major_money(currency)
    if p.get("total_cost.incl_vat") is None and p.get("total_cost.excl_vat") is not None:
        # Priced, only without VAT: saying "not priced" would be wrong.
        incl = p.field("Total incl. VAT", "total_cost.incl_vat", absent=VAT_NOT_GIVEN, null=VAT_NOT_GIVEN, note="priced excl. VAT; the CPO sent no VAT")
    else:
        incl = p.field("Total incl. VAT", "total_cost.incl_vat", money, absent=NOT_SENT_COST, null=NOT_SENT_COST, note=_absent_note(p, "total_cost.incl_vat"))
    return (
        incl,
        p.field("Total excl. VAT", "total_cost.excl_vat", money, absent=NOT_SENT_COST, null=NOT_SENT_COST, note=_absent_note(p, "total_cost.excl_vat")),
    )


def _absent_note(p: Presenter, path: str) -> str:
    return "" if p.get(path) is not None else NOT_SENT_COST_NOTE


_COST_LABELS = {
    "total_cost": "Total cost",
    "total_fixed_cost": "Fixed cost",
    "total_energy_cost": "Energy cost",
    "total_time_cost": "Time cost",
    "total_parking_cost": "Parking cost",
    "total_reservation_cost": "Reservation cost",
}


def cost_fields(p: Presenter, currency: Any, paths: tuple[str, ...]) -> list[Field]:
    fields = [p.field("Currency", "currency", required=True, note=f"ISO 4217, {decode.currency_exponent(currency)} decimal digits" if currency else "")]
    for path in paths:
        fields.append(_price_field(p, _COST_LABELS[path], path, currency))
        if path == "total_cost":
            fields.append(derived(lambda: _vat_field(p, currency), p.value("VAT", "— (beyond what evtui can compute from the totals sent)", flag="derived")))
    return fields


def _price_field(p: Presenter, label: str, path: str, currency: Any) -> Field:
    raw = p.get(path)
    if raw is None:
        return p.value(label, NOT_SENT_COST, note=NOT_SENT_COST_NOTE if path == "total_cost" else "", path=path, raw=raw)
    if _is_number(raw):
        return p.value(label, f"{decode.money_major(raw, currency)} excl. VAT", note="OCPI 2.1.1 style: a bare number", path=path, raw=raw, flag="deprecated")
    if not isinstance(raw, dict):
        return p.field(label, path)
    excl = decode.money_major(raw.get("excl_vat"), currency)
    incl = decode.money_major(raw.get("incl_vat"), currency)
    value = " · ".join(
        [f"{incl} incl. VAT" if incl else VAT_NOT_GIVEN if excl else "incl. VAT not sent", f"{excl} excl. VAT" if excl else "excl. VAT not sent"]
    )
    flag = "invalid" if p.is_invalid(path) else None
    return p.value(label, value, note="major units" + ("; not of the documented type, shown as sent" if flag else ""), path=path, raw=raw, flag=flag)


def _vat_field(p: Presenter, currency: Any) -> Field:
    excl = decode.to_decimal(p.get("total_cost.excl_vat"))
    incl = decode.to_decimal(p.get("total_cost.incl_vat"))
    if excl is None or incl is None:
        return p.value("VAT", "—", note="needs total_cost incl. and excl. VAT")
    vat = incl - excl
    rate = f" ({decode.number((vat / excl * 100).quantize(Decimal('0.1')))} % of excl. VAT)" if excl else ""
    return p.value("VAT", f"{decode.money_major(vat, currency)}{rate}", note="derived: incl. − excl. VAT", flag="derived")


def components_check(p: Presenter, currency: Any) -> Field:
    parts = [p.get(k) for k in ("total_fixed_cost", "total_energy_cost", "total_time_cost", "total_parking_cost", "total_reservation_cost")]
    sent = [x for x in parts if isinstance(x, dict)]
    total = decode.to_decimal(p.get("total_cost.excl_vat"))
    note = "derived: fixed + energy + time + parking + reservation, excl. VAT (a min/max price may explain a difference)"
    if not sent or total is None:
        return p.value("Components check", "— (no cost components sent)" if not sent else "— (no total excl. VAT)", note=note, flag="derived")
    amounts = [decode.to_decimal(x.get("excl_vat")) for x in sent]
    s = sum((a for a in amounts if a is not None), Decimal(0))
    if (s - total).copy_abs() <= Decimal("0.01"):
        text = f"agrees: components sum to {decode.money_major(s, currency)}"
    else:
        text = f"differs: components sum to {decode.money_major(s, currency)}, total is {decode.money_major(total, currency)}"
    return p.value("Components check", text, note=note, flag="derived")


def summary_cost(incl: Field, excl: Field) -> str:
    for f in (incl, excl):
        if f.value not in (NOT_SENT_COST, VAT_NOT_GIVEN, "—", "null") and f.flag != "invalid":
            return f.value
    return "cost not sent"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
