"""A CDR's charging periods read into pieces the tariff restrictions can be tested on.

A period ends where the next begins; the last ends at the CDR's end. Where a
restriction boundary of the period's tariff falls inside a period (a local time
of day, a local midnight for days and dates, a duration since charging began,
a kWh threshold), the period is split there and its volumes shared in proportion
(time for time boundaries, energy for kWh ones) - the uniform rate a CPO
interpolates with too (mod_cdrs ChargingPeriod). mod_cdrs says the CPO SHALL
start a new period at such a moment, so every split is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from bisect import bisect_right
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from evtui.decode import parse_timestamp
from evtui.pricing.restrictions import Instant, number
from evtui.pricing.tariffs import PRICED as PRICED_TYPES
from evtui.pricing.tariffs import Tariff

VOLUMES = ("ENERGY", "TIME", "PARKING_TIME", "RESERVATION_TIME")
LEVELS = ("MIN_CURRENT", "MAX_CURRENT", "CURRENT", "MIN_POWER", "MAX_POWER", "POWER")
CHARGING_VOLUMES = ("ENERGY", "TIME", "PARKING_TIME")
_PRICED_BY = {"RESERVATION_TIME": "TIME"}  # reservation time is priced by TIME components
_US = timedelta(microseconds=1)
_SHARE = Decimal("1e-9")  # a split volume's precision (µWh, 3.6 µs); the last piece takes the rest


@dataclass(slots=True)
class Piece:
    seq: int  # position among the session's pieces
    period: int  # index of the charging period as sent
    start: datetime
    end: datetime
    volumes: dict[str, Decimal]
    at: Instant
    tariff: Tariff | None


@dataclass
class Session:
    pieces: list[Piece] = field(default_factory=list)
    expired: bool = False  # a reservation never followed by charging
    has_charging: bool = False
    has_reservation: bool = False
    splits: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # why it cannot be checked


@dataclass(slots=True)
class _Period:
    index: int
    start: datetime
    end: datetime
    volumes: dict[str, Decimal]
    levels: dict[str, Decimal]
    tariff: Tariff | None


_ROLE = {**dict.fromkeys(VOLUMES, True), **dict.fromkeys(LEVELS, False), "RESERVATION": True}


def _number(value: Any) -> Decimal | None:
    if type(value) is float and -1e9 < value < 1e9:  # what json.loads gives: read as written
        return Decimal(repr(value))
    return number(value)


def _timestamp(text: Any) -> datetime | None:
    """parse_timestamp, with the common case (no more than 6 fractional digits) taken first."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return parse_timestamp(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _dimensions(raw: Any, index: int, problems: list[str]) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    volumes: dict[str, Decimal] = {}
    levels: dict[str, Decimal] = {}
    for dim in raw if isinstance(raw, list) else ():
        if not isinstance(dim, dict):
            continue
        kind = dim.get("type")
        role = _ROLE.get(kind) if isinstance(kind, str) else None
        if role is None:
            continue
        value = _number(dim.get("volume"))
        if value is None:
            problems.append(f"period {index}: {kind} volume {dim.get('volume')!r} is not a number; ignored")
            continue
        if role:
            if kind == "RESERVATION":  # not a CdrDimensionType, but sent for RESERVATION_TIME
                kind = "RESERVATION_TIME"
            volumes[kind] = volumes[kind] + value if kind in volumes else value
        else:
            levels[kind] = value
    if "POWER" not in levels and "ENERGY" in volumes and volumes.get("TIME"):
        levels["POWER"] = volumes["ENERGY"] / volumes["TIME"]  # the average over the charging time
    return volumes, levels


