"""Watching a live demo session: every transition seen, stop at the final state."""

from __future__ import annotations

import pytest

from evtui.config.schema import config_from_data
from evtui.demo.corpay import LIVE_ID
from evtui.demo.server import DemoServer
from evtui.diff import ABSENT, Change, diff, diff_records
from evtui.errors import NotFound
from evtui.pool import AdapterPool
from evtui.record import Record
from evtui.watch import watch
from tests.test_cli import corpay_profile, run, write_config

TRANSITIONS = ["CREATED", "WAITING_TO_START", "STARTED", "WAITING_TO_STOP", "STOPPED", "COMPLETE"]


def test_diff_lists_status_first_and_types_visibly() -> None:
    old = {"energy": {"value": 1}, "sessionStatus": "STARTED", "balance": "0", "gone": True, "list": []}
    new = {"energy": {"value": 2}, "sessionStatus": "STOPPED", "balance": 0, "added": None, "list": [{"a": 1}]}
    changes = diff(old, new, first=("sessionStatus",))
    assert changes[0].path == "sessionStatus" and (changes[0].old, changes[0].new) == ('"STARTED"', '"STOPPED"')
    by_path = {c.path: (c.old, c.new) for c in changes}
    assert by_path["balance"] == ('"0"', "0")
    assert by_path["gone"] == ("true", ABSENT)
    assert by_path["added"] == (ABSENT, "null")
    assert by_path["list[0].a"] == (ABSENT, "1")
    assert "list" not in by_path
    assert diff(old, old) == []


async def test_watched_session_reaches_complete_with_every_transition(demo_server: DemoServer) -> None:
    table = demo_server.providers["corpay"].profile(demo_server.base_url("corpay"))
    async with AdapterPool(config_from_data({"profiles": {"c": table}}, None)) as pool:
        seen = []
        final = None
        async for event in watch(pool.get("c"), LIVE_ID, interval=0.01):
            assert event.error is None
            seen.append(event.record.document["sessionStatus"])
            final = event.final
        assert final == "status COMPLETE is final"
    assert list(dict.fromkeys(seen)) == TRANSITIONS


async def test_watched_changes_read_as_the_record_shows_them(demo_server: DemoServer) -> None:
    table = demo_server.providers["corpay"].profile(demo_server.base_url("corpay"))
    async with AdapterPool(config_from_data({"profiles": {"c": table}}, None)) as pool:
        events = []
        async for event in watch(pool.get("c"), LIVE_ID, interval=0.01):
            events.append(event)
            if len(events) == 4:  # CREATED, WAITING_TO_START, STARTED (0.62 EUR), STARTED (2.81 EUR)
                break
    started = {c.path: c for c in events[2].changes}
    assert started["sessionStatus"] == Change("sessionStatus", "WAITING_TO_START", "STARTED", "Status")
    # A field that appears: "(absent)" stays, the new side is decoded.
    assert started["charger.city"] == Change("charger.city", ABSENT, "Amsterdam", "City")
    later = {c.path: c for c in events[3].changes}
    assert later["price.minorInclVat"] == Change("price.minorInclVat", "0.62 EUR", "2.81 EUR", "Total price")
    assert later["price.minorExclVat"].label == "Price excl. VAT"
    # energy.value has no field of its own: the enclosing Energy field shows it.
    assert later["energy.value"] == Change("energy.value", "1.2 kWh (1200 Wh)", "5.4 kWh (5400 Wh)", "Energy")


def test_a_change_no_field_shows_keeps_its_wire_values() -> None:
    from evtui.record import Field, Section

    def record(document: dict) -> Record:
        overview = Section("overview", "Overview", (Field("Transactions", f"{len(document['tx'])} transactions", path="tx"),))
        return Record("p", "a", "session", "S1", b"{}", document, lambda: None, [overview], "")

    old, new = record({"tx": [{"kWh": 1}], "note": "a"}), record({"tx": [{"kWh": 2}], "note": "b"})
    by_path = {c.path: c for c in diff_records(old, new)}
    # The enclosing field shows "1 transactions" on both sides: the wire says what changed.
    assert by_path["tx[0].kWh"] == Change("tx[0].kWh", "1", "2", "Transactions")
    assert by_path["note"] == Change("note", '"a"', '"b"', "")


async def test_watch_of_a_final_record_stops_at_once(demo_server: DemoServer) -> None:
    table = demo_server.providers["corpay"].profile(demo_server.base_url("corpay"))
    async with AdapterPool(config_from_data({"profiles": {"c": table}}, None)) as pool:
        events = [e async for e in watch(pool.get("c"), "AAdmD55q8Vz", interval=0.01)]
    assert len(events) == 1 and events[0].final
    assert demo_server.counts["corpay.session"] == 1


async def test_watch_of_a_missing_record_fails_at_once(demo_server: DemoServer) -> None:
    table = demo_server.providers["corpay"].profile(demo_server.base_url("corpay"))
    async with AdapterPool(config_from_data({"profiles": {"c": table}}, None)) as pool:
        with pytest.raises(NotFound):
            async for _ in watch(pool.get("c"), "Missing0001", interval=0.01):
                pass


async def test_errors_while_watching_back_off_and_go_on(demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from evtui.transport import retry

    monkeypatch.setattr(retry, "MAX_RETRIES", 0)
    demo = demo_server.providers["corpay"]
    demo.faults.hit("fault-flaky")  # so the first answer is the good one
    # Fault answers copy AAdmD55q8Vz: make it unfinished so watching goes on.
    demo.sessions["AAdmD55q8Vz"] = dict(demo.sessions["AAdmD55q8Vz"], sessionStatus="STARTED")
    table = demo.profile(demo_server.base_url("corpay"))
    async with AdapterPool(config_from_data({"profiles": {"c": table}}, None)) as pool:
        events = []
        async for event in watch(pool.get("c"), "fault-flaky", interval=0.01):
            events.append(event)
            if len(events) == 3:
                break
    # fault-flaky alternates: record, 503, record ...
    assert events[0].record is not None
    assert events[1].error is not None and events[1].next_in == pytest.approx(0.02)
    assert events[2].record is not None and events[2].next_in == pytest.approx(0.01)


def test_watch_cli_prints_transitions_and_exits_0(config_dir, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_profile(demo_server))
    result = run("watch", "--interval", "0.05", LIVE_ID)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "CREATED" in lines[0] and LIVE_ID in lines[0]
    # Label first, the decoded values, the path last.
    transitions = [line.split("  ", 1)[1] for line in lines if line.endswith("  sessionStatus")]
    assert transitions == [f"Status  {a} → {b}  sessionStatus" for a, b in zip(TRANSITIONS, TRANSITIONS[1:])]
    assert any(line.endswith("  Total price  0.62 EUR → 2.81 EUR  price.minorInclVat") for line in lines), result.stdout
    assert any(line.endswith("  Duration  3m 2s (PT3M2S) → 12m 40s (PT12M40S)  duration") for line in lines), result.stdout
    assert lines[-1].endswith("final: status COMPLETE is final")
    assert "\x1b" not in result.stdout
    history = run("history", "--json")
    assert history.stdout.count(LIVE_ID) == 1 and '"count": 2' in history.stdout


def test_watch_cli_usage_and_not_found(config_dir, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_profile(demo_server))
    assert run("watch", "--interval", "0", LIVE_ID).returncode == 2
    missing = run("watch", "Missing0001")
    assert missing.returncode == 3 and "Traceback" not in missing.stderr
