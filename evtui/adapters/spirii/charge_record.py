"""A Spirii charge record as sections: the transaction's, plus payment metadata, the card and the price breakdown."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from evtui.adapters.api import Field, Presenter, Section, Table, decode, leftover_fields, major_money, section, sent_value, shown_paths, summary
from evtui.adapters.spirii.cards import card_fields, card_summary, guard_pans, masked_pan_field
from evtui.adapters.spirii.checks import spirii_checks
from evtui.adapters.spirii.words import CHARGE_RECORD_PAYMENT_STATUS, TRANSACTION_REQUIRED_OBJECTS, id_text
from evtui.adapters.spirii.transaction import (
    auth_fields,
    authorization_field,
    charging_fields,
    location_section,
    none_field,
    payment_fields,
    require,
    roaming_fields,
)

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def present(document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
    p = Presenter(document, problems)
    for path in TRANSACTION_REQUIRED_OBJECTS:
        require(p, path)
    currency = p.get("price.currency")

    money = major_money(currency)
    start = p.field("Start", "startedAt", decode.timestamp, note="UTC, with local time", required=True)
    end = p.field("End", "endedAt", decode.timestamp, note="UTC, with local time")
    total = p.field("Total price", "price.amount", money, note="incl. VAT, major units")
    evse = p.field("EVSE id", "evseId", required=True)
    card_number = masked_pan_field(p)
    status = _status_in_words(p, "Payment status", "paymentStatus", required=True)

    overview = section(
        "overview",
        "Overview",
        [
            p.field("Charge record id", "id", required=True),
            _transaction_id_field(p),
            status,
            start,
            end,
            _energy_billed(p, "Energy"),
            total,
            p.field("Site", "location.name"),
            evse,
            authorization_field(p),
            card_summary(p),
            _session_id_field(p),
        ],
    )
    payment = section(
        "payment",
        "Payment",
        [
            *payment_fields(p, money, currency, CHARGE_RECORD_PAYMENT_STATUS),
            p.field("Tariff name", "price.tariffName", note="the tariff the price was computed with"),
            *_metadata_fields(p, card_number),
            *_breakdown_check(p, money),
        ],
        [_breakdown_table(p, currency)],
    )
    card = section("card", "Card", card_fields(p, card_number))
    charging = section(
        "charging",
        "Charging",
        [_energy_billed(p, "Energy billed"), _energy_check(p), *charging_fields(p, start, end)],
    )
    location = location_section(p, evse)
    authorization = section("authorization", "Authorization", auth_fields(p))
    roaming = section("roaming", "Roaming", roaming_fields(p))

    sections = [overview, payment, card, charging, location, authorization, roaming, spirii_checks(p, charge_record=True)]
    # The card (its unknown fields listed by cards.py) and the card number are guarded: not again as "other".
    shown = shown_paths(sections) | {"card", "paymentMetadata.maskedPan"}
    other = guard_pans(p, leftover_fields(document, shown))
    if other:
        sections.append(section("other", "Other fields", other))

    raw_status = p.get("paymentStatus")
    line = summary(f"payment {raw_status}" if isinstance(raw_status, str) else "", p.get("location.name"), sent_value(total))
    return sections, line


def _status_in_words(p: Presenter, label: str, path: str, *, required: bool = False) -> Field:
    """The payment status as its meaning, the code first: 'failed — the payment failed; ...'."""
    f = p.enum(label, path, CHARGE_RECORD_PAYMENT_STATUS, required=required)
    meaning = CHARGE_RECORD_PAYMENT_STATUS.get(f.raw) if isinstance(f.raw, str) else None
    if meaning is None:
        return f
    return p.value(label, f"{f.raw} — {meaning}", path=path, raw=f.raw)


def _transaction_id_field(p: Presenter) -> Field:
    f = p.field("Transaction id", "transactionId")
    tid, own = id_text(p.get("transactionId")), id_text(p.get("id"))
    if tid is not None and own is not None and tid != own:
        return p.value(f.label, f.value, note="differs from the charge record id (usually the same number)", path=f.path, raw=f.raw)
    return f


def _session_id_field(p: Presenter) -> Field:
    raw = p.get("sessionId")
    note = "UUID of the receipt portal's session"
    if isinstance(raw, str) and not _UUID.fullmatch(raw.strip()):
        p.problem("sessionId is not a UUID (shown as sent)")
        return p.value("Receipt session id", raw, note=note + "; not a UUID as expected", path="sessionId", raw=raw, flag="invalid")
    return p.field("Receipt session id", "sessionId", note=note)


def _energy_billed(p: Presenter, label: str) -> Field:
    """A charge record's top-level `consumed` (kWh); the transaction's value when it is not sent."""
    if p.get("consumed") is None and p.get("chargingDetails.consumed") is not None:
        return p.field(label, "chargingDetails.consumed", decode.kwh, note="kWh; no top-level consumed, from chargingDetails")
    return p.field(label, "consumed", decode.kwh, note="the charge record's consumed, kWh")


def _energy_check(p: Presenter) -> Field:
    billed = decode.to_decimal(p.get("consumed"))
    metered = decode.to_decimal(p.get("chargingDetails.consumed"))
    note = "derived: consumed ≈ chargingDetails.consumed"
    if billed is None or metered is None:
        missing = " or ".join(n for n, v in (("consumed", billed), ("chargingDetails.consumed", metered)) if v is None)
        return p.value("Energy check", f"cannot check: no {missing}", note=note, flag="derived")
    if (billed - metered).copy_abs() <= Decimal("0.001"):
        return p.value("Energy check", f"agrees: {decode.kwh(billed)} billed and measured", note=note, flag="derived")
    return p.value(
        "Energy check",
        f"does not agree: {decode.kwh(billed)} billed, {decode.kwh(metered)} in the charging details",
        note=note,
        flag="derived",
    )


def _metadata_fields(p: Presenter, card_number: Field) -> list[Field]:
    meta = "paymentMetadata"
    if not isinstance(p.get(meta), dict):
        return [none_field(p, "Payment metadata", meta, "none")]
    status = p.enum("Payment metadata status", f"{meta}.paymentStatus", CHARGE_RECORD_PAYMENT_STATUS)
    if status.flag is None and p.get("paymentStatus") is not None and status.raw not in (None, p.get("paymentStatus")):
        status = p.value(status.label, status.value, note=f"{status.note}; differs from paymentStatus {p.get('paymentStatus')!r}",
                         path=status.path, raw=status.raw)
    fields = [
        status,
        card_number,
        p.field("Merchant id", f"{meta}.merchantId"),
        p.field("Terminal id", f"{meta}.terminalId", note="the payment terminal on site" if p.get(f"{meta}.terminalId") is not None else ""),
        p.field("Paid at", f"{meta}.paidAt", decode.timestamp, note="UTC, with local time"),
    ]
    # Extras seen on some records: shown when sent.
    for key, label in (
        ("pspReference", "PSP reference"),
        ("authorizationCode", "Authorization code"),
        ("acquirer", "Acquirer"),
        ("failureCode", "Failure code"),
        ("failureMessage", "Failure message"),
        ("invoiceNumber", "Invoice number"),
    ):
        if p.has(f"{meta}.{key}"):
            fields.append(p.field(label, f"{meta}.{key}"))
    return fields


def _breakdown_lines(p: Presenter) -> list[Any] | None:
    lines = p.get("price.breakdown")
    return lines if isinstance(lines, list) else None


def _breakdown_table(p: Presenter, currency: Any) -> Table:
    columns = ("Item", "Description", "Quantity", "Unit price excl. VAT", "Excl. VAT", "Incl. VAT")
    lines = _breakdown_lines(p)
    if lines is None:
        sent = p.get("price.breakdown")
        note = "no breakdown sent" if sent is None else "price.breakdown is not a list: see Raw JSON"
        return Table("Price breakdown", columns, (), note=note)

    def cell(value: Any, decode_fn: Callable[[Any], str | None]) -> str:
        if value is None:
            return "—"
        return decode_fn(value) or (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))

    money = major_money(currency)

    rows = []
    for line in lines:
        if not isinstance(line, dict):
            rows.append(("(not an object)", cell(line, lambda v: None), "", "", "", ""))
            continue
        quantity = cell(line.get("quantity"), decode.number)
        unit = line.get("unit")
        if line.get("quantity") is not None and isinstance(unit, str) and unit:
            quantity = f"{quantity} {unit}"
        unit_price = cell(line.get("unitPrice"), money)
        if line.get("unitPrice") is not None and isinstance(unit, str) and unit and unit_price != "—":
            unit_price = f"{unit_price}/{unit}"
        rows.append(
            (
                cell(line.get("type"), lambda v: None),
                cell(line.get("description"), lambda v: None),
                quantity,
                unit_price,
                cell(line.get("amountExVat"), money),
                cell(line.get("amount"), money),
            )
        )
    return Table("Price breakdown", columns, tuple(rows), note="major units, as sent in price.breakdown", shows=BREAKDOWN_PATHS)


#: What a row of the Price breakdown shows; any other field of a line goes to Other fields.
BREAKDOWN_PATHS = tuple(f"price.breakdown[].{k}" for k in ("type", "description", "quantity", "unit", "unitPrice", "amountExVat", "amount"))


def _breakdown_check(p: Presenter, money: Callable[[Any], str | None]) -> list[Field]:
    lines = _breakdown_lines(p)
    total = decode.to_decimal(p.get("price.amount"))
    if not lines or total is None:
        return []
    amounts = [decode.to_decimal(line.get("amount")) if isinstance(line, dict) else None for line in lines]
    note = "derived: the lines' incl. VAT amounts add up to price.amount"
    if any(a is None for a in amounts):
        return [p.value("Breakdown check", "cannot check: a line has no amount", note=note, flag="derived")]
    summed = sum(amounts, Decimal(0))  # type: ignore[arg-type]
    if (summed - total).copy_abs() <= Decimal("0.01") * len(lines):
        verdict = f"agrees: the {len(lines)} lines add up to {money(summed)}" if len(lines) > 1 else f"agrees: the line is {money(summed)}"
    else:
        verdict = f"does not agree: the lines add up to {money(summed)}, the total is {money(total)}"
    return [p.value("Breakdown check", verdict, note=note, flag="derived")]
