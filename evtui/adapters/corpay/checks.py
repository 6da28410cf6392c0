"""Checked, not trusted: what a Corpay session's values say about each other.

Corpay sends no end time and no meter values. The price check (evtui.pricing.corpay) already
compares VAT splits and the balance with price and payments; here: the balance's sign against
balanceStatus, transaction times against the start, the status against duration and energy,
and the average power energy ÷ duration."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from evtui.adapters.api import Field, Presenter, Section, decode
from evtui.adapters.consistency import checks_section
from evtui.adapters.corpay.words import ENDED_STATUSES

#: Above this average power, energy or duration is in another unit than documented.
MAX_AVERAGE_KW = Decimal(400)
#: Statuses before charging began: no energy, no time yet.
NOT_STARTED = ("CREATED", "WAITING_TO_START")
#: balanceStatus once the money is settled, and the sign balanceAmountMinor then has.
SETTLED_SIGN = {"PAID": 0, "DEBT": -1, "REFUND": 1}

CHECKED = (
    "the balance's sign vs balanceStatus (PAID 0, DEBT < 0, REFUND > 0); transaction times not before the start; "
    "status vs duration and energy; average power ≤ 400 kW (VAT and totals: see Price check)"
)


def corpay_checks(p: Presenter) -> Section:
    return checks_section(p, (_balance_sign, _order, _status, _power), CHECKED)


def _transactions(p: Presenter) -> list[tuple[int, dict[str, Any]]]:
    txs = p.get("transactions")
    return [(i, tx) for i, tx in enumerate(txs) if isinstance(tx, dict)] if isinstance(txs, list) else []


def _balance_sign(p: Presenter) -> list[Field]:
    status, balance = p.get("balanceStatus"), decode.to_decimal(p.get("balanceAmountMinor"))
    if status not in SETTLED_SIGN or balance is None:
        return []
    if (balance > 0) - (balance < 0) == SETTLED_SIGN[status]:
        return []
    money = decode.money_from_minor(balance, p.get("price.currencyCode")) or decode.number(balance)
    should = {0: "zero", -1: "negative (owed)", 1: "positive (to pay back)"}[SETTLED_SIGN[status]]
    return [p.value("Balance", f"{money} with balanceStatus {status}: it should be {should}",
                    note="PAID: nothing owed; DEBT: owed (negative); REFUND: to pay back (positive)",
                    path="balanceAmountMinor", raw=p.get("balanceAmountMinor"), flag="invalid")]


def _order(p: Presenter) -> list[Field]:
    start = decode.parse_timestamp(p.get("startTime"))
    if start is None:
        return []
    out = []
    for i, tx in _transactions(p):
        when = decode.parse_timestamp(tx.get("time"))
        if when is not None and when < start:
            out.append(p.value(f"Transaction {i + 1} time", f"before the start ({decode.format_timestamp(start)})",
                               note="a session's money moves once it has started", path=f"transactions[{i}].time", raw=tx.get("time"), flag="invalid"))
    return out


def _status(p: Presenter) -> list[Field]:
    status = p.get("sessionStatus")
    seconds = decode.parse_iso_duration(p.get("duration"))
    wh = decode.to_decimal(p.get("energy.value"))
    if status in NOT_STARTED and ((seconds or 0) > 0 or (wh or 0) > 0):
        return [p.value("Status", f"{status}, but {p.get('duration')} and {decode.number(wh or 0)} {p.get('energy.unit') or ''} charged".rstrip(),
                        note="before the start a session has no duration and no energy", path="sessionStatus", raw=status, flag="invalid")]
    if status in ENDED_STATUSES and seconds is None:
        return [p.value("Status", f"{status}, but no duration: its end cannot be known",
                        note="an ended session's duration gives its end (start + duration)", path="sessionStatus", raw=status, flag="invalid")]
    return []


def _power(p: Presenter) -> list[Field]:
    seconds = decode.parse_iso_duration(p.get("duration"))
    amount = decode.to_decimal(p.get("energy.value"))
    if seconds is None or seconds <= 0 or amount is None:
        return []
    kwh = amount if str(p.get("energy.unit") or "").upper() == "KWH" else amount / 1000
    kw = kwh / (Decimal(str(seconds)) / 3600)
    if kw <= MAX_AVERAGE_KW:
        return []
    hours = timedelta(seconds=seconds)
    return [p.value("Average power", f"{decode.number(kw.quantize(Decimal('0.1')))} kW over {hours}: implausible (over {MAX_AVERAGE_KW} kW)",
                    note="derived: energy ÷ duration; energy in another unit than energy.unit says would explain it",
                    path="energy.value", raw=p.get("energy.value"), flag="inferred")]
