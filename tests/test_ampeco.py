"""The AMPECO adapter over real HTTP against the demo tenant."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evtui.adapters.ampeco import AmpecoAdapter
from evtui.config.schema import config_from_data
from evtui.demo import ampeco as demo
from evtui.demo.faults import spirii_id as fault_id
from evtui.demo.server import DemoServer, demo_config
from evtui.errors import CredentialsRejected, InvalidId, NotFound, ProviderError
from evtui.pool import AdapterPool
from evtui.record import Field, Record, Related, Table
from tests.test_cli import no_traceback, run, write_config


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as s:
        yield s


def _config(server: DemoServer, **overrides: Any) -> Any:
    profile = {**server.providers["ampeco"].profile(server.base_url("ampeco")), **overrides}
    return config_from_data({"profiles": {"a": profile}}, None)


@pytest.fixture
async def pool(server: DemoServer) -> Any:
    async with AdapterPool(_config(server)) as p:
        yield p


async def session(pool: AdapterPool, record_id: str) -> Record:
    return await pool.get("a").fetch(record_id)


async def cdr(pool: AdapterPool, record_id: str) -> Record:
    return await pool.get("a").fetch(record_id, "cdr")


def fields(record: Record, key: str) -> dict[str, Field]:
    sec = record.section(key)
    assert sec is not None, f"no section {key!r}"
    return {f.label: f for f in sec.fields}


def table(record: Record, key: str, title: str) -> Table:
    sec = record.section(key)
    assert sec is not None
    return next(t for t in sec.tables if t.title == title)


async def test_a_paid_session_decoded(pool: AdapterPool, server: DemoServer) -> None:
    record = await session(pool, "48213")
    o = fields(record, "overview")
    assert o["Session id"].value == "48213"
    assert (o["Status"].value, o["Status"].note) == ("finished", demo_words("SESSION_STATUS", "finished"))
    assert o["Stop reason"].note == "OCPP EVDisconnected: the cable was unplugged at the car"
    assert o["Billing status"].note == "billing is done"
    assert o["Payment status"].note == "paid in full"
    assert o["Energy"].value == "18.432 kWh (18432 Wh)" and o["Energy"].path == "data.energyConsumption.total"
    assert o["Total with tax"].value == "8.89 EUR"
    assert o["Total without tax"].value == "7.41 EUR"
    assert o["Tariff snapshot id"].value == "9120"
    assert o["Duration"].value == "1h 32m 41s"
    c = fields(record, "charging")
    assert c["Energy (deprecated)"].flag == "deprecated" and c["Energy (deprecated)"].value == "18.432 kWh (18432 Wh)"
    assert c["Peak power"].value == "22 kW"
    pay = fields(record, "payment")
    assert pay["Tax"].value == "1.48 EUR" and pay["Tax"].flag == "derived"
    assert pay["Price check"].value == "matches"
    breakdown = table(record, "payment", "Price breakdown")
    assert [row[1] for row in breakdown.rows] == [
        "connection (connection fee, applied at the start of the session)",
        "energy (the consumed energy)",
        "idle_time (time plugged in but not charging)",
    ]
    assert breakdown.rows[1][2:5] == ("18.432 kWh", "0.39 EUR / kWh", "7.19 EUR")
    periods = table(record, "charging", "Charging periods")
    assert [row[3] for row in periods.rows] == ["charging (the vehicle was charging)", "idle (plugged in, not charging)"]
    assert periods.rows[0][5] == "18.432 kWh (18432 Wh)" and periods.rows[1][6] == "1.20 EUR"
    assert record.problems == []
    # The price check (evtui.pricing.ampeco) also gives the record its Price check section, as Monta's and Spirii's.
    assert record.summary == "finished · 18.432 kWh (18432 Wh) · 8.89 EUR · payment paid · price matches"
    price = fields(record, "price")
    assert price["Verdict"].value == "matches (within 0.005 EUR; the breakdown's 3 lines, with tax)"
    assert price["totalAmount"].value == "provider ? excl. / 8.89 EUR incl. · computed ? excl. / 8.89 EUR incl."


def demo_words(table_name: str, key: str) -> str:
    from evtui.adapters.ampeco import words

    return getattr(words, table_name)[key]


async def test_the_session_is_asked_for_with_its_breakdown_and_periods(pool: AdapterPool, server: DemoServer) -> None:
    provider = server.providers["ampeco"]
    provider.session_queries.clear()
    record = await session(pool, "48214")
    assert provider.session_queries == [{"withPriceBreakdown": "1", "withChargingPeriods": "1"}]
    assert record.exchange is not None and record.exchange.url.endswith("/public-api/resources/sessions/v1.0/48214?withPriceBreakdown=1&withChargingPeriods=1")
    assert demo.API_TOKEN not in json.dumps(record.exchange.response_headers)
    assert ("X-RateLimit-Remaining".lower(), "599") in [(k.lower(), v) for k, v in record.exchange.response_headers]
    assert fields(record, "overview")["Status"].note == demo_words("SESSION_STATUS", "active")
    assert table(record, "charging", "Charging periods").rows[0][2] == "— (ongoing)"
    assert pool.get("a").final_state("session", record.document) is None


@pytest.mark.parametrize("sid", sorted(demo.SESSIONS))
async def test_every_demo_session_decodes_without_unknown_values(pool: AdapterPool, sid: str) -> None:
    record = await session(pool, sid)
    shown = [f for s in record.sections for f in s.fields]
    # Problems and the Price check's verdict are findings about the record, not values left undecoded.
    assert not [f.label for f in shown if f.flag in ("unknown", "missing", "invalid") and s_key(record, f) not in ("problems", "price")]


def s_key(record: Record, field: Field) -> str:
    return next(s.key for s in record.sections if field in s.fields)


async def test_every_status_is_served_in_words(pool: AdapterPool) -> None:
    from evtui.adapters.ampeco import words

    statuses = {s["status"] for s in demo.SESSIONS.values()}
    assert statuses == set(words.SESSION_STATUS)
    failed = await session(pool, "48216")
    o = fields(failed, "overview")
    assert o["Status"].note == "the session could not be started (final)"
    assert o["Stop reason"].note == "the remote start was refused by the charge point"
    assert o["Billing status"].value == "null" and o["Payment status"].value == "null"
    assert pool.get("a").final_state("session", failed.document) == "status failed is final and billing is not needed"


async def test_free_and_unpaid_sessions(pool: AdapterPool) -> None:
    free = await session(pool, "48219")
    assert fields(free, "overview")["Total with tax"].value == "0.00 EUR"
    assert fields(free, "payment")["Price check"].value == "matches"
    assert fields(free, "charging")["Non-billable energy"].value == "9.1 kWh (9100 Wh)"
    declined = fields(await session(pool, "48220"), "overview")
    assert declined["Billing status"].note == BILLING_SUSPENDED
    assert declined["Payment status"].note == "the payment failed: the amount is owed"
    assert fields(await session(pool, "48221"), "overview")["Payment status"].note == "partly paid: an amount is still owed"


BILLING_SUSPENDED = "billing is on hold (e.g. a payment problem or a manual review)"


async def test_a_breakdown_that_does_not_add_up_is_a_finding(pool: AdapterPool) -> None:
    record = await session(pool, "48226")
    check = fields(record, "payment")["Price check"]
    assert check.value == "differs by 0.50 EUR"
    assert "priceBreakdown[1]: quantity 10 × 0.39 EUR per unit is 3.90 EUR, the line says 4.00 EUR" in record.problems
    assert "the price breakdown adds up to 4.50 EUR with tax, totalAmount.withTax is 5.00 EUR" in record.problems
    assert "the deprecated energy (10250 Wh) differs from energyConsumption.total (10000 Wh)" in record.problems
    assert fields(record, "overview")["Energy"].value == "10 kWh (10000 Wh)"  # energyConsumption wins


async def test_roaming_session_links_its_cdr_and_the_cdr_is_decoded_as_ocpi(pool: AdapterPool) -> None:
    roaming = await session(pool, "48222")
    assert roaming.related == [Related("Roaming CDR 9051", "cdr", "9051")]
    assert fields(roaming, "links")["CPO's session id"].value == "DE-ENA-S-88123"
    link = roaming.related[0]
    record = await pool.get("a").fetch(link.record_id, link.record_type)
    o = fields(record, "overview")
    assert o["Protocol"].note == "an OCPI CDR (its data in ocpiData)" and o["OCPI version"].value == "2.2"
    assert o["Direction"].value == "received as eMSP"
    ocpi = fields(record, "ocpi-overview")
    assert ocpi["CDR id"].value == "DE-ENA-CDR-5521" and ocpi["CDR id"].path == "data.roamingId"
    assert ocpi["Energy"].value == "22.96 kWh" and ocpi["Energy"].path == "data.ocpiData.totalEnergy"
    assert ocpi["Total excl. VAT"].value == "8.87 EUR" and ocpi["Total excl. VAT"].flag is None
    assert ocpi["EVSE"].value == "DE*ENA*E0042*1" and ocpi["EVSE"].path == "data.ocpiData.cdrLocation.evseId"
    assert ocpi["CPO"].value == "not relayed by AMPECO"
    token = fields(record, "ocpi-token")
    assert token["Contract id"].value == "DE-AMP-C12345678-X" and token["Contract id"].path == "data.ocpiData.cdrToken.contractId"
    assert fields(record, "ocpi-cost")["Components check"].value.startswith("agrees")
    assert table(record, "ocpi-charging", "Charging periods").rows[0][2] == "22.96 kWh"
    assert record.problems == []
    assert record.summary.startswith("OCPI 2.2 CDR · Parkhaus Mitte")
    assert pool.get("a").final_state("cdr", record.document) == "a CDR is final"


async def test_an_ocpi_211_cdr_is_decoded_with_its_old_spellings_flagged(pool: AdapterPool) -> None:
    record = await cdr(pool, "9052")
    assert fields(record, "overview")["OCPI version"].note == "OCPI 2.1.1"
    auth = fields(record, "ocpi-overview")["Authorization"]
    assert auth.value == "NL-ALF-C00042137-7" and auth.flag == "deprecated" and auth.path == "data.ocpiData.authId"
    assert record.problems == ["ocpiData: auth_id is the OCPI 2.1.1 field; 2.2.1 sends cdr_token"]


async def test_a_hubject_cdr_is_shown_as_sent(pool: AdapterPool) -> None:
    record = await cdr(pool, "9060")
    assert fields(record, "overview")["Protocol"].value == "Hubject"
    other = fields(record, "other")
    assert other["data.oicpData.consumedEnergy"].value == "11.2" and other["data.oicpData.consumedEnergy"].flag == "unknown"


async def test_extension_links_go_both_ways(pool: AdapterPool) -> None:
    original = await session(pool, "48224")
    assert original.related == [Related("Session extending this one", "session", "48225")]
    extending = await session(pool, "48225")
    # originalSessionId and the deprecated extendingSessionId name the same session: one link.
    assert extending.related == [Related("Session this one extends", "session", "48224")]
    assert fields(extending, "links")["Extends session"].value == "48224"
    assert fields(extending, "links")["Extending session id"].flag == "deprecated"
    back = await pool.get("a").fetch(extending.related[0].record_id, "session")
    assert back.record_id == "48224"


@pytest.mark.parametrize("raw", ["abc", "0", "000", "12.5", "1e5", "-5", "12345678901234567890", "../1", "４８２１３", "48 213"])
async def test_invalid_ids_are_refused_before_any_request(pool: AdapterPool, server: DemoServer, raw: str) -> None:
    before = server.counts["ampeco.sessions"]
    with pytest.raises(InvalidId):
        await session(pool, raw)
    assert server.counts["ampeco.sessions"] == before


async def test_pasted_ids_are_normalised(pool: AdapterPool) -> None:
    assert pool.get("a").validate_id(" '#048213' ") == "48213"
    assert (await session(pool, "#48213")).record_id == "48213"


async def test_not_found_and_refused_in_the_providers_words(pool: AdapterPool) -> None:
    with pytest.raises(NotFound, match=r"HTTP 404: The record is not found"):
        await session(pool, "99999")
    with pytest.raises(ProviderError, match=r"HTTP 422: The given data was invalid\. — session: The selected session is invalid\."):
        await session(pool, demo.REFUSED_ID)


async def test_a_rejected_token_is_said_without_the_token(server: DemoServer) -> None:
    async with AdapterPool(_config(server, api_token="not-the-token")) as p:
        with pytest.raises(CredentialsRejected, match=r"HTTP 401: Unauthenticated\.") as caught:
            await p.get("a").fetch("48213")
    assert "not-the-token" not in str(caught.value) and "api_token" in str(caught.value.hint)


async def test_429_retry_after_is_honoured(pool: AdapterPool, server: DemoServer) -> None:
    before = server.counts["ampeco.sessions"]
    record = await session(pool, fault_id("rate-limited"))
    assert server.counts["ampeco.sessions"] == before + 2
    assert record.exchange is not None and any("HTTP 429; waited" in n and "Retry-After: 1" in n for n in record.exchange.notes)


def test_the_demo_profile_is_there(server: DemoServer) -> None:
    config = demo_config(server)
    assert config.profiles["demo-ampeco"].settings.adapter == "ampeco"
    assert isinstance(AdapterPool(config).get("demo-ampeco"), AmpecoAdapter)


def test_cli_exit_codes(config_dir: Path, server: DemoServer) -> None:
    found = run("get", "--demo", "-p", "demo-ampeco", "48222")
    assert found.returncode == 0, found.stderr
    assert "Roaming CDRs        9051" in found.stdout
    cdr_out = run("get", "--demo", "-p", "demo-ampeco", "-t", "cdr", "9051")
    assert cdr_out.returncode == 0 and "OCPI overview" in cdr_out.stdout
    missing = run("get", "--demo", "-p", "demo-ampeco", "99999")
    assert missing.returncode == 3 and "The record is not found" in missing.stderr
    invalid = run("get", "--demo", "-p", "demo-ampeco", "48.213")
    assert invalid.returncode == 2
    base = server.providers["ampeco"].profile(server.base_url("ampeco"))["base_url"]
    write_config(config_dir, f'[profiles.wrong]\nadapter = "ampeco"\nbase_url = "{base}"\napi_token = "not-the-token"\n')
    rejected = run("get", "-p", "wrong", "48213")
    assert rejected.returncode == 4 and "Unauthenticated." in rejected.stderr and "not-the-token" not in rejected.stderr
    for result in (found, cdr_out, missing, invalid, rejected):
        no_traceback(result)


def test_evtui_check_prices_ampeco_sessions(config_dir: Path) -> None:
    # Paid, charging, never billed, a breakdown that does not add up, and a CDR id (the type is session).
    ids = "48213\n48214\n48216\n48226\n"
    result = run("check", "--demo", "-p", "demo-ampeco", "--json", "-", input=ids)
    no_traceback(result)
    assert result.returncode == 6, result.stderr  # one price differs
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert {i: r["price"] for i, r in rows.items()} == {
        "48213": "matches", "48214": "matches", "48216": "cannot check", "48226": "differs",
    }
    assert rows["48213"]["provider_total"] == {"excl_vat": None, "incl_vat": "8.89"}
    assert rows["48226"]["verdict"] == "differs by +0.50 EUR incl. VAT"
    assert rows["48226"]["reasons"] == ["the price breakdown adds up to 4.50 EUR with tax, totalAmount.withTax is 5.00 EUR"]
    assert "priceBreakdown[1]: quantity 10 × 0.39 EUR per unit is 3.90 EUR, the line says 4.00 EUR" in rows["48226"]["findings"]
    assert rows["48216"]["reasons"] == ["the price breakdown is empty"]
    assert rows["48214"]["verdict"] == "matches (within 0.005 EUR; the breakdown's line, with tax; not stopped: an estimate so far)"
    human = run("check", "--demo", "-p", "demo-ampeco", "-", input=ids)
    assert "  price differs          1  (in total +0.50 EUR)" in human.stdout.splitlines()


def test_the_starter_example_profile_is_valid_once_uncommented() -> None:
    import tomllib

    from evtui.config.starter import STARTER

    example = STARTER.split("# [profiles.ampeco]\n", 1)[1].split("\n\n", 1)[0]
    profile = tomllib.loads("\n".join(line.removeprefix("# ") for line in example.splitlines()))
    config = config_from_data({"profiles": {"ampeco": profile}}, None)
    settings = config.profiles["ampeco"].settings
    assert settings.adapter == "ampeco" and settings.base_url.endswith("/public-api")


async def test_the_query_flag_spelling_is_a_setting(server: DemoServer) -> None:
    provider = server.providers["ampeco"]
    provider.session_queries.clear()
    async with AdapterPool(_config(server, query_true="true")) as p:
        await p.get("a").fetch("48213")
    assert provider.session_queries == [{"withPriceBreakdown": "true", "withChargingPeriods": "true"}]


async def test_faults_are_explained_in_the_providers_words(pool: AdapterPool) -> None:
    with pytest.raises(ProviderError, match=r"HTTP 500: Internal error while loading the record"):
        await session(pool, fault_id("server-error"))
    hostile = await session(pool, fault_id("hostile"))
    assert fields(hostile, "overview")["Status"].flag == "unknown"
    numbers = await session(pool, fault_id("hostile-numbers"))
    assert fields(numbers, "overview")["Energy"].value == "18.432 kWh (18432 Wh)"
    assert any("x_inf" in p for p in numbers.problems)


def test_only_valid_ids_become_related_records(server: DemoServer) -> None:
    adapter = AdapterPool(_config(server)).get("a")
    document = {"data": {"roaming": {"cdrIds": [9051, "77", "x", 1.5, True, "00", -3, "9" * 20]}, "originalSessionId": 2**60}}
    assert adapter.related("session", document) == [
        Related("Roaming CDR 9051", "cdr", "9051"),
        Related("Roaming CDR 77", "cdr", "77"),
        Related("Session this one extends", "session", str(2**60)),
    ]
    assert adapter.related("cdr", document) == []
