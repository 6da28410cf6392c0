"""OCPI 2.2.1 TariffRestrictions: when a Tariff Element is active, tested at one instant.

A restriction is tested at the start of a (possibly split) charging period:
the engine splits periods at every boundary a restriction can cross inside one
(see `engine`), so what holds at a piece's start holds for the whole piece.

Readings of the spec (mod_tariffs TariffRestrictions), where it leaves room:
- `start_time`/`end_time` are station-local; start inclusive, end exclusive;
  end < start wraps past midnight; end "00:00" means the end of the day; equal
  start and end mean the whole day. Each restriction is tested on its own at
  the instant, so "FRIDAY 22:00-06:00" does not hold at 02:00 on Saturday.
- `start_date` inclusive, `end_date` exclusive, station-local dates.
- `min_kwh`/`max_kwh` compare the energy charged in the session before the
  instant (inclusive min, exclusive max).
- `min_duration`/`max_duration` compare the time since charging began (the
  first non-reservation period, else the CDR start).
- `min_current`/`max_current` (and power) use the period's MIN_/MAX_ value,
  else its average (CURRENT / POWER, or for power ENERGY / TIME). What cannot
  be known is reported as unknown (None) and taken as not met.
- `reservation`: an element without it prices the charging session only; with
  RESERVATION it prices reservation time, expired or not; with
  RESERVATION_EXPIRES only a reservation that expired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from evtui.decode import to_decimal

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_MILLION = 1_000_000
_PLAUSIBLE = Decimal(10) ** 9  # no price, volume, level or limit in a CDR comes near a billion
CHARGING, RESERVATION, EXPIRED = "charging", "reservation", "reservation expired"


@dataclass(frozen=True, slots=True)
class Restrictions:
    start_time: int | None = None  # seconds of the local day
    end_time: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    min_kwh: Decimal | None = None
    max_kwh: Decimal | None = None
    min_current: Decimal | None = None
    max_current: Decimal | None = None
    min_power: Decimal | None = None
    max_power: Decimal | None = None
    min_duration: Decimal | None = None  # seconds
    max_duration: Decimal | None = None
    days: frozenset[int] | None = None  # date.weekday() numbers
    reservation: str | None = None  # RESERVATION | RESERVATION_EXPIRES

    @property
    def calendar(self) -> bool:
        """True when the element depends on the local clock or calendar."""
        return (
            self.start_time is not None
            or self.end_time is not None
            or self.start_date is not None
            or self.end_date is not None
            or self.days is not None
        )


NONE = Restrictions()


@dataclass(slots=True)
class Instant:
    """What the restrictions are tested against, at the start of a period piece."""

    utc: datetime
    local: datetime  # station-local wall clock
    energy_before: Decimal  # kWh charged in the session before this instant
    elapsed_us: int  # microseconds since charging began
    levels: dict[str, Decimal]  # MIN_CURRENT, MAX_CURRENT, CURRENT, MIN_POWER, MAX_POWER, POWER


def number(value: Any) -> Decimal | None:
    """A provider number as a Decimal (floats read as written), None if it is none or absurd."""
    d = to_decimal(value)
    return d if d is not None and abs(d) < _PLAUSIBLE else None


def _time_of_day(value: Any, field: str, problems: list[str]) -> int | None:
    if value is None:
        return None
    m = _TIME.match(value) if isinstance(value, str) else None
    if not m:
        problems.append(f"{field} {value!r} is not HH:MM; ignored")
        return None
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60


def _date(value: Any, field: str, problems: list[str]) -> date | None:
    if value is None:
        return None
    try:
        if not (isinstance(value, str) and _DATE.match(value)):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{field} {value!r} is not YYYY-MM-DD; ignored")
        return None


def _number(raw: dict[str, Any], field: str, problems: list[str]) -> Decimal | None:
    if raw.get(field) is None:
        return None
    d = number(raw[field])
    if d is None:
        problems.append(f"{field} {raw[field]!r} is not a number; ignored")
    return d


def parse_restrictions(raw: Any, problems: list[str]) -> Restrictions:
    """A TariffRestrictions dict (or None); what cannot be read is named in problems."""
    if raw is None:
        return NONE
    if isinstance(raw, list) and len(raw) == 1 and isinstance(raw[0], dict):
        problems.append("restrictions sent as a one-item list; read as the object")
        raw = raw[0]
    if not isinstance(raw, dict):
        problems.append(f"restrictions {type(raw).__name__} is not an object; ignored")
        return NONE
    days = raw.get("day_of_week")
    day_numbers: frozenset[int] | None = None
    if days is not None:
        if isinstance(days, str):
            days = [days]
        known = [d for d in days if isinstance(d, str) and d.upper() in DAYS] if isinstance(days, list) else []
        if not isinstance(days, list) or len(known) != len(days):
            problems.append(f"day_of_week {days!r} has values that are not days; those ignored")
        day_numbers = frozenset(DAYS.index(d.upper()) for d in known)
    reservation = raw.get("reservation")
    if reservation is not None and reservation not in ("RESERVATION", "RESERVATION_EXPIRES"):
        problems.append(f"reservation {reservation!r} is not RESERVATION or RESERVATION_EXPIRES; ignored")
        reservation = None
    return Restrictions(
        start_time=_time_of_day(raw.get("start_time"), "start_time", problems),
        end_time=_time_of_day(raw.get("end_time"), "end_time", problems),
        start_date=_date(raw.get("start_date"), "start_date", problems),
        end_date=_date(raw.get("end_date"), "end_date", problems),
        min_kwh=_number(raw, "min_kwh", problems),
        max_kwh=_number(raw, "max_kwh", problems),
        min_current=_number(raw, "min_current", problems),
        max_current=_number(raw, "max_current", problems),
        min_power=_number(raw, "min_power", problems),
        max_power=_number(raw, "max_power", problems),
        min_duration=_number(raw, "min_duration", problems),
        max_duration=_number(raw, "max_duration", problems),
        days=day_numbers,
        reservation=reservation,
    )


def in_window(second: int, start: int | None, end: int | None) -> bool:
    """Whether a second of the local day is inside [start_time, end_time)."""
    if start is None and end is None:
        return True
    if end == 0:
        end = 86400  # "To stop at end of the day use: 00:00"
    if start is None:
        return second < end  # type: ignore[operator]
    if end is None:
        return second >= start
    if start < end:
        return start <= second < end
    if start > end:
        return second >= start or second < end
    return True


def _level(levels: dict[str, Decimal], kind: str, at_least: Decimal | None, below: Decimal | None) -> bool | None:
    """min_<kind> (>= at_least) and max_<kind> (< below) on the period's levels; None if unknown."""
    low = levels.get(f"MIN_{kind}")
    high = levels.get(f"MAX_{kind}")
    avg = levels.get(kind)
    if at_least is not None:
        if high is not None and high < at_least:
            return False
        value = low if low is not None else avg
        if value is None:
            return None
        if value < at_least:
            return False
    if below is not None:
        if low is not None and low >= below:
            return False
        value = high if high is not None else avg
        if value is None:
            return None
        if value >= below:
            return False
    return True


