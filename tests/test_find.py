"""Find anywhere: one id, every profile whose id rules fit, at once."""

from __future__ import annotations

import json

import pytest

from evtui.adapters.corpay import CorpayAdapter
from evtui.config.schema import config_from_data
from evtui.demo.server import DemoServer
from evtui.errors import AdapterFailed, InvalidId
from evtui.find import candidates, find_anywhere, not_found_anywhere
from evtui.lookup import lookup
from evtui.pool import AdapterPool
from tests.test_cli import corpay_profile, run, write_config


def two_profiles(server: DemoServer):
    good = server.providers["corpay"].profile(server.base_url("corpay"))
    spirii = server.providers["spirii"].profile(server.base_url("spirii"))
    return config_from_data({"profiles": {"corpay": good, "spirii": spirii, "wrong": good | {"client_secret": "nope"}}}, None)


async def test_found_where_it_exists_and_errors_kept(demo_server: DemoServer) -> None:
    async with AdapterPool(two_profiles(demo_server)) as pool:
        assert [a.profile for a, _ in candidates(pool, "AAdmD55q8Vz")] == ["corpay", "wrong"]
        # Every type that fits, not only a profile's first: Spirii transactions and charge records share a shape.
        assert [(a.profile, t) for a, t in candidates(pool, "12345678")] == [
            ("corpay", "session"),
            ("spirii", "transaction"),
            ("spirii", "charge-record"),
            ("wrong", "session"),
        ]
        attempts = await find_anywhere(pool, " 'AAdmD55q8Vz' ")
    assert attempts[0].profile == "corpay" and attempts[0].record.record_id == "AAdmD55q8Vz"
    assert attempts[1].profile == "wrong" and attempts[1].error.kind == "credentials_rejected"
    assert demo_server.counts["spirii.transaction"] == 0


async def test_a_later_record_type_is_tried_and_only_hits_reach_history(demo_server: DemoServer, tmp_path) -> None:
    from evtui.history import HistoryStore

    ocpi = demo_server.providers["ocpi"].profile(demo_server.base_url("ocpi"))
    config = config_from_data({"profiles": {"ocpi": ocpi}}, None)
    history = HistoryStore(tmp_path / "history.sqlite3")
    try:
        async with AdapterPool(config) as pool:
            assert [t for _, t in candidates(pool, "12345")] == ["session", "cdr"]
            attempts = await find_anywhere(pool, "12345", history=history)
            assert [(a.record_type, a.record is not None) for a in attempts] == [("cdr", True), ("session", False)]
            await find_anywhere(pool, "Missing0001", history=history)
        rows = history.entries()
        assert [(e.record_type, e.record_id, e.outcome) for e in rows] == [("cdr", "12345", "found")]
    finally:
        history.close()


async def test_nothing_fits(demo_server: DemoServer) -> None:
    async with AdapterPool(two_profiles(demo_server)) as pool:
        with pytest.raises(InvalidId) as info:
            await find_anywhere(pool, "no such id!")
    assert "corpay, spirii, wrong" in info.value.message


async def test_not_found_anywhere_names_every_profile(demo_server: DemoServer) -> None:
    async with AdapterPool(two_profiles(demo_server)) as pool:
        attempts = await find_anywhere(pool, "Missing0001")
    error = not_found_anywhere(attempts)
    assert "corpay session (not found)" in error.message and "wrong session (credentials rejected)" in error.message
    assert error.exit_code == 4


async def test_an_adapter_bug_is_an_error_not_a_traceback(demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(CorpayAdapter, "present", broken)
    monkeypatch.delenv("EVTUI_DEBUG", raising=False)
    async with AdapterPool(two_profiles(demo_server)) as pool:
        with pytest.raises(AdapterFailed) as info:
            await lookup(pool.get("corpay"), "AAdmD55q8Vz")
    assert "KeyError" in info.value.message and info.value.exit_code == 1


def test_cli_anywhere_says_where(config_dir, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_profile(demo_server, "first") + corpay_profile(demo_server, "second", "bad"))
    result = run("get", "--anywhere", "AAdmD55q8Vz")
    assert result.returncode == 0, result.stderr
    assert "Found on profile first" in result.stderr
    assert "profile first" in result.stdout
    assert run("get", "--anywhere", "-p", "first", "AAdmD55q8Vz").returncode == 2


def test_cli_anywhere_finds_the_demo_cdr_with_one_history_row(config_dir) -> None:
    result = run("get", "--demo", "--anywhere", "12345")
    assert result.returncode == 0, result.stderr
    assert "Found on profile demo-ocpi" in result.stderr and "cdr" in result.stderr
    assert "cdr 12345" in result.stdout
    history = run("history", "--json")
    rows = [json.loads(line) for line in history.stdout.splitlines()]
    assert [(r["profile"], r["type"], r["id"], r["outcome"]) for r in rows] == [("demo-ocpi", "cdr", "12345", "found")]
