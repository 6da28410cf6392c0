"""Charging periods: a table, the energy check against the total, charts; durations in hours."""

from __future__ import annotations

import json
import math
from datetime import datetime
from decimal import Decimal
from typing import Any

from evtui.adapters.api import Chart, Field, LazyRows, Presenter, Table, decode
from evtui.adapters.ocpi.common import end_path
from evtui.adapters.ocpi.words import DIMENSIONS
from evtui.transport.body import SentAs

#: Chart points beyond this (in kWh, kW, A) are left out of charts; tables show them as sent.
MAX_PLOTTED = 1e9


#: What a row of the Charging periods table shows; any other field of a period goes to Other fields.
PERIOD_PATHS = tuple(
    f"charging_periods[].{k}" for k in ("start_date_time", "dimensions[].type", "dimensions[].volume", "tariff_id")
)


def charging_periods(p: Presenter) -> tuple[list[dict[str, Any]], list[datetime | None]]:
    """The charging periods sent (an item that is not an object as {}) and their start times;
    made once per presentation (the table, the charts and the checks all need them)."""

    def make() -> tuple[list[dict[str, Any]], list[datetime | None]]:
        raw = p.get("charging_periods")
        periods = [x if isinstance(x, dict) else {} for x in raw] if isinstance(raw, list) else []
        return periods, [_start_time(x.get("start_date_time")) for x in periods]

    return p.once("ocpi.charging_periods", make)


def _start_time(text: Any) -> datetime | None:
    """`decode.parse_timestamp(text)`; the shape OCPI sends ("2026-11-22T13:43:00Z") read at once,
    as parse_timestamp's rewriting then changes nothing (14,000 periods: 60 of 70 ms)."""
    if type(text) is str and len(text) == 20 and text[10] == "T" and text[19] == "Z" and text[:19].isascii():
        try:
            return datetime.fromisoformat(text[:19] + "+00:00")
        except ValueError:
            pass
    return decode.parse_timestamp(text)


def _minute_label(d: datetime) -> str:
    """d.strftime("%m-%d %H:%M"), without strftime's cost for 14,000 chart points."""
    return f"{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}"


def _second_label(d: datetime) -> str:
    """d.strftime("%H:%M:%S"), as `_minute_label`."""
    return f"{d.hour:02d}:{d.minute:02d}:{d.second:02d}"


