"""The Corpay price check: does a session's price add up, and do its payments meet it?

A Corpay session carries no tariff. Its figures (minor units of `price.currencyCode`):
- `price` {minorExclVat, minorInclVat, vat (a percent string)}: incl. must be
  excl. plus VAT;
- `transactions[].amount` (same shape): what was paid, each with its own VAT;
- `balanceAmountMinor`: paid minus price (-2160 = 21.60 still owed, +500 = 5.00
  to refund), so balance = Σ transactions incl. VAT − price incl. VAT. A
  transaction written off (paymentOutcome WRITE_OFF) settles its amount too.
  Without a balance (External Clearing) the transactions must add up to the price.
While `balanceStatus` is PROCESSING nothing is settled yet: only the price is checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from evtui.decode import currency_exponent, to_decimal
from evtui.pricing.amounts import (
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
from evtui.pricing.result import Amount, Comparison, PriceCheck

_FINAL = frozenset({"COMPLETE", "FAILED", "STOP_FAILED"})


def check_corpay(document: Mapping[str, Any], *, tolerance: Any = None) -> PriceCheck:
    """A Corpay session (the document as sent) checked against its own figures."""
    currency = text_at(document, "price.currencyCode")
    tol = tolerance_for(currency, tolerance)
    price = get(document, "price")
    if not isinstance(price, Mapping):
        return cannot(["the session has no price object"], currency, tol)
    places = currency_exponent(currency)
    excl, incl = _major(price, "minorExclVat", places), _major(price, "minorInclVat", places)
    fraction = vat_fraction(decimal_at(price, "vat"), both_scales=False)
    missing = [f"price.{k}" for k, v in (("minorExclVat", excl), ("vat", fraction)) if v is None]
    if missing:
        return cannot([f"{' and '.join(missing)} not sent"], currency, tol)
    assert excl is not None and fraction is not None
    provider = Amount(excl, incl)
    computed = Amount(excl, excl * (1 + fraction))
    comparisons: list[Comparison] = [compare("price", provider, computed, tol)]
    reasons: list[str] = []
    warnings: list[str] = []
    if comparisons[0].matches is False:
        reasons.append(
            f"VAT does not add up: minorExclVat {money(excl, currency)} + {percent(fraction)} = "
            f"{money(computed.incl_vat, currency)}, but minorInclVat is {money(incl, currency)}"
        )
    status = text_at(document, "sessionStatus")
    if status not in _FINAL:
        warnings.append(f"session {status or 'without a status'}: an estimate so far")
    paid = _payments(document, currency, places, tol, reasons, warnings)
    balance_status = text_at(document, "balanceStatus")
    if balance_status == "PROCESSING":
        warnings.append("balance PROCESSING: payments are not settled yet, only the price is checked")
    elif paid is not None and incl is not None:
        comparisons += _settlement(document, paid, incl, places, currency, tol, reasons)
    start = time_at(document, "startTime")
    wh = decimal_at(document, "energy.value") if text_at(document, "energy.unit") in ("WH", "Wh") else None
    if wh:
        kwh = wh / 1000
        priced = line(
            "energy", "ENERGY", start=start, end=None, volume=kwh, unit="kWh", price=excl / kwh,
            excl_vat=excl, fraction=fraction, tariff_id="", why="price.minorExclVat over energy.value",
        )
    else:
        priced = line(
            "fixed", "FLAT", start=start, end=None, volume=Decimal(1), unit="", price=excl,
            excl_vat=excl, fraction=fraction, tariff_id="", why="price.minorExclVat (no energy sent)",
        )
    verdict = decide(comparisons, currency, tol, reasons + warnings, qualifier="; ".join(warnings))
    return PriceCheck(
        currency, "UTC", (priced,), totals((priced,)), computed, (), rounding(currency, tol), tol,
        tuple(comparisons), verdict, tuple(warnings),
    )


def _major(amount: Any, key: str, places: int) -> Decimal | None:
    minor = to_decimal(get(amount, key))
    return None if minor is None else minor.scaleb(-places)



def _payments(
    document: Mapping[str, Any], currency: str | None, places: int, tol: Decimal, reasons: list[str], warnings: list[str]
) -> Decimal | None:
    """What the transactions paid incl. VAT (None when that cannot be added up); each one's
    VAT checked on the way."""
    transactions = get(document, "transactions")
    if transactions is None:
        return Decimal(0)
    if not isinstance(transactions, list):
        warnings.append("transactions is not a list: payments not checked")
        return None
    paid = Decimal(0)
    for index, tx in enumerate(transactions):
        where = f"transaction {index + 1}"
        amount = get(tx, "amount")
        tx_currency = text_at(amount, "currencyCode")
        tx_incl, tx_excl = _major(amount, "minorInclVat", places), _major(amount, "minorExclVat", places)
        if tx_incl is None:
            warnings.append(f"{where} has no amount.minorInclVat: payments not added up")
            return None
        if tx_currency is not None and currency is not None and tx_currency != currency:
            warnings.append(f"{where} is in {tx_currency}, the session in {currency}: payments not added up")
            return None
        tx_fraction = vat_fraction(decimal_at(amount, "vat"), both_scales=False)
        if tx_excl is not None and tx_fraction is not None and abs(tx_excl * (1 + tx_fraction) - tx_incl) > tol:
            reasons.append(
                f"{where}: {money(tx_excl, currency)} + {percent(tx_fraction)} = "
                f"{money(tx_excl * (1 + tx_fraction), currency)}, but its minorInclVat is {money(tx_incl, currency)}"
            )
        if text_at(tx, "paymentOutcome") == "WRITE_OFF":
            warnings.append(f"{where} is written off: its {money(tx_incl, currency)} counted as settled")
        paid += tx_incl
    return paid


def _settlement(
    document: Mapping[str, Any],
    paid: Decimal,
    incl: Decimal,
    places: int,
    currency: str | None,
    tol: Decimal,
    reasons: list[str],
) -> list[Comparison]:
    """The balance against payments − price; without a balance, payments against the price."""
    balance_minor = to_decimal(get(document, "balanceAmountMinor"))
    if balance_minor is None:
        if not get(document, "transactions"):
            return []  # nothing paid and no balance: nothing to settle against
        found = compare("transactions", Amount(None, paid), Amount(None, incl), tol)
        if found.matches is False:
            reasons.append(f"the transactions add up to {money(paid, currency)}, the price is {money(incl, currency)}")
        return [found]
    balance = balance_minor.scaleb(-places)
    found = compare("balanceAmountMinor", Amount(None, balance), Amount(None, paid - incl), tol)
    if found.matches is False:
        reasons.append(
            f"balanceAmountMinor is {money(balance, currency, sign=True)}, but payments {money(paid, currency)} − "
            f"price {money(incl, currency)} = {money(paid - incl, currency, sign=True)}"
        )
    return [found]
