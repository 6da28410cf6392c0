"""The Corpay adapter against the demo server, over real HTTP."""

from __future__ import annotations

import json

import pytest

from evtui.config.schema import config_from_data
from evtui.demo.corpay import CLIENT_SECRET, CorpayDemo
from evtui.demo.server import DemoServer
from evtui.errors import CredentialsRejected, InvalidId, NotFound
from evtui.pool import AdapterPool
from evtui.record import Record


def corpay_config(server: DemoServer, **overrides: str):
    table = server.providers["corpay"].profile(server.base_url("corpay")) | overrides
    return config_from_data({"profiles": {"c": table}}, None)


@pytest.fixture
async def corpay(demo_server: DemoServer):
    async with AdapterPool(corpay_config(demo_server)) as pool:
        yield pool.get("c")


def values(record: Record, section: str) -> dict[str, str]:
    sec = record.section(section)
    assert sec is not None, f"no section {section}"
    return {f.label: f.value for f in sec.fields}


def field(record: Record, section: str, label: str):
    sec = record.section(section)
    assert sec is not None
    return next(f for f in sec.fields if f.label == label)


async def test_seed_session_is_decoded(corpay) -> None:
    record = await corpay.fetch("AAdmD55q8Vz")
    overview = values(record, "overview")
    assert overview["Session id"] == "AAdmD55q8Vz"
    assert overview["Status"] == "COMPLETE"
    assert overview["Start"] == "2021-01-30 10:00:00.111111111 UTC"
    assert overview["End"] == "2021-01-30 11:12:29 UTC"
    assert field(record, "overview", "End").flag == "derived"
    assert overview["Duration"] == "1h 12m 30s (PT1H12M29.513S)"
    assert overview["Energy"] == "18.432 kWh (18432 Wh)"
    assert overview["Total price"] == "21.60 EUR"
    assert overview["Balance"] == "21.60 EUR outstanding"
    assert overview["Site"] == "Drive_API_Test1"
    assert overview["EVSE id"] == "DE*CPY*E4711*1"
    assert overview["Authorization"] == "virtual"
    assert field(record, "overview", "Authorization").note == "virtual key (app)"
    assert "finished and settled" in field(record, "overview", "Status").note
    payment = values(record, "payment")
    assert payment["Price incl. VAT"] == "21.60 EUR"
    assert payment["Price excl. VAT"] == "18.38 EUR"
    assert payment["VAT rate"] == "17.5 %"
    assert payment["VAT amount"] == "3.22 EUR"
    assert payment["Balance status"] == "DEBT"
    assert payment["Receipt"] == "available"
    method = field(record, "payment", "Payment method")
    assert method.flag == "deprecated" and "DEPRECATED" in method.note
    (tx_table,) = record.section("payment").tables
    assert tx_table.rows[0][2] == "CREDIT_CARD (paid by credit card)"
    assert tx_table.rows[0][3] == "CHARGE (the amount was charged)"
    assert record.summary == "COMPLETE · Drive_API_Test1 · 21.60 EUR · balance 21.60 EUR outstanding · price matches"
    assert record.problems == []
    # The balance arrives as a string although documented as Long: the model accepts both.
    assert record.model.balanceAmountMinor == "-2160"
    assert record.model.startTime == "2021-01-30T10:00:00.111111111Z"


async def test_raw_bytes_are_kept_exactly(corpay, demo_server: DemoServer) -> None:
    record = await corpay.fetch("AAdmD55q8Vz")
    sent = json.dumps(demo_server.providers["corpay"].sessions["AAdmD55q8Vz"], indent=2, ensure_ascii=False).encode()
    assert record.raw == sent
    assert json.loads(record.compact_json()) == record.document
    assert "\n" not in record.compact_json()


@pytest.mark.parametrize(
    ("session_id", "total", "balance"),
    [
        ("JPYsess0042", "1650 JPY", "0 JPY (fully paid)"),
        ("KWDsess0007", "1.250 KWD", "0.000 KWD (fully paid)"),
        ("Q2hhcmdlUGFpZDE", "349.50 NOK", "0.00 NOK (fully paid)"),
        ("Refund00001", "20.00 EUR", "5.00 EUR in the customer's favour"),
        ("StopFail001", "44.10 EUR", "44.10 EUR outstanding"),
    ],
)
async def test_money_by_currency_exponent(corpay, session_id: str, total: str, balance: str) -> None:
    overview = values(await corpay.fetch(session_id), "overview")
    assert overview["Total price"] == total
    assert overview["Balance"] == balance


