"""The computed totals beside the provider's, and a verdict in three words' worth.

matches: every total the provider sent is within the tolerance of ours (excl.
and, when sent, incl. VAT). differs by X: X is the provider's total_cost minus
ours; the reasons are the alternative readings that reproduce the provider's
figure (step size per period, no step size, VAT missing, parking priced outside
its hours, limits not applied, periods not split...) and the totals that differ.
cannot check: what is missing.

Credit CDRs (mod_cdrs "Credit CDRs") carry the original's amounts negated, so
ours are negated before comparing total_cost; the per-kind totals are compared
by size, as the spec names only total_cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from evtui.decode import currency_exponent
from evtui.pricing.result import CANNOT_CHECK, DIFFERS, MATCHES, Amount, Comparison, PriceLine, Verdict
from evtui.pricing.tariffs import read_amount

FIELDS = {
    "total_cost": "total",
    "total_energy_cost": "energy",
    "total_time_cost": "time",
    "total_parking_cost": "parking",
    "total_fixed_cost": "fixed",
    "total_reservation_cost": "reservation",
}


def _close(a: Decimal | None, b: Decimal | None, tolerance: Decimal) -> bool | None:
    if a is None or b is None:
        return None
    return abs(a - b) <= tolerance


def amounts_agree(provider: Amount, computed: Amount, tolerance: Decimal) -> bool | None:
    """Whether every side both amounts have (excl., incl. VAT) is within the tolerance;
    None when they share no side to compare."""
    excl = _close(provider.excl_vat, computed.excl_vat, tolerance)
    incl = _close(provider.incl_vat, computed.incl_vat, tolerance)
    if excl is None and incl is None:
        return None
    return excl is not False and incl is not False


def amount_difference(provider: Amount, computed: Amount) -> Amount:
    """The provider's amount minus the computed one, side by side (None where either lacks it)."""
    def sub(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else a - b

    return Amount(sub(provider.excl_vat, computed.excl_vat), sub(provider.incl_vat, computed.incl_vat))


def compare(
    cdr: Mapping[str, Any],
    kinds: Mapping[str, Amount],
    total: Amount,
    tolerance: Decimal,
    *,
    limit_applied: bool,
) -> list[Comparison]:
    credit = cdr.get("credit") is True
    out: list[Comparison] = []
    for field, kind in FIELDS.items():
        provider = read_amount(cdr.get(field))
        computed = total if kind == "total" else kinds[kind]
        if provider is None:
            if kind == "total":
                out.append(Comparison(field, None, -computed if credit else computed, None, None))
            continue
        if kind == "total":
            expected = -computed if credit else computed
            out.append(Comparison(field, provider, expected, amount_difference(provider, expected), amounts_agree(provider, expected, tolerance)))
            continue
        if credit and (provider.excl_vat or 0) < 0:
            computed = -computed
        matches = None if limit_applied else amounts_agree(provider, computed, tolerance)
        out.append(Comparison(field, provider, computed, amount_difference(provider, computed), matches))
    return out


def money(value: Decimal | None, currency: str | None, *, sign: bool = False) -> str:
    """An amount for a sentence, rounded half-up to the currency's minor unit (the exact
    figures stay in the dataclasses)."""
    if value is None:
        return "?"
    places = currency_exponent(currency)
    try:
        rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds: as computed
        return f"{value:+}" if sign else f"{value}"
    text = f"{rounded:+.{places}f}" if sign else f"{rounded:.{places}f}"
    return f"{text} {currency or ''}".strip()


def describe_difference(d: Amount, currency: str | None) -> str:
    """A difference in a sentence: "+0.50 EUR excl. VAT / +0.60 EUR incl. VAT"."""
    parts = []
    if d.excl_vat is not None:
        parts.append(f"{money(d.excl_vat, currency, sign=True)} excl. VAT")
    if d.incl_vat is not None:
        parts.append(f"{money(d.incl_vat, currency, sign=True)} incl. VAT")
    return " / ".join(parts)


def _vat_missing(total: Comparison, tolerance: Decimal, currency: str | None) -> str | None:
    provider, computed = total.provider, total.computed
    if provider is None or computed.excl_vat is None or computed.incl_vat is None:
        return None
    vat = computed.incl_vat - computed.excl_vat
    if abs(vat) <= tolerance:
        return None
    if provider.incl_vat is None and _close(provider.excl_vat, computed.excl_vat, tolerance):
        return "VAT missing: the provider sent no incl_vat; the tariff's VAT comes to " + money(vat, currency)
    if provider.incl_vat is not None and _close(provider.incl_vat, provider.excl_vat, tolerance):
        return f"VAT missing: incl_vat equals excl_vat, but the tariff's VAT comes to {money(vat, currency)}"
    return None


def decide(
    comparisons: Sequence[Comparison],
    lines: Sequence[PriceLine],
    currency: str | None,
    tolerance: Decimal,
    alternatives: Sequence[tuple[str, Amount]],
    notes: Sequence[str],
    credit: bool,
) -> Verdict:
    """The verdict; `alternatives` are (reason, total) of other readings, `notes` the
    warnings that could explain a difference (unknown restrictions, a guessed zone)."""
    total = next(c for c in comparisons if c.field == "total_cost")
    if total.provider is None:
        return Verdict(CANNOT_CHECK, "cannot check: the CDR has no total_cost", None, ("total_cost missing",))
    differing = [c for c in comparisons if c.matches is False]
    if not differing:
        within = f"within {tolerance} {currency or ''}".strip()
        if total.provider.incl_vat is None:
            return Verdict(MATCHES, f"matches excl. VAT ({within}; no incl_vat sent to compare)", total.difference)
        return Verdict(MATCHES, f"matches ({within})", total.difference)
    reasons: list[str] = []
    if credit and (total.provider.excl_vat or 0) > 0 and total.computed.excl_vat and total.computed.excl_vat < 0:
        reasons.append("credit CDR with a positive total_cost: a credit CDR carries the original's amounts negated")
    vat = _vat_missing(total, tolerance, currency)
    if vat:
        reasons.append(vat)
    sign = -1 if credit else 1
    for reason, amount in alternatives:
        expected = Amount(
            None if amount.excl_vat is None else sign * amount.excl_vat,
            None if amount.incl_vat is None else sign * amount.incl_vat,
        )
        if amounts_agree(total.provider, expected, tolerance):
            reasons.append(reason)
    for c in differing:
        if c.field == "total_cost" or c.difference is None:
            continue
        kind = FIELDS[c.field]
        explaining = [ln for ln in lines if ln.kind == kind]
        where = f" (our {len(explaining)} {kind} line(s) come to {money(c.computed.excl_vat, currency)} excl. VAT)"
        reasons.append(f"{c.field} differs by {describe_difference(c.difference, currency)}{where}")
    reasons.extend(notes)
    if total.matches is False and total.difference is not None:
        text = f"differs by {describe_difference(total.difference, currency)}"
    else:
        text = "differs: total_cost matches, but " + ", ".join(c.field for c in differing) + " do not"
    if not reasons:
        reasons.append("no single reading explains it; compare the lines")
    return Verdict(DIFFERS, text, total.difference, tuple(reasons))
