"""Each tariff restriction kind, the time zone, splitting periods at boundaries, and
the order of elements, on small tariffs of our own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evtui.pricing import check_price
from tests.fixtures.pricing.cdrs import cdr, charging, energy_only, parking, spec_tariff

DAY, NIGHT = Decimal("0.30"), Decimal("0.10")


def tariff(*elements: dict, **extra) -> dict:
    return {"country_code": "DE", "party_id": "EVT", "id": "T1", "currency": "EUR", "elements": list(elements),
            "last_updated": "2024-01-01T00:00:00Z", **extra}


def energy(price: Decimal | str, restrictions: dict | None = None, step: int = 1) -> dict:
    element: dict = {"price_components": [{"type": "ENERGY", "price": float(price), "vat": 20.0, "step_size": step}]}
    if restrictions is not None:
        element["restrictions"] = restrictions
    return element


def priced(check) -> list[tuple[Decimal, Decimal]]:
    """(kWh, price) of each energy line."""
    return [(round(line.volume, 6), line.price) for line in check.lines if line.dimension == "ENERGY"]


NIGHT_TARIFF = tariff(energy(NIGHT, {"start_time": "22:00", "end_time": "06:00"}), energy(DAY))


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2024-06-03 21:00", [(Decimal(5), DAY), (Decimal(5), NIGHT)]),  # split at 22:00
        ("2024-06-03 23:00", [(Decimal(10), NIGHT)]),  # across midnight: still night
        ("2024-06-04 05:00", [(Decimal(5), NIGHT), (Decimal(5), DAY)]),  # split at 06:00
        ("2024-06-04 12:00", [(Decimal(10), DAY)]),
    ],
)
def test_start_and_end_time_wrap_past_midnight(start: str, expected: list) -> None:
    check = check_price(cdr(start, [charging(120, 10)], NIGHT_TARIFF), time_zone="Europe/Berlin")
    assert priced(check) == expected


def test_end_time_00_00_means_the_end_of_the_day() -> None:
    evening = tariff(energy(NIGHT, {"start_time": "20:00", "end_time": "00:00"}), energy(DAY))
    check = check_price(cdr("2024-06-03 23:00", [charging(120, 10)], evening), time_zone="Europe/Berlin")
    assert priced(check) == [(Decimal(5), NIGHT), (Decimal(5), DAY)]


def test_local_times_follow_the_station_zone_and_a_guessed_zone_is_said() -> None:
    # 21:30 in Berlin is 19:30 UTC (summer): the night element applies only in Berlin time.
    record = cdr("2024-06-03 22:30", [charging(60, 10)], NIGHT_TARIFF)
    assert priced(check_price(record, time_zone="Europe/Berlin")) == [(Decimal(10), NIGHT)]
    guessed = check_price(record)
    assert priced(guessed) == [(Decimal(10), DAY)]
    assert guessed.time_zone == "UTC"
    assert any("time zone unknown" in w for w in guessed.warnings)
    unknown = check_price(record, time_zone="Mars/Olympus")
    assert any("'Mars/Olympus' is unknown" in w for w in unknown.warnings)


def test_start_and_end_date_are_local_days_end_exclusive() -> None:
    promo = tariff(energy(NIGHT, {"start_date": "2024-01-01", "end_date": "2024-02-01"}), energy(DAY))
    # 23:00 on 31 January to 01:00 on 1 February, Berlin: split at local midnight.
    check = check_price(cdr("2024-01-31 23:00", [charging(120, 10)], promo), time_zone="Europe/Berlin")
    assert priced(check) == [(Decimal(5), NIGHT), (Decimal(5), DAY)]
    before = check_price(cdr("2023-12-31 12:00", [charging(60, 10)], promo), time_zone="Europe/Berlin")
    assert priced(before) == [(Decimal(10), DAY)]


def test_day_of_week_uses_the_local_day() -> None:
    weekend = tariff(energy(NIGHT, {"day_of_week": ["SATURDAY", "SUNDAY"]}), energy(DAY))
    # Sunday 23:30 to Monday 00:30 in Berlin; in UTC it is all Sunday.
    record = cdr("2024-06-09 23:30", [charging(60, 10)], weekend)
    assert priced(check_price(record, time_zone="Europe/Berlin")) == [(Decimal(5), NIGHT), (Decimal(5), DAY)]
    assert priced(check_price(record, time_zone="UTC")) == [(Decimal(10), NIGHT)]


def test_min_and_max_kwh_split_a_period_at_the_threshold() -> None:
    # First 10 kWh at 0.30, from 10 kWh on at 0.10 (min_kwh inclusive, max_kwh exclusive).
    tiers = tariff(energy(DAY, {"max_kwh": 10}), energy(NIGHT, {"min_kwh": 10}))
    check = check_price(cdr("2024-06-03 10:00", [charging(30, 4), charging(60, 11)], tiers), time_zone="UTC")
    assert priced(check) == [(Decimal(4), DAY), (Decimal(6), DAY), (Decimal(5), NIGHT)]
    assert check.total.excl_vat == Decimal("3.50")


def test_min_and_max_duration_split_at_the_moment() -> None:
    # Free for the first 30 minutes of charging, then 0.30.
    free_first = tariff(energy("0", {"max_duration": 1800}), energy(DAY, {"min_duration": 1800}))
    check = check_price(cdr("2024-06-03 10:00", [charging(60, 12)], free_first), time_zone="UTC")
    assert priced(check) == [(Decimal(6), Decimal(0)), (Decimal(6), DAY)]


def test_min_and_max_current() -> None:
    by_current = tariff(energy(NIGHT, {"max_current": 16}), energy(DAY, {"min_current": 16}))
    slow = cdr("2024-06-03 10:00", [charging(60, 3, MAX_CURRENT=10)], by_current)
    fast = cdr("2024-06-03 10:00", [charging(60, 11, MIN_CURRENT=16, MAX_CURRENT=32)], by_current)
    mixed = cdr("2024-06-03 10:00", [charging(60, 7, MIN_CURRENT=8, MAX_CURRENT=20)], by_current)
    assert priced(check_price(slow, time_zone="UTC")) == [(Decimal(3), NIGHT)]
    assert priced(check_price(fast, time_zone="UTC")) == [(Decimal(11), DAY)]
    assert priced(check_price(mixed, time_zone="UTC")) == []  # neither element holds: free


def test_an_untestable_current_restriction_is_taken_as_not_met_and_said() -> None:
    by_current = tariff(energy(NIGHT, {"max_current": 16}), energy(DAY))
    check = check_price(cdr("2024-06-03 10:00", [energy_only(60, 3)], by_current), time_zone="UTC")
    assert priced(check) == [(Decimal(3), DAY)]
    assert any("element 0" in w and "could not be tested" in w for w in check.warnings)


def test_min_and_max_power_with_the_average_from_energy_and_time() -> None:
    by_power = tariff(energy("0.60", {"min_power": 50}), energy("0.40"))
    fast = cdr("2024-06-03 10:00", [charging(30, 30)], by_power)  # 30 kWh in 0.5 h: 60 kW
    slow = cdr("2024-06-03 10:00", [charging(60, 11, MAX_POWER=11)], by_power)
    assert priced(check_price(fast, time_zone="UTC")) == [(Decimal(30), Decimal("0.6"))]
    assert priced(check_price(slow, time_zone="UTC")) == [(Decimal(11), Decimal("0.4"))]


def test_each_dimension_takes_the_first_element_that_prices_it() -> None:
    # Element 0 prices ENERGY only at night; element 1 prices ENERGY and TIME: TIME always
    # comes from element 1 even at night, ENERGY from element 0.
    mixed = tariff(
        energy(NIGHT, {"start_time": "22:00", "end_time": "06:00"}),
        {"price_components": [{"type": "ENERGY", "price": 0.30, "step_size": 1},
                              {"type": "TIME", "price": 1.00, "step_size": 1}]},
    )
    check = check_price(cdr("2024-06-03 23:00", [charging(60, 10)], mixed), time_zone="Europe/Berlin")
    lines = {line.dimension: line for line in check.lines}
    assert (lines["ENERGY"].element, lines["TIME"].element) == (0, 1)
    assert lines["ENERGY"].why == "22:00-06:00 station time" and lines["TIME"].why == "no restrictions"


def test_no_element_for_a_dimension_leaves_it_free() -> None:
    check = check_price(cdr("2024-06-03 10:00", [charging(60, 10), parking(30)], spec_tariff("tariff_8_simple_025kwh")), time_zone="UTC")
    assert [line.dimension for line in check.lines] == ["ENERGY"]


def test_vat_omitted_is_no_vat_and_zero_percent_is_zero() -> None:
    no_vat = tariff({"price_components": [{"type": "ENERGY", "price": 0.25, "step_size": 1}]})
    zero = tariff({"price_components": [{"type": "ENERGY", "price": 0.25, "vat": 0, "step_size": 1}]})
    a = check_price(cdr("2024-06-03 10:00", [charging(60, 10)], no_vat), time_zone="UTC").lines[0]
    b = check_price(cdr("2024-06-03 10:00", [charging(60, 10)], zero), time_zone="UTC").lines[0]
    assert (a.vat_percent, a.vat, a.incl_vat) == (None, 0, Decimal("2.50"))
    assert (b.vat_percent, b.incl_vat) == (Decimal(0), Decimal("2.50"))


def test_restrictions_sent_oddly_are_read_and_named() -> None:
    odd = tariff(energy(NIGHT, [{"day_of_week": "MONDAY"}]), energy(DAY, {"start_time": "7am"}))
    check = check_price(cdr("2024-06-03 10:00", [charging(60, 10)], odd), time_zone="UTC")
    assert priced(check) == [(Decimal(10), NIGHT)]  # 3 June 2024 is a Monday
    assert any("one-item list" in w for w in check.warnings)
    assert any("'7am' is not HH:MM" in w for w in check.warnings)


def test_amounts_are_decimals_never_floats() -> None:
    check = check_price(cdr("2024-06-03 10:00", [charging(60, 0.1)], spec_tariff("tariff_9_025kwh_start")), time_zone="UTC")
    for line in check.lines:
        for value in (line.volume, line.billed_volume, line.price, line.excl_vat, line.vat, line.incl_vat):
            assert isinstance(value, Decimal)
    assert check.total.excl_vat == Decimal("0.525")  # 0.1 kWh read as exactly 0.1, not 0.1000000000000000055


def test_a_tariff_outside_its_validity_window_is_said() -> None:
    tariff6 = spec_tariff("tariff_6_025kwh_start_max_price")  # ends 2019-06-30T23:59:59Z
    check = check_price(cdr("2019-07-02 10:00", [charging(60, 10)], tariff6), time_zone="UTC")
    assert any("was not valid when the session started" in w for w in check.warnings)


def test_a_flat_fee_that_becomes_active_later_is_billed_once_from_then() -> None:
    # An idle fee of 5.00 once the session passes 2 hours, in one long period: split at 7200 s.
    idle = tariff(
        {"price_components": [{"type": "FLAT", "price": 5.00, "step_size": 1}], "restrictions": {"min_duration": 7200}},
        energy(DAY),
    )
    long = check_price(cdr("2024-06-03 10:00", [charging(180, 30)], idle), time_zone="UTC")
    flat = [line for line in long.lines if line.dimension == "FLAT"]
    assert [(line.excl_vat, line.start.hour) for line in flat] == [(Decimal("5.00"), 10)]  # 12:00 Berlin
    short = check_price(cdr("2024-06-03 10:00", [charging(90, 15)], idle), time_zone="UTC")
    assert [line.dimension for line in short.lines] == ["ENERGY"]


def test_an_ocpi_2_1_1_cdr_with_stop_date_time_and_a_number_total() -> None:
    # 2.1.1: stop_date_time, total_cost a number excl. VAT, no VAT in the tariff, no tariff_id.
    tariff_211 = {"id": "11", "currency": "EUR", "last_updated": "2015-06-29T20:39:09Z",
                  "elements": [{"price_components": [{"type": "TIME", "price": 2.00, "step_size": 300}]}]}
    record = cdr("2015-06-29 23:39", [charging(118, 15)], tariff_211)
    record["stop_date_time"] = record.pop("end_date_time")
    for period in record["charging_periods"]:
        del period["tariff_id"]
    record["total_cost"] = 4.00
    check = check_price(record, time_zone="Europe/Berlin")
    assert check.total == check.totals["time"]
    assert check.total.excl_vat == Decimal("4.00")  # 118 min billed as 120
    assert check.verdict.outcome == "matches"


def test_a_reservation_that_expired_is_known_even_with_zero_energy_sent() -> None:
    tariff17 = spec_tariff("tariff_17_reservation_with_expire_fee")
    record = cdr("2019-03-04 10:00", [{"minutes": 60, "dims": {"RESERVATION_TIME": 1.0, "ENERGY": 0}}], tariff17)
    check = check_price(record, time_zone="UTC")
    assert (check.total.excl_vat, check.total.incl_vat) == (Decimal("6.00"), Decimal("7.20"))
