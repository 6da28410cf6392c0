"""The Spirii adapter over real HTTP against the demo server."""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from evtui.adapters import base  # noqa: F401
from evtui.transport import retry
from evtui.adapters.validation import validate_leniently
from evtui.environment import judge_environment
from evtui.transport.body import error_text
from evtui.adapters.spirii import (
    CHARGE_RECORD,
    CHARGE_RECORD_PAYMENT_STATUS,
    PAYMENT_METHOD,
    PAYMENT_STATUS,
    PRODUCTION_BASE,
    SANDBOX_BASE,
    SpiriiAdapter,
    SpiriiChargeRecord,
    SpiriiSettings,
    SpiriiTransaction,
)
from evtui.config.schema import config_from_data
from evtui.demo import spirii as demo
from evtui.demo.server import DemoServer
from evtui.demo.faults import spirii_id
from evtui.errors import CredentialsRejected, Forbidden, InvalidId, MalformedResponse, NotFound, ProviderError
from evtui.pool import AdapterPool
from evtui.record import Field, Record, Related, Table
from tests.test_cli import no_traceback, run

NOT_ENDED = "only filled when the transaction ends"


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """Timestamps show local time when it differs from UTC: pin the zone."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as s:
        yield s


def _config(server: DemoServer, **overrides: Any) -> Any:
    profile = {**server.providers["spirii"].profile(server.base_url("spirii")), **overrides}
    return config_from_data({"profiles": {"s": profile}}, None)


@pytest.fixture
async def pool(server: DemoServer) -> Any:
    async with AdapterPool(_config(server)) as p:
        yield p


async def fetch(pool: AdapterPool, record_id: str) -> Record:
    return await pool.get("s").fetch(record_id)


def fields(record: Record, key: str) -> dict[str, Field]:
    sec = record.section(key)
    assert sec is not None, f"no section {key!r}"
    labels = [f.label for f in sec.fields]
    assert len(labels) == len(set(labels)), f"duplicate labels in {key}: {labels}"
    return {f.label: f for f in sec.fields}


def values(record: Record, key: str) -> dict[str, str]:
    return {label: f.value for label, f in fields(record, key).items()}


# -- the adapter's facts ---------------------------------------------------------


def test_adapter_facts() -> None:
    assert SpiriiAdapter.name == "spirii"
    assert SpiriiAdapter.title == "Spirii"
    assert [rt.name for rt in SpiriiAdapter.record_types] == ["transaction", "charge-record"]
    assert "12345678" in SpiriiAdapter.record_types[0].id_hint
    assert "12345678" in SpiriiAdapter.record_types[1].id_hint
    assert (PRODUCTION_BASE, SANDBOX_BASE) == ("https://api.spirii.com", "https://sandbox.api.spirii.com")
    settings = SpiriiSettings.model_validate({"adapter": "spirii", "api_key": "env:SPIRII_API_KEY"})
    assert settings.base_url == PRODUCTION_BASE
    assert judge_environment(PRODUCTION_BASE) == "production"
    assert judge_environment(SANDBOX_BASE) == "test"
    assert "literal-key" not in repr(SpiriiSettings.model_validate({"adapter": "spirii", "api_key": "literal-key"}))


def test_demo_examples_exist() -> None:
    examples = demo.SpiriiDemo.examples
    assert 3 <= len(examples) <= 5
    assert set(examples) <= set(demo.TRANSACTIONS)
    assert len(demo.TRANSACTIONS) >= 6


def test_demo_numbers_are_consistent() -> None:
    currencies = set()
    for tid, t in demo.TRANSACTIONS.items():
        cd, price = t["chargingDetails"], t["price"]
        currencies.add(price["currency"])
        if cd["meterStop"] is not None:
            assert abs((cd["meterStop"] - cd["meterStart"]) / 1000 - cd["consumed"]) < 0.01, tid
        rate = price["vatRate"] if price["vatRate"] < 1 else price["vatRate"] / 100
        assert abs(price["amountExVat"] * (1 + rate) - price["amount"]) < 0.01, tid
        d = t["duration"]
        if d["total"] is not None:
            assert d["total"] == d["charging"] + d["idle"], tid
    assert {"EUR", "DKK", "SEK"} <= currencies


def test_model_covers_every_field_of_the_seed_page() -> None:
    model, problems = validate_leniently(SpiriiTransaction, SEED_EXAMPLE)
    assert problems == []
    assert model.auth.idTag.customer.operator.name == "<string>"
    assert model.auth.idTag.operator.crmId == 123
    assert model.roamingDetails.type == "Hubject"
    assert model.voucherGroup.perKwh == 123
    assert model.location.countryCode == "FR"
    assert model.tariff.id == "79804bf6-0d6d-4e74-ae00-16c7238c4e77"


# -- a complete roaming transaction (the seed page's example) --------------------------


async def test_overview_of_a_roaming_transaction(pool: AdapterPool) -> None:
    record = await fetch(pool, "12345678")
    assert record.sections[0].key == "overview"
    assert values(record, "overview") == {
        "Transaction id": "12345678",
        "Status": "ended",
        "Start": "2023-11-07 05:31:56 UTC",
        "End": "2023-11-07 07:13:56 UTC",
        "Duration": "1h 42m 0s (6120 s)",
        "Energy": "201 kWh",
        "Total price": "100.50 EUR",
        "Site": "Boulevard Garibaldi",
        "EVSE id": "FR.SPI.Z000001*1",
        "Authorization": "04A2B3C4D5E680 (RFID)",
    }
    assert fields(record, "overview")["Status"].flag == "derived"
    assert record.summary == "ended · Boulevard Garibaldi · 100.50 EUR · price matches"
    assert record.problems == []
    assert record.section("problems") is None
    assert record.section("other") is None
    assert [s.key for s in record.sections] == ["overview", "charging", "payment", "location", "authorization", "roaming", "checks", "price"]


async def test_charging_section(pool: AdapterPool) -> None:
    record = await fetch(pool, "12345678")
    f = fields(record, "charging")
    assert f["Energy consumed"].value == "201 kWh"
    assert f["Energy consumed"].flag is None
    assert f["Meter start"].value == "5123400 (probably Wh = 5123.4 kWh)"
    assert f["Meter stop"].value == "5324400 (probably Wh = 5324.4 kWh)"
    assert f["Meter start"].flag == f["Meter stop"].flag == "inferred"
    assert "probably Wh" in f["Meter start"].note
    assert f["Meter check"].value == "agrees: meters give 201 kWh, consumed is 201 kWh"
    assert f["Meter check"].flag == "derived"
    assert f["Highest power drawn"].value == "149.6 (probably kW)"
    assert f["Highest power drawn"].flag == "inferred"
    assert f["CO₂ emitted"].value == "8.04"
    assert f["CO₂ emitted"].note == "unit not documented"
    assert f["CO₂ emitted"].flag == "inferred"
    assert f["Vehicle state of charge"].value == "start: 18, end: 81"
    assert f["Charging time"].value == "1h 32m 0s (5520 s)"
    assert f["Idle time"].value == "10m 0s (600 s)"
    assert f["Total time"].value == "1h 42m 0s (6120 s)"
    assert f["Last update"].value == "2023-11-07 07:14:02 UTC"
    assert f["Priority"].value == "no"


async def test_payment_with_vat_as_percent(pool: AdapterPool) -> None:
    record = await fetch(pool, "12345678")
    f = fields(record, "payment")
    assert f["Total incl. VAT"].value == "100.50 EUR"
    assert f["Total excl. VAT"].value == "84.03 EUR"
    assert f["VAT rate"].value == "19.6 %"
    assert f["VAT rate"].note == "sent as 19.6 (percent)"
    assert f["VAT amount"].value == "16.47 EUR"
    assert f["VAT check"].value == "agrees: excl. VAT × (1 + 19.6 %) = 100.50 EUR"
    assert f["Price per kWh"].value == "0.50 EUR/kWh"
    assert f["Dynamic price"].value == "no"
    assert f["Currency"].value == "EUR"
    assert f["Currency"].note == "ISO 4217, 2 decimal digits"
    assert f["Payment method"].value == "RoamingOperator"
    assert f["Payment method"].note == PAYMENT_METHOD["RoamingOperator"]
    assert f["Payment status"].value == "succeeded"
    assert f["Payment status"].note == "the payment succeeded"
    assert (f["Tariff"].value, f["Tariff id"].value, f["Tariff type"].value) == (
        "Roaming FR",
        "1d0f5c38-9e2a-4e55-a0b6-5d6a4b3c2f10",
        "roaming",
    )
    assert f["Voucher"].value == "none"
    assert f["Voucher group"].value == "none"


async def test_vat_as_a_fraction(pool: AdapterPool) -> None:
    record = await fetch(pool, "31000542")
    f = fields(record, "payment")
    assert f["VAT rate"].value == "25 %"
    assert f["VAT rate"].raw == 0.25
    assert f["VAT rate"].note == "sent as 0.25 (a fraction)"
    assert f["Total incl. VAT"].value == "53.66 SEK"
    assert f["Total excl. VAT"].value == "42.93 SEK"
    assert f["VAT amount"].value == "10.73 SEK"
    assert f["VAT check"].value == "agrees: excl. VAT × (1 + 25 %) = 53.66 SEK"
    assert f["Dynamic price"].value == "yes (the price follows the market)"


async def test_location_section(pool: AdapterPool) -> None:
    record = await fetch(pool, "12345678")
    assert values(record, "location") == {
        "Name": "Boulevard Garibaldi",
        "Address": "14-16 Boulevard Garibaldi",
        "Zip code": "75015",
        "City": "Paris",
        "Country": "FR",
        "Location id": "654321",
        "CRM id": "90321",
        "CRM customer id": "91321",
        "Eligible for refund": "yes",
        "Charge box id": "4711",
        "EVSE id": "FR.SPI.Z000001*1",
        "Company id": "123457",
        "Company name": "Spirii France",
    }


async def test_roaming_section(pool: AdapterPool) -> None:
    record = await fetch(pool, "12345678")
    assert values(record, "roaming") == {
        "Roaming": "yes",
        "Roaming type": "Hubject",
        "Roaming operator": "DE*8PS",
        "EVCO id": "DE-8PS-C12345678-X",
        "Roaming idTag uid": "04A2B3C4D5E680",
        "Session status": "COMPLETED",
        "Session payload": '{"SessionID": "b2688855-7f00-0002-6d8e-48d5d6a2e6b2", "CPOPartnerSessionID": "12345678"}',
    }
    local = await fetch(pool, "52000118")
    assert values(local, "roaming") == {"Roaming": "no", "Roaming details": "none (not a roaming transaction)"}


async def test_authorization_with_label_customer_and_billing(pool: AdapterPool) -> None:
    record = await fetch(pool, "52000118")
    over = fields(record, "overview")
    assert over["Authorization"].value == "Fleet card 042 (RFID)"
    assert over["Authorization"].note == "uid 0491FF22AB7C80"
    f = values(record, "authorization")
    assert f["idTag uid"] == "0491FF22AB7C80"
    assert f["idTag label"] == "Fleet card 042"
    assert f["Comment"] == "Pool car B-NF 4242"
    assert f["Billing reference"] == "PO-2026-0193"
    assert f["Family tree company ids"] == "240017, 10"
    assert f["Operator name"] == "Spirii Operations"
    assert f["Operator CRM id"] == "1010"
    assert f["Company name"] == "Nordic Fleet ApS"
    assert f["Customer"] == "Jonas Weber"
    assert f["Customer's operator name"] == "Spirii Operations"
    assert f["Customer's company name"] == "Nordic Fleet ApS"
    assert f["App user id"] == "240502"
    assert values(record, "charging")["Priority"] == "yes"
    pay = values(record, "payment")
    assert pay["VAT rate"] == "19 %"
    assert pay["Price per kWh"] == "0.595 EUR/kWh"
    assert pay["Payment method"] == "Invoice"
    assert pay["Payment status"] == "paid"


# -- free, ongoing, MobilePay ----------------------------------------------------------


async def test_free_transaction_without_tariff(pool: AdapterPool) -> None:
    record = await fetch(pool, "20240117")
    f = fields(record, "payment")
    assert f["Tariff"].value == "no tariff applied (e.g. a Free transaction)"
    assert f["Tariff"].note == "tariff is null"
    assert "Tariff id" not in f
    assert f["Payment method"].value == "Free"
    assert f["Payment method"].note == "free charging: nothing to pay"
    assert f["Payment status"].value == "n/a"
    assert f["Payment status"].note == PAYMENT_STATUS["n/a"]
    assert f["Total incl. VAT"].value == "0.00 DKK"
    assert f["VAT rate"].value == "25 %"
    auth = fields(record, "authorization")
    assert auth["App user id"].value == "null"
    assert auth["App user id"].note == "null: the user is not registered to any app"
    assert fields(record, "overview")["Authorization"].value == "Beboer 112 (RFID)"
    assert record.summary == "ended · Amager Strandvej P-hus · 0.00 DKK · price matches"
    assert record.problems == []


async def test_ongoing_transaction(pool: AdapterPool) -> None:
    record = await fetch(pool, "31000542")
    over = fields(record, "overview")
    assert over["Status"].value == "ongoing (meter values still arriving)"
    assert over["End"].value == "— (not ended)"
    assert over["Duration"].value == "null"
    assert over["Duration"].note == NOT_ENDED
    ch = fields(record, "charging")
    for label in ("Charging time", "Idle time", "Total time"):
        assert (ch[label].value, ch[label].note) == ("null", NOT_ENDED)
    assert ch["Meter stop"].value == "null"
    assert ch["Meter check"].value == "cannot check: no meterStop"
    assert ch["Energy consumed"].value == "14.31 kWh"
    assert ch["Vehicle state of charge"].value == "current: 46"
    assert fields(record, "payment")["Payment status"].note == "the payment is not settled yet"
    assert record.summary == "ongoing · Hornsgatan Laddgata · 53.66 SEK · price matches"
    assert record.problems == []
    # Customer fields of the app user.
    auth = values(record, "authorization")
    assert auth["Customer"] == "Linnea Berg"
    assert auth["Customer's family tree company ids"] == "240388"


async def test_mobilepay_with_voucher(pool: AdapterPool) -> None:
    record = await fetch(pool, "41999003")
    f = values(record, "payment")
    assert f["Payment method"] == "MobilePay"
    assert fields(record, "payment")["Payment method"].note == "paid with MobilePay"
    assert f["Payment status"] == "mobilepay"
    assert f["Voucher code"] == "AARHUS-25"
    assert f["Voucher id"] == "9001"
    assert f["Voucher's group id"] == "900"
    assert f["Voucher group"] == "Aarhus Ø launch"
    assert f["Voucher price per kWh"] == "3.00 DKK/kWh"
    assert f["Voucher currency"] == "DKK"
    assert f["Total incl. VAT"] == "54.00 DKK"
    assert f["Tariff"] == "Spirii Tariff"
    assert values(record, "overview")["Authorization"] == "mp-2a9f31 (MOBILEPAY)"
    assert values(record, "charging")["Vehicle state of charge"] == "none reported ({})"


# -- errors ----------------------------------------------------------------------------


async def test_not_found_carries_the_providers_message(pool: AdapterPool, server: DemoServer) -> None:
    before = server.counts["spirii.transaction"]
    with pytest.raises(NotFound) as info:
        await fetch(pool, "4242")
    assert info.value.status == 404
    assert "resource_missing: No such transaction: '4242'" in info.value.message
    assert "transaction '4242'" in info.value.message
    assert server.counts["spirii.transaction"] == before + 1  # no retries


async def test_wrong_api_key_is_rejected_without_showing_it(server: DemoServer) -> None:
    key = "sk-live-wrong-4f9a21"
    async with AdapterPool(_config(server, api_key=key)) as pool:
        with pytest.raises(CredentialsRejected) as info:
            await fetch(pool, "12345678")
    exc = info.value
    assert exc.status == 401
    assert "HTTP 401: Unauthorized" in exc.message
    assert "api_key" in exc.hint
    for text in (exc.message, exc.hint, str(exc), repr(exc)):
        assert key not in text


def test_error_text_reads_both_spirii_shapes() -> None:
    stripe_like = {
        "error": {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "message": "No such transaction: '1'",
            "param": "id",
            "request_id": "req_1",
        }
    }
    assert error_text(stripe_like) == "resource_missing: No such transaction: '1'"
    assert error_text({"statusCode": 401, "message": "Unauthorized", "error": "Unauthorized"}) == "Unauthorized"


def test_error_text_keeps_the_nestjs_message() -> None:
    body = {"statusCode": 400, "message": ["id must be a number string"], "error": "Bad Request"}
    assert "id must be a number string" in error_text(body)


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("forbidden", Forbidden, "(HTTP 403: demo_fault: These credentials may not read this record)"),
        ("server-error", ProviderError, "(HTTP 500: demo_fault: Internal error while loading the record)"),
    ],
)
async def test_provider_errors_carry_the_spirii_message(
    pool: AdapterPool, fault: str, error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as info:
        await fetch(pool, spirii_id(fault))
    assert words in info.value.message  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("12a", "it contains 'a'; Spirii transaction ids are numbers"),
        ("", "No id given."),
        ("-5", "it contains '-'"),
        ("0", "it is zero"),
        ("000", "it is zero"),
        ("1" * 20, "it has 20 digits; Spirii ids have at most 19"),
        ("12 345", "it contains ' '"),
        ("12.5", "it contains '.'"),
        ("\uff11\uff12", "it contains '\uff11'"),  # full-width digits are not ASCII digits
        ("   ", "No id given."),
    ],
)
async def test_invalid_ids_are_refused_before_any_request(
    pool: AdapterPool, server: DemoServer, raw: str, words: str
) -> None:
    before = server.counts["spirii.transaction"]
    with pytest.raises(InvalidId) as info:
        await fetch(pool, raw)
    assert words in info.value.message
    assert info.value.hint == "A numeric transaction id such as 12345678"
    assert server.counts["spirii.transaction"] == before


async def test_nineteen_digits_are_accepted(pool: AdapterPool, server: DemoServer) -> None:
    before = server.counts["spirii.transaction"]
    with pytest.raises(NotFound):
        await fetch(pool, "9" * 19)
    assert server.counts["spirii.transaction"] == before + 1


async def test_unknown_record_type(pool: AdapterPool) -> None:
    with pytest.raises(InvalidId, match="no record type 'cdr'"):
        await pool.get("s").fetch("12345678", "cdr")


@pytest.mark.parametrize("raw", [" 12345678 ", '"12345678"', "'12345678'", "\u201c12345678\u201d", "\t`12345678`\n", "' \"12345678\" '"])
async def test_pasted_ids_are_cleaned(pool: AdapterPool, server: DemoServer, raw: str) -> None:
    before = server.counts["spirii.transaction"]
    record = await fetch(pool, raw)
    assert record.record_id == "12345678"
    assert record.summary == "ended · Boulevard Garibaldi · 100.50 EUR · price matches"
    assert server.counts["spirii.transaction"] == before + 1


# -- what the documentation does not know -------------------------------------------------


async def test_unknown_enum_value_and_fields_are_flagged(pool: AdapterPool) -> None:
    record = await fetch(pool, "77000001")
    method = fields(record, "payment")["Payment method"]
    assert (method.value, method.flag, method.note) == ("ApplePay", "unknown", "not a documented value")
    assert record.problems == [
        "unknown field carbonOffset (shown as sent)",
        "unknown field location.floor (shown as sent)",
        "unknown value 'ApplePay' in paymentMethod (shown as sent)",
        "chargingDetails.consumed: 25 kWh consumed, the meters give 50 kWh (invalid)",
    ]
    other = fields(record, "other")
    assert set(other) == {"carbonOffset", "location.floor"}
    assert other["carbonOffset"].value == '{"provider": "Klimate", "kg": 1.2}'
    assert other["location.floor"].value == "-2"
    assert all(f.flag == "unknown" for f in other.values())
    assert [f.value for f in fields(record, "problems").values()] == record.problems
    assert record.sections[-1].key == "problems"
    # The meters of this record disagree with `consumed`.
    assert values(record, "charging")["Meter check"] == (
        "does not agree: meters give 50 kWh, consumed is 25 kWh (the meter unit may not be Wh)"
    )


async def test_missing_required_fields_are_listed(pool: AdapterPool) -> None:
    record = await fetch(pool, "77000002")
    assert sorted(record.problems) == sorted(
        f"missing required field {name}" for name in ("chargeBoxId", "company", "paymentStatus", "updatedAt", "duration")
    )
    assert len(record.problems) == len(set(record.problems))
    assert fields(record, "location")["Charge box id"].flag == "missing"
    assert fields(record, "location")["Company"].value == "(missing)"
    assert fields(record, "payment")["Payment status"].flag == "missing"
    assert fields(record, "charging")["Last update"].value == "(missing)"
    assert fields(record, "charging")["Duration"].flag == "missing"
    assert record.summary == "ended · Aarhus Ø Havnegade · 54.00 DKK · price matches"


async def test_a_value_of_the_wrong_type_is_shown_as_sent(
    pool: AdapterPool, server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = copy.deepcopy(demo.TRANSACTIONS["52000119"])
    doc.update(id=77000003, chargeBoxId="CB-5121", isRoaming="maybe")
    doc["price"]["amount"] = "lots"
    monkeypatch.setitem(server.providers["spirii"].transactions, "77000003", doc)
    record = await fetch(pool, "77000003")
    box = fields(record, "location")["Charge box id"]
    assert (box.value, box.flag) == ("CB-5121", "invalid")
    assert fields(record, "roaming")["Roaming"].value == "maybe"
    assert fields(record, "roaming")["Roaming"].flag == "invalid"
    total = fields(record, "payment")["Total incl. VAT"]
    assert (total.value, total.flag) == ("lots", "invalid")
    assert record.model.chargeBoxId is None
    assert [p.split(":")[0] for p in record.problems] == ["chargeBoxId", "isRoaming", "price.amount"]
    assert "VAT check" not in fields(record, "payment")


def test_a_bad_list_item_does_not_sink_the_model() -> None:
    doc = copy.deepcopy(SEED_EXAMPLE)
    doc["auth"]["idTag"]["familyTreeCompanyIds"] = [240017, "10"]
    model, problems = validate_leniently(SpiriiTransaction, doc)
    assert problems == ["auth.idTag.familyTreeCompanyIds[0]: Input should be a valid string (shown as sent)"]
    assert model.auth.idTag.familyTreeCompanyIds == [None, "10"]
    assert model.price.amount == 100.5


async def test_null_required_objects_do_not_crash(
    pool: AdapterPool, server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = {"id": 77000004, "auth": None, "price": None, "location": "Paris", "chargingDetails": None}
    monkeypatch.setitem(server.providers["spirii"].transactions, "77000004", doc)
    record = await fetch(pool, "77000004")
    assert values(record, "overview")["Status"] == "ongoing (meter values still arriving)"
    assert record.summary == "ongoing · price cannot be checked"
    assert "location: Input should be a valid dictionary or instance of Location (shown as sent)" in record.problems
    assert values(record, "location")["Name"] == "—"


# -- the bytes and the request -----------------------------------------------------------


async def test_raw_is_exactly_what_the_server_sent(pool: AdapterPool, server: DemoServer) -> None:
    url = server.base_url("spirii") + "/v2/transactions/"
    headers = {"Authorization": f"Bearer {demo.API_KEY}"}
    async with httpx.AsyncClient() as client:
        compact = (await client.get(url + "63000077", headers=headers)).content
        indented = (await client.get(url + "12345678", headers=headers)).content
    record = await fetch(pool, "63000077")
    assert record.raw == compact == demo.RAW_TRANSACTIONS["63000077"]
    assert b'"amount":24.90,' in record.raw
    assert '"amount":24.90,' in record.compact_json()
    assert values(record, "payment")["Price per kWh"] == "0.60 EUR/kWh"
    assert values(record, "overview")["Authorization"] == "Camille\u2019s app (APP)"
    assert values(record, "overview")["Start"] == "2026-11-19 13:05:09.482 UTC"
    assert values(record, "overview")["Duration"] == "41m 0s (2460 s)"
    assert record.document == json.loads(compact)
    record = await fetch(pool, "12345678")
    assert record.raw == indented
    assert b"\n" in record.raw


async def test_request_and_exchange(pool: AdapterPool, server: DemoServer) -> None:
    record = await fetch(pool, "12345678")
    ex = record.exchange
    assert ex is not None
    assert (ex.method, ex.status) == ("GET", 200)
    assert ex.url == server.base_url("spirii") + "/v2/transactions/12345678"
    assert ex.notes == ()
    names = {k.lower() for k, _ in ex.response_headers}
    assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= names
    assert demo.API_KEY not in repr(record.exchange)
    assert isinstance(record.model, SpiriiTransaction)
    assert record.model.price.vatRate == 19.6
    assert record.model.auth.idTag.operator.name == "Hubject roaming"
    assert (record.profile, record.adapter, record.record_type) == ("s", "spirii", "transaction")


async def test_demo_refuses_a_missing_key_and_unknown_routes(server: DemoServer) -> None:
    base = server.base_url("spirii")
    async with httpx.AsyncClient() as client:
        no_key = await client.get(base + "/v2/transactions/12345678")
        route = await client.get(base + "/v1/sessions/1", headers={"Authorization": f"Bearer {demo.API_KEY}"})
        bad = await client.get(base + "/v2/transactions/abc", headers={"Authorization": f"Bearer {demo.API_KEY}"})
    assert no_key.status_code == 401
    assert no_key.json() == {"statusCode": 401, "message": "Unauthorized", "error": "Unauthorized"}
    assert route.status_code == 404
    assert route.json()["error"] == "Not Found"
    assert bad.status_code == 400


async def test_every_demo_record_presents_without_problems(pool: AdapterPool) -> None:
    for tid in demo.TRANSACTIONS:
        record = await fetch(pool, tid)
        assert record.problems == [], tid
        assert record.section("other") is None, tid
        assert record.summary.startswith(("ended · ", "ongoing · ")), tid


# -- charge records (GET /v2/charge-records/{id}) --------------------------------------------

CR = "charge-record"
PAN = "5454545454545454"


async def fetch_cr(pool: AdapterPool, record_id: str) -> Record:
    return await pool.get("s").fetch(record_id, CR)


def table(record: Record, key: str, title: str) -> Table:
    sec = record.section(key)
    assert sec is not None
    return next(t for t in sec.tables if t.title == title)


async def test_charge_record_overview(pool: AdapterPool, server: DemoServer) -> None:
    record = await fetch_cr(pool, "52000120")
    assert (record.record_type, record.record_id) == ("charge-record", "52000120")
    assert record.exchange is not None
    assert record.exchange.url == server.base_url("spirii") + "/v2/charge-records/52000120"
    assert isinstance(record.model, SpiriiChargeRecord)
    assert record.model.card.lastFour == "5454"
    assert record.model.price.breakdown[1].type == "idle_fee"
    assert values(record, "overview") == {
        "Charge record id": "52000120",
        "Transaction id": "52000120",
        "Payment status": "succeeded — the payment succeeded",
        "Start": "2026-11-21 14:00:00 UTC",
        "End": "2026-11-21 15:20:00 UTC",
        "Energy": "40 kWh",
        "Total price": "206.25 DKK",
        "Site": "Amager Strandvej P-hus",
        "EVSE id": "DK*SPI*E5121*1",
        "Authorization": "term-88a0 (PAYMENT_TERMINAL)",
        "Card": "Mastercard •••• 5454",
        "Receipt session id": demo.CHARGE_RECORDS["52000120"]["sessionId"],
    }
    assert fields(record, "overview")["Payment status"].raw == "succeeded"
    assert [s.key for s in record.sections] == [
        "overview", "payment", "card", "charging", "location", "authorization", "roaming", "checks", "price",
    ]
    assert record.summary == "payment succeeded · Amager Strandvej P-hus · 206.25 DKK · price matches"
    assert record.problems == []


async def test_charge_record_payment_metadata_and_breakdown(pool: AdapterPool) -> None:
    record = await fetch_cr(pool, "52000120")
    f = values(record, "payment")
    assert f["Total incl. VAT"] == "206.25 DKK"
    assert f["Total excl. VAT"] == "165.00 DKK"
    assert f["VAT check"] == "agrees: excl. VAT × (1 + 25 %) = 206.25 DKK"
    assert f["Tariff name"] == "Spirii Tariff"
    assert f["Payment status"] == "succeeded"
    assert f["Payment metadata status"] == "succeeded"
    assert f["Card number"] == "•••• 5454"
    assert fields(record, "payment")["Card number"].note == "shown as its last four digits"
    assert f["Merchant id"] == "000000123456789"
    assert f["Terminal id"] == "TID-5121-A"
    assert f["Paid at"] == "2026-11-21 15:20:31 UTC"
    assert f["Authorization code"] == "A1B2C3"
    assert f["Acquirer"] == "Nets"
    assert "Failure code" not in f
    assert f["Breakdown check"] == "agrees: the 3 lines add up to 206.25 DKK"
    breakdown = table(record, "payment", "Price breakdown")
    assert breakdown.columns == ("Item", "Description", "Quantity", "Unit price excl. VAT", "Excl. VAT", "Incl. VAT")
    assert breakdown.rows == (
        ("energy", "Energy", "40 kWh", "3.50 DKK/kWh", "140.00 DKK", "175.00 DKK"),
        ("idle_fee", "Idle fee after 10 min grace", "10 min", "2.00 DKK/min", "20.00 DKK", "25.00 DKK"),
        ("session_fee", "Session fee", "1 session", "5.00 DKK/session", "5.00 DKK", "6.25 DKK"),
    )


async def test_charge_record_card_section(pool: AdapterPool) -> None:
    record = await fetch_cr(pool, "63000077")
    assert values(record, "card") == {
        "Brand": "Visa",
        "Last four": "4242",
        "Card number": "•••• 4242",
        "Expiry": "09/2028",
        "Funding": "credit",
        "Issuer country": "FR",
        "Wallet": "apple_pay",
    }
    assert values(record, "overview")["Card"] == "Visa •••• 4242"
    assert values(record, "payment")["PSP reference"] == "pi_3QeZ9r2eZvKYlo2C1a2b3c4d"
    roaming = await fetch_cr(pool, "12345678")
    assert values(roaming, "card") == {"Card": "none (not paid by card)", "Card number": "null"}
    over = fields(roaming, "overview")["Card"]
    assert (over.value, over.note) == ("none", "paid by RoamingOperator; card is null")
    assert table(roaming, "payment", "Price breakdown").rows == (
        ("energy", "Energy", "201 kWh", "0.4181 EUR/kWh", "84.03 EUR", "100.50 EUR"),
    )


async def test_failed_charge_record(pool: AdapterPool) -> None:
    record = await fetch_cr(pool, "52000121")
    over = values(record, "overview")
    assert over["Payment status"] == "failed — the payment failed; nothing was collected"
    assert over["Card"] == "Visa •••• 0341"
    assert over["Total price"] == "117.00 SEK"
    pay = fields(record, "payment")
    assert (pay["Payment status"].value, pay["Payment status"].note) == ("failed", CHARGE_RECORD_PAYMENT_STATUS["failed"])
    assert pay["Payment status"].flag is None
    assert pay["Payment metadata status"].value == "failed"
    assert pay["Paid at"].value == "null"
    assert pay["Failure code"].value == "expired_card"
    assert pay["Failure message"].value == "Your card has expired."
    expiry = fields(record, "card")["Expiry"]
    assert (expiry.value, expiry.note, expiry.flag) == ("10/2026", "expired before the payment", "derived")
    assert record.summary == "payment failed · Hornsgatan Laddgata · 117.00 SEK · price matches"
    assert record.problems == []
    # The transaction only knew the payment as pending; `failed` is not one of its values.
    transaction = await fetch(pool, "52000121")
    assert values(transaction, "payment")["Payment status"] == "pending"
    assert "failed" not in PAYMENT_STATUS


async def test_failed_is_not_a_transaction_status(pool: AdapterPool, server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = {**demo.TRANSACTIONS["52000121"], "id": 77000005, "paymentStatus": "failed"}
    monkeypatch.setitem(server.providers["spirii"].transactions, "77000005", doc)
    record = await fetch(pool, "77000005")
    assert fields(record, "payment")["Payment status"].flag == "unknown"
    assert record.problems == ["unknown value 'failed' in paymentStatus (shown as sent)"]


async def test_related_both_ways(pool: AdapterPool) -> None:
    transaction = await fetch(pool, "52000120")
    assert transaction.related == [Related("Charge record", "charge-record", "52000120")]
    charge_record = await fetch_cr(pool, transaction.related[0].record_id)
    assert charge_record.related == [Related("Transaction", "transaction", "52000120")]
    back = await pool.get("s").fetch(charge_record.related[0].record_id, charge_record.related[0].record_type)
    assert back.record_type == "transaction" and back.document == transaction.document
    ongoing = await fetch(pool, "31000542")
    assert ongoing.related == []


async def test_every_ended_transaction_has_its_charge_record(pool: AdapterPool) -> None:
    ended = [tid for tid, t in {**demo.TRANSACTIONS, **demo.RAW_TRANSACTIONS}.items()
             if (json.loads(t) if isinstance(t, bytes) else t).get("endedAt")]
    assert len(ended) >= 8
    for tid in ended:
        transaction = await fetch(pool, tid)
        (link,) = transaction.related
        record = await pool.get("s").fetch(link.record_id, link.record_type)
        assert record.problems == [], tid
        assert record.section("other") is None, tid
        assert record.document["transactionId"] == int(tid)
        assert record.summary.startswith("payment "), tid


async def test_ongoing_transaction_has_no_charge_record_yet(pool: AdapterPool, server: DemoServer) -> None:
    before = server.counts["spirii.charge-record"]
    with pytest.raises(NotFound) as info:
        await fetch_cr(pool, "31000542")
    exc = info.value
    assert exc.status == 404 and exc.exit_code == 3
    assert "Spirii has no charge record '31000542' (HTTP 404: resource_missing: No such charge record: '31000542'" in exc.message
    assert "has not ended" in exc.message
    assert exc.hint.startswith("A charge record exists only once its transaction has ended")
    assert "look up transaction 31000542 (--type transaction)" in exc.hint
    assert server.counts["spirii.charge-record"] == before + 1
    # A missing transaction keeps the generic hint.
    with pytest.raises(NotFound) as missing:
        await fetch(pool, "4242")
    assert "charge record" not in missing.value.hint


def test_demo_charge_records_are_consistent() -> None:
    ended = {tid for tid, t in demo.TRANSACTIONS.items() if t.get("endedAt") is not None}
    assert ended | set(demo.RAW_TRANSACTIONS) == set(demo.CHARGE_RECORDS)
    assert "31000542" not in demo.CHARGE_RECORDS
    statuses = set()
    for tid, cr in demo.CHARGE_RECORDS.items():
        t = demo.TRANSACTIONS.get(tid) or json.loads(demo.RAW_TRANSACTIONS[tid])
        assert cr["id"] == cr["transactionId"] == t["id"], tid
        assert cr["consumed"] == t["chargingDetails"]["consumed"], tid
        assert cr["startedAt"] == t["startedAt"] and cr["endedAt"] == t["endedAt"], tid
        assert cr["paymentStatus"] == cr["paymentMetadata"]["paymentStatus"], tid
        price = cr["price"]
        assert {k: price[k] for k in t["price"]} == t["price"], tid
        lines = price["breakdown"]
        assert abs(sum(line["amount"] for line in lines) - price["amount"]) < 0.005, tid
        assert abs(sum(line["amountExVat"] for line in lines) - price["amountExVat"]) < 0.005, tid
        card = cr["card"]
        if card is not None:
            assert cr["paymentMetadata"]["maskedPan"].endswith(card["lastFour"]), tid
        statuses.add(cr["paymentStatus"])
    assert {"succeeded", "failed", "canceled", "n/a"} <= statuses
    assert [line["type"] for line in demo.CHARGE_RECORDS["52000120"]["price"]["breakdown"]] == [
        "energy", "idle_fee", "session_fee",
    ]


async def test_a_full_card_number_is_never_shown(pool: AdapterPool) -> None:
    record = await fetch_cr(pool, "77000011")
    card = fields(record, "card")
    number = card["Card number"]
    assert (number.value, number.flag, number.raw) == ("•••• 5454", "invalid", "•••• 5454")
    assert "a full card number was sent" in number.note
    leaked_field = card["card.cardNumber"]
    assert (leaked_field.value, leaked_field.flag) == ("•••• 5454", "invalid")
    assert "paymentMetadata.maskedPan holds a full card number, not a masked one (shown masked)" in record.problems
    assert "card.cardNumber holds a full card number (shown masked)" in record.problems
    assert "unknown value 'refunded' in paymentStatus (shown as sent)" in record.problems
    # Nowhere in the presentation: not in a value, a note, a raw value, a problem or the summary.
    shown = [record.summary, *record.problems]
    for sec in record.sections:
        for f in sec.fields:
            shown += [f.value, f.note, json.dumps(f.raw)]
        for t in sec.tables:
            shown += [c for row in t.rows for c in row]
    for text in shown:
        digits = "".join(ch for ch in text if ch.isdigit())
        assert PAN not in digits, text
    # The provider's bytes stay as sent (Raw JSON), which is why it is flagged.
    assert PAN.encode() in record.raw


async def test_a_bad_breakdown_line_is_shown_as_sent(pool: AdapterPool, server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = copy.deepcopy(demo.CHARGE_RECORDS["52000120"])
    doc.update(id=77000006, transactionId=77000006)
    doc["price"]["breakdown"][1]["amount"] = "twenty-five"
    doc["price"]["breakdown"].append("rounding")
    monkeypatch.setitem(server.providers["spirii"].charge_records, "77000006", doc)
    record = await fetch_cr(pool, "77000006")
    rows = table(record, "payment", "Price breakdown").rows
    assert rows[1][5] == "twenty-five"
    assert rows[3][:2] == ("(not an object)", "rounding")
    assert values(record, "payment")["Breakdown check"] == "cannot check: a line has no amount"
    assert [p.split(":")[0] for p in record.problems] == ["price.breakdown[1].amount", "price.breakdown[3]"]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("12a", "it contains 'a'; Spirii charge record ids are numbers"),
        ("-5", "Spirii charge record ids are whole numbers, digits only"),
        ("0", "it is zero, and no Spirii charge record has id 0"),
        ("1" * 20, "it has 20 digits; Spirii ids have at most 19"),
        ("CR-12345678", "it contains 'C'"),
        ("", "No id given."),
    ],
)
async def test_invalid_charge_record_ids_are_refused_before_any_request(
    pool: AdapterPool, server: DemoServer, raw: str, words: str
) -> None:
    before = server.counts["spirii.charge-record"]
    with pytest.raises(InvalidId) as info:
        await fetch_cr(pool, raw)
    assert words in info.value.message
    assert info.value.hint == CHARGE_RECORD.id_hint
    assert server.counts["spirii.charge-record"] == before


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("forbidden", Forbidden, "may not read charge record '990000012' (HTTP 403: demo_fault: These credentials may not read this record)"),
        ("server-error", ProviderError, "(HTTP 500: demo_fault: Internal error while loading the record)"),
        ("malformed", MalformedResponse, "is not JSON"),
    ],
)
async def test_fault_ids_work_for_charge_records(pool: AdapterPool, fault: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as info:
        await fetch_cr(pool, spirii_id(fault))
    assert words in info.value.message  # type: ignore[attr-defined]


async def test_flaky_charge_record_is_retried(server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "BACKOFF_FIRST", 0.01)
    async with AdapterPool(_config(server)) as pool:
        before = server.counts["spirii.charge-record"]
        record = await fetch_cr(pool, spirii_id("flaky"))
    assert server.counts["spirii.charge-record"] == before + 2
    assert record.exchange is not None and any("HTTP 503; retry 1" in n for n in record.exchange.notes)
    assert record.document["transactionId"] == 990000005
    assert values(record, "overview")["Payment status"] == "succeeded — the payment succeeded"


async def test_not_an_object_and_hostile_charge_records(pool: AdapterPool) -> None:
    listed = await fetch_cr(pool, spirii_id("not-an-object"))
    assert listed.summary == "unexpected document"
    hostile = await fetch_cr(pool, spirii_id("hostile"))
    assert hostile.section("overview") is not None
    assert any("unknown field" in p for p in hostile.problems)


async def test_watching_stops_when_the_transaction_ends_or_the_payment_settles(pool: AdapterPool) -> None:
    adapter = pool.get("s")
    assert adapter.final_state("charge-record", demo.CHARGE_RECORDS["52000121"]) == "payment status failed is final"
    assert adapter.final_state("transaction", demo.TRANSACTIONS["31000542"]) is None  # still charging
    assert adapter.final_state("transaction", demo.TRANSACTIONS["12345678"]) == (
        f"the transaction has ended (endedAt {demo.TRANSACTIONS['12345678']['endedAt']}; payment status succeeded)"
    )
    assert adapter.final_state("charge-record", [1]) is None
    assert adapter.status_paths("charge-record")[0] == "paymentStatus"


# -- charge records from the command line ------------------------------------------------------


def test_cli_charge_record_text(config_dir: Path) -> None:
    result = run("get", "--demo", "--profile", "demo-spirii", "--type", "charge-record", "52000121")
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    out = result.stdout
    assert out.startswith("Spirii · charge-record 52000121 · profile demo-spirii (demo)\n")
    assert "  Payment status      failed — the payment failed; nothing was collected\n" in out
    assert "  Card                Visa •••• 0341  brand and last four digits\n" in out
    assert "  Failure code             expired_card\n" in out
    assert "── Price breakdown" not in out and "  Price breakdown\n" in out
    assert "    energy  Energy       31.2 kWh  3.00 SEK/kWh          93.60 SEK  117.00 SEK\n" in out
    assert "── Card " in out
    assert result.stderr == ""


def test_cli_charge_record_json_is_the_provider_document(config_dir: Path) -> None:
    result = run("get", "--demo", "-p", "demo-spirii", "-t", "charge-record", "--json", "52000120", "12345678")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    sent = demo.CHARGE_RECORDS["52000120"]
    assert json.loads(lines[0]) == sent
    assert list(json.loads(lines[0])) == list(sent)
    assert json.loads(lines[1]) == demo.CHARGE_RECORDS["12345678"]


def test_cli_charge_record_errors(config_dir: Path) -> None:
    ongoing = run("get", "--demo", "-p", "demo-spirii", "--type", "charge-record", "31000542")
    assert ongoing.returncode == 3
    assert "has not ended" in ongoing.stderr and "--type transaction" in ongoing.stderr
    invalid = run("get", "--demo", "-p", "demo-spirii", "--type", "charge-record", "CR-1")
    assert invalid.returncode == 2
    assert "Spirii charge record ids are numbers" in invalid.stderr
    unknown = run("get", "--demo", "-p", "demo-spirii", "--type", "cdr", "12345678")
    assert unknown.returncode == 2
    assert "no record type 'cdr' (it serves: transaction, charge-record)" in unknown.stderr
    assert unknown.stdout == ""
    for r in (ongoing, invalid, unknown):
        no_traceback(r)
        assert len(r.stderr.strip().splitlines()) == 1


SEED_EXAMPLE: dict[str, Any] = {
    "auth": {
        "idTag": {
            "uid": "<string>",
            "id": 123,
            "type": "<string>",
            "label": "<string>",
            "customerId": 123,
            "operatorId": 123,
            "companyId": 123,
            "familyTreeCompanyIds": ["<string>"],
            "crmCustomerId": 123,
            "comment": "<string>",
            "billingReference": "<string>",
            "customerCrmCustomerId": 123,
            "companyCrmCustomerId": 123,
            "operator": {"id": 123, "name": "<string>", "crmId": 123},
            "company": {"id": 123, "name": "<string>"},
            "customer": {
                "id": 123,
                "firstName": "<string>",
                "lastName": "<string>",
                "operator": {"id": 123, "name": "<string>"},
                "company": {"id": 123, "name": "<string>"},
                "familyTreeCompanyIds": ["<string>"],
            },
        }
    },
    "chargeBoxId": 123,
    "chargingDetails": {
        "consumed": 123,
        "meterStart": 123,
        "meterStop": 123,
        "co2Emitted": 123,
        "highestPowerDrawn": 123,
        "vehicleStateOfCharge": {},
    },
    "company": {"id": 123456, "name": "Spirii"},
    "duration": {"charging": 123, "idle": 123, "total": 123},
    "evseId": "FR.SPI.Z000001*1",
    "id": 123456,
    "isRoaming": True,
    "location": {
        "id": 654321,
        "name": "Boulevard Garibaldi",
        "address": "14-16 Boulevard Garibaldi",
        "zipCode": "12345",
        "city": "Paris",
        "crmId": 123,
        "crmCustomerId": 123,
        "isEligibleForRefund": True,
        "countryCode": "FR",
    },
    "price": {"amount": 100.5, "amountExVat": 80.9, "currency": "EUR", "vatRate": 19.6, "isDynamic": True, "perKwh": 0.5},
    "startedAt": "2023-11-07T05:31:56Z",
    "updatedAt": "2023-11-07T05:31:56Z",
    "isPriority": True,
    "appUserId": 123,
    "endedAt": "2023-11-07T05:31:56Z",
    "roamingDetails": {
        "roamingOperator": "<string>",
        "roamingEvcoId": "<string>",
        "roamingIdTagUid": "<string>",
        "sessionStatus": "<string>",
        "type": "Hubject",
        "sessionPayload": {},
    },
    "tariff": {"id": "79804bf6-0d6d-4e74-ae00-16c7238c4e77", "name": "Spirii Tariff", "type": "standard"},
    "voucher": {"id": 123, "groupId": 123, "code": "<string>"},
    "voucherGroup": {"id": 123, "type": "<string>", "name": "<string>", "notes": "<string>", "perKwh": 123, "currency": "<string>"},
}
