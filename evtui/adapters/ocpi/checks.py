"""Checked, not trusted: what a session's or CDR's values say about each other.

Each finding goes to Problems and is a field of the Checks section, flagged `invalid` (the
values cannot all be right) or `inferred` (likely wrong: a unit mix-up), with the value
evtui computes instead. Tolerances are generous: a finding means something is off.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from evtui.adapters import consistency
from evtui.adapters.api import Field, Presenter, Section, decode
from evtui.adapters.ocpi.common import end_path
from evtui.adapters.ocpi.periods import charging_periods

#: total_time against end − start: a minute, or 1 %.
TIME_TOLERANCE_H = Decimal(1) / 60
#: Average power above this over the charging time is beyond any charger OCPI describes.
MAX_AVERAGE_KW = Decimal(400)
_TIMED = ("TIME", "PARKING_TIME", "RESERVATION_TIME")


def checks_section(p: Presenter, *, cdr: bool) -> Section:
    """The Checks section: what was checked, with a finding per disagreement."""
    checks = (_total_time, _period_times, _charging_time, _power, _order) + ((_credit_sign, _vat_order) if cdr else (_active_end,))
    done = "total_time vs end − start (±1 min or 1 %); TIME, PARKING_TIME, RESERVATION_TIME volumes vs each period's length; " \
        "charging time ≥ 0; average power ≤ 400 kW; timestamps in order" + ("; credit sign; incl. ≥ excl. VAT" if cdr else "; ACTIVE without an end")
    return consistency.checks_section(p, checks, done)


def _hours(p: Presenter, path: str) -> Decimal | None:
    return decode.to_decimal(p.get(path))


def _times(p: Presenter) -> tuple[datetime | None, datetime | None]:
    return decode.parse_timestamp(p.get("start_date_time")), decode.parse_timestamp(p.get(end_path(p)[0]))


def _total_time(p: Presenter) -> list[Field]:
    total = _hours(p, "total_time")
    start, end = _times(p)
    if total is None or start is None or end is None:
        return []
    span = Decimal(str((end - start).total_seconds())) / 3600
    if (total - span).copy_abs() <= max(TIME_TOLERANCE_H, span * Decimal("0.01")):
        return []
    should = f"{decode.number(span.quantize(Decimal('0.0001')))} h ({decode.hours_duration(span)})"
    for factor, unit in ((3600, "seconds"), (60, "minutes")):
        if span > 0 and (total / factor - span).copy_abs() <= max(TIME_TOLERANCE_H, span * Decimal("0.01")):
            return [p.value("Total time", f"{decode.number(total)} looks like {unit}, not hours: should be {should}",
                            note="inferred: total_time ÷ " + str(factor) + " matches end − start", path="total_time", raw=p.get("total_time"), flag="inferred")]
    return [p.value("Total time", f"{decode.number(total)} h differs from end − start: {should}",
                    note="total_time is start to end, in hours", path="total_time", raw=p.get("total_time"), flag="invalid")]


def _periods(p: Presenter) -> list[tuple[int, dict[str, Any], datetime | None, datetime | None]]:
    periods, starts = charging_periods(p)
    end = _times(p)[1]
    return [(i, x, starts[i], starts[i + 1] if i + 1 < len(starts) else end) for i, x in enumerate(periods)]


def _volumes(period: dict[str, Any], kinds: tuple[str, ...] | None = None) -> dict[str, Decimal]:
    """The period's volumes by dimension type (the first of a type); only those of `kinds` if given."""
    out: dict[str, Decimal] = {}
    for d in period.get("dimensions") or []:
        if isinstance(d, dict) and isinstance(d.get("type"), str) and d["type"] not in out and (kinds is None or d["type"] in kinds):
            v = decode.to_decimal(d.get("volume"))
            if v is not None:
                out[d["type"]] = v
    return out


def _period_times(p: Presenter) -> list[Field]:
    out = []
    for i, period, start, nxt in _periods(p):
        if start is None or nxt is None:
            continue
        timed = sum(_volumes(period, _TIMED).values(), Decimal(0))
        if not timed and nxt >= start:
            continue  # nothing timed fits in any period of length ≥ 0: no arithmetic for 14,000 of them
        length = Decimal(str((nxt - start).total_seconds())) / 3600
        if timed > length + max(TIME_TOLERANCE_H, length * Decimal("0.01")):
            out.append(p.value(f"Period {i + 1} time", f"time volumes sum to {decode.number(timed)} h, the period lasts {decode.number(length.quantize(Decimal('0.0001')))} h",
                               note="TIME + PARKING_TIME + RESERVATION_TIME fit in the period (±1 min)", path=f"charging_periods[{i}].dimensions", flag="invalid"))
    return out


