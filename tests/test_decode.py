"""Unit tests for evtui.decode and evtui.textsafe."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from evtui import decode
from evtui.textsafe import has_unsafe, visible

CET = "CET-1CEST,M3.5.0,M10.5.0/3"  # POSIX rule: no tz database needed


def _set_tz(tz: str | None) -> None:
    if tz is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = tz
    time.tzset()


@pytest.fixture
def tz() -> Iterator[object]:
    old = os.environ.get("TZ")
    _set_tz("UTC")
    yield _set_tz
    _set_tz(old)


# -- numbers and money ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, Decimal(12)),
        (0.1, Decimal("0.1")),
        ("-2160", Decimal(-2160)),
        (" 17.5 ", Decimal("17.5")),
        (Decimal("1.50"), Decimal("1.50")),
        (True, None),
        (None, None),
        ("abc", None),
        ("", None),
        ([1], None),
        ("NaN", None),
        ("Infinity", None),
        (float("nan"), None),
        (float("inf"), None),
        (float("-inf"), None),
        (Decimal("NaN"), None),
    ],
)
def test_to_decimal(value: object, expected: Decimal | None) -> None:
    assert decode.to_decimal(value) == expected


@pytest.mark.parametrize(
    ("currency", "exponent"),
    [("EUR", 2), ("eur", 2), ("DKK", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3), ("CLF", 4), (None, 2), ("", 2), ("XYZ", 2)],
)
def test_currency_exponent(currency: str | None, exponent: int) -> None:
    assert decode.currency_exponent(currency) == exponent


@pytest.mark.parametrize(
    ("minor", "currency", "expected"),
    [
        (-2160, "EUR", "-21.60 EUR"),
        ("-2160", "EUR", "-21.60 EUR"),
        (2160, "EUR", "21.60 EUR"),
        (5, "EUR", "0.05 EUR"),
        (-5, "EUR", "-0.05 EUR"),
        (0, "EUR", "0.00 EUR"),
        (1500, "JPY", "1500 JPY"),
        (-1500, "JPY", "-1500 JPY"),
        (12345, "KWD", "12.345 KWD"),
        ("-1250", "KWD", "-1.250 KWD"),
        (34950, "NOK", "349.50 NOK"),
        (5, None, "0.05 (no currency)"),
        ("abc", "EUR", None),
        (None, "EUR", None),
        (float("nan"), "EUR", None),
    ],
)
def test_money_from_minor(minor: object, currency: str | None, expected: str | None) -> None:
    assert decode.money_from_minor(minor, currency) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (100.5, "EUR", "100.50 EUR"),
        (84.03, "EUR", "84.03 EUR"),
        (0, "DKK", "0.00 DKK"),
        (-3.25, "EUR", "-3.25 EUR"),
        ("-0.5", "SEK", "-0.50 SEK"),
        (0.595, "EUR", "0.595 EUR"),  # more digits than the currency's are kept
        (1650, "JPY", "1650 JPY"),
        (1.5, "KWD", "1.500 KWD"),
        ("24.90", "EUR", "24.90 EUR"),
        (7, None, "7.00 (no currency)"),
        (None, "EUR", None),
        ("lots", "EUR", None),
        (float("inf"), "EUR", None),
    ],
)
def test_money_major(amount: object, currency: str | None, expected: str | None) -> None:
    assert decode.money_major(amount, currency) == expected


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (19.6, "19.6 %"),  # percent
        (0.25, "25 %"),  # fraction
        (0.196, "19.6 %"),
        ("25", "25 %"),
        ("17.5", "17.5 %"),
        (21, "21 %"),
        (0, "0 %"),
        ("0.00", "0 %"),
        (None, None),
        ("high", None),
        (float("nan"), None),
    ],
)
def test_vat_percent_accepts_both_scales(rate: object, expected: str | None) -> None:
    assert decode.vat_percent(rate) == expected


@pytest.mark.parametrize(
    ("wh", "expected"),
    [
        (57, "0.057 kWh (57 Wh)"),
        (18432, "18.432 kWh (18432 Wh)"),
        ("1000", "1 kWh (1000 Wh)"),
        (0, "0 kWh (0 Wh)"),
        (1234.5, "1.2345 kWh (1234.5 Wh)"),
        (None, None),
        ("x", None),
    ],
)
def test_kwh_from_wh(wh: object, expected: str | None) -> None:
    assert decode.kwh_from_wh(wh) == expected


def test_kwh_and_number() -> None:
    assert decode.kwh(14.31) == "14.31 kWh"
    assert decode.kwh(201.0) == "201 kWh"
    assert decode.kwh("0.500") == "0.5 kWh"
    assert decode.kwh(None) is None
    assert decode.number(8.04) == "8.04"
    assert decode.number(10.0) == "10"
    assert decode.number(-2) == "-2"
    assert decode.number(False) is None


# -- durations ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT1H12M29.513S", 4349.513),
        ("PT1H12M29S", 4349),
        ("PT0S", 0),
        ("PT0.5S", 0.5),
        ("PT0,5S", 0.5),  # ISO allows a comma
        ("PT1.5H", 5400),
        ("PT36H", 129600),
        ("P1DT2H", 93600),
        ("P1W", 604800),
        ("P2D", 172800),
        ("-PT1M", -60),
        ("+PT1M", 60),
        ("pt5m", 300),
        (" PT5M ", 300),
    ],
)
def test_parse_iso_duration(text: str, seconds: float) -> None:
    assert decode.parse_iso_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text",
    ["P", "PT", "P1DT", "P1Y", "P1M", "P1Y2M", "1H", "PT1H30", "PT-5M", "", "duration", None, 300, "PT1.S"],
)
def test_parse_iso_duration_refuses(text: object) -> None:
    assert decode.parse_iso_duration(text) is None


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (4349, "1h 12m 29s"),
        (28.913, "28.913s"),
        (0, "0s"),
        (59, "59s"),
        (60, "1m 0s"),
        (600, "10m 0s"),
        (3600, "1h 0m 0s"),
        (6120, "1h 42m 0s"),
        ("6120", "1h 42m 0s"),
        (86400, "1d 0h 0m 0s"),
        (90061, "1d 1h 1m 1s"),
        (-90, "-1m 30s"),
        (-5.5, "-5.5s"),
        (4349.4, "1h 12m 29s"),
        (None, None),
        ("soon", None),
        (float("nan"), None),
        (float("inf"), None),
    ],
)
def test_human_duration(seconds: object, expected: str | None) -> None:
    assert decode.human_duration(seconds) == expected


def test_hours_duration() -> None:
    assert decode.hours_duration(1.973) == "1h 58m 23s"
    assert decode.hours_duration("0.5") == "30m 0s"
    assert decode.hours_duration(None) is None


# -- timestamps ----------------------------------------------------------------------


def test_parse_timestamp_keeps_microseconds_of_nanoseconds() -> None:
    dt = decode.parse_timestamp("2021-01-30T10:00:00.111111111Z")
    assert dt == datetime(2021, 1, 30, 10, 0, 0, 111111, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-07T05:31:56Z", datetime(2023, 11, 7, 5, 31, 56, tzinfo=timezone.utc)),
        ("2023-11-07T05:31:56z", datetime(2023, 11, 7, 5, 31, 56, tzinfo=timezone.utc)),
        ("2023-11-07T05:31:56", datetime(2023, 11, 7, 5, 31, 56, tzinfo=timezone.utc)),  # no offset: UTC
        ("2023-11-07 05:31:56", datetime(2023, 11, 7, 5, 31, 56, tzinfo=timezone.utc)),
        ("2023-11-07T06:31:56+01:00", datetime(2023, 11, 7, 5, 31, 56, tzinfo=timezone.utc)),
        ("2023-11-07T05:31:56.5Z", datetime(2023, 11, 7, 5, 31, 56, 500000, tzinfo=timezone.utc)),
    ],
)
def test_parse_timestamp(text: str, expected: datetime) -> None:
    assert decode.parse_timestamp(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "", "   ", None, 1700000000, "2023-13-01T00:00:00Z", "2023-11-07T25:00:00Z"])
def test_parse_timestamp_refuses(text: object) -> None:
    assert decode.parse_timestamp(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-01-30T10:00:00.111111111Z", "2021-01-30 10:00:00.111111111 UTC"),
        ("2026-11-18T01:05:44.900000001Z", "2026-11-18 01:05:44.900000001 UTC"),
        ("2023-11-07T05:31:56Z", "2023-11-07 05:31:56 UTC"),
        ("2023-11-07T05:31:56", "2023-11-07 05:31:56 UTC"),
        ("2021-01-30T10:00:00.000000000Z", "2021-01-30 10:00:00 UTC"),  # an all-zero fraction adds nothing
        ("2021-01-30T10:00:00.250Z", "2021-01-30 10:00:00.250 UTC"),
        ("2021-01-30T11:00:00.5+01:00", "2021-01-30 10:00:00.5 UTC"),
        ("2021-06-30T23:30:00-02:00", "2021-07-01 01:30:00 UTC"),
        ("2021-01-30 10:00:00.5", "2021-01-30 10:00:00.5 UTC"),
        ("not a time", None),
    ],
)
def test_timestamp_in_utc(tz: object, text: str, expected: str | None) -> None:
    assert decode.timestamp(text) == expected


def test_timestamp_adds_local_time(tz: object) -> None:
    tz(CET)  # type: ignore[operator]
    assert decode.timestamp("2021-01-30T10:00:00Z") == "2021-01-30 10:00:00 UTC (your local time 11:00:00 CET)"
    assert decode.timestamp("2021-07-30T10:00:00.123Z") == "2021-07-30 10:00:00.123 UTC (your local time 12:00:00 CEST)"
    assert decode.timestamp("2021-01-30T23:30:00Z") == "2021-01-30 23:30:00 UTC (your local time 2021-01-31 00:30:00 CET)"


def test_age() -> None:
    assert decode.age(0) == "0s"
    assert decode.age(-3) == "0s"
    assert decode.age(59.9) == "59s"
    assert decode.age(61) == "1m"
    assert decode.age(3 * 3600 + 5) == "3h"
    assert decode.age(2 * 86400) == "2d"


# -- textsafe -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # ESC: colour codes stay inert
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),  # OSC ending in BEL
        ("ding\x07", "ding\\x07"),
        ("\x9b31m", "\\x9b31m"),  # C1 CSI
        ("\x85next", "\\x85next"),  # C1 NEL
        ("del\x7f", "del\\x7f"),
        ("nul\x00", "nul\\x00"),
        ("abc\u202egpj.exe", "abc\\u202egpj.exe"),  # right-to-left override
        ("\u202aembedded\u202c", "\\u202aembedded\\u202c"),
        ("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("\u200fmark", "\\u200fmark"),
        ("\ufeffbom", "\\ufeffbom"),
        ("line\u2028sep", "line\\u2028sep"),
        ("two\nlines\tand\rcr", "two\\nlines\\tand\\rcr"),
    ],
)
def test_visible_escapes(text: str, expected: str) -> None:
    assert visible(text) == expected
    assert has_unsafe(text)
    assert not has_unsafe(visible(text))


@pytest.mark.parametrize(
    "text",
    ["Amager Strandvej P-hus", "København Ø", "Aarhus Ø launch 😀", "Camille\u2019s app", "[bold]not markup[/bold]", "Стокгольм", "東京", ""],
)
def test_visible_leaves_ordinary_text_alone(text: str) -> None:
    assert visible(text) == text
    assert not has_unsafe(text)


def test_visible_takes_any_value() -> None:
    assert visible(123) == "123"
    assert visible(None) == "None"
