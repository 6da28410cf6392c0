"""A Monta charge: its states in words and its presentation as sections (its model: `models`).

Field names are those of Monta's Partner API reference and changelog; the few
INFERRED ones (see the package docstring) are read when present, never required.
"""

from __future__ import annotations

import json
from typing import Any

from evtui.adapters.api import (
    Field,
    Presenter,
    Section,
    decode,
    derived,
    major_money,
    section,
    sent_value,
    summary,
    with_others,
)
from evtui.pricing.monta import check_monta, currency_of
from evtui.pricing.result import CANNOT_CHECK, DIFFERS
from evtui.pricing.verdict import money


#: docs/charge-states, in the order a charge moves through them.
STATES = {
    "paying": "waiting for the payment to be authorised before charging can start",
    "reserved": "the charge point is reserved for this charge",
    "starting": "start requested; waiting for the charge point to begin",
    "scheduled": "waiting for its scheduled (smart-charging) start",
    "paused": "charging paused (by the car, the charge point or a schedule)",
    "charging": "energy is flowing",
    "stopping": "stop requested; waiting for the charge point",
    "stopped": "charging ended: completed with the cable still plugged in, or the charge failed",
    "releasing": "the cable is being released",
    "released": "the cable is released; payments are not settled yet",
    "completed": "finished, payments and wallet transactions included (final)",
}
FINAL_STATES = frozenset({"completed"})
ENDED_STATES = frozenset({"stopped", "releasing", "released", "completed"})


def state_of(document: Any) -> str | None:
    """The state in lower case (the docs write them capitalised, the API in lower case)."""
    state = document.get("state") if isinstance(document, dict) else None
    return state.lower() if isinstance(state, str) else None


def final_state(document: Any) -> str | None:
    state = state_of(document)
    if state in FINAL_STATES:
        return f"state {document.get('state')} is final"
    if state == "stopped" and isinstance(document, dict) and document.get("failureReason"):
        return "the charge failed (state stopped with a failureReason): it will not go on"
    return None


def id_text(value: Any) -> str | None:
    """A 64-bit id as its digits: the parser gives int (exact); a float would have lost digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    return None


def present(document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
    p = Presenter(document, problems)
    currency = currency_of(document)

    major = major_money(currency)

    def per_kwh(v: Any) -> str | None:
        text = decode.money_major(v, currency)
        return f"{text}/kWh" if text else None

    def percent(v: Any) -> str | None:
        n = decode.number(v)
        return f"{n} %" if n is not None else None

    state = _state_field(p)
    started = p.field("Started", "startedAt", decode.timestamp)
    stopped = p.field("Stopped", "stoppedAt", decode.timestamp)
    energy = p.field("Energy", "consumedKwh", decode.kwh)
    price = p.field("Price", "price", major, note="major units, as sent")
    average = p.field("Average price", "averagePricePerKwh", per_kwh)
    check = _price_check(p, currency)
    soc = p.field("State of charge", "soc", percent, note="the car's battery, as last reported")
    partner = p.field("Partner external id", "partnerExternalId", note="your own reference, set when the charge was started")
    failure = p.field("Failure reason", "failureReason", note="why the charge failed")
    charge_id = p.field("Charge id", "id", id_text, required=True, note="64-bit: kept as sent, never as a float")

    overview = section(
        "overview",
        "Overview",
        [charge_id, state, *([failure] if p.get("failureReason") else []), started, stopped, energy, price, average,
         check, soc, partner, p.field("Charge point id", "chargePointId", id_text)],
    )
    charging = section(
        "charging",
        "Charging",
        [
            state,
            p.field("Created", "createdAt", decode.timestamp),
            started,
            stopped,
            p.field("Completed", "completedAt", decode.timestamp),
            p.field("Updated", "updatedAt", decode.timestamp),
            energy,
            soc,
            p.field("SoC limit", "socLimit", percent, note="charging stops at this state of charge"),
            p.field("kWh limit", "kwhLimit", decode.kwh, note="charging stops after this much energy"),
            failure,
        ],
    )
    payment = section(
        "payment",
        "Payment",
        [
            price,
            average,
            check,
            p.field("Price limit", "priceLimit", major, note="charging stops at this price"),
            _currency_field(p, currency),
            p.field("Currency name", "currency.name"),
            p.field("Currency decimals", "currency.decimals", note="digits after the point, as Monta counts them"),
            p.field("Payment session partner id", "genericPaymentSession.partnerExternalId"),
            p.field("Payment session amount", "genericPaymentSession.amount", major),
        ],
    )
    location = section(
        "location",
        "Charge point and partner",
        [
            p.field("Charge point id", "chargePointId", id_text),
            p.field("Site id", "siteId", id_text),
            p.field("Team id", "teamId", id_text),
            partner,
            p.field("Partner custom payload", "partnerCustomPayload", lambda v: json.dumps(v, ensure_ascii=False),
                    note="set by the partner when the charge was started; shown as sent"),
        ],
    )
    sections = with_others([overview, charging, payment, location], document)
    return sections, summary(document.get("state") or "?", sent_value(energy), sent_value(price))


def _currency_field(p: Presenter, code: str | None) -> Field:
    path = "currency.identifier" if isinstance(p.get("currency"), dict) else "currency"
    raw = p.get(path)
    if code is None:
        return p.field("Currency", path)
    note = f"ISO 4217, sent as {raw!r}; {decode.currency_exponent(code)} decimal digits"
    return p.value("Currency", code, note=note, path=path, raw=raw)


def _state_field(p: Presenter) -> Field:
    raw = p.get("state")
    if raw is None:
        return p.field("State", "state", required=True)
    meaning = STATES.get(raw.lower()) if isinstance(raw, str) else None
    if meaning is None:
        p.problem(f"unknown value {raw!r} in state (shown as sent)")
        return p.value("State", str(raw), note="not a documented state", path="state", raw=raw, flag="unknown")
    return p.value("State", raw, note=meaning, path="state", raw=raw)


def _price_check(p: Presenter, currency: str | None) -> Field:
    """consumed kWh × average price per kWh beside the price Monta charged (evtui.pricing.monta)."""
    check = derived(lambda: check_monta(p.document), None)
    note = "consumed kWh × average price per kWh, beside the price"
    if check is None:
        return p.value("Price check", f"{CANNOT_CHECK}: the values are beyond arithmetic", note=note, flag="derived")
    verdict = check.verdict
    if verdict.outcome != CANNOT_CHECK:
        (priced,) = check.lines
        product = f"{decode.kwh(priced.volume)} × {decode.money_major(priced.price, currency)}/kWh = {money(priced.excl_vat, currency)}"
        note = f"{product}; {note}"
    if verdict.outcome == DIFFERS:
        note = f"{note}; {'; '.join(verdict.reasons)}"
    return p.value("Price check", verdict.text, note=note, flag="derived")