async def test_every_status_is_explained(corpay) -> None:
    ids = {
        "CREATED": "CrEaTeD0001", "WAITING_TO_START": "WaitStart01", "STARTED": "O9UXK+YI5Q6i0/FoI4qHwcA==",
        "WAITING_TO_STOP": "WaitStop001", "STOPPED": "Stopped0001", "COMPLETE": "AAdmD55q8Vz",
        "FAILED": "Failed00001", "UNKNOWN": "Unknown0001", "STOP_FAILED": "StopFail001",
    }
    for status, session_id in ids.items():
        record = await corpay.fetch(session_id)
        status_field = field(record, "overview", "Status")
        assert status_field.value == status
        assert status_field.note and status_field.flag is None
    started = await corpay.fetch(ids["STARTED"])
    assert values(started, "overview")["End"] == "— (not ended)"


async def test_write_off_shows_deprecated_method_beside_transaction(corpay) -> None:
    record = await corpay.fetch("WriteOff001")
    method = field(record, "payment", "Payment method")
    assert method.value == "WRITE_OFF" and "renamed" in method.note or "old name" in method.note
    (table,) = record.section("payment").tables
    assert table.rows[0][2].startswith("NONE") and table.rows[0][3].startswith("WRITE_OFF")


async def test_one_token_for_many_lookups(corpay, demo_server: DemoServer) -> None:
    import asyncio

    ids = ["AAdmD55q8Vz", "JPYsess0042", "KWDsess0007", "Q2hhcmdlUGFpZDE", "Stopped0001"]
    records = await asyncio.gather(*(corpay.fetch(i) for i in ids))
    assert [r.record_id for r in records] == ids
    await corpay.fetch("Refund00001")
    assert demo_server.counts["corpay.token"] == 1
    assert demo_server.counts["corpay.session"] == 6


async def test_revoked_token_gets_one_fresh_token_and_one_retry(corpay, demo_server: DemoServer) -> None:
    await corpay.fetch("AAdmD55q8Vz")
    demo_server.providers["corpay"].revoke_tokens()
    record = await corpay.fetch("JPYsess0042")
    assert record.record_id == "JPYsess0042"
    assert demo_server.counts["corpay.token"] == 2
    assert demo_server.counts["corpay.session"] == 3
    assert any("401" in note for note in record.exchange.notes)


@pytest.mark.parametrize("session_id", ["O9UXK+YI5Q6i0/FoI4qHwcA==", "a/b+c=", "x%2Fy"])
async def test_ids_are_one_encoded_path_segment(corpay, demo_server: DemoServer, session_id: str) -> None:
    demo = demo_server.providers["corpay"]
    if session_id not in demo.sessions:
        demo.sessions[session_id] = dict(demo.sessions["AAdmD55q8Vz"], sessionId=session_id)
    if "%" in session_id:
        with pytest.raises(InvalidId):  # '%' is not a session id character
            await corpay.fetch(session_id)
        return
    record = await corpay.fetch(session_id)
    assert record.document["sessionId"] == session_id
    assert "/sessions/" + session_id.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D") in record.exchange.url


@pytest.mark.parametrize("raw", ["", "   ", "has space", "ünïcode", "semi;colon", "x" * 201, '"quoted inside" id'])
async def test_invalid_ids_send_nothing(corpay, demo_server: DemoServer, raw: str) -> None:
    with pytest.raises(InvalidId) as info:
        await corpay.fetch(raw)
    assert info.value.hint
    assert demo_server.counts["corpay.session"] == 0
    assert demo_server.counts["corpay.token"] == 0


@pytest.mark.parametrize("pasted", ["  AAdmD55q8Vz ", "'AAdmD55q8Vz'", '"AAdmD55q8Vz"', " `AAdmD55q8Vz` ", "\u201cAAdmD55q8Vz\u201d"])
async def test_pasted_ids_lose_spaces_and_quotes(corpay, pasted: str) -> None:
    assert (await corpay.fetch(pasted)).record_id == "AAdmD55q8Vz"


