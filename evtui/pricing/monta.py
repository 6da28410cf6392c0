"""The Monta price check: consumed kWh × average price per kWh beside the charge's price.

A Monta charge carries no tariff and no VAT split: `price` is what the charge cost
(major units of `currency.identifier`, sent in lower case), `averagePricePerKwh` the
price over `consumedKwh`. Their product must give the price, within one minor unit
plus what rounding the average as sent can account for; a start fee or a price per
minute makes them differ, and the verdict says so. The price is what the driver
paid, so it is compared as the amount incl. VAT.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal
from typing import Any

from evtui.decode import currency_exponent
from evtui.pricing.amounts import cannot, compare, decide, decimal_at, get, line, money, rounding, time_at, tolerance_for, totals
from evtui.pricing.result import Amount, PriceCheck

_FINAL = frozenset({"completed"})


def currency_of(document: Any) -> str | None:
    """The ISO 4217 code in upper case, from {"identifier": "dkk"} or a plain string."""
    raw = get(document, "currency")
    code = raw.get("identifier") if isinstance(raw, Mapping) else raw
    return code.upper() if isinstance(code, str) and code.strip() else None


def check_monta(document: Mapping[str, Any], *, tolerance: Any = None) -> PriceCheck:
    currency = currency_of(document)
    kwh, average, price = (decimal_at(document, k) for k in ("consumedKwh", "averagePricePerKwh", "price"))
    missing = [k for k, v in (("consumedKwh", kwh), ("averagePricePerKwh", average), ("price", price)) if v is None]
    if missing:
        return cannot([f"{', '.join(missing)} not sent"], currency, tolerance_for(currency, tolerance))
    assert kwh is not None and average is not None and price is not None
    tol = tolerance_for(currency, tolerance) if tolerance is not None else _tolerance(kwh, average, currency)
    computed = kwh * average
    priced = line(
        "energy", "ENERGY", start=time_at(document, "startedAt"), end=time_at(document, "stoppedAt"), volume=kwh,
        unit="kWh", price=average, excl_vat=computed, fraction=None, tariff_id="", why="consumedKwh × averagePricePerKwh",
    )
    comparisons = [compare("price", Amount(None, price), Amount(None, computed), tol)]
    reasons = []
    if comparisons[0].matches is False:
        reasons.append(
            f"{kwh} kWh × {money(average, currency)}/kWh = {money(computed, currency)}, but the price is "
            f"{money(price, currency)}: a start fee or a price per minute?"
        )
    warnings = []
    state = get(document, "state")
    if not (isinstance(state, str) and state.lower() in _FINAL):
        warnings.append(f"charge {state if isinstance(state, str) else 'without a state'}: an estimate so far")
    verdict = decide(comparisons, currency, tol, reasons + warnings, qualifier="; ".join(warnings))
    return PriceCheck(
        currency, "UTC", (priced,), totals((priced,)), Amount(None, computed), (), rounding(currency, tol), tol,
        tuple(comparisons), verdict, tuple(warnings),
    )


def _tolerance(kwh: Decimal, average: Decimal, currency: str | None) -> Decimal:
    """One minor unit, plus half a unit of the average's last digit as sent (a minor unit at
    most: 0 DKK/kWh is free, not "anything up to 0.5"), times the kWh; rounded up to minor
    units, as the verdict says it."""
    minor = Decimal(1).scaleb(-currency_exponent(currency))
    exponent = average.as_tuple().exponent
    last_digit = min(Decimal(1).scaleb(exponent), minor) if isinstance(exponent, int) else minor
    return (minor + abs(kwh) * last_digit / 2).quantize(minor, ROUND_CEILING)