def _read_periods(cdr: dict[str, Any], end: datetime, tariffs: dict[str, Tariff], session: Session) -> list[_Period]:
    raw_periods = cdr.get("charging_periods")
    if not isinstance(raw_periods, list) or not raw_periods:
        session.missing.append("the CDR has no charging periods")
        return []
    only = next(iter(tariffs.values())) if len(tariffs) == 1 else None
    read: list[tuple[datetime, int, Any]] = []
    for index, raw in enumerate(raw_periods):
        start = _timestamp(raw.get("start_date_time")) if isinstance(raw, dict) else None
        if start is None:
            session.missing.append(f"period {index} has no readable start_date_time")
            continue
        read.append((start, index, raw))
    if any(a[0] > b[0] for a, b in zip(read, read[1:])):
        session.problems.append("charging periods are not in time order; priced in time order")
        read.sort(key=lambda r: (r[0], r[1]))
    periods: list[_Period] = []
    unnamed: list[int] = []
    for position, (start, index, raw) in enumerate(read):
        next_start = read[position + 1][0] if position + 1 < len(read) else end
        if next_start < start:
            session.problems.append(f"period {index} starts after the CDR ends; taken as empty")
            next_start = start
        volumes, levels = _dimensions(raw.get("dimensions"), index, session.problems)
        tariff_id = raw.get("tariff_id")
        tariff = tariffs.get(str(tariff_id)) if tariff_id is not None else only
        if tariff_id is None and only is None:
            unnamed.append(index)
        elif tariff is None:
            session.missing.append(f"period {index} names tariff {tariff_id!r}, which is not among the tariffs")
        periods.append(_Period(index, start, next_start, volumes, levels, tariff))
    if unnamed:
        listed = ", ".join(map(str, unnamed[:5])) + (" ..." if len(unnamed) > 5 else "")
        session.missing.append(
            f"period(s) {listed} name no tariff_id and the CDR carries {len(tariffs)} tariffs to choose from"
        )
    elif any(raw.get("tariff_id") is None for _, _, raw in read) and only is not None:
        session.problems.append(f"periods without tariff_id priced with the only tariff, {only.id!r}")
    return periods


