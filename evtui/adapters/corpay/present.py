"""A Corpay session as sections: overview, charging, charger, payment with its transactions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from evtui.adapters.api import (
    Field,
    Presenter,
    Section,
    Table,
    decode,
    decoded,
    derived,
    minor_money,
    section,
    sent_value,
    summary,
    with_others,
)
from evtui.adapters.corpay.checks import corpay_checks
from evtui.adapters.corpay.words import BALANCE_STATUS, ENDED_STATUSES, KEY_TYPE, PAYMENT_METHOD, PAYMENT_OUTCOME, SESSION_STATUS


def session(document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
    p = Presenter(document, problems)
    currency = p.get("price.currencyCode")
    status = p.get("sessionStatus")

    start = p.field("Start", "startTime", decode.timestamp)
    duration = p.field("Duration", "duration", _duration)
    end = _end_field(p, status)
    # The value decoded with its unit; a field of energy evtui does not know goes to Other fields.
    energy = p.field("Energy", "energy.value", lambda _: _energy(p.get("energy")))
    total = p.field("Total price", "price.minorInclVat", minor_money(currency), note="incl. VAT")
    balance = _balance_field(p, currency)
    key_type = p.enum("Key type", "chargingKeyType", KEY_TYPE)

    overview = section(
        "overview",
        "Overview",
        [
            p.field("Session id", "sessionId", required=True),
            p.enum("Status", "sessionStatus", SESSION_STATUS, required=True),
            start,
            end,
            duration,
            energy,
            total,
            balance,
            p.field("Site", "site"),
            p.field("EVSE id", "charger.evseId", note="" if p.has("charger") else "known once the session has started"),
            p.value("Authorization", key_type.value, note=key_type.note, path="chargingKeyType", raw=key_type.raw, flag=key_type.flag),
        ],
    )
    charging = section(
        "charging",
        "Charging",
        [
            p.enum("Status", "sessionStatus", SESSION_STATUS),
            start,
            end,
            duration,
            energy,
            p.field("Energy unit", "energy.unit", note="as sent"),
            key_type,
        ],
    )
    charger = section(
        "charger",
        "Charger",
        [
            p.field("Site", "site"),
            p.field("Station", "charger.chargingStationName"),
            p.field("Street", "charger.streetName"),
            p.field("City", "charger.city"),
            p.field("EVSE id", "charger.evseId"),
            p.field("Connector label", "charger.connectorLabel"),
            p.field("Connector id", "connectorId", note="base64; known once the session has started"),
        ],
    )
    payment = section(
        "payment",
        "Payment",
        [
            *_money_fields(p, "price", "Price"),
            p.enum("Balance status", "balanceStatus", BALANCE_STATUS),
            balance,
            p.field("Receipt", "receiptAvailable", lambda v: "available" if v is True else "not available" if v is False else None),
            p.enum(
                "Payment method",
                "paymentMethod",
                PAYMENT_METHOD,
                note="DEPRECATED field: method of the earliest transaction; see Transactions",
                flag="deprecated",
            ),
        ],
        [_transactions_table(p)],
    )
    sections = with_others([overview, charging, charger, payment, corpay_checks(p)], document)
    line = summary(
        status or "?",
        p.get("site"),
        sent_value(total),
        f"balance {balance.value}" if p.get("balanceStatus") == "DEBT" else "",
    )
    return sections, line


def _duration(value: Any) -> str | None:
    seconds = decode.parse_iso_duration(value)
    if seconds is None:
        return None
    return f"{decode.human_duration(seconds)} ({value})"


def _energy(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    unit = str(value.get("unit") or "").upper()
    amount = value.get("value")
    if unit in ("WH", ""):
        return decode.kwh_from_wh(amount)
    if unit == "KWH":
        return decode.kwh(amount)
    return None


def _end_field(p: Presenter, status: Any) -> Field:
    start = decode.parse_timestamp(p.get("startTime"))
    seconds = decode.parse_iso_duration(p.get("duration"))
    if status not in ENDED_STATUSES:
        return p.value("End", "— (not ended)", note=f"status {status}" if status else "")
    if start is None or seconds is None:
        return p.value("End", "—", note="no start time or duration to derive it from")
    end = derived(lambda: decode.format_timestamp(start + timedelta(seconds=seconds)), None)
    if end is None:
        return p.value("End", "—", note="start + duration is beyond the calendar evtui shows")
    return p.value("End", end, note="derived: start + duration (the API sends no end time)", flag="derived")


def _balance_field(p: Presenter, currency: str | None) -> Field:
    raw = p.get("balanceAmountMinor")
    note = "only meaningful when Corpay/Plugsurfing is the payment service provider, not with External Clearing"
    if raw is None:
        return p.field("Balance", "balanceAmountMinor", note=note)
    amount = decode.to_decimal(raw)
    if amount is None:
        return p.field("Balance", "balanceAmountMinor", lambda v: None, note=note)
    text = decode.money_from_minor(abs(amount), currency) or str(raw)
    if amount < 0:
        value = f"{text} outstanding"
    elif amount == 0:
        value = f"{text} (fully paid)"
    else:
        value = f"{text} in the customer's favour"
    sent = f"sent as {raw!r}" + (" (a string, documented as Long)" if isinstance(raw, str) else "")
    return p.value("Balance", value, note=f"{sent}; {note}", path="balanceAmountMinor", raw=raw)


def _money_fields(p: Presenter, path: str, label: str) -> list[Field]:
    currency = p.get(f"{path}.currencyCode")
    money = minor_money(currency)
    fields = [
        p.field(f"{label} incl. VAT", f"{path}.minorInclVat", money, note="from minor units"),
        p.field(f"{label} excl. VAT", f"{path}.minorExclVat", money, note="from minor units"),
        p.field("VAT rate", f"{path}.vat", decode.vat_percent),
    ]
    incl = decode.to_decimal(p.get(f"{path}.minorInclVat"))
    excl = decode.to_decimal(p.get(f"{path}.minorExclVat"))
    if incl is not None and excl is not None:
        fields.append(p.value("VAT amount", money(incl - excl) or "", note="derived: incl. − excl.", flag="derived"))
    fields.append(p.field("Currency", f"{path}.currencyCode", note=f"ISO 4217, {decode.currency_exponent(currency)} decimal digits"))
    return fields


def _transactions_table(p: Presenter) -> Table:
    txs = p.get("transactions")
    rows = []
    for i, tx in enumerate(txs if isinstance(txs, list) else []):
        if not isinstance(tx, dict):
            rows.append((str(i + 1), str(tx), "", "", "", "", ""))
            continue
        amount = tx.get("amount") if isinstance(tx.get("amount"), dict) else {}
        cur = amount.get("currencyCode")
        method = tx.get("paymentMethod")
        outcome = tx.get("paymentOutcome")
        for value, known, path in ((method, PAYMENT_METHOD, "paymentMethod"), (outcome, PAYMENT_OUTCOME, "paymentOutcome")):
            if value is not None and value not in known:
                p.problem(f"unknown value {value!r} in transactions[{i}].{path} (shown as sent)")
        rows.append(
            (
                str(i + 1),
                decoded(decode.timestamp, tx.get("time")) or str(tx.get("time") or "—"),
                _described(method, PAYMENT_METHOD),
                _described(outcome, PAYMENT_OUTCOME),
                decode.money_from_minor(amount.get("minorInclVat"), cur) or "—",
                decode.money_from_minor(amount.get("minorExclVat"), cur) or "—",
                decode.vat_percent(amount.get("vat")) or "—",
            )
        )
    return Table(
        "Transactions",
        ("#", "Time", "Method", "Outcome", "Incl. VAT", "Excl. VAT", "VAT"),
        tuple(rows),
        note="" if rows else "no transactions",
        shows=TRANSACTION_PATHS,
    )


#: What a row of the Transactions table shows; any other field of a transaction goes to Other fields.
TRANSACTION_PATHS = tuple(
    f"transactions[].{k}"
    for k in ("time", "paymentMethod", "paymentOutcome", "amount.minorInclVat", "amount.minorExclVat", "amount.vat", "amount.currencyCode")
)


def _described(value: Any, meanings: dict[str, str]) -> str:
    if value is None:
        return "—"
    meaning = meanings.get(value)
    return f"{value} ({meaning})" if meaning else f"{value} (unknown value)"