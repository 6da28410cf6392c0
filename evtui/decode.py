"""Turning provider values into words and units people read.

Pure functions, no I/O. Each returns a string for display; where the input
cannot be decoded it returns the value as sent, so nothing is ever hidden.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

# ISO 4217 minor-unit exponents that are not 2. Everything else uses 2.
_EXPONENTS = {
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}


def currency_exponent(currency: str | None) -> int:
    return _EXPONENTS.get((currency or "").upper(), 2)


#: Numbers beyond these bounds are not decoded: the caller shows them as sent, flagged
#: invalid. Written out in full, "1e-999999999" (20 bytes) is a gigabyte of zeros; within
#: them every sum, ratio and rounding the adapters do stays exact in Decimal's 28 digits.
MAX_DIGITS = 28
MAX_MAGNITUDE = 20  # |adjusted exponent|: up to 10^20, down to 10^-20
#: Longer text is not a number a provider means (and Decimal would parse all of it).
_MAX_NUMBER_TEXT = 100
_INT_LIMIT = 10 ** (MAX_MAGNITUDE + 1)


def to_decimal(value: Any) -> Decimal | None:
    """A number sent as a number or a string ("-2160", "17.5"), else None.

    None too for NaN, infinities and numbers out of range (see MAX_DIGITS and
    MAX_MAGNITUDE), so every formatter here says "cannot decode" for them.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        # Checked before Decimal(): a 4,000-digit int costs its conversion.
        return Decimal(value) if -_INT_LIMIT < value < _INT_LIMIT else None
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, float):
        if 1e-19 < abs(value) < 1e19:
            # Surely in range (a float's repr has at most 17 digits): no check, for 14,000 periods' volumes.
            return Decimal(repr(value))
        # json.loads accepts NaN and Infinity: they are not numbers to decode.
        d = Decimal(repr(value))
    elif isinstance(value, str):
        if len(value) > _MAX_NUMBER_TEXT:
            return None
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return d if in_range(d) else None


def in_range(d: Decimal) -> bool:
    """Finite, at most MAX_DIGITS digits, and zero or within 10^±MAX_MAGNITUDE.

    The exponent is bounded too: "0e-999999999" is zero, written with a gigabyte of zeros.
    """
    if not d.is_finite():
        return False
    _, digits, exponent = d.as_tuple()
    if len(digits) > MAX_DIGITS or int(exponent) < -MAX_MAGNITUDE - MAX_DIGITS:
        return False
    return d.adjusted() <= MAX_MAGNITUDE and (not d or d.adjusted() >= -MAX_MAGNITUDE)


def money_from_minor(minor: Any, currency: str | None) -> str | None:
    """-2160 EUR -> '-21.60 EUR'; 1500 JPY -> '1500 JPY'; 12345 KWD -> '12.345 KWD'."""
    d = to_decimal(minor)
    if d is None:
        return None
    exp = currency_exponent(currency)
    major = d.scaleb(-exp)
    return f"{major:.{exp}f} {currency or '(no currency)'}".strip()


def money_major(amount: Any, currency: str | None) -> str | None:
    """12.5 EUR -> '12.50 EUR' (at least the currency's digits, more if sent)."""
    d = to_decimal(amount)
    if d is None:
        return None
    exp = currency_exponent(currency)
    sent_places = max(0, -d.as_tuple().exponent) if isinstance(d.as_tuple().exponent, int) else 0
    places = max(exp, sent_places)
    return f"{d:.{places}f} {currency or '(no currency)'}".strip()


def vat_percent(rate: Any) -> str | None:
    """VAT as sent either way: 19.6 (percent) or 0.25 (fraction) -> '19.6 %', '25 %'."""
    d = to_decimal(rate)
    if d is None:
        return None
    if 0 < d < 1:
        d = d * 100
    return f"{_trim(d)} %"


def _trim(d: Decimal) -> str:
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def number(value: Any) -> str | None:
    d = to_decimal(value)
    return None if d is None else _trim(d)


def kwh_from_wh(wh: Any) -> str | None:
    """57 Wh -> '0.057 kWh (57 Wh)'."""
    d = to_decimal(wh)
    if d is None:
        return None
    return f"{_trim(d / 1000)} kWh ({_trim(d)} Wh)"


def kwh(value: Any) -> str | None:
    d = to_decimal(value)
    return None if d is None else f"{_trim(d)} kWh"


