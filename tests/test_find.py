"""Find anywhere: one id, every profile whose id rules fit, at once."""

from __future__ import annotations

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
        assert [a.profile for a, _ in candidates(pool, "12345678")] == ["corpay", "spirii", "wrong"]
        attempts = await find_anywhere(pool, " 'AAdmD55q8Vz' ")
    assert attempts[0].profile == "corpay" and attempts[0].record.record_id == "AAdmD55q8Vz"
    assert attempts[1].profile == "wrong" and attempts[1].error.kind == "credentials_rejected"
    assert demo_server.counts["spirii.transaction"] == 0


async def test_nothing_fits(demo_server: DemoServer) -> None:
    async with AdapterPool(two_profiles(demo_server)) as pool:
        with pytest.raises(InvalidId) as info:
            await find_anywhere(pool, "no such id!")
    assert "corpay, spirii, wrong" in info.value.message


async def test_not_found_anywhere_names_every_profile(demo_server: DemoServer) -> None:
    async with AdapterPool(two_profiles(demo_server)) as pool:
        attempts = await find_anywhere(pool, "Missing0001")
    error = not_found_anywhere(attempts)
    assert "corpay (not found)" in error.message and "wrong (credentials rejected)" in error.message
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
