"""An AMPECO charging session (sessions v1.0) as sections of decoded values.

Energies are Wh (shown as kWh); amounts are major units of `currency`. The price
breakdown is checked by `evtui.pricing.ampeco`: each line's quantity × price per unit
against its price, and the lines' sum against `totalAmount`."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from evtui.adapters.ampeco import words
from evtui.adapters.api import Field, LazyRows, Presenter, Section, Table, decode, derived, section, sent_value, summary, with_others
from evtui.pricing.ampeco import check_ampeco
from evtui.pricing.result import CANNOT_CHECK, DIFFERS, MATCHES


def present_session(p: Presenter, r: str) -> tuple[list[Section], str]:
    """`r` is the path prefix of the session in the document ("data." as AMPECO sends it)."""
    currency = p.get(f"{r}currency")

    def money(v: Any) -> str | None:
        return decode.money_major(v, currency if isinstance(currency, str) else None)

    status = p.enum("Status", f"{r}status", words.SESSION_STATUS, required=True)
    reason = p.enum("Stop reason", f"{r}reason", words.STOP_REASON)
    started = p.field("Started", f"{r}startedAt", decode.timestamp, required=True)
    stopped = p.field("Stopped", f"{r}stoppedAt", decode.timestamp, null="— (not stopped)")
    duration = _duration(p, r)
    energy = p.field("Energy", f"{r}energyConsumption.total", decode.kwh_from_wh, required=True, note="energyConsumption.total, Wh")
    with_tax = p.field("Total with tax", f"{r}totalAmount.withTax", money)
    without_tax = p.field("Total without tax", f"{r}totalAmount.withoutTax", money)
    billing = p.enum("Billing status", f"{r}billingStatus", words.BILLING_STATUS, required=True)
    payment = p.enum("Payment status", f"{r}paymentStatus", words.PAYMENT_STATUS)
    snapshot = p.field("Tariff snapshot id", f"{r}tariffSnapshotId", note="the tariff as it was at the start; never changes")
    check = _price_check(p, money)
    overview = section(
        "overview",
        "Overview",
        [
            p.field("Session id", f"{r}id", required=True),
            status,
            reason,
            started,
            stopped,
            duration,
            energy,
            with_tax,
            without_tax,
            billing,
            payment,
            snapshot,
            p.field("Charge point id", f"{r}chargePointId", required=True),
            p.field("EVSE id", f"{r}evseId", required=True),
            p.field("Connector id", f"{r}connectorId"),
            p.field("EVSE label", f"{r}evsePhysicalReference", note="as shown to drivers (a roaming EVSE: its evse_id)"),
            p.field("Roaming CDRs", f"{r}roaming.cdrIds", _id_list, absent="— (not a roaming session)", note="open them from Related"),
        ],
    )
    periods = _periods_table(p, r)
    charging = section(
        "charging",
        "Charging",
        [
            started,
            stopped,
            duration,
            energy,
            p.field("From the grid", f"{r}energyConsumption.grid", decode.kwh_from_wh),
            p.field("Local renewable", f"{r}energyConsumption.local", decode.kwh_from_wh),
            _deprecated_energy(p, r),
            p.field("Non-billable energy", f"{r}nonBillableEnergy", decode.kwh_from_wh, note="included as a subscription's allowance"),
            p.field("State of charge", f"{r}socPercent", lambda v: f"{decode.number(v)} %"),
            p.field("Power now", f"{r}power.latest", _kw_from_w),
            p.field("Peak power", f"{r}power.peak", _kw_from_w),
            p.field("Average power", f"{r}power.average", _kw_from_w),
            p.field("Power (kW)", f"{r}powerKw", lambda v: f"{decode.number(v)} kW", note="DEPRECATED: see power.latest", flag="deprecated"),
            reason,
        ],
        [periods],
    )
    breakdown = _breakdown_table(p, f"{r}priceBreakdown", money)
    paying = section(
        "payment",
        "Payment",
        [
            with_tax,
            without_tax,
            _tax(p, r, money),
            p.field("Currency", f"{r}currency", note="ISO 4217"),
            check,
            billing,
            payment,
            p.enum("Payment type", f"{r}paymentType", words.PAYMENT_TYPE),
            p.field("Payment method id", f"{r}paymentMethodId", note="a string: corporate:1234, balance, …"),
            p.field("Payment status updated", f"{r}paymentStatusUpdatedAt", decode.timestamp),
            snapshot,
            p.field("Electricity cost", f"{r}electricityCost", money),
            p.field("Amount", f"{r}amount", money, note="DEPRECATED: see totalAmount", flag="deprecated"),
            p.field("Tax rate", f"{r}tax.taxPercentage", decode.vat_percent, note="DEPRECATED tax object", flag="deprecated"),
        ],
        [breakdown],
    )
    links = section(
        "links",
        "Links",
        [
            p.field("Extends session", f"{r}originalSessionId", note="this session holds data that came after that one had finished"),
            p.field("Extended by session", f"{r}extendedBySessionId", note="data that came after this session finished is there"),
            p.field("Extending session id", f"{r}extendingSessionId", note="DEPRECATED: set on an extending session", flag="deprecated"),
            p.field("Roaming CDRs", f"{r}roaming.cdrIds", _id_list),
            p.field("CPO's session id", f"{r}roaming.sessionId", note="the id in the charge point operator's platform"),
            p.field("Roaming operator (CPO) id", f"{r}roaming.roamingOperatorCpoId"),
            p.field("CPO roaming id", f"{r}chargePointOperatorRoamingId"),
            p.field("CPO last updated", f"{r}roaming.cpoLastUpdatedAt", decode.timestamp),
            p.field("Booking id", f"{r}bookingId"),
        ],
    )
    who = section(
        "authorization",
        "Authorization",
        [
            p.field("User id", f"{r}userId", null="null (no user: e.g. a roaming or admin start)"),
            p.field("Authorization id", f"{r}authorizationId"),
            p.field("Id tag", f"{r}idTag", note="RFID uid, or *… for a remote start"),
            p.field("Id tag label", f"{r}idTagLabel"),
            p.enum("Method", f"{r}authorization.method", words.AUTH_METHOD),
            p.field("Source", f"{r}authorization.source"),
            p.field("Authorization status", f"{r}authorization.status"),
            p.field("External session id", f"{r}externalSessionId", note="DEPRECATED: see idTag", flag="deprecated"),
            p.field("Last updated", f"{r}lastUpdatedAt", decode.timestamp),
        ],
    )
    sections = [_without_unsent_deprecated(s) for s in (overview, charging, paying, links, who)]
    paid = p.get(f"{r}paymentStatus")
    line = summary(p.get(f"{r}status") or "?", sent_value(energy), sent_value(with_tax), f"payment {paid}" if paid else "")
    return with_others(sections, p.document), line


def _without_unsent_deprecated(s: Section) -> Section:
    """Deprecated fields only when the record still sends them: absent, they say nothing."""
    kept = tuple(f for f in s.fields if not (f.flag == "deprecated" and f.value == "—"))
    return dataclasses.replace(s, fields=kept)


def _id_list(value: Any) -> str | None:
    if not isinstance(value, list):
        return None
    return ", ".join(str(v) for v in value) if value else "none yet"


def _kw_from_w(value: Any) -> str | None:
    d = decode.to_decimal(value)
    return None if d is None else f"{decode.number(d / 1000)} kW"


def _duration(p: Presenter, r: str) -> Field:
    start = decode.parse_timestamp(p.get(f"{r}startedAt"))
    end = decode.parse_timestamp(p.get(f"{r}stoppedAt"))
    if start is None or end is None:
        return p.value("Duration", "—", note="not stopped" if start is not None else "")
    text = derived(lambda: decode.human_duration((end - start).total_seconds()), None)
    return p.value("Duration", text or "—", note="derived: stopped − started", flag="derived")


def _deprecated_energy(p: Presenter, r: str) -> Field:
    field = p.field("Energy (deprecated)", f"{r}energy", decode.kwh_from_wh, note="DEPRECATED energy field: use energyConsumption.total", flag="deprecated")
    old, new = decode.to_decimal(p.get(f"{r}energy")), decode.to_decimal(p.get(f"{r}energyConsumption.total"))
    if old is not None and new is not None and old != new:
        p.problem(f"the deprecated energy ({decode.number(old)} Wh) differs from energyConsumption.total ({decode.number(new)} Wh)")
        field = dataclasses.replace(field, note=field.note + "; differs from energyConsumption.total")
    return field


def _tax(p: Presenter, r: str, money: Any) -> Field:
    incl, excl = decode.to_decimal(p.get(f"{r}totalAmount.withTax")), decode.to_decimal(p.get(f"{r}totalAmount.withoutTax"))
    if incl is None or excl is None:
        return p.value("Tax", "—", note="no totalAmount with and without tax to derive it from")
    return p.value("Tax", money(incl - excl) or "—", note="derived: with tax − without tax", flag="derived")


def _amount(item: dict[str, Any], key: str, part: str) -> Decimal | None:
    value = item.get(key)
    return decode.to_decimal(value.get(part)) if isinstance(value, dict) else None


def _price_check(p: Presenter, money: Any) -> Field:
    """The breakdown lines against their prices and against the total (evtui.pricing.ampeco)."""
    check = derived(lambda: check_ampeco(p.document), None)
    if check is None:
        return p.value("Price check", CANNOT_CHECK, note="the amounts are beyond arithmetic", flag="derived")
    for warning in check.warnings:
        p.problem(warning)
    verdict = check.verdict
    if verdict.outcome == CANNOT_CHECK:
        return p.value("Price check", CANNOT_CHECK, note="; ".join(verdict.reasons), flag="derived")
    (total,) = check.comparisons
    summed = total.computed.incl_vat
    if verdict.outcome == MATCHES:
        return p.value("Price check", MATCHES, note=f"the {len(check.lines)} breakdown line(s) add up to {money(summed)}, the total", flag="derived")
    p.problem(verdict.reasons[0])
    assert total.provider is not None and total.difference is not None  # a comparison that differs had both sides
    return p.value(
        "Price check", f"{DIFFERS} by {money(total.difference.incl_vat)}",
        note=f"breakdown lines add up to {money(summed)}; total {money(total.provider.incl_vat)}", flag="derived",
    )


def _breakdown_table(p: Presenter, path: str, money: Any) -> Table:
    items = p.get(path)
    rows = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            rows.append((str(i + 1), str(item), "", "", "", "", "", "", ""))
            continue
        kind = item.get("type")
        if kind is not None and kind not in words.BREAKDOWN_TYPE:
            p.problem(f"unknown value {kind!r} in {path}[{i}].type (shown as sent)")
        unit = words.BREAKDOWN_UNIT.get(item.get("unit"), str(item.get("unit") or ""))
        quantity = decode.number(item.get("quantity"))
        per_unit = money(_amount(item, "pricePerUnit", "withTax"))
        rows.append(
            (
                str(i + 1),
                _described(kind, words.BREAKDOWN_TYPE),
                f"{quantity} {unit}".strip() if quantity is not None else "—",
                f"{per_unit} / {unit}" if per_unit else "—",
                money(_amount(item, "price", "withTax")) or "—",
                money(_amount(item, "price", "withoutTax")) or "—",
                decode.vat_percent(item.get("taxPercentage")) or "—",
                money(_amount(item, "pricePerUnit", "withoutTax")) or "—",
                str(item.get("currency") or "—"),
            )
        )
    return Table(
        "Price breakdown",
        ("#", "Type", "Quantity", "Per unit (with tax)", "With tax", "Without tax", "Tax", "Per unit (without tax)", "Currency"),
        tuple(rows),
        note="" if rows else ("not sent" if not isinstance(items, list) else "no lines"),
        shows=tuple(f"{path}[].{k}" for k in ("type", "quantity", "unit", "pricePerUnit.withTax", "price.withTax", "price.withoutTax", "taxPercentage", "pricePerUnit.withoutTax", "currency")),
    )


def _periods_table(p: Presenter, r: str) -> Table:
    periods = p.get(f"{r}chargingPeriods")
    listed = periods if isinstance(periods, list) else []

    def row(i: int) -> tuple[str, ...]:
        period = listed[i]
        if not isinstance(period, dict):
            return (str(i + 1), str(period), "", "", "", "", "", "")
        state = period.get("chargingState")
        old = period.get("state")
        return (
            str(i + 1),
            decode.timestamp(period.get("startedAt")) or str(period.get("startedAt") or "—"),
            decode.timestamp(period.get("stoppedAt")) or ("— (ongoing)" if period.get("stoppedAt") is None else str(period.get("stoppedAt"))),
            _described(state, words.CHARGING_STATE),
            _described(old, words.PERIOD_STATE) if old is not None else "—",
            decode.kwh_from_wh(period.get("energy")) or "—",
            decode.money_major(period.get("amount"), p.get(f"{r}currency")) or "—",
            str(period.get("id") if period.get("id") is not None else "—"),
        )

    for i, period in enumerate(listed):
        state = period.get("chargingState") if isinstance(period, dict) else None
        if state is not None and state not in words.CHARGING_STATE:
            p.problem(f"unknown value {state!r} in {r}chargingPeriods[{i}].chargingState (shown as sent)")
    return Table(
        "Charging periods",
        ("#", "Started", "Stopped", "Charging state", "State (deprecated)", "Energy", "Amount", "Period id"),
        LazyRows(len(listed), row),
        note="periods billed separately (e.g. charging at night, idle)" if listed else ("not sent" if periods is None else "no periods"),
        shows=tuple(f"{r}chargingPeriods[].{k}" for k in ("startedAt", "stoppedAt", "chargingState", "state", "energy", "amount", "id")),
    )


def _described(value: Any, meanings: dict[str, str]) -> str:
    if value is None:
        return "—"
    meaning = meanings.get(value) if isinstance(value, str) else None
    return f"{value} ({meaning})" if meaning else f"{value} (not a documented value)"
