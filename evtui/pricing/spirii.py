"""The Spirii price check: what a transaction or charge record's own figures say it cost.

Spirii sends no tariff, only the figures of its `price` object (major units):
`perKwh`, `amountExVat`, `amount` (incl. VAT), `vatRate` (19.6 and 0.25 both
occur: percent and fraction are both read), and on charge records an itemised
`breakdown` (quantity × unitPrice excl. VAT per line).

- With a breakdown: each line is quantity × unitPrice plus VAT at `vatRate`,
  checked against the line's own amounts; the lines' sum against the totals.
- Without one: consumed × perKwh. The documentation does not say whether
  perKwh includes VAT; it is read incl. VAT (the reading under which Spirii's
  records add up: 201 kWh × 0.50 = 100.50 incl. VAT), and excl. VAT when that
  is the reading that reproduces the totals; the verdict says which.
  consumed × perKwh prices energy only: an idle or session fee makes the total
  differ, and the charge record's breakdown then says by what.

The documentation's own example does not add up (123 kWh × 0.50 = 61.50, but
amount 100.50 and amountExVat 80.90; and 80.90 + 19.6 % = 96.76, not 100.50):
checked, it "differs", and the reasons say both.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from evtui.pricing.amounts import (
    amounts_agree,
    cannot,
    compare,
    decide,
    decimal_at,
    get,
    line,
    money,
    percent,
    rounding,
    text_at,
    time_at,
    tolerance_for,
    totals,
    vat_fraction,
)
from evtui.pricing.result import Amount, Comparison, PriceCheck, PriceLine

#: Breakdown line types as the charge records name them: (kind, dimension).
_BREAKDOWN_KINDS = {
    "energy": ("energy", "ENERGY"),
    "idle_fee": ("parking", "PARKING_TIME"),
    "parking": ("parking", "PARKING_TIME"),
    "parking_fee": ("parking", "PARKING_TIME"),
    "time": ("time", "TIME"),
    "time_fee": ("time", "TIME"),
    "session_fee": ("fixed", "FLAT"),
    "start_fee": ("fixed", "FLAT"),
}
_TIME_UNITS = frozenset({"min", "minute", "minutes", "h", "hour", "hours", "s", "sec", "second", "seconds"})


def check_spirii(document: Mapping[str, Any], record_type: str = "transaction", *, tolerance: Any = None) -> PriceCheck:
    """A Spirii transaction or charge record (the document as sent) checked against its own figures."""
    currency = text_at(document, "price.currency")
    tol = tolerance_for(currency, tolerance)
    if not isinstance(get(document, "price"), Mapping):
        return cannot(["the record has no price object"], currency, tol)
    provider = Amount(decimal_at(document, "price.amountExVat"), decimal_at(document, "price.amount"))
    if provider.excl_vat is None and provider.incl_vat is None:
        return cannot(["price has neither amount nor amountExVat"], currency, tol)
    rate = decimal_at(document, "price.vatRate")
    fraction = vat_fraction(rate, both_scales=True)
    warnings: list[str] = []
    if fraction is None:
        warnings.append("no usable vatRate: only the totals as sent are compared, VAT is not recomputed")
    ended = get(document, "endedAt") is not None
    if not ended:
        warnings.append("the transaction has not ended: an estimate so far")
    if get(document, "price.isDynamic") is True:
        warnings.append("dynamic price: perKwh may be the latest price, not the price of every kWh")
    breakdown = get(document, "price.breakdown")
    if isinstance(breakdown, list) and breakdown:
        return _breakdown_check(document, breakdown, provider, fraction, currency, tol, warnings, ended)
    return _energy_check(document, record_type, provider, fraction, currency, tol, warnings, ended)


def _energy_check(
    document: Mapping[str, Any],
    record_type: str,
    provider: Amount,
    fraction: Decimal | None,
    currency: str | None,
    tol: Decimal,
    warnings: list[str],
    ended: bool,
) -> PriceCheck:
    consumed = decimal_at(document, "consumed") if record_type == "charge-record" else None
    if consumed is None:
        consumed = decimal_at(document, "chargingDetails.consumed")
    per_kwh = decimal_at(document, "price.perKwh")
    missing = [name for name, value in (("consumed", consumed), ("price.perKwh", per_kwh)) if value is None]
    if missing:
        return cannot([f"{' and '.join(missing)} not sent"], currency, tol, warnings)
    assert consumed is not None and per_kwh is not None
    energy = consumed * per_kwh
    incl_reading = Amount(None if fraction is None else energy / (1 + fraction), energy)
    excl_reading = Amount(energy, None if fraction is None else energy * (1 + fraction))
    as_excl = not amounts_agree(provider, incl_reading, tol) and bool(amounts_agree(provider, excl_reading, tol))
    computed = excl_reading if as_excl else incl_reading
    reading = "perKwh read as excl. VAT" if as_excl else "perKwh read as incl. VAT"
    price_excl = per_kwh if as_excl else (per_kwh / (1 + fraction) if fraction is not None else per_kwh)
    lines = (
        line(
            "energy",
            "ENERGY",
            start=time_at(document, "startedAt"),
            end=time_at(document, "endedAt", "updatedAt"),
            volume=consumed,
            unit="kWh",
            price=price_excl,
            excl_vat=computed.excl_vat if computed.excl_vat is not None else energy,
            fraction=fraction,
            tariff_id=text_at(document, "tariff.id") or "",
            why=f"consumed × price.perKwh ({reading})",
        ),
    )
    comparisons = (compare("price", provider, computed, tol),)
    reasons: list[str] = []
    if comparisons[0].matches is False:
        reasons += _vat_reason(provider, fraction, currency, tol)
        reasons.append(
            f"consumed × perKwh = {consumed} kWh × {per_kwh} = {money(energy, currency)}, which is neither "
            f"amount ({money(provider.incl_vat, currency)}) nor amountExVat ({money(provider.excl_vat, currency)})"
        )
        idle = decimal_at(document, "duration.idle")
        if provider.incl_vat is not None and provider.incl_vat > energy and idle:
            reasons.append(
                f"the car stayed {idle / 60:.0f} min after charging: an idle or session fee would come on top of the "
                "energy price (the charge record's breakdown itemises them)"
            )
        reasons += warnings
    qualifier = reading + ("" if ended else "; an estimate so far")
    return _result(currency, lines, tol, comparisons, reasons, warnings, qualifier)


def _breakdown_check(
    document: Mapping[str, Any],
    breakdown: list[Any],
    provider: Amount,
    fraction: Decimal | None,
    currency: str | None,
    tol: Decimal,
    warnings: list[str],
    ended: bool,
) -> PriceCheck:
    start, end = time_at(document, "startedAt"), time_at(document, "endedAt", "updatedAt")
    tariff_id = text_at(document, "tariff.id") or ""
    lines: list[PriceLine] = []
    reasons: list[str] = []
    for index, raw in enumerate(breakdown):
        where = f"breakdown line {index + 1}"
        if not isinstance(raw, Mapping):
            return cannot([f"{where} is not an object"], currency, tol, warnings)
        name = text_at(raw, "description") or text_at(raw, "type") or "item"
        where = f"{where} ({name})"
        quantity, unit_price = decimal_at(raw, "quantity"), decimal_at(raw, "unitPrice")
        sent_excl, sent_incl = decimal_at(raw, "amountExVat"), decimal_at(raw, "amount")
        if quantity is None or unit_price is None:
            if sent_excl is None:
                return cannot([f"{where} has neither quantity × unitPrice nor amountExVat"], currency, tol, warnings)
            quantity, unit_price, why = Decimal(1), sent_excl, f"{name}: amountExVat as sent (no quantity × unitPrice)"
        else:
            why = f"{name}: quantity × unitPrice"
        excl = quantity * unit_price
        unit = text_at(raw, "unit") or ""
        kind, dimension = _kind(text_at(raw, "type"), unit)
        priced = line(
            kind, dimension, start=start, end=end, volume=quantity, unit=unit, price=unit_price,
            excl_vat=excl, fraction=fraction, tariff_id=tariff_id, why=why, index=index,
        )
        lines.append(priced)
        if sent_excl is not None and abs(sent_excl - excl) > tol:
            reasons.append(f"{where}: {quantity} × {unit_price} = {money(excl, currency)}, but its amountExVat is {money(sent_excl, currency)}")
        if sent_incl is not None and fraction is not None and abs(sent_incl - priced.incl_vat) > tol:
            reasons.append(f"{where}: with VAT it comes to {money(priced.incl_vat, currency)}, but its amount is {money(sent_incl, currency)}")
    computed = Amount(
        sum((ln.excl_vat for ln in lines), Decimal(0)),
        None if fraction is None else sum((ln.incl_vat for ln in lines), Decimal(0)),
    )
    comparisons = (compare("price", provider, computed, tol),)
    if comparisons[0].matches is False:
        reasons = _vat_reason(provider, fraction, currency, tol) + reasons
        reasons.append(f"the {len(lines)} breakdown line(s) add up to {money(computed.excl_vat, currency)} excl. VAT")
    count = f"from the breakdown's {len(lines)} lines" if len(lines) != 1 else "from the breakdown's line"
    qualifier = count + ("" if ended else "; an estimate so far")
    return _result(currency, tuple(lines), tol, comparisons, reasons, warnings, qualifier)


def _kind(line_type: str | None, unit: str) -> tuple[str, str]:
    if line_type and line_type.lower() in _BREAKDOWN_KINDS:
        return _BREAKDOWN_KINDS[line_type.lower()]
    if unit.lower() == "kwh":
        return "energy", "ENERGY"
    if unit.lower() in _TIME_UNITS:
        return "time", "TIME"
    return "fixed", "FLAT"


def _vat_reason(provider: Amount, fraction: Decimal | None, currency: str | None, tol: Decimal) -> list[str]:
    if provider.excl_vat is None or provider.incl_vat is None or fraction is None:
        return []
    expected = provider.excl_vat * (1 + fraction)
    if abs(expected - provider.incl_vat) <= tol:
        return []
    return [
        f"VAT does not add up: amountExVat {money(provider.excl_vat, currency)} + {percent(fraction)} = "
        f"{money(expected, currency)}, but amount is {money(provider.incl_vat, currency)}"
    ]



def _result(
    currency: str | None,
    lines: tuple[PriceLine, ...],
    tol: Decimal,
    comparisons: tuple[Comparison, ...],
    reasons: list[str],
    warnings: list[str],
    qualifier: str,
) -> PriceCheck:
    verdict = decide(comparisons, currency, tol, reasons, qualifier=qualifier)
    total = comparisons[0].computed
    return PriceCheck(currency, "UTC", lines, totals(lines), total, (), rounding(currency, tol), tol, comparisons, verdict, tuple(warnings))