async def test_not_found_carries_the_providers_message(corpay) -> None:
    with pytest.raises(NotFound) as info:
        await corpay.fetch("Missing0001")
    assert "SESSION_NOT_FOUND" in info.value.message and "404" in info.value.message
    assert info.value.exit_code == 3


async def test_refused_client_secret_never_appears(demo_server: DemoServer) -> None:
    wrong = "wrong-secret-value-123"
    async with AdapterPool(corpay_config(demo_server, client_secret=wrong)) as pool:
        with pytest.raises(CredentialsRejected) as info:
            await pool.get("c").fetch("AAdmD55q8Vz")
    text = f"{info.value.message} {info.value.hint} {info.value!r}"
    assert "client_secret" in text and "'c'" in text
    assert wrong not in text and CLIENT_SECRET not in text
    assert info.value.exit_code == 4


async def test_secret_from_environment(demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_CORPAY_SECRET", CLIENT_SECRET)
    async with AdapterPool(corpay_config(demo_server, client_secret="env:DEMO_CORPAY_SECRET")) as pool:
        assert (await pool.get("c").fetch("AAdmD55q8Vz")).record_id == "AAdmD55q8Vz"


async def test_secret_from_command(demo_server: DemoServer) -> None:
    async with AdapterPool(corpay_config(demo_server, client_secret=f"cmd:echo {CLIENT_SECRET}")) as pool:
        assert (await pool.get("c").fetch("AAdmD55q8Vz")).record_id == "AAdmD55q8Vz"


async def test_unknown_values_and_fields_are_flagged_not_fatal(corpay, demo_server: DemoServer) -> None:
    demo = demo_server.providers["corpay"]
    doc = dict(demo.sessions["AAdmD55q8Vz"], sessionStatus="PAUSED", newThing={"a": 1}, energy={"unit": "WH", "value": "lots"})
    demo.sessions["Odd0000001"] = doc
    record = await corpay.fetch("Odd0000001")
    status = field(record, "overview", "Status")
    assert status.value == "PAUSED" and status.flag == "unknown"
    other = values(record, "other")
    assert other["newThing"] == '{"a": 1}'
    assert any("PAUSED" in p for p in record.problems)
    assert any("newThing" in p for p in record.problems)
    assert any(p.startswith("energy.value") for p in record.problems)
    assert field(record, "overview", "Energy").flag == "invalid"


async def test_missing_required_fields_are_listed(corpay, demo_server: DemoServer) -> None:
    demo_server.providers["corpay"].sessions["Sparse00001"] = {"site": "Only a site"}
    record = await corpay.fetch("Sparse00001")
    assert "missing required field sessionId" in record.problems
    assert "missing required field sessionStatus" in record.problems
    assert values(record, "overview")["Site"] == "Only a site"
    assert field(record, "overview", "Session id").flag == "missing"
    assert record.section("problems") is not None


def test_demo_covers_every_status_balance_and_odd_currency() -> None:
    sessions = CorpayDemo().sessions.values()
    assert {s["sessionStatus"] for s in sessions} >= {
        "CREATED", "WAITING_TO_START", "STARTED", "WAITING_TO_STOP", "STOPPED", "COMPLETE", "FAILED", "UNKNOWN", "STOP_FAILED"
    }
    assert {s["balanceStatus"] for s in sessions} >= {"PAID", "DEBT", "REFUND", "PROCESSING"}
    assert {s["price"]["currencyCode"] for s in sessions} >= {"EUR", "JPY", "KWD"}


async def test_a_bad_list_item_flags_the_list_once(corpay, demo_server: DemoServer) -> None:
    demo = demo_server.providers["corpay"]
    demo.sessions["BadList0001"] = dict(demo.sessions["AAdmD55q8Vz"], sessionId="BadList0001", transactions=["oops", {"amount": 5}])
    record = await corpay.fetch("BadList0001")
    assert record.problems.count("transactions: holds a value of an unexpected type (shown as sent)") == 1
    assert len(record.problems) == 3
    (table,) = record.section("payment").tables
    assert table.rows[0][1] == "oops" and len(table.rows) == 2