# -- durations ---------------------------------------------------------------

_ISO_DURATION = re.compile(
    r"^(?P<sign>[-+])?P(?:(?P<weeks>\d+(?:[.,]\d+)?)W)?(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$"
)


#: Longer than this is no charging session (a thousand years): not decoded, shown as sent.
MAX_DURATION_S = 1000 * 365.25 * 86400


def parse_iso_duration(text: Any) -> float | None:
    """'PT1H12M29.5S' -> 4349.5 seconds. Years and months are not fixed lengths: None.

    None too beyond MAX_DURATION_S, so that adding it to a start time cannot overflow.
    """
    if not isinstance(text, str) or len(text) > _MAX_NUMBER_TEXT:
        return None
    m = _ISO_DURATION.match(text.strip().upper())
    if not m or text.strip().upper() in ("P", "PT") or text.strip().upper().endswith("T"):
        return None
    parts = {k: float(v.replace(",", ".")) for k, v in m.groupdict().items() if v and k != "sign"}
    total = (
        parts.get("weeks", 0) * 604800
        + parts.get("days", 0) * 86400
        + parts.get("hours", 0) * 3600
        + parts.get("minutes", 0) * 60
        + parts.get("seconds", 0)
    )
    if not total <= MAX_DURATION_S:  # NaN and inf fail this too
        return None
    return -total if m.group("sign") == "-" else total


def human_duration(seconds: Any) -> str | None:
    """4349 -> '1h 12m 29s'; 28.913 -> '28.913s'; 0 -> '0s'."""
    d = to_decimal(seconds)
    if d is None:
        return None
    sign = "-" if d < 0 else ""
    d = abs(d)
    if d < 60:
        return f"{sign}{_trim(d)}s"
    total = int(d.to_integral_value())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if days or hours:
        parts.append(f"{hours}h")
    parts.append(f"{minutes}m")
    parts.append(f"{secs}s")
    return sign + " ".join(parts)


def hours_duration(hours: Any) -> str | None:
    """OCPI durations in hours: 1.973 -> '1h 58m 23s'."""
    d = to_decimal(hours)
    return None if d is None else human_duration(d * 3600)


# -- timestamps --------------------------------------------------------------

_FRACTION = re.compile(r"(\.\d+)")


def parse_timestamp(text: Any) -> datetime | None:
    """ISO 8601 with any number of fractional digits; no offset means UTC (OCPI).

    None for a time that has no UTC equivalent in years 1-9999 (9999-12-31T23:00-05:00).
    """
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_NUMBER_TEXT:
        return None
    s = text.strip().replace(" ", "T", 1)
    # datetime keeps microseconds: cut nanoseconds, the original string is kept elsewhere.
    s = _FRACTION.sub(lambda m: m.group(1)[:7], s, count=1)
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        dt.astimezone(timezone.utc)
    except OverflowError:
        return None
    return dt


def format_timestamp(dt: datetime, *, fraction: str = "") -> str:
    """'2021-01-30 10:00:00.111111111 UTC (your local time 11:00:00 CET)': the viewer's zone, not the station's."""
    utc = dt.astimezone(timezone.utc)
    text = utc.strftime("%Y-%m-%d %H:%M:%S") + fraction + " UTC"
    try:
        local = dt.astimezone()
    except OverflowError:  # local time falls past year 9999 (or before 1): UTC alone
        return text
    if local.utcoffset() != timedelta(0) or local.tzname() not in ("UTC", "GMT"):
        same_day = local.date() == utc.date()
        local_text = local.strftime("%H:%M:%S" if same_day else "%Y-%m-%d %H:%M:%S")
        text += f" (your local time {local_text} {local.tzname() or ''})".replace(" )", ")")
    return text


def timestamp(text: Any) -> str | None:
    """A provider timestamp for display, keeping every fractional digit it had."""
    dt = parse_timestamp(text)
    if dt is None:
        return None
    m = _FRACTION.search(text.split("T", 1)[-1]) if isinstance(text, str) else None
    fraction = m.group(1) if m and set(m.group(1)[1:]) != {"0"} else ""
    return format_timestamp(dt, fraction=fraction)


def age(seconds: float) -> str:
    """How long ago, short: '12s', '5m', '3h', '2d'."""
    s = max(0, int(seconds))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if s >= size:
            return f"{s // size}{unit}"
    return f"{s}s"
