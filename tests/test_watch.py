"""Watching a live demo session: every transition seen, stop at the final state."""

from __future__ import annotations

import pytest

from evtui.config import config_from_data
from evtui.demo.corpay import LIVE_ID
from evtui.demo.server import DemoServer
from evtui.diff import ABSENT, diff
from evtui.errors import NotFound
from evtui.pool import AdapterPool
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
    transitions = [line.split("  ", 1)[1] for line in lines if "  sessionStatus  " in line]
    assert transitions == [f'sessionStatus  "{a}" → "{b}"' for a, b in zip(TRANSITIONS, TRANSITIONS[1:])]
    assert lines[-1].endswith("final: status COMPLETE is final")
    assert "\x1b" not in result.stdout
    history = run("history", "--json")
    assert history.stdout.count(LIVE_ID) == 1 and '"count": 2' in history.stdout


def test_watch_cli_usage_and_not_found(config_dir, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_profile(demo_server))
    assert run("watch", "--interval", "0", LIVE_ID).returncode == 2
    missing = run("watch", "Missing0001")
    assert missing.returncode == 3 and "Traceback" not in missing.stderr
