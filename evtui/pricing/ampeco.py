"""The AMPECO price check: a session's price breakdown beside its totalAmount.

A session (sessions v1.0, asked for withPriceBreakdown) carries no tariff. Its
`priceBreakdown` lines each give a quantity, a price per unit and a price, with and
without tax, in major units of `currency`. Each line's quantity × price per unit
should give its price (a line that does not is a warning), and the lines' prices
must add up to `totalAmount` (the verdict). Compared with tax only: AMPECO rounds
each amount without tax to cents on its own, so those need not add up to the cent.
The tolerance is half a minor unit, what rounding to the currency's digits accounts for.
A session not stopped yet is priced as far as it went: an estimate so far.

The document is the session as sent, `{"data": {...}}`, or the session itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from evtui.decode import currency_exponent, money_major, number
from evtui.pricing.amounts import cannot, compare, decide, decimal_at, get, line, rounding, text_at, time_at, tolerance_for, totals, vat_fraction
from evtui.pricing.result import Amount, PriceCheck, PriceLine

#: AMPECO's breakdown line types as the engine's (kind, dimension); the rest are fixed fees.
_KINDS = {
    "energy": ("energy", "ENERGY"),
    "charging_time": ("time", "TIME"),
    "power_levels_time": ("time", "TIME"),
    "idle_time": ("parking", "PARKING_TIME"),
}
_UNITS = {"kwh": "kWh", "minute": "min", "session": ""}


def session_of(document: Any) -> Any:
    """The session inside AMPECO's `{"data": ...}` wrapper (or the document, unwrapped)."""
    data = document.get("data") if isinstance(document, Mapping) else None
    return data if isinstance(data, Mapping) else document


def check_ampeco(document: Mapping[str, Any], *, tolerance: Any = None) -> PriceCheck:
    session = session_of(document)
    currency = text_at(session, "currency")
    tol = tolerance_for(currency, tolerance) if tolerance is not None else half_minor_unit(currency)

    def money(value: Decimal) -> str:
        return money_major(value, currency) or "?"

    items = get(session, "priceBreakdown")
    if not isinstance(items, list) or not items:
        why = "no price breakdown sent" if not isinstance(items, list) else "the price breakdown is empty"
        return cannot([why], currency, tol)
    start, end = time_at(session, "startedAt"), time_at(session, "stoppedAt")
    snapshot = get(session, "tariffSnapshotId")
    tariff_id = str(snapshot) if isinstance(snapshot, (int, str)) and not isinstance(snapshot, bool) else ""
    lines: list[PriceLine] = []
    warnings: list[str] = []
    for i, item in enumerate(items):
        price = decimal_at(item, "price.withTax") if isinstance(item, Mapping) else None
        if price is None:
            return cannot([f"priceBreakdown[{i}] has no price.withTax"], currency, tol, warnings)
        unit, quantity = decimal_at(item, "pricePerUnit.withTax"), decimal_at(item, "quantity")
        if unit is not None and quantity is not None and abs(unit * quantity - price) > tol:
            warnings.append(
                f"priceBreakdown[{i}]: quantity {number(quantity)} × {money(unit)} per unit is {money(unit * quantity)}, "
                f"the line says {money(price)}"
            )
        lines.append(_line(i, item, price, start, end, tariff_id))
    total = decimal_at(session, "totalAmount.withTax")
    if total is None:
        return cannot(["no totalAmount.withTax to compare with"], currency, tol, warnings)
    summed = sum((ln.incl_vat for ln in lines), Decimal(0))
    comparisons = (compare("totalAmount", Amount(None, total), Amount(None, summed), tol),)
    reasons = []
    if comparisons[0].matches is False:
        reasons.append(f"the price breakdown adds up to {money(summed)} with tax, totalAmount.withTax is {money(total)}")
    count = f"the breakdown's {len(lines)} lines" if len(lines) != 1 else "the breakdown's line"
    qualifier = f"{count}, with tax" + ("" if end is not None else "; not stopped: an estimate so far")
    verdict = decide(comparisons, currency, tol, reasons, qualifier=qualifier)
    return PriceCheck(
        currency, "UTC", tuple(lines), totals(lines), Amount(None, summed), (), rounding(currency, tol), tol,
        comparisons, verdict, tuple(warnings),
    )


def half_minor_unit(currency: str | None) -> Decimal:
    """What rounding to the currency's digits may account for: 0.005 EUR."""
    return Decimal(5).scaleb(-currency_exponent(currency) - 1)


def _line(
    index: int, item: Mapping[str, Any], incl: Decimal, start: datetime | None, end: datetime | None, tariff_id: str
) -> PriceLine:
    """A breakdown line as sent: its price with tax, and without tax where sent (else derived from its rate)."""
    kind_name = item.get("type")
    kind, dimension = _KINDS.get(kind_name, ("fixed", "FLAT")) if isinstance(kind_name, str) else ("fixed", "FLAT")
    fraction = vat_fraction(decimal_at(item, "taxPercentage"), both_scales=False)
    excl = decimal_at(item, "price.withoutTax")
    if excl is None:
        excl = incl / (1 + fraction) if fraction is not None else incl
    quantity = decimal_at(item, "quantity")
    per_unit = decimal_at(item, "pricePerUnit.withoutTax")
    unit = item.get("unit")
    priced = line(
        kind, dimension, start=start, end=end, volume=Decimal(1) if quantity is None else quantity,
        unit=_UNITS.get(unit, unit) if isinstance(unit, str) else "", price=excl if per_unit is None else per_unit,
        excl_vat=excl, fraction=fraction, tariff_id=tariff_id, index=index,
        why=f"{kind_name if isinstance(kind_name, str) else 'a line'}: its price as sent",
    )
    # With tax as sent, not recomputed: AMPECO rounds each amount to cents on its own.
    priced.vat, priced.incl_vat = incl - excl, incl
    return priced
