"""Every worked example of OCPI 2.2.1 mod_tariffs (and the step_size examples of
mod_cdrs), with a CDR of our own for each published tariff: the engine gives the
spec's amounts. Where the spec's own arithmetic contradicts its tariff JSON, the
test says so and asserts what the tariff gives."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from evtui.pricing import MATCHES, check_price
from tests.fixtures.pricing.cdrs import SPEC, cdr, charging, energy_only, parking, reservation, spec_tariff

CENT = Decimal("0.01")


def amounts(check) -> tuple[Decimal, Decimal]:
    return check.total.excl_vat, check.total.incl_vat


def assert_total(check, excl: str, incl: str, tolerance: Decimal = CENT) -> None:
    got_excl, got_incl = amounts(check)
    assert abs(got_excl - Decimal(excl)) <= tolerance, (got_excl, excl, check.lines)
    assert abs(got_incl - Decimal(incl)) <= tolerance, (got_incl, incl, check.lines)


def billed_minutes(check, dimension: str) -> list[Decimal]:
    return [round(line.billed_volume * 60, 3) for line in check.lines if line.dimension == dimension]


def test_the_spec_cdr_example_matches_its_own_totals() -> None:
    example = json.loads((SPEC / "cdr_example.json").read_text())
    check = check_price(example, time_zone="Europe/Brussels")
    # 1.973 h in steps of 300 s: 7102.8 s billed as 7200 s, 2 h at 2.00
    assert_total(check, "4.00", "4.40", tolerance=Decimal(0))
    assert check.verdict.outcome == MATCHES


@pytest.mark.parametrize(
    ("name", "kwh", "excl", "incl"),
    [
        ("tariff_8_simple_025kwh", 20, "5.00", "5.50"),
        ("tariff_9_025kwh_start", 20, "5.50", "6.10"),
        ("tariff_12_025kwh_min_price", 20, "5.00", "5.50"),
        ("tariff_12_025kwh_min_price", 1.5, "0.50", "0.55"),  # "if less than 2 kWh is charged"
        ("tariff_6_025kwh_start_max_price", 50, "10.00", "11.00"),
        ("tariff_6_025kwh_start_max_price", 30, "8.00", "8.85"),
        ("tariff_3_alt_url", 20.45, "5.63", "6.24"),  # 20.45 kWh billed as 20.5 (step 100 Wh)
    ],
)
def test_energy_tariffs(name: str, kwh: float, excl: str, incl: str) -> None:
    tariff = spec_tariff(name)
    check = check_price(cdr("2019-03-04 10:00", [charging(90, kwh)], tariff), time_zone="Europe/Berlin")
    assert_total(check, excl, incl)


def test_min_and_max_price_say_whether_they_applied() -> None:
    small = check_price(cdr("2019-03-04 10:00", [charging(10, 1.5)], spec_tariff("tariff_12_025kwh_min_price")), time_zone="UTC")
    assert [(limit.kind, limit.applied) for limit in small.limits] == [("min_price", True)]
    assert small.totals["energy"].excl_vat == Decimal("0.375")  # the lines stay what they are
    large = check_price(cdr("2019-03-04 10:00", [charging(90, 30)], spec_tariff("tariff_6_025kwh_start_max_price")), time_zone="UTC")
    assert [(limit.kind, limit.applied) for limit in large.limits] == [("max_price", False)]


def test_tariff_3_bills_energy_in_steps_of_100_wh() -> None:
    check = check_price(cdr("2019-03-04 10:00", [charging(90, 20.45)], spec_tariff("tariff_3_alt_url")), time_zone="UTC")
    energy = next(line for line in check.lines if line.dimension == "ENERGY")
    assert (energy.volume, energy.billed_volume, energy.excl_vat) == (Decimal("20.45"), Decimal("20.5"), Decimal("5.125"))
    assert "step_size 100 Wh" in energy.step_note


def test_tariff_10_parking_is_billed_per_15_minutes() -> None:
    tariff = spec_tariff("tariff_10_025kwh_parking_start")
    check = check_price(cdr("2019-03-04 10:00", [charging(120, 20), parking(40)], tariff), time_zone="UTC")
    assert_total(check, "7.00", "7.90")
    assert billed_minutes(check, "PARKING_TIME") == [45]


@pytest.mark.parametrize(
    ("name", "excl", "incl"),
    [("tariff_1_simple_2hour", "5.00", "5.50"), ("tariff_2_alt_text", "4.75", "5.00")],
)
def test_time_tariffs_for_two_and_a_half_hours(name: str, excl: str, incl: str) -> None:
    check = check_price(cdr("2019-03-04 10:00", [charging(150, 11)], spec_tariff(name)), time_zone="UTC")
    assert_total(check, excl, incl)


def test_tariff_13_charging_is_not_rounded_parking_is() -> None:
    tariff = spec_tariff("tariff_13_simple_3hour_5parking")
    check = check_price(cdr("2019-03-04 10:00", [charging(150, 11), parking(42)], tariff), time_zone="UTC")
    assert_total(check, "11.25", "12.75")
    assert billed_minutes(check, "PARKING_TIME") == [45]


def test_tariff_11_a_flat_fee_and_time_in_steps_of_5_minutes() -> None:
    # No amounts in the spec: 0.40 flat (25 % VAT) + 62 min billed as 65 min at 1.90/h (5.2 % VAT).
    check = check_price(cdr("2019-03-04 10:00", [charging(62, 8)], spec_tariff("tariff_11_not_possible_alt_text")), time_zone="UTC")
    time = Decimal(65) / 60 * Decimal("1.90")
    assert_total(check, str(Decimal("0.40") + time), str(Decimal("0.50") + time * Decimal("1.052")))


def test_tariff_put_example_two_euro_per_hour_in_steps_of_5_minutes() -> None:
    tariff = spec_tariff("tariff_put_example")
    check = check_price(cdr("2019-03-04 10:00", [charging(57, 8)], tariff), time_zone="UTC")
    assert_total(check, "2.00", "2.20")


def test_tariff_5_free_of_charge() -> None:
    check = check_price(cdr("2019-03-04 10:00", [charging(60, 10), parking(30)], spec_tariff("tariff_5_free_of_charge")), time_zone="UTC")
    assert amounts(check) == (Decimal(0), Decimal(0))
    assert [(line.dimension, line.excl_vat) for line in check.lines] == [("FLAT", Decimal(0))]


def test_tariff_4_complex_monday_morning() -> None:
    # 09:30 Monday, 165 min at up to 16 A, then 42 min parking (weekday 09:00-18:00 rate).
    tariff = spec_tariff("tariff_4_complex")
    record = cdr("2024-06-03 09:30", [charging(165, 18, MAX_CURRENT=16), parking(42)], tariff)
    check = check_price(record, time_zone="Europe/Berlin")
    assert_total(check, "9.00", "10.30")
    assert [(line.dimension, line.element) for line in check.lines] == [("FLAT", 0), ("TIME", 1), ("PARKING_TIME", 4)]
    assert billed_minutes(check, "TIME") == [165] and billed_minutes(check, "PARKING_TIME") == [45]
    assert "current < 32 A" in check.lines[1].why


def test_tariff_4_complex_saturday_afternoon() -> None:
    # 13:30 Saturday, 114 min at 43 A or more, then 71 min parking (Saturday 10:00-17:00 rate).
    # The spec gives 12.28 / 13.861: its charging line is 114 min at 1.20/h (2.28), but the
    # weekend >= 32 A element of its own JSON is 1.25/h: 2.375 excl., 2.85 incl. 20 % VAT.
    tariff = spec_tariff("tariff_4_complex")
    record = cdr("2024-06-08 13:30", [charging(114, 40, MIN_CURRENT=43), parking(71)], tariff)
    check = check_price(record, time_zone="Europe/Berlin")
    assert amounts(check) == (Decimal("12.375"), Decimal("13.975"))
    assert [(line.dimension, line.element) for line in check.lines] == [("FLAT", 0), ("TIME", 3), ("PARKING_TIME", 5)]
    # charging is followed by parking: not rounded (114, not 120); parking 71 -> 75
    assert billed_minutes(check, "TIME") == [114] and billed_minutes(check, "PARKING_TIME") == [75]
    parking_line = check.lines[2]
    assert (parking_line.excl_vat, parking_line.incl_vat) == (Decimal("7.50"), Decimal("8.25"))


def test_tariff_15_reservation_then_charging() -> None:
    tariff = spec_tariff("tariff_15_reservation_5_euro_per_hour")
    check = check_price(cdr("2019-03-04 10:00", [reservation(15), charging(60, 20)], tariff), time_zone="UTC")
    assert_total(check, "6.75", "7.60")
    assert check.totals["reservation"].excl_vat == Decimal("1.25")


def test_tariff_16_reservation_fee_and_time_in_steps_of_5_minutes() -> None:
    tariff = spec_tariff("tariff_16_reservation_2_euro_fee_5_euro_per_hour")
    check = check_price(cdr("2019-03-04 10:00", [reservation(13), charging(60, 20)], tariff), time_zone="UTC")
    assert_total(check, "8.75", "10.00")
    assert billed_minutes(check, "RESERVATION_TIME") == [15]
    assert check.totals["reservation"].excl_vat == Decimal("3.25")  # the 2.00 fee and 15 min
    assert check.totals["fixed"].excl_vat == Decimal("0.50")


@pytest.mark.parametrize(
    ("name", "used", "expired"),
    [
        ("tariff_17_reservation_with_expire_fee", ("6.50", "7.30"), (60, "6.00", "7.20")),
        ("tariff_18_reservation_with_expire_time", ("7.00", "7.90"), (90, "9.00", "10.80")),
    ],
)
def test_reservations_used_and_expired(name: str, used: tuple[str, str], expired: tuple[int, str, str]) -> None:
    tariff = spec_tariff(name)
    check = check_price(cdr("2019-03-04 10:00", [reservation(22), charging(60, 20)], tariff), time_zone="UTC")
    assert_total(check, *used)
    assert billed_minutes(check, "RESERVATION_TIME") == [30]
    minutes, excl, incl = expired
    lapsed = check_price(cdr("2019-03-04 10:00", [reservation(minutes)], tariff), time_zone="UTC")
    assert_total(lapsed, excl, incl)
    assert lapsed.totals["fixed"].excl_vat == 0  # no start fee without a charging session


def test_tariff_14_switching_element_1() -> None:
    # 16:55 charge 10 min (5 before 17:00 at 1.20/h, 5 after at 2.40/h), park 2 min -> 15 min.
    tariff = spec_tariff("tariff_14_step_size")
    record = cdr("2024-06-03 16:55", [charging(5, 1), charging(5, 1), parking(2)], tariff)
    check = check_price(record, time_zone="Europe/Berlin")
    assert_total(check, "0.55", "0.55")
    assert billed_minutes(check, "TIME") == [5, 5] and billed_minutes(check, "PARKING_TIME") == [15]


def test_tariff_14_switching_element_2_one_period_split_at_17() -> None:
    # 16:35 charge 35 min sent as ONE period: split at 17:00 (25 + 10 min); the last
    # TIME component's step (900 s) rounds the total 35 -> 45 min: 25 at 1.20 + 20 at 2.40.
    tariff = spec_tariff("tariff_14_step_size")
    check = check_price(cdr("2024-06-03 16:35", [charging(35, 6)], tariff), time_zone="Europe/Berlin")
    assert_total(check, "1.30", "1.30")
    assert billed_minutes(check, "TIME") == [25, 20]
    assert any("17:00 station time" in w for w in check.warnings)


def test_tariff_14_switching_to_free_of_charge() -> None:
    # 19:40 charge 12 min, park 20 min; parking is free after 20:00. The 8 billable parking
    # minutes (19:52-20:00) are rounded to 15 in that last priced period, as the spec says.
    # The spec's table then gives 0.20 + 0.60 = 0.80, pricing charging at neither element's
    # rate and parking at the TIME rate; the tariff JSON gives 12 min at 2.40 (0.48) and
    # 15 min parking at 1.00 (0.25).
    tariff = spec_tariff("tariff_14_step_size")
    record = cdr("2024-06-03 19:40", [charging(12, 2), parking(8), parking(12)], tariff)
    check = check_price(record, time_zone="Europe/Berlin")
    assert amounts(check) == (Decimal("0.73"), Decimal("0.73"))
    assert billed_minutes(check, "PARKING_TIME") == [15]


def test_max_power_restriction_example() -> None:
    tariff = spec_tariff("tariffrestriction_example_max_power")
    periods = [energy_only(10, 1, MAX_POWER=6), energy_only(50, 40, MAX_POWER=48), energy_only(8, 0.5, MAX_POWER=4)]
    check = check_price(cdr("2019-03-04 10:00", periods, tariff), time_zone="UTC")
    assert check.total.excl_vat == Decimal("20.30")
    assert [line.price for line in check.lines] == [Decimal("0.2"), Decimal("0.5"), Decimal("0.2")]


def test_max_duration_restriction_example() -> None:
    tariff = spec_tariff("tariffrestriction_example_max_duration")
    check = check_price(cdr("2019-03-04 10:00", [charging(30, 5), charging(10, 1.2)], tariff), time_zone="UTC")
    assert check.total.excl_vat == Decimal("0.30")


# -- the step_size examples of mod_tariffs PriceComponent and mod_cdrs step_size -----------


def _tariff(*elements: dict) -> dict:
    return {"country_code": "DE", "party_id": "EVT", "id": "T", "currency": "EUR", "elements": list(elements),
            "last_updated": "2024-01-01T00:00:00Z"}


def _component(kind: str, price: str, step: int) -> dict:
    return {"type": kind, "price": float(price), "step_size": step}


@pytest.mark.parametrize(("step", "excl"), [(1, "0.029"), (25, "0.03125"), (500, "0.125")])
def test_115_2_wh(step: int, excl: str) -> None:
    tariff = _tariff({"price_components": [_component("ENERGY", "0.25", step)]})
    check = check_price(cdr("2024-06-03 10:00", [energy_only(5, 0.1152)], tariff), time_zone="UTC")
    assert check.total.excl_vat == Decimal(excl)


def test_energy_step_rounds_the_session_total_not_the_last_period() -> None:
    # 0.20/kWh before 17:00, 0.27 after, step 500 Wh: 4.3 + 1.1 = 5.4 kWh -> 5.5; 1.2 after 17:00.
    tariff = _tariff(
        {"price_components": [_component("ENERGY", "0.20", 500)], "restrictions": {"end_time": "17:00"}},
        {"price_components": [_component("ENERGY", "0.27", 500)]},
    )
    check = check_price(cdr("2024-06-03 16:00", [energy_only(60, 4.3), energy_only(30, 1.1)], tariff), time_zone="Europe/Berlin")
    assert [line.billed_volume for line in check.lines] == [Decimal("4.3"), Decimal("1.2")]
    assert check.total.excl_vat == Decimal("0.86") + Decimal("0.324")


def test_time_step_rounds_the_session_total() -> None:
    # 5/h before 17:00, 7/h after, step 10 min: 6 + 22 = 28 -> 30 min, so 24 min after 17:00.
    tariff = _tariff(
        {"price_components": [_component("TIME", "5", 600)], "restrictions": {"end_time": "17:00"}},
        {"price_components": [_component("TIME", "7", 600)]},
    )
    check = check_price(cdr("2024-06-03 16:54", [charging(6), charging(22)], tariff), time_zone="Europe/Berlin")
    assert billed_minutes(check, "TIME") == [6, 24]


@pytest.mark.parametrize(("charge", "park", "billed_park"), [(21, 7, 10), (21, 16, 20)])
def test_charging_followed_by_parking_rounds_only_parking(charge: int, park: int, billed_park: int) -> None:
    tariff = _tariff({"price_components": [_component("TIME", "1.00", 600 if park == 16 else 300),
                                           _component("PARKING_TIME", "2.00", 600 if park == 16 else 300)]})
    check = check_price(cdr("2024-06-03 10:00", [charging(charge), parking(park)], tariff), time_zone="UTC")
    assert billed_minutes(check, "TIME") == [charge] and billed_minutes(check, "PARKING_TIME") == [billed_park]
