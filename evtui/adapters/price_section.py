"""The "Price check" section of a record: the engine's lines, the totals beside the
provider's, and the verdict. Built with the rest of the record, on the worker thread.

Generic: any adapter whose (name, record type) `evtui.pricing.for_record` knows gets
the section; an adapter that can supply tariffs or a time zone for a record does so
with a `pricing_inputs(record_type, document) -> (tariffs, time_zone)` method.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evtui.pricing import CANNOT_CHECK, DIFFERS, Amount, PriceCheck, PriceLine, for_record
from evtui.pricing.verdict import money
from evtui.record import Field, LazyRows, Section, Table

LINE_COLUMNS = ("#", "dimension", "volume", "step-rounded", "price", "excl. VAT", "VAT", "incl. VAT", "element and why")


def price_check_of(adapter: Any, record_type: str, document: Any) -> PriceCheck | None:
    """The price check of a record as sent, with what the adapter knows of its tariffs and zone."""
    inputs = getattr(adapter, "pricing_inputs", None)
    tariffs, time_zone = inputs(record_type, document) if inputs is not None else (None, None)
    return for_record(adapter.name, record_type, document, tariffs=tariffs, time_zone=time_zone)


def verdict_words(check: PriceCheck) -> str:
    """The verdict for a summary line, short: "price matches", "price differs by +0.45 EUR
    incl. VAT", "price cannot be checked" (the section has the details)."""
    verdict = check.verdict
    if verdict.outcome == CANNOT_CHECK:
        return "price cannot be checked"
    if verdict.outcome == DIFFERS:
        text = verdict.text  # "differs by +0.45 EUR excl. VAT / +0.54 EUR incl. VAT": the last figure
        return "price " + ("differs by " + text.split(" / ")[-1] if " / " in text else text.split(":")[0])
    return "price matches"


def price_section(check: PriceCheck) -> Section:
    verdict = check.verdict
    flag = "invalid" if verdict.outcome == DIFFERS else "missing" if verdict.outcome == CANNOT_CHECK else None
    fields = [Field("Verdict", verdict.text, flag=flag)]
    label = "Missing" if verdict.outcome == CANNOT_CHECK else "Reason"
    fields += [Field(f"{label} {i}", reason) for i, reason in enumerate(verdict.reasons, 1)]
    currency = check.currency
    for c in check.comparisons:
        fields.append(
            Field(
                c.field,
                f"provider {_amount(c.provider, currency)} · computed {_amount(c.computed, currency)}",
                note=_compared(c.matches, c.difference, currency),
                path=c.field,
                flag="invalid" if c.matches is False else None,
            )
        )
    for limit in check.limits:
        if limit.applied:
            fields.append(
                Field(limit.kind, f"{_amount(limit.before, currency)} → {_amount(limit.after, currency)}", note=f"tariff {limit.tariff_id}")
            )
    fields.append(Field("Time zone", check.time_zone, note="station-local restrictions read in it"))
    fields.append(Field("Rounding", check.rounding, note=f"tolerance {check.tolerance}"))
    fields += [Field(f"Warning {i}", w, flag="inferred") for i, w in enumerate(check.warnings, 1)]
    lines = check.lines
    table = Table(
        "Price lines",
        LINE_COLUMNS,
        LazyRows(len(lines), lambda i: _row(lines[i], currency)),
        note="" if lines else "nothing computed",
    )
    return Section(key="price", title="Price check", fields=tuple(fields), tables=(table,))


def _row(line: PriceLine, currency: str | None) -> tuple[str, ...]:
    unit = f" {line.unit}" if line.unit else ""
    vat = f"{_num(line.vat)} ({_num(line.vat_percent)}%)" if line.vat_percent is not None else "no VAT given"
    why = f"{line.tariff_id} element {line.element}: {line.why}" + (f"; {line.step_note}" if line.step_note else "")
    return (
        str(line.period),
        line.dimension,
        f"{_num(line.volume)}{unit}",
        f"{_num(line.billed_volume)}{unit}",
        f"{_num(line.price)} {currency or ''}".strip(),
        _num(line.excl_vat),
        vat,
        _num(line.incl_vat),
        why,
    )


def _num(value: Decimal | None) -> str:
    return "?" if value is None else format(value.normalize(), "f")  # 5.6250 -> 5.625, 1E+1 -> 10


def _amount(amount: Amount | None, currency: str | None) -> str:
    if amount is None:
        return "not sent"
    incl = "no incl. VAT" if amount.incl_vat is None else f"{money(amount.incl_vat, currency)} incl."
    return f"{money(amount.excl_vat, currency)} excl. / {incl}"


def _compared(matches: bool | None, difference: Amount | None, currency: str | None) -> str:
    if matches is None:
        return "not compared"
    if matches:
        return "matches"
    d = difference
    if d is None:
        return "differs"
    parts = [f"{money(v, currency, sign=True)} {w}" for v, w in ((d.excl_vat, "excl."), (d.incl_vat, "incl.")) if v is not None]
    return "differs by " + " / ".join(parts)
