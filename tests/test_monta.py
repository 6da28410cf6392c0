"""The Monta adapter against the demo server, over real HTTP."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from evtui.adapters.monta import DEFAULT_VERSION, rate_limit_notes
from evtui.config.schema import config_from_data
from evtui.demo import monta as demo
from evtui.demo.server import DemoServer, demo_config
from evtui.errors import ConfigError, CredentialsRejected, InvalidId, NotFound
from evtui.pool import AdapterPool
from tests.test_cli import no_traceback, run
from tests.test_corpay import field, values


def monta_config(server: DemoServer, **overrides: str):
    table = server.providers["monta"].profile(server.base_url("monta")) | overrides
    return config_from_data({"profiles": {"m": table}}, None)


@pytest.fixture
async def monta(demo_server: DemoServer):
    async with AdapterPool(monta_config(demo_server)) as pool:
        yield pool.get("m")


@pytest.fixture
def provider(demo_server: DemoServer) -> demo.MontaDemo:
    return demo_server.providers["monta"]


async def test_seed_charge_is_decoded(monta) -> None:
    record = await monta.fetch(demo.SEED_ID)
    overview = values(record, "overview")
    assert overview["Charge id"] == "889559095101176797"
    assert overview["State"] == "completed"
    assert "final" in field(record, "overview", "State").note
    assert overview["Started"] == "2026-11-20 17:02:11 UTC"
    assert overview["Stopped"] == "2026-11-20 18:15:40 UTC"
    assert overview["Energy"] == "24.318 kWh"
    assert overview["Price"] == "83.90 DKK"
    assert overview["Average price"] == "3.45 DKK/kWh"
    check = field(record, "overview", "Price check")
    assert check.value == "matches (within 0.14 DKK)" and check.flag == "derived"
    assert check.note.startswith("24.318 kWh × 3.45 DKK/kWh = 83.90 DKK; ")
    assert overview["State of charge"] == "80 %"
    assert overview["Partner external id"] == "fleet-4711"
    assert overview["Charge point id"] == "75211"
    charging = values(record, "charging")
    assert charging["Created"] == "2026-11-20 17:01:40 UTC"
    assert charging["Completed"] == "2026-11-20 18:16:02 UTC"
    assert charging["SoC limit"] == "80 %"
    assert charging["kWh limit"] == "40 kWh"
    payment = values(record, "payment")
    assert payment["Price limit"] == "150.00 DKK"
    assert payment["Currency"] == "DKK"
    assert "sent as 'dkk'" in field(record, "payment", "Currency").note
    assert payment["Currency name"] == "Danish Krone"
    assert payment["Payment session partner id"] == "pay-4711-001"
    assert payment["Payment session amount"] == "83.90 DKK"
    partner = values(record, "location")
    assert partner["Site id"] == "3021" and partner["Team id"] == "18273"
    assert json.loads(partner["Partner custom payload"]) == {"driver": "D-0193", "costCentre": "NO-OSL-7"}
    assert record.summary == "completed · 24.318 kWh · 83.90 DKK · price matches"
    assert record.problems == []
    assert record.section("other") is None


async def test_every_state_is_explained_and_only_the_end_is_final(monta) -> None:
    states = {c["state"]: cid for cid, c in demo.CHARGES.items() if c["state"] != "completed" or cid == demo.SEED_ID}
    states["stopped"] = "1000000017"  # the one that did not fail
    assert set(states) == {"paying", "reserved", "starting", "scheduled", "paused", "charging",
                           "stopping", "stopped", "releasing", "released", "completed"}
    for state, charge_id in states.items():
        record = await monta.fetch(charge_id)
        state_field = field(record, "overview", "State")
        assert state_field.value == state
        assert state_field.note and state_field.flag is None
        final = monta.final_state("charge", record.document)
        assert (final is not None) == (state == "completed"), state
    assert monta.status_paths("charge")[0] == "state"


async def test_a_watched_charge_stops_when_completed(monta) -> None:
    from evtui.watch import watch

    seen, final = [], None
    async for event in watch(monta, demo.LIVE_ID, interval=0.01):
        assert event.error is None
        seen.append(event.record.document["state"])
        final = event.final
        if len(seen) == 4:
            assert {c.path: c.new for c in event.changes}["consumedKwh"] == "5.4 kWh"
    assert list(dict.fromkeys(seen)) == ["paying", "starting", "charging", "stopping", "stopped", "released", "completed"]
    assert final == "state completed is final"


async def test_a_capitalised_or_unknown_state(monta, provider) -> None:
    provider.charges["1000000090"] = dict(demo.CHARGES["1000000015"], id=1000000090, state="Charging")
    provider.charges["1000000091"] = dict(demo.CHARGES["1000000015"], id=1000000091, state="teleporting")
    assert field(await monta.fetch("1000000090"), "overview", "State").note == "energy is flowing"
    unknown = await monta.fetch("1000000091")
    assert field(unknown, "overview", "State").flag == "unknown"
    assert "unknown value 'teleporting' in state (shown as sent)" in unknown.problems


async def test_a_currency_sent_as_a_plain_lowercase_code(monta, provider) -> None:
    provider.charges["1000000092"] = dict(demo.CHARGES["1000000002"], id=1000000092, currency="eur")
    record = await monta.fetch("1000000092")
    assert values(record, "overview")["Price"] == "4.90 EUR"
    currency = field(record, "payment", "Currency")
    assert (currency.value, currency.path) == ("EUR", "currency") and "sent as 'eur'" in currency.note


async def test_a_failed_charge(monta) -> None:
    record = await monta.fetch("1000000003")
    overview = values(record, "overview")
    assert overview["State"] == "stopped"
    assert overview["Failure reason"] == "The charge point did not start charging"
    assert overview["Energy"] == "0 kWh"
    assert "failed" in monta.final_state("charge", record.document)


@pytest.mark.parametrize(
    ("charge_id", "price", "average", "check", "product"),
    [
        (demo.BIG_ID, "2048 ISK", "65 ISK/kWh", "matches (within 17 ISK)", "31.5 kWh × 65 ISK/kWh = 2048 ISK"),
        ("1000000001", "0.00 DKK", "0.00 DKK/kWh", "matches (within 0.08 DKK)", "12.04 kWh × 0.00 DKK/kWh = 0.00 DKK"),
        ("1000000002", "4.90 EUR", "0.39 EUR/kWh", "differs by +1.00 EUR incl. VAT", "10 kWh × 0.39 EUR/kWh = 3.90 EUR"),
        ("1000000015", "26.94 DKK", "3.45 DKK/kWh", "matches (within 0.05 DKK; charge charging: an estimate so far)",
         "7.81 kWh × 3.45 DKK/kWh = 26.94 DKK"),
        ("1000000010", "null", "null", "cannot check: consumedKwh, averagePricePerKwh, price not sent", ""),
    ],
)
async def test_price_in_major_units_and_the_price_check(monta, charge_id: str, price: str, average: str, check: str, product: str) -> None:
    from evtui.pricing import for_record

    record = await monta.fetch(charge_id)
    overview = values(record, "overview")
    assert (overview["Price"], overview["Average price"], overview["Price check"]) == (price, average, check)
    assert field(record, "overview", "Price check").note.startswith(product)
    # The same check `evtui check` runs, through the one entry point for every record.
    found = for_record("monta", "charge", record.document)
    assert found is not None and found.verdict.text == check
    if check.startswith("differs"):
        assert found.verdict.reasons[0] == "10 kWh × 0.39 EUR/kWh = 3.90 EUR, but the price is 4.90 EUR: a start fee or a price per minute?"
        assert found.verdict.reasons[0] in field(record, "overview", "Price check").note
    assert record.problems == []


# -- 64-bit ids ---------------------------------------------------------------------------------


async def test_an_id_beyond_2_to_the_53_is_kept_exactly(monta) -> None:
    assert float(demo.BIG_ID) == float(int(demo.BIG_ID) - 1)  # what a float would have made of it
    record = await monta.fetch(demo.BIG_ID)
    assert record.record_id == "9007199254740993"
    assert record.exchange.url.endswith("/monta/charges/9007199254740993")
    assert record.document["id"] == 9007199254740993 and type(record.document["id"]) is int
    assert record.model.id == 9007199254740993
    assert values(record, "overview")["Charge id"] == "9007199254740993"
    assert '"id":9007199254740993,' in record.compact_json()
    assert b'"id": 9007199254740993,' in record.raw


def test_the_big_id_through_the_cli_json_and_history(config_dir: Path) -> None:
    result = run("get", "--demo", "-p", "demo-monta", "--json", demo.BIG_ID)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('{"id":9007199254740993,')
    assert json.loads(result.stdout) == demo.CHARGES[demo.BIG_ID]
    history = run("history", "--json")
    entries = [json.loads(line) for line in history.stdout.splitlines()]
    assert [(e["adapter"], e["id"], e["outcome"]) for e in entries] == [("monta", "9007199254740993", "found")]
    assert '"9007199254740993"' in history.stdout  # a string, not a number JSON readers round


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("+123", "contains '+'"),
        ("12.5", "contains '.'"),
        ("1e5", "contains 'e'"),
        ("-1", "contains '-'"),
        ("12 34", "contains ' '"),
        ("١٢٣", "contains '١'"),  # Arabic-Indic digits: str.isdigit says yes, Monta would not
        ("9223372036854775808", "larger than a 64-bit id"),
        ("0", "zero"),
        ("000", "zero"),
        ("", "No id given"),
    ],
)
async def test_invalid_ids_send_nothing(monta, demo_server: DemoServer, raw: str, problem: str) -> None:
    with pytest.raises(InvalidId) as info:
        await monta.fetch(raw)
    assert problem in info.value.message
    assert demo_server.counts["monta.token"] == 0 and demo_server.counts["monta.charge"] == 0


async def test_id_spellings_that_mean_one_charge(monta) -> None:
    assert monta.validate_id(" '889559095101176797' ") == demo.SEED_ID
    assert monta.validate_id("0001000000015") == "1000000015"
    assert monta.validate_id("9223372036854775807") == "9223372036854775807"
    record = await monta.fetch("0001000000015")
    assert record.record_id == "1000000015" and record.exchange.url.endswith("/charges/1000000015")


# -- auth ------------------------------------------------------------------------------------


async def test_one_token_for_many_lookups(monta, demo_server: DemoServer, provider) -> None:
    provider.access_lifetime = 3600
    ids = [demo.SEED_ID, demo.BIG_ID, "1000000001", "1000000002"]
    records = await asyncio.gather(*(monta.fetch(i) for i in ids))
    assert [r.record_id for r in records] == ids
    later = await monta.fetch("1000000015")
    assert demo_server.counts["monta.token"] == 1 and demo_server.counts["monta.refresh"] == 0
    assert demo_server.counts["monta.charge"] == 5
    assert "reused the access token" in later.exchange.notes


async def test_an_expiring_token_is_refreshed_with_the_refresh_token(monta, demo_server: DemoServer, provider) -> None:
    provider.access_lifetime = 0  # each token announces it is already due
    first = await monta.fetch(demo.SEED_ID)
    assert any("already passed" in n for n in first.exchange.notes)
    second = await monta.fetch(demo.BIG_ID)
    third = await monta.fetch("1000000001")
    assert demo_server.counts["monta.token"] == 1 and demo_server.counts["monta.refresh"] == 2
    assert any("/auth/refresh -> HTTP 200" in n and "refreshed the access token" in n for n in second.exchange.notes)
    assert third.record_id == "1000000001"


async def test_a_refused_refresh_falls_back_to_the_client_credentials(monta, demo_server: DemoServer, provider) -> None:
    provider.access_lifetime = 0
    await monta.fetch(demo.SEED_ID)
    provider.revoke_refresh_tokens()
    record = await monta.fetch(demo.BIG_ID)
    assert demo_server.counts["monta.refresh"] == 1 and demo_server.counts["monta.token"] == 2
    assert "the refresh token was refused: signed in again with the client credentials" in record.exchange.notes


async def test_an_expired_refresh_token_is_not_sent(monta, demo_server: DemoServer, provider) -> None:
    provider.access_lifetime = provider.refresh_lifetime = 0
    await monta.fetch(demo.SEED_ID)
    await monta.fetch(demo.BIG_ID)
    assert demo_server.counts["monta.refresh"] == 0 and demo_server.counts["monta.token"] == 2


async def test_a_revoked_token_gets_one_new_token_and_one_retry(monta, demo_server: DemoServer, provider) -> None:
    provider.access_lifetime = 3600
    await monta.fetch(demo.SEED_ID)
    provider.revoke_tokens()
    record = await monta.fetch(demo.BIG_ID)
    assert record.record_id == demo.BIG_ID
    assert demo_server.counts["monta.token"] == 2 and demo_server.counts["monta.charge"] == 3
    assert any("HTTP 401" in n for n in record.exchange.notes)


async def test_rejected_client_credentials_in_monta_s_words(demo_server: DemoServer) -> None:
    async with AdapterPool(monta_config(demo_server, client_secret="not-the-secret")) as pool:
        with pytest.raises(CredentialsRejected) as info:
            await pool.get("m").fetch(demo.SEED_ID)
    assert "INVALID_CLIENT_CREDENTIALS: Invalid client credentials" in info.value.message
    assert "not-the-secret" not in info.value.message + info.value.hint
    assert demo_server.counts["monta.charge"] == 0


async def test_monta_version_header_default_and_configured(demo_server: DemoServer, provider) -> None:
    async with AdapterPool(monta_config(demo_server)) as pool:
        await pool.get("m").fetch(demo.SEED_ID)
    async with AdapterPool(monta_config(demo_server, monta_version="2024-07-01")) as pool:
        await pool.get("m").fetch(demo.SEED_ID)
    assert provider.versions == [DEFAULT_VERSION, "2024-07-01"] and DEFAULT_VERSION == "2024-01-18"
    with pytest.raises(ConfigError):
        monta_config(demo_server, monta_version="2024-01-18\r\nX-Evil: 1")


# -- errors and limits -------------------------------------------------------------------------


async def test_not_found_quotes_monta(monta) -> None:
    with pytest.raises(NotFound) as info:
        await monta.fetch("123")
    assert "HTTP 404: CHARGE_NOT_FOUND: Charge 123 not found" in info.value.message


async def test_rate_limit_headers_in_the_http_tab(monta) -> None:
    record = await monta.fetch(demo.SEED_ID)
    headers = {k.lower(): v for k, v in record.exchange.response_headers}
    assert headers["ratelimit-limit"] == "1000" and headers["ratelimit-reset"] == "540"
    remaining = headers["ratelimit-remaining"]
    assert f"rate limit: {remaining} of 1000 requests left, the window resets in 540 s" in record.exchange.notes


def test_rate_limit_notes_read_both_spellings() -> None:
    import httpx

    assert rate_limit_notes(httpx.Headers({"X-RateLimit-Remaining": "3", "X-RateLimit-Limit": "10"})) == ["rate limit: 3 of 10 requests left"]
    assert rate_limit_notes(httpx.Headers({"RateLimit-Reset": "junk\x1b[2J"})) == []
    assert rate_limit_notes(httpx.Headers({})) == []


async def test_429_waits_for_retry_after_then_answers(monta) -> None:
    record = await monta.fetch(demo.RATE_LIMITED_ID)
    assert record.record_id == demo.RATE_LIMITED_ID
    assert any(n.startswith("HTTP 429; waited 1.0 s (Retry-After: 1)") for n in record.exchange.notes)


async def test_a_charge_has_no_related_records_to_open(monta) -> None:
    # Charges are the only record type the Partner API serves by id (CDRs are a date-window list).
    record = await monta.fetch(demo.SEED_ID)
    assert record.related == []


# -- the demo profile from the command line ------------------------------------------------------


def test_demo_profile_is_there(demo_server: DemoServer) -> None:
    profile = demo_config(demo_server).profiles["demo-monta"]
    assert profile.settings.adapter == "monta"


def test_evtui_check_over_monta_charges(config_dir: Path) -> None:
    ids = f"{demo.SEED_ID}\n1000000002\n{demo.BIG_ID}\n"
    result = run("check", "--demo", "-p", "demo-monta", "--json", "-", input=ids)
    assert result.returncode == 6, result.stderr  # one price differs
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["id"], r["price"]) for r in rows] == [(demo.SEED_ID, "matches"), ("1000000002", "differs"), (demo.BIG_ID, "matches")]
    assert rows[2]["provider_total"] == {"excl_vat": None, "incl_vat": "2048"}


def test_cli_exit_codes_with_the_demo(config_dir: Path) -> None:
    found = run("get", "--demo", "-p", "demo-monta", demo.SEED_ID)
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("Monta · charge 889559095101176797 · profile demo-monta (demo)\n")
    assert "  Price check          matches (within 0.14 DKK)  [derived] 24.318 kWh × 3.45 DKK/kWh = 83.90 DKK;" in found.stdout
    invalid = run("get", "--demo", "-p", "demo-monta", "88955909510117679.7")
    assert invalid.returncode == 2 and "digits only" in invalid.stderr
    missing = run("get", "--demo", "-p", "demo-monta", "123")
    assert missing.returncode == 3 and "CHARGE_NOT_FOUND: Charge 123 not found" in missing.stderr
    rejected = run("get", "--demo", "-p", "demo-monta", demo.REVOKED_ID)
    assert rejected.returncode == 4 and "UNAUTHORIZED: Access token is invalid or expired" in rejected.stderr
    for r in (found, invalid, missing, rejected):
        no_traceback(r)
        assert demo.CLIENT_SECRET not in r.stdout + r.stderr


# -- as a new user: evtui --demo, switch to Monta, look ids up ----------------------------------


def test_the_starter_s_monta_example_is_a_valid_profile() -> None:
    import tomllib

    from evtui.config.starter import STARTER

    block = STARTER.split("# [profiles.monta]\n", 1)[1].split("\n\n", 1)[0]
    table = tomllib.loads("\n".join(line.removeprefix("# ") for line in block.splitlines()))
    config = config_from_data({"profiles": {"monta": table}}, None)
    assert config.profiles["monta"].settings.monta_version == DEFAULT_VERSION


async def test_the_inspector_switches_to_monta_and_shows_a_big_id(demo_server: DemoServer, config_dir: Path) -> None:
    from evtui.tui.app import EvtuiApp
    from evtui.tui.switcher import ProfilePicker
    from tests.test_tui import rendered_text, until

    app = EvtuiApp(demo_config(demo_server), demo_server=demo_server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        assert app.focused is main.search.input
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, ProfilePicker), "picker")
        names = list(demo_config(demo_server).profiles)
        await pilot.press(*["down"] * names.index("demo-monta"), "enter")
        await until(pilot, lambda: app.screen is main, "picker closed")
        assert main.profile_name == "demo-monta"
        assert app.focused is main.search.input
        await pilot.press(*demo.BIG_ID, "enter")
        await until(pilot, lambda: main.detail.mode == "record", "the charge")
        overview = rendered_text(main.detail.query("FieldList").first())
        assert "9007199254740993" in overview and "completed" in overview and "2048 ISK" in overview
        tabs = main.detail.record_view.tabs
        for _ in range(12):  # ] until the HTTP tab, the last
            if tabs.active == "tab-http":
                break
            before = tabs.active
            await pilot.press("right_square_bracket")
            await until(pilot, lambda: tabs.active != before, f"the tab after {before}")
        assert tabs.active == "tab-http"
        http_pane = main.detail.query_one("#tab-http")
        await until(pilot, lambda: bool(http_pane.query("SectionView")), "the HTTP tab laid out")
        http = "\n".join(rendered_text(w) for w in http_pane.query("FieldList"))
        assert "/monta/charges/9007199254740993" in http
        assert "rate limit:" in http and "requests left" in http


async def test_hostile_values_stay_data(monta) -> None:
    from evtui.demo.faults import HOSTILE, spirii_id

    hostile = await monta.fetch(spirii_id("hostile"))
    state = field(hostile, "overview", "State")
    assert state.value == HOSTILE["markup"] and state.flag == "unknown"
    numbers = await monta.fetch(spirii_id("hostile-numbers"))
    assert values(numbers, "overview")["Price check"] == "matches (within 0.14 DKK)"
    assert {"unknown field x_huge (shown as sent)", "unknown field x_deep (shown as sent)"} <= set(numbers.problems)


async def test_a_rate_limited_token_endpoint_says_when_to_retry(monta, provider, monkeypatch) -> None:
    from evtui.demo.http import DemoResponse
    from evtui.errors import RateLimited

    monkeypatch.setattr(provider, "_pair", lambda: DemoResponse.json(
        {"message": "Too many requests", "errorCode": "TOO_MANY_REQUESTS"}, 429, {"Retry-After": "120"}))
    with pytest.raises(RateLimited) as info:
        await monta.fetch(demo.SEED_ID)
    assert "HTTP 429: TOO_MANY_REQUESTS: Too many requests" in info.value.message
    assert "Retry after 120 s" in info.value.message
