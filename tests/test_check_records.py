"""`evtui.pricing.for_record`: one dispatcher over every record type that carries a price."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evtui.demo.corpay import SESSIONS
from evtui.demo.spirii import CHARGE_RECORDS, TRANSACTIONS
from evtui.pricing import CANNOT_CHECK, DIFFERS, MATCHES, PriceCheck, for_record

TARIFF = {
    "country_code": "NL", "party_id": "EVT", "id": "T1", "currency": "EUR",
    "elements": [{"price_components": [{"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 1}]}],
    "last_updated": "2026-11-01T00:00:00Z",
}


def cdr(total_excl: float, total_incl: float, **extra: Any) -> dict[str, Any]:
    """10 kWh at 0.25 EUR/kWh excl. 10 % VAT: 2.50 excl., 2.75 incl."""
    return {
        "country_code": "NL", "party_id": "EVT", "id": "CDR1", "currency": "EUR",
        "start_date_time": "2026-11-01T10:00:00Z", "end_date_time": "2026-11-01T11:00:00Z",
        "charging_periods": [{"start_date_time": "2026-11-01T10:00:00Z", "dimensions": [{"type": "ENERGY", "volume": 10}], "tariff_id": "T1"}],
        "tariffs": [TARIFF],
        "total_cost": {"excl_vat": total_excl, "incl_vat": total_incl},
        "total_energy": 10, "total_time": 1,
        "last_updated": "2026-11-01T11:05:00Z",
        **extra,
    }


def test_ocpi_cdr_goes_through_the_tariff_engine() -> None:
    check = for_record("ocpi", "cdr", cdr(2.5, 2.75), time_zone="Europe/Amsterdam")
    assert isinstance(check, PriceCheck) and check.verdict.outcome == MATCHES
    differs = for_record("ocpi", "cdr", cdr(3.0, 3.3), time_zone="Europe/Amsterdam")
    assert differs is not None and differs.verdict.text == "differs by +0.50 EUR excl. VAT / +0.55 EUR incl. VAT"


def test_ocpi_cdr_tariffs_may_be_given() -> None:
    doc = cdr(2.5, 2.75)
    del doc["tariffs"]
    assert for_record("ocpi", "cdr", doc).verdict.outcome == CANNOT_CHECK  # type: ignore[union-attr]
    assert for_record("ocpi", "cdr", doc, tariffs=[TARIFF], time_zone="UTC").verdict.outcome == MATCHES  # type: ignore[union-attr]


def test_an_ocpi_session_without_an_end_is_an_estimate() -> None:
    doc = cdr(2.5, 2.75, kwh=10, status="ACTIVE")
    del doc["end_date_time"], doc["tariffs"]
    check = for_record("ocpi", "session", doc, tariffs=[TARIFF], time_zone="UTC")
    assert check is not None
    assert any("an estimate so far" in w for w in check.warnings)


def test_spirii_and_corpay_records() -> None:
    assert for_record("spirii", "transaction", TRANSACTIONS["52000120"]).verdict.outcome == DIFFERS  # type: ignore[union-attr]
    assert for_record("spirii", "charge-record", CHARGE_RECORDS["52000120"]).verdict.outcome == MATCHES  # type: ignore[union-attr]
    assert for_record("corpay", "session", SESSIONS["AAdmD55q8Vz"]).verdict.outcome == MATCHES  # type: ignore[union-attr]


def test_record_types_without_a_price_give_none() -> None:
    assert for_record("ocpi", "location", {"id": "L1"}) is None
    assert for_record("someone-elses", "session", {}) is None


HOSTILE: list[Any] = [
    None, [], "text", 7, {"price": "free"}, {"price": {"amount": float("nan"), "perKwh": 1e308}},
    {"price": {"amount": "1e999999", "amountExVat": 1, "vatRate": -5, "perKwh": 2, "breakdown": [1, None]}},
    {"price": {"amount": 1, "amountExVat": 1, "breakdown": [{"quantity": True, "unitPrice": [], "amountExVat": {}}]}},
    {"price": {"minorExclVat": "1e20", "minorInclVat": -1, "vat": "1e20", "currencyCode": ["EUR"]}, "transactions": "all"},
    {"price": {"minorExclVat": 1, "vat": "0"}, "transactions": [None, {"amount": {"minorInclVat": "x"}}], "balanceAmountMinor": {}},
    {"charging_periods": "many", "tariffs": [None], "total_cost": {"excl_vat": "a"}, "currency": 5},
    {"charging_periods": [{"dimensions": [{"type": "ENERGY", "volume": 1e300}]}], "total_cost": 1, "tariffs": [TARIFF]},
]


@pytest.mark.parametrize("document", HOSTILE, ids=lambda d: json.dumps(d, allow_nan=True)[:40])
@pytest.mark.parametrize(("adapter", "record_type"), [("ocpi", "cdr"), ("ocpi", "session"), ("spirii", "transaction"), ("spirii", "charge-record"), ("corpay", "session")])
def test_provider_data_never_makes_it_raise(adapter: str, record_type: str, document: Any) -> None:
    check = for_record(adapter, record_type, document)
    assert check is not None and check.verdict.outcome in (MATCHES, DIFFERS, CANNOT_CHECK)
    assert check.verdict.text.startswith(check.verdict.outcome)