class Periods:
    """The charging periods as a table, its findings as fields, and charts."""

    def __init__(self, p: Presenter, *, total_path: str) -> None:
        self.fields: list[Field] = []
        self.charts: tuple[Chart, ...] = ()
        raw = p.get("charging_periods")
        if not isinstance(raw, list) or not raw:
            note = "none sent" if raw is None else "empty list" if raw == [] else "not a list: see Other fields"
            self.table = Table("Charging periods", ("Start",), (), note=note)
            return
        periods, starts = charging_periods(p)
        end = decode.parse_timestamp(p.get(end_path(p)[0]))
        same_day = len({s.date() for s in starts if s is not None}) <= 1
        label = _second_label if same_day else _minute_label

        def duration(i: int) -> float | None:
            start, nxt = starts[i], starts[i + 1] if i + 1 < len(starts) else end
            return (nxt - start).total_seconds() if start is not None and nxt is not None else None

        per_dims = [_dims(x) for x in periods]
        sent = set().union(*per_dims)
        kinds = [k for k in DIMENSIONS if k in sent]
        unknown = sorted(sent - DIMENSIONS.keys())
        for k in unknown:
            p.problem(f"unknown charging period dimension {k!r} (shown as sent)")
        energy = [decode.to_decimal(d.get("ENERGY")) for d in per_dims]
        wh = self._looks_like_wh(p, energy, total_path)
        columns = ("Start", "Duration", *[DIMENSIONS[k][0] for k in kinds], *unknown, "Tariff")

        def row(i: int) -> tuple[str, ...]:
            period, d, start, dur = periods[i], _dims(periods[i]), starts[i], duration(i)
            start_text = label(start) if start is not None else str(period.get("start_date_time", "—"))
            if dur is not None:
                dur_text = decode.human_duration(dur) or "—"
            else:
                dur_text = "ongoing" if i == len(periods) - 1 and start is not None else "—"
            cells = [_dimension_text(k, p.sent(d[k], _volume_path(periods[i], i, k)), wh) if k in d else "—" for k in kinds]
            cells += [json.dumps(d[k], ensure_ascii=False) if k in d else "—" for k in unknown]
            return (start_text, dur_text, *cells, str(period.get("tariff_id") or "—"))

        note = "times UTC; each period lasts until the next starts, the last until the end"
        if wh:
            note += "; ENERGY volumes look like Wh (inferred), kWh in brackets"
        # What `row` reads, all of it; the document's hostile values as sent too, when there are any.
        source = (periods, end, wh, kinds, unknown, p.sent_document)
        self.table = Table("Charging periods", columns, LazyRows(len(periods), row, source), note=note, shows=PERIOD_PATHS)

        # Energy in the periods against the record's total.
        known = [e for e in energy if e is not None]
        if known:
            s = sum(known, Decimal(0))
            total = decode.to_decimal(p.get(total_path))
            in_kwh = s / 1000 if wh else s
            verdict = ""
            if total is not None:
                agrees = (in_kwh - total).copy_abs() <= max(Decimal("0.01"), total.copy_abs() * Decimal("0.01"))
                verdict = f"; {'agrees with' if agrees else 'differs from'} {total_path} {decode.kwh(total)}"
            text = f"{decode.number(s)} (looks like Wh = {decode.kwh(in_kwh)})" if wh else f"{decode.kwh(s)}"
            self.fields.append(
                p.value(
                    "Energy in periods",
                    text + verdict,
                    note="derived: sum of the periods' ENERGY volumes",
                    flag="inferred" if wh else "derived",
                )
            )

        # Charts: energy per period, average power (energy / duration), max power if sent.
        points_e: list[tuple[str, float]] = []
        points_p: list[tuple[str, float]] = []
        points_max: list[tuple[str, float]] = []
        for i, e in enumerate(energy):
            start = starts[i]
            if start is None:
                continue
            x = label(start)
            if e is not None:
                kwh = e / 1000 if wh else e
                points_e.append((x, float(kwh)))
                dur = duration(i)
                if dur and dur > 0:
                    points_p.append((x, round(float(kwh) / (dur / 3600), 3)))
            mx = per_dims[i].get("MAX_POWER")
            if type(mx) is float and 1e-19 < abs(mx) <= MAX_PLOTTED:
                points_max.append((x, mx))  # what float(to_decimal(mx)) gives, for 14,000 points
            elif (mx := decode.to_decimal(mx)) is not None:
                points_max.append((x, float(mx)))
        converted = " (converted from what looks like Wh)" if wh else ""
        # A chart scales to its largest point: one absurd or infinite value would flatten (or break) it.
        points_e, points_p, points_max = (
            [(x, v) for x, v in points if math.isfinite(v) and abs(v) <= MAX_PLOTTED] for points in (points_e, points_p, points_max)
        )
        charts = []
        if points_e:
            charts.append(Chart("Energy per period", "kWh", tuple(points_e), note="ENERGY of each period" + converted + "; periods without ENERGY left out"))
        if points_p:
            charts.append(Chart("Average power", "kW", tuple(points_p), note="derived: period energy ÷ period duration" + converted))
        if points_max:
            charts.append(Chart("Max power", "kW", tuple(points_max), note="MAX_POWER of each period, as sent"))
        self.charts = tuple(charts)

    def _looks_like_wh(self, p: Presenter, energy: list[Decimal | None], total_path: str) -> bool:
        known = [e for e in energy if e is not None]
        if not known:
            return False
        s = sum(known, Decimal(0))
        total = decode.to_decimal(p.get(total_path))
        if total is not None and total > 0:
            wh = Decimal(500) <= s / total <= Decimal(2000)
        else:
            wh = any(e > 1000 for e in known)  # over a MWh in one period: no car takes that
        if wh:
            why = f"they sum to {decode.number(s)} while {total_path} is {decode.number(total)}" if total else "a period holds over 1000"
            p.problem(f"charging_periods: ENERGY volumes look like Wh, not the kWh OCPI defines ({why}); inferred")
            self.fields.append(
                p.value(
                    "Period energy unit",
                    "looks like Wh, not kWh",
                    note=f"inferred: {why}; OCPI defines kWh",
                    path="charging_periods",
                    flag="inferred",
                )
            )
        return wh


def _dims(period: dict[str, Any]) -> dict[str, Any]:
    """A period's dimensions by type (the first of a type counts)."""
    out: dict[str, Any] = {}
    for d in period.get("dimensions") or []:
        if isinstance(d, dict) and isinstance(d.get("type"), str):
            out.setdefault(d["type"], d.get("volume"))
    return out


def _volume_path(period: dict[str, Any], index: int, kind: str) -> str:
    """Where the volume `_dims` took for `kind` sits in the document."""
    for j, d in enumerate(period.get("dimensions") or []):
        if isinstance(d, dict) and d.get("type") == kind:
            return f"charging_periods[{index}].dimensions[{j}].volume"
    return ""


def _dimension_text(kind: str, volume: Any, wh: bool) -> str:
    if isinstance(volume, SentAs):
        return f"{volume} (as sent)"
    d = decode.to_decimal(volume)
    if d is None:
        return json.dumps(volume, ensure_ascii=False)
    _, unit, how = DIMENSIONS[kind]
    if kind == "ENERGY" and wh:
        return f"{decode.number(d)} (looks like Wh: {decode.kwh(d / 1000)})"
    if how == "h":
        return f"{decode.number(d)} h ({decode.hours_duration(d)})"
    return f"{decode.number(d)} {unit}".rstrip()


def hours_text(value: Any) -> str | None:
    d = decode.to_decimal(value)
    return None if d is None else f"{decode.hours_duration(d)} ({decode.number(d)} h)"


def charging_time(p: Presenter) -> Field:
    total = decode.to_decimal(p.get("total_time"))
    parking = decode.to_decimal(p.get("total_parking_time"))
    if total is None:
        return p.value("Charging time", "—", note="needs total_time")
    hours = total - (parking or 0)
    return p.value(
        "Charging time", hours_text(hours) or "", note="derived: total_time − total_parking_time" if parking is not None else "derived: total_time (no parking time sent)", flag="derived"
    )
