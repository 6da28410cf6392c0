"""The verdict: matches, differs by X (with the reading that explains it), cannot check;
credit CDRs; the per-kind totals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evtui.pricing import CANNOT_CHECK, DIFFERS, MATCHES, check_price
from tests.fixtures.pricing.cdrs import cdr, charging, parking, price, spec_tariff

ZONE = "Europe/Berlin"


def monday_parking_cdr(**totals) -> dict:
    # Charging 16:00-17:00 at up to 16 A, parking 17:00-18:30: parking is priced 09:00-18:00 only.
    tariff = spec_tariff("tariff_4_complex")
    return cdr("2024-06-03 16:00", [charging(60, 10, MAX_CURRENT=16), parking(90)], tariff, **totals)


def test_matching_totals_match_within_the_stated_tolerance() -> None:
    record = cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start"),
                 total=(5.5, 6.1), total_energy_cost=price(5.0, 5.5), total_fixed_cost=price(0.5, 0.6))
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.outcome == MATCHES
    assert check.verdict.text == "matches (within 0.01 EUR)"
    assert check.tolerance == Decimal("0.01") and "within 0.01 EUR" in check.rounding
    assert [c.matches for c in check.comparisons] == [True, True, True]


def test_a_total_off_by_more_than_the_tolerance_differs_by_that_much() -> None:
    record = cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start"), total=(5.75, 6.40))
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.outcome == DIFFERS
    assert check.verdict.text == "differs by +0.25 EUR excl. VAT / +0.30 EUR incl. VAT"
    assert check.verdict.difference.excl_vat == Decimal("0.25")
    assert check.verdict.reasons == ("no single reading explains it; compare the lines",)


def test_step_size_applied_per_period_is_named() -> None:
    # tariff_14 example #2: 25 min billed as 30 (step 1800) and 10 min as 15 (step 900): 0.60 + 0.60.
    record = cdr("2024-06-03 16:35", [charging(25, 4), charging(10, 2)], spec_tariff("tariff_14_step_size"),
                 total=(1.20, 1.20))
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.text == "differs by -0.10 EUR excl. VAT / -0.10 EUR incl. VAT"
    assert check.verdict.reasons[0] == (
        "step size applied per period instead of once per session (mod_cdrs step_size): "
        "period(s) 0, 1 rounded up on their own"
    )


def test_vat_missing_is_named() -> None:
    record = cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start"), total=(5.5, 5.5))
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.outcome == DIFFERS
    assert check.verdict.reasons[0] == "VAT missing: incl_vat equals excl_vat, but the tariff's VAT comes to 0.60 EUR"


def test_parking_priced_outside_its_hours_is_named() -> None:
    # Ours: TIME 1 h at 1.00 + parking 17:00-18:00 at 5.00 (18:00-18:30 free) + 2.50 start = 8.50.
    ours = check_price(monday_parking_cdr(), time_zone=ZONE)
    assert ours.total.excl_vat == Decimal("8.50")
    assert [round(line.volume * 60) for line in ours.lines if line.dimension == "PARKING_TIME"] == [60]
    provider = check_price(monday_parking_cdr(total=(11.0, 12.325)), time_zone=ZONE)
    assert provider.verdict.text.startswith("differs by +2.50 EUR excl. VAT")
    assert any(r.startswith("parking priced outside its hours") for r in provider.verdict.reasons)


def test_min_price_not_applied_is_named() -> None:
    record = cdr("2024-06-03 10:00", [charging(10, 1)], spec_tariff("tariff_12_025kwh_min_price"), total=(0.25, 0.275))
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.outcome == DIFFERS
    assert "min_price/max_price not applied" in check.verdict.reasons


def test_a_period_not_split_at_a_boundary_is_named() -> None:
    # One period 21:00-23:00 with 10 kWh; night energy from 22:00. Ours: split, 5 at 0.30 and
    # 5 at 0.10; a CPO pricing the period whole by its start bills 10 at 0.30.
    tariff = {"country_code": "DE", "party_id": "EVT", "id": "N", "currency": "EUR", "last_updated": "2024-01-01T00:00:00Z",
              "elements": [{"price_components": [{"type": "ENERGY", "price": 0.10, "step_size": 1}],
                            "restrictions": {"start_time": "22:00", "end_time": "06:00"}},
                           {"price_components": [{"type": "ENERGY", "price": 0.30, "step_size": 1}]}]}
    record = cdr("2024-06-03 21:00", [charging(120, 10)], tariff, total=(3.0, 3.0))
    check = check_price(record, time_zone=ZONE)
    assert check.total.excl_vat == Decimal("2.00")
    assert check.verdict.text == "differs by +1.00 EUR excl. VAT / +1.00 EUR incl. VAT"
    assert check.verdict.reasons[0] == (
        "periods crossing a restriction boundary priced whole by their start: "
        "period 0 (19:00-21:00 UTC) crosses 22:00 station time"
    )


def test_a_kind_total_that_differs_is_named_even_when_the_total_matches() -> None:
    record = cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start"), total=(5.5, 6.1),
                 total_energy_cost=price(5.5, 6.1), total_fixed_cost=price(0, 0))
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.outcome == DIFFERS
    assert check.verdict.text == "differs: total_cost matches, but total_energy_cost, total_fixed_cost do not"
    assert any(r.startswith("total_energy_cost differs by +0.50 EUR excl. VAT") for r in check.verdict.reasons)


def test_a_credit_cdr_carries_the_amounts_negated() -> None:
    tariff = spec_tariff("tariff_9_025kwh_start")
    credit = cdr("2024-06-03 10:00", [charging(60, 20)], tariff, total=(-5.5, -6.1), credit=True,
                 credit_reference_id="CDR-PRICING-0", total_energy_cost=price(-5.0, -5.5))
    check = check_price(credit, time_zone=ZONE)
    assert check.verdict.outcome == MATCHES
    assert check.comparisons[0].computed.excl_vat == Decimal("-5.50")
    positive = cdr("2024-06-03 10:00", [charging(60, 20)], tariff, total=(5.5, 6.1), credit=True)
    wrong = check_price(positive, time_zone=ZONE)
    assert wrong.verdict.outcome == DIFFERS
    assert wrong.verdict.reasons[0].startswith("credit CDR with a positive total_cost")


def test_without_tariffs_it_cannot_check() -> None:
    record = cdr("2024-06-03 10:00", [charging(60, 20)], None, total=(5.5, 6.1))
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.outcome == CANNOT_CHECK
    assert check.verdict.text == "cannot check: no tariff: the CDR carries none and none was given"
    assert check.lines == ()
    # the tariff given from elsewhere (the CPO's Tariffs module) makes it checkable
    fetched = check_price(record, [spec_tariff("tariff_9_025kwh_start")], ZONE)
    assert fetched.verdict.outcome == MATCHES
    assert "periods without tariff_id priced with the only tariff, '17'" in fetched.warnings


def test_a_period_naming_an_unknown_tariff_cannot_be_checked() -> None:
    record = cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start"), total=(5.5, 6.1))
    record["charging_periods"][0]["tariff_id"] = "NOT-THERE"
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.outcome == CANNOT_CHECK
    assert "period 0 names tariff 'NOT-THERE', which is not among the tariffs" in check.verdict.reasons


def test_without_a_provider_total_it_computes_but_cannot_check() -> None:
    check = check_price(cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start")), time_zone=ZONE)
    assert check.total.excl_vat == Decimal("5.50")
    assert check.verdict.outcome == CANNOT_CHECK and "total_cost" in check.verdict.text


def test_without_periods_or_times_it_cannot_check() -> None:
    record = cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start"), total=(5.5, 6.1))
    record["charging_periods"] = []
    assert check_price(record, time_zone=ZONE).verdict.reasons == ("the CDR has no charging periods",)
    record = cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start"), total=(5.5, 6.1))
    del record["end_date_time"], record["last_updated"]
    assert "the CDR has no readable end_date_time" in check_price(record, time_zone=ZONE).verdict.reasons


def test_a_tariff_in_another_currency_cannot_be_checked() -> None:
    tariff = dict(spec_tariff("tariff_9_025kwh_start"), currency="CHF")
    check = check_price(cdr("2024-06-03 10:00", [charging(60, 20)], tariff, total=(5.5, 6.1)), time_zone=ZONE)
    assert check.verdict.outcome == CANNOT_CHECK
    assert check.verdict.text == "cannot check: tariff(s) 17 priced in another currency than the CDR's EUR"


def test_a_session_without_an_end_is_an_estimate_so_far() -> None:
    record = cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start"), total=(5.5, 6.1))
    del record["end_date_time"]
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.outcome == MATCHES
    assert any("an estimate so far" in w for w in check.warnings)


def test_the_benchmark_cdr_of_14000_periods_is_checked_and_matches_its_own_total() -> None:
    # The benchmark (python -m tests.benchmarks.pricing) times this; here only that it works.
    from tests.benchmarks.pricing import PERIODS, ZONE as DEPOT_ZONE, build_cdr

    record = build_cdr()
    first = check_price(record, time_zone=DEPOT_ZONE)
    assert len(record["charging_periods"]) == PERIODS == 14_000
    assert first.warnings == ()
    record["total_cost"] = {"excl_vat": str(first.total.excl_vat), "incl_vat": str(first.total.incl_vat)}
    assert check_price(record, time_zone=DEPOT_ZONE).verdict.outcome == MATCHES


def _malformed() -> list[tuple[str, dict]]:
    def base() -> dict:
        return cdr("2024-06-03 10:00", [charging(60, 20, MAX_CURRENT=16), parking(20)],
                   spec_tariff("tariff_4_complex"), total=(5.5, 6.1))

    cases = []
    for label, change in [
        ("dimensions not a list", lambda r: r["charging_periods"][0].update(dimensions="ENERGY")),
        ("a dimension type that is a list", lambda r: r["charging_periods"][0]["dimensions"][0].update(type=["TIME"])),
        ("a volume that is text", lambda r: r["charging_periods"][0]["dimensions"][0].update(volume="lots")),
        ("an absurd volume", lambda r: r["charging_periods"][0]["dimensions"][0].update(volume=10**30)),
        ("NaN price", lambda r: r["tariffs"][0]["elements"][1]["price_components"][0].update(price=float("nan"))),
        ("price_components not a list", lambda r: r["tariffs"][0]["elements"][0].update(price_components={})),
        ("restrictions a number", lambda r: r["tariffs"][0]["elements"][1].update(restrictions=7)),
        ("day_of_week of numbers", lambda r: r["tariffs"][0]["elements"][2]["restrictions"].update(day_of_week=[1, 2])),
        ("elements missing", lambda r: r["tariffs"][0].pop("elements")),
        ("a period that is text", lambda r: r["charging_periods"].insert(1, "period")),
        ("min_price text", lambda r: r["tariffs"][0].update(min_price="cheap")),
        ("total_cost a list", lambda r: r.update(total_cost=[1])),
        ("periods out of order", lambda r: r["charging_periods"].reverse()),
    ]:
        record = base()
        change(record)
        cases.append((label, record))
    return cases


@pytest.mark.parametrize(("label", "record"), _malformed(), ids=[label for label, _ in _malformed()])
def test_malformed_provider_data_gives_a_verdict_not_an_exception(label: str, record: dict) -> None:
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.outcome in (MATCHES, DIFFERS, CANNOT_CHECK)
    assert check.verdict.text


def test_a_check_as_json_keeps_every_digit_as_text() -> None:
    import json

    from evtui.pricing import as_json

    record = cdr("2024-06-03 10:00", [charging(60, 20.45)], spec_tariff("tariff_3_alt_url"), total=(5.63, 6.24))
    data = json.loads(json.dumps(as_json(check_price(record, time_zone=ZONE))))
    assert data["verdict"]["outcome"] == MATCHES
    assert data["total"] == {"excl_vat": "5.625", "incl_vat": "6.2375"}
    assert data["lines"][1]["billed_volume"] == "20.5" and data["lines"][1]["start"] == "2024-06-03T08:00:00+00:00"


def test_a_total_without_incl_vat_matches_excl_vat_only_and_says_so() -> None:
    record = cdr("2024-06-03 10:00", [charging(60, 20)], spec_tariff("tariff_9_025kwh_start"), total=(5.5, None))
    check = check_price(record, time_zone=ZONE)
    assert check.verdict.text == "matches excl. VAT (within 0.01 EUR; no incl_vat sent to compare)"