def holds(r: Restrictions, at: Instant, phase: str, *, ignore_calendar: bool = False) -> bool | None:
    """True when every restriction holds at the instant for that phase; None when one cannot be known."""
    if r is NONE:
        return phase == CHARGING
    if r.reservation is None:
        if phase != CHARGING:
            return False
    elif r.reservation == "RESERVATION_EXPIRES":
        if phase != EXPIRED:
            return False
    elif phase == CHARGING:
        return False
    if not ignore_calendar:
        local = at.local
        if r.days is not None and local.weekday() not in r.days:
            return False
        if r.start_date is not None or r.end_date is not None:
            day = local.date()
            if r.start_date is not None and day < r.start_date:
                return False
            if r.end_date is not None and day >= r.end_date:
                return False
        if r.start_time is not None or r.end_time is not None:
            second = local.hour * 3600 + local.minute * 60 + local.second
            if not in_window(second, r.start_time, r.end_time):
                return False
    if r.min_kwh is not None and at.energy_before < r.min_kwh:
        return False
    if r.max_kwh is not None and at.energy_before >= r.max_kwh:
        return False
    if r.min_duration is not None and at.elapsed_us < r.min_duration * _MILLION:
        return False
    if r.max_duration is not None and at.elapsed_us >= r.max_duration * _MILLION:
        return False
    verdict: bool | None = True
    if r.min_current is not None or r.max_current is not None:
        current = _level(at.levels, "CURRENT", r.min_current, r.max_current)
        if current is False:
            return False
        verdict = current
    if r.min_power is not None or r.max_power is not None:
        power = _level(at.levels, "POWER", r.min_power, r.max_power)
        if power is False:
            return False
        verdict = None if power is None else verdict
    return verdict


def _hhmm(second: int) -> str:
    return f"{second // 3600:02d}:{second % 3600 // 60:02d}"


def _n(d: Decimal) -> str:
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def describe(r: Restrictions) -> str:
    """The element's restrictions in words, with units: why it was the one that applied."""
    if r is NONE:
        return "no restrictions"
    parts: list[str] = []
    if r.reservation:
        parts.append("reservation" if r.reservation == "RESERVATION" else "expired reservation")
    if r.start_time is not None or r.end_time is not None:
        start = _hhmm(r.start_time) if r.start_time is not None else "00:00"
        end = _hhmm(r.end_time) if r.end_time is not None else "24:00"
        parts.append(f"{start}-{end} station time")
    if r.days is not None:
        parts.append(", ".join(DAYS[d].title() for d in sorted(r.days)) or "no day")
    if r.start_date is not None:
        parts.append(f"from {r.start_date.isoformat()}")
    if r.end_date is not None:
        parts.append(f"before {r.end_date.isoformat()}")
    for label, low, high, unit in (
        ("energy", r.min_kwh, r.max_kwh, "kWh"),
        ("current", r.min_current, r.max_current, "A"),
        ("power", r.min_power, r.max_power, "kW"),
    ):
        if low is not None:
            parts.append(f"{label} >= {_n(low)} {unit}")
        if high is not None:
            parts.append(f"{label} < {_n(high)} {unit}")
    if r.min_duration is not None:
        parts.append(f"after {_n(r.min_duration)} s")
    if r.max_duration is not None:
        parts.append(f"before {_n(r.max_duration)} s")
    return "; ".join(parts) or "no restrictions"
