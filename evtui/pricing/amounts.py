"""What the Spirii and Corpay checks share: reading their amounts, and one verdict over
a provider's total beside the computed one, in the OCPI engine's words.

Those records carry no tariff: what can be checked is the arithmetic between the
figures they send (a price per kWh times the energy, VAT on the excl. VAT total,
payments against the price). Amounts are exact decimals, compared within a
tolerance of one minor unit of the currency unless another is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from evtui.decode import currency_exponent, parse_timestamp, to_decimal
from evtui.pricing.result import CANNOT_CHECK, DIFFERS, MATCHES, ZERO, Amount, Comparison, PriceCheck, PriceLine, Verdict
from evtui.pricing.verdict import amount_difference, amounts_agree, describe_difference, money

#: Where a record gives no time for a line (PriceLine needs one): shown as sent elsewhere.
NO_TIME = datetime(1970, 1, 1, tzinfo=timezone.utc)
_KINDS = ("energy", "time", "parking", "fixed", "reservation")


def tolerance_for(currency: str | None, tolerance: Decimal | float | str | None) -> Decimal:
    if tolerance is None:
        return Decimal(1).scaleb(-currency_exponent(currency))  # one minor unit, as the engine
    return tolerance if isinstance(tolerance, Decimal) else Decimal(str(tolerance))


def rounding(currency: str | None, tolerance: Decimal) -> str:
    return (
        "amounts are exact decimals, not rounded per line or in total; compared with the provider's "
        f"within {tolerance} {currency or ''}; the verdict's sentences round half-up to the currency's minor unit"
    )


def vat_fraction(rate: Decimal | None, *, both_scales: bool) -> Decimal | None:
    """A VAT rate as a fraction; with `both_scales`, 0.25 and 25 both mean 25 % (Spirii sends both)."""
    if rate is None or rate < 0:
        return None
    if both_scales and rate < 1:
        return rate
    return rate / 100


def percent(fraction: Decimal) -> str:
    """A VAT fraction in words: 0.196 -> "19.6 %"."""
    return f"{format((fraction * 100).normalize(), 'f')} %"


def get(document: Any, path: str) -> Any:
    """A dotted path into nested objects; None where any step is missing or not an object."""
    value = document
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def decimal_at(document: Any, path: str) -> Decimal | None:
    return to_decimal(get(document, path))


def time_at(document: Any, *paths: str) -> datetime | None:
    for path in paths:
        when = parse_timestamp(get(document, path))
        if when is not None:
            return when
    return None


def text_at(document: Any, path: str) -> str | None:
    value = get(document, path)
    return value if isinstance(value, str) and value else None


def line(
    kind: str,
    dimension: str,
    *,
    start: datetime | None,
    end: datetime | None,
    volume: Decimal,
    unit: str,
    price: Decimal,
    excl_vat: Decimal,
    fraction: Decimal | None,
    tariff_id: str,
    why: str,
    index: int = 0,
) -> PriceLine:
    vat = excl_vat * fraction if fraction is not None else Decimal(0)
    return PriceLine(
        kind=kind,
        dimension=dimension,
        period=index,
        start=start or NO_TIME,
        end=end or start or NO_TIME,
        volume=volume,
        billed_volume=volume,
        unit=unit,
        price=price,
        excl_vat=excl_vat,
        vat_percent=None if fraction is None else fraction * 100,
        vat=vat,
        incl_vat=excl_vat + vat,
        tariff_id=tariff_id,
        element=index,
        why=why,
    )


def totals(lines: Iterable[PriceLine]) -> dict[str, Amount]:
    out = {kind: ZERO for kind in _KINDS}
    for ln in lines:
        out[ln.kind] = out[ln.kind] + Amount(ln.excl_vat, ln.incl_vat)
    return out


def cannot(reasons: Sequence[str], currency: str | None, tolerance: Decimal, warnings: Sequence[str] = ()) -> PriceCheck:
    verdict = Verdict(CANNOT_CHECK, "cannot check: " + "; ".join(reasons), None, tuple(reasons))
    zero = {kind: ZERO for kind in _KINDS}
    return PriceCheck(currency, "UTC", (), zero, ZERO, (), "nothing computed", tolerance, (), verdict, tuple(warnings))


def compare(field: str, provider: Amount, computed: Amount, tolerance: Decimal) -> Comparison:
    return Comparison(field, provider, computed, amount_difference(provider, computed), amounts_agree(provider, computed, tolerance))


def decide(
    comparisons: Sequence[Comparison],
    currency: str | None,
    tolerance: Decimal,
    reasons: Sequence[str],
    *,
    qualifier: str = "",
) -> Verdict:
    """matches when no comparison differs; else "differs by X" on the first one that does
    (the total comes first), with `reasons` saying what explains it."""
    differing = [c for c in comparisons if c.matches is False]
    if not differing:
        within = f"within {tolerance} {currency or ''}".strip()
        extra = f"; {qualifier}" if qualifier else ""
        first = comparisons[0] if comparisons else None
        return Verdict(MATCHES, f"matches ({within}{extra})", first.difference if first else None)
    first = differing[0]
    assert first.difference is not None  # a comparison that differs had both sides
    text = f"differs by {describe_difference(_shown(first.difference, first.provider, tolerance), currency)}"
    if first is not comparisons[0]:
        text += f" in {first.field}"
    found = list(reasons) or ["no single reading explains it; compare the lines"]
    return Verdict(DIFFERS, text, first.difference, tuple(found))


def _shown(d: Amount, provider: Amount | None, tolerance: Decimal) -> Amount:
    """The sides of a difference worth saying: those the provider sent, and of those the
    ones that differ (not "+0.00 excl. VAT / -9.50 incl. VAT")."""
    def keep(value: Decimal | None, sent: Decimal | None) -> bool:
        return value is not None and sent is not None and abs(value) > tolerance

    excl = provider.excl_vat if provider else None
    incl = provider.incl_vat if provider else None
    return Amount(d.excl_vat if keep(d.excl_vat, excl) else None, d.incl_vat if keep(d.incl_vat, incl) else None)


__all__ = [
    "NO_TIME",
    "amounts_agree",
    "cannot",
    "compare",
    "decide",
    "decimal_at",
    "get",
    "line",
    "money",
    "percent",
    "rounding",
    "text_at",
    "time_at",
    "tolerance_for",
    "totals",
    "vat_fraction",
]