class _Boundaries:
    """Per tariff and priced types: the instants inside the session where a restriction can
    change (sorted, in UTC) and the kWh thresholds, each computed once per session."""

    def __init__(self, tz: ZoneInfo, first: datetime, last: datetime, charge_start: datetime) -> None:
        self.tz, self.first, self.last, self.charge_start = tz, first, last, charge_start
        self._plans: dict[tuple[Any, ...], tuple[list[datetime], list[str], tuple[Decimal, ...]]] = {}

    def plan(self, tariff: Tariff, volumes: dict[str, Decimal]) -> tuple[list[datetime], list[str], tuple[Decimal, ...]]:
        key = (id(tariff), *[k for k in volumes if volumes[k]])
        found = self._plans.get(key)
        if found is None:
            # FLAT too: a fee whose element becomes active later (min_duration, a time of day)
            # is billed at the first piece where it holds, so a piece must start there.
            types = frozenset([_PRICED_BY.get(k, k) for k in key[1:]] + ["FLAT"])
            found = self._plans[key] = self._instants(*tariff.boundaries(types))
        return found

    def union(self, tariff: Tariff) -> tuple[list[datetime], bool]:
        """The boundaries of every element of the tariff: a quick test before `plan`."""
        key = (id(tariff), "every element")  # never a plan key: those name volume types
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = self._instants(*tariff.boundaries(frozenset(PRICED_TYPES)))
        return found[0], bool(found[2])

    def _instants(
        self, times: tuple[int, ...], durations: tuple[Decimal, ...], energies: tuple[Decimal, ...]
    ) -> tuple[list[datetime], list[str], tuple[Decimal, ...]]:
        found: dict[datetime, str] = {}
        day = self.first.astimezone(self.tz).date() - timedelta(days=1)
        while times and day <= self.last.astimezone(self.tz).date():
            for t in times:
                at = datetime(day.year, day.month, day.day, t // 3600, t % 3600 // 60, tzinfo=self.tz)
                found.setdefault(at.astimezone(timezone.utc), _label(t))
            day += timedelta(days=1)
        for seconds in durations:
            found.setdefault(self.charge_start + _US * int(seconds * 1_000_000), f"{seconds} s since charging began")
        instants = sorted(found)
        return instants, [found[at] for at in instants], energies


def _label(second: int) -> str:
    return "local midnight" if second == 0 else f"{second // 3600:02d}:{second % 3600 // 60:02d} station time"


def _cuts(p: _Period, energy_before: Decimal, bounds: _Boundaries) -> list[tuple[Decimal, datetime, str]]:
    """Positions (fraction of the period, instant, why) where the period must be split."""
    if p.tariff is None or p.end <= p.start:
        return []
    union, any_energies = bounds.union(p.tariff)
    i = bisect_right(union, p.start)
    if not (any_energies or (i < len(union) and union[i] < p.end)):
        return []  # the common case: no boundary of any element inside the period
    instants, labels, energies = bounds.plan(p.tariff, p.volumes)
    cuts: list[tuple[Decimal, datetime, str]] = []
    i = bisect_right(instants, p.start)
    if (i < len(instants) and instants[i] < p.end) or energies:
        span = (p.end - p.start) // _US
        while i < len(instants) and instants[i] < p.end:
            at = instants[i]
            cuts.append((Decimal((at - p.start) // _US) / Decimal(span), at, labels[i]))
            i += 1
        energy = p.volumes.get("ENERGY", Decimal(0))
        if energy > 0:
            for threshold in energies:
                if energy_before < threshold < energy_before + energy:
                    fraction = (threshold - energy_before) / energy
                    cuts.append((fraction, p.start + _US * int(span * fraction), f"{threshold} kWh charged"))
            cuts.sort(key=lambda c: c[0])
    return cuts


def read_session(cdr: dict[str, Any], tariffs: dict[str, Tariff], tz: ZoneInfo, *, split: bool = True) -> Session:
    session = Session()
    start = parse_timestamp(cdr.get("start_date_time"))
    end = parse_timestamp(cdr.get("end_date_time")) or parse_timestamp(cdr.get("stop_date_time"))
    if end is None and parse_timestamp(cdr.get("last_updated")) is not None:
        end = parse_timestamp(cdr.get("last_updated"))
        session.problems.append("no end_date_time: priced up to last_updated, an estimate so far")
    if start is None:
        session.missing.append("the CDR has no readable start_date_time")
    if end is None:
        session.missing.append("the CDR has no readable end_date_time")
        return session
    periods = _read_periods(cdr, end, tariffs, session)
    if session.missing:
        return session
    # a reservation CDR may carry ENERGY 0 and still be a reservation that expired
    session.has_charging = any(p.volumes.get(k) for p in periods for k in CHARGING_VOLUMES)
    session.has_reservation = any(p.volumes.get("RESERVATION_TIME") for p in periods)
    session.expired = session.has_reservation and not session.has_charging
    charge_start = next((p.start for p in periods if any(p.volumes.get(k) for k in CHARGING_VOLUMES)), start)
    bounds = _Boundaries(tz, periods[0].start, end, charge_start)
    energy_before = Decimal(0)
    pieces = session.pieces
    for p in periods:
        cuts = _cuts(p, energy_before, bounds) if split else []
        if not cuts:
            at = Instant(t0 := p.start, p.start.astimezone(tz), energy_before, (t0 - charge_start) // _US, p.levels)
            pieces.append(Piece(len(pieces), p.index, p.start, p.end, p.volumes, at, p.tariff))
            energy_before += p.volumes.get("ENERGY", 0)
            continue
        session.splits.append(
            f"period {p.index} ({p.start:%H:%M}-{p.end:%H:%M} UTC) crosses " + ", ".join(c[2] for c in cuts)
        )
        edges = [(Decimal(0), p.start)] + [(c[0], c[1]) for c in cuts] + [(Decimal(1), p.end)]
        remaining = dict(p.volumes)
        for (f0, t0), (f1, t1) in zip(edges, edges[1:]):
            last = f1 == 1
            share = {k: (remaining[k] if last else (v * (f1 - f0)).quantize(_SHARE)) for k, v in p.volumes.items()}
            if not last:
                for k, v in share.items():
                    remaining[k] -= v
            at = Instant(t0, t0.astimezone(tz), energy_before, (t0 - charge_start) // _US, p.levels)
            pieces.append(Piece(len(pieces), p.index, t0, t1, share, at, p.tariff))
            energy_before += share.get("ENERGY", Decimal(0))
    return session