def _charging_time(p: Presenter) -> list[Field]:
    total = _hours(p, "total_time")
    if total is None:
        return []
    parking = _hours(p, "total_parking_time") or Decimal(0)
    reserved = sum((_volumes(x).get("RESERVATION_TIME", Decimal(0)) for _, x, _, _ in _periods(p)), Decimal(0))
    charging = total - parking - reserved
    if charging >= -TIME_TOLERANCE_H:
        return []
    return [p.value("Charging time", f"negative: {decode.number(charging)} h (total_time {decode.number(total)} − parking {decode.number(parking)} − reservation {decode.number(reserved)})",
                    note="parking and reservation time cannot exceed total_time", path="total_parking_time", flag="invalid")]


def _power(p: Presenter) -> list[Field]:
    energy = decode.to_decimal(p.get("total_energy") if p.has("total_energy") else p.get("kwh"))
    if energy is None:
        return []
    if energy < 0 and p.get("credit") is not True:
        return [p.value("Energy", f"negative: {decode.number(energy)} kWh", note="only a credit CDR reverses energy", path="total_energy", flag="invalid")]
    total = _hours(p, "total_time")
    start, end = _times(p)
    hours = total - (_hours(p, "total_parking_time") or 0) if total is not None else None
    if (hours is None or hours <= 0) and start is not None and end is not None:
        hours = Decimal(str((end - start).total_seconds())) / 3600
    if hours is None or hours <= 0 or energy.copy_abs() / hours <= MAX_AVERAGE_KW:
        return []
    kw = (energy.copy_abs() / hours).quantize(Decimal("0.1"))
    return [p.value("Average power", f"{decode.number(kw)} kW over the charging time: implausible (over {MAX_AVERAGE_KW} kW)",
                    note="derived: energy ÷ charging time; energy in Wh or time in seconds would explain it", path="total_energy", flag="inferred")]


def _order(p: Presenter) -> list[Field]:
    start, end = _times(p)
    out = []
    if start is not None and end is not None and end < start:
        out.append(p.value("End", "before the start", note="end_date_time precedes start_date_time", path=end_path(p)[0], flag="invalid"))
    updated = decode.parse_timestamp(p.get("last_updated"))
    if updated is not None and start is not None and updated < start:
        out.append(p.value("Last updated", "before the start", note="last_updated precedes start_date_time", path="last_updated", flag="invalid"))
    for i, _, pstart, _ in _periods(p):
        if pstart is not None and end is not None and pstart > end:
            out.append(p.value(f"Period {i + 1} start", "after the end", note="a period starts after end_date_time", path=f"charging_periods[{i}].start_date_time", flag="invalid"))
        elif pstart is not None and start is not None and pstart < start:
            out.append(p.value(f"Period {i + 1} start", "before the start", note="a period starts before start_date_time", path=f"charging_periods[{i}].start_date_time", flag="invalid"))
    return out


_COSTS = ("total_cost", "total_fixed_cost", "total_energy_cost", "total_time_cost", "total_parking_cost", "total_reservation_cost")


def _credit_sign(p: Presenter) -> list[Field]:
    if p.get("credit") is not True:
        return []
    positive = [k for k in _COSTS if (decode.to_decimal(p.get(f"{k}.excl_vat")) or 0) > 0]
    return [p.value("Credit", f"a credit CDR with positive {', '.join(positive)}", note="a credit CDR's amounts are negative: it reverses another CDR",
                    path="credit", flag="invalid")] if positive else []


def _vat_order(p: Presenter) -> list[Field]:
    if p.get("credit") is True:
        return []
    out = []
    for k in _COSTS:
        incl, excl = decode.to_decimal(p.get(f"{k}.incl_vat")), decode.to_decimal(p.get(f"{k}.excl_vat"))
        if incl is not None and excl is not None and incl < excl:
            out.append(p.value(k, f"incl. VAT {decode.number(incl)} below excl. VAT {decode.number(excl)}", note="VAT is never negative on a charge",
                               path=f"{k}.incl_vat", flag="invalid"))
    return out


def _active_end(p: Presenter) -> list[Field]:
    if p.get("status") != "ACTIVE" or p.get(end_path(p)[0]) is None:
        return []
    return [p.value("Status", "ACTIVE with an end time", note="an ACTIVE session has not ended; the status or end_date_time is stale", path="status", flag="invalid")]
