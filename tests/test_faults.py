"""Every failure a clear error of its own kind, over real HTTP to the demo fault ids."""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from evtui import progress
from evtui.transport import retry
from evtui.config.schema import config_from_data
from evtui.demo.corpay import CLIENT_SECRET
from evtui.demo.faults import HOSTILE, corpay_id
from evtui.demo.server import DemoServer
from evtui.errors import (
    CannotConnect,
    Forbidden,
    MalformedResponse,
    ProviderError,
    RateLimited,
    ResponseTooLarge,
    Timeout,
)
from evtui.pool import AdapterPool
from evtui.textsafe import has_unsafe


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    # The retry rules are under test, not the wall clock: shrink the waits.
    monkeypatch.setattr(retry, "BACKOFF_FIRST", 0.01)
    monkeypatch.setattr(retry, "RETRY_AFTER_CAP", 30.0)


def pool_for(server: DemoServer, timeout: float = 10.0, **table: object) -> AdapterPool:
    profile = server.providers["corpay"].profile(server.base_url("corpay")) | table
    return AdapterPool(config_from_data({"profiles": {"c": profile}}, None), timeout=timeout)


async def fetch(server: DemoServer, record_id: str, timeout: float = 10.0, **kw: object):
    async with pool_for(server, timeout) as pool:
        adapter = pool.get("c")
        for key, value in kw.items():
            setattr(adapter, key, value)
        return await adapter.fetch(record_id)


def hits(server: DemoServer) -> int:
    return server.counts["corpay.session"]


async def test_flaky_503_is_retried_once(demo_server: DemoServer) -> None:
    record = await fetch(demo_server, corpay_id("flaky"))
    assert record.record_id == "fault-flaky"
    assert hits(demo_server) == 2
    assert any("HTTP 503; retry 1" in n for n in record.exchange.notes)


async def test_persistent_503_gives_up_after_bounded_retries(demo_server: DemoServer) -> None:
    with pytest.raises(ProviderError) as info:
        await fetch(demo_server, corpay_id("down"))
    assert hits(demo_server) == 1 + retry.MAX_RETRIES
    assert "503" in info.value.message and "Maintenance until 06:00 UTC" in info.value.message
    assert info.value.exit_code == 5


async def test_500_is_not_retried_and_carries_the_provider_message(demo_server: DemoServer) -> None:
    with pytest.raises(ProviderError) as info:
        await fetch(demo_server, corpay_id("server-error"))
    assert hits(demo_server) == 1
    assert "DEMO_FAULT: Internal error while loading the record" in info.value.message


async def test_429_honours_retry_after_and_reports_the_wait(demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(retry.asyncio, "sleep", fake_sleep)
    with progress.reporting(lambda p: waits.append(p.wait or 0)):
        record = await fetch(demo_server, corpay_id("rate-limited"))
    assert record.record_id == "fault-rate-limited"
    assert slept == [1.0] and waits == [1.0]
    assert hits(demo_server) == 2


async def test_429_with_a_long_retry_after_is_reported_not_waited(demo_server: DemoServer) -> None:
    with pytest.raises(RateLimited) as info:
        await fetch(demo_server, corpay_id("rate-limited-long"))
    assert info.value.retry_after == 3600
    assert "Retry after 3600 s" in info.value.message
    assert hits(demo_server) == 1


async def test_connection_reset_is_retried(demo_server: DemoServer) -> None:
    record = await fetch(demo_server, corpay_id("reset"))
    assert record.record_id == "fault-reset"
    assert any("connection broke off" in n for n in record.exchange.notes)


async def test_read_timeout_names_the_limit(demo_server: DemoServer) -> None:
    with pytest.raises(Timeout) as info:
        await fetch(demo_server, corpay_id("hang"), timeout=0.3)
    assert "0.3 s" in info.value.message and "--timeout" in info.value.hint


async def test_connect_timeout_names_the_limit() -> None:
    # A listening socket whose backlog is full never completes new handshakes.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(8):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            fillers.append(s)
        table = {"adapter": "corpay", "base_url": f"http://127.0.0.1:{port}", "client_id": "x", "client_secret": "y"}
        async with AdapterPool(config_from_data({"profiles": {"c": table}}, None), timeout=0.3) as pool:
            with pytest.raises((Timeout, CannotConnect)) as info:
                await pool.get("c").fetch("AAdmD55q8Vz")
        for s in fillers:
            s.close()
    assert "127.0.0.1" in info.value.message


async def test_refused_connection_names_the_host() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    table = {"adapter": "corpay", "base_url": f"http://127.0.0.1:{port}", "client_id": "x", "client_secret": "y"}
    async with AdapterPool(config_from_data({"profiles": {"c": table}}, None)) as pool:
        with pytest.raises(CannotConnect) as info:
            await pool.get("c").fetch("AAdmD55q8Vz")
    assert f"127.0.0.1:{port}" in info.value.message and "refused" in info.value.message


@pytest.mark.parametrize(
    ("fault", "words"),
    [("malformed", "is not JSON"), ("truncated", "was cut off"), ("html", "content type text/html")],
)
async def test_malformed_bodies(demo_server: DemoServer, fault: str, words: str) -> None:
    with pytest.raises(MalformedResponse) as info:
        await fetch(demo_server, corpay_id(fault))
    assert words in info.value.message


async def test_body_over_the_cap_is_refused(demo_server: DemoServer) -> None:
    with pytest.raises(ResponseTooLarge) as info:
        await fetch(demo_server, corpay_id("huge"))
    assert "20 MB" in info.value.message
    with pytest.raises(ResponseTooLarge):
        await fetch(demo_server, "AAdmD55q8Vz", max_body=100)


async def test_forbidden(demo_server: DemoServer) -> None:
    with pytest.raises(Forbidden) as info:
        await fetch(demo_server, corpay_id("forbidden"))
    assert "403" in info.value.message and info.value.exit_code == 4


async def test_not_an_object_still_gives_a_record_with_problems(demo_server: DemoServer) -> None:
    record = await fetch(demo_server, corpay_id("not-an-object"))
    assert isinstance(record.document, list)
    assert record.problems and "not an object" in record.problems[0]
    assert record.overview.fields[0].flag == "invalid"


async def test_hostile_record_is_kept_as_data(demo_server: DemoServer) -> None:
    record = await fetch(demo_server, corpay_id("hostile"))
    values = [f.value for s in record.sections for f in s.fields]
    assert HOSTILE["markup"] in values  # kept exactly: escaping is the renderer's job
    assert any("unknown field" in p for p in record.problems)


async def test_retry_wait_is_cancellable(demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "BACKOFF_FIRST", 60.0)
    started = threading.Event()
    with progress.reporting(lambda p: started.set()):
        task = asyncio.ensure_future(fetch(demo_server, corpay_id("flaky")))
        for _ in range(1000):
            if started.is_set():
                break
            await asyncio.sleep(0.01)
        assert started.is_set()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def test_tls_verification_off_warns(tmp_path) -> None:
    table = {"adapter": "corpay", "client_id": "x", "client_secret": "env:X", "verify_tls": False}
    config = config_from_data({"profiles": {"insecure": table}}, tmp_path / "c.toml")
    assert any("insecure" in w and "TLS verification off" in w for w in config.warnings)


def test_ca_bundle_must_exist(tmp_path) -> None:
    from evtui.errors import ConfigError

    table = {"adapter": "corpay", "client_id": "x", "client_secret": "env:X", "ca_bundle": str(tmp_path / "none.pem")}
    with pytest.raises(ConfigError) as info:
        config_from_data({"profiles": {"p": table}}, tmp_path / "c.toml")
    assert "ca_bundle" in str(info.value)


def test_cli_shows_hostile_strings_escaped(config_dir, demo_server: DemoServer) -> None:
    from tests.test_cli import corpay_profile, run, write_config

    write_config(config_dir, corpay_profile(demo_server))
    result = run("get", corpay_id("hostile"))
    assert result.returncode == 0, result.stderr
    assert not has_unsafe(result.stdout.replace("\n", ""))
    assert "\\x1b[2J" in result.stdout and "\\u202e" in result.stdout and "\\x07" in result.stdout
    assert "[bold red]Depot[/]" in result.stdout
    as_json = run("get", "--json", corpay_id("hostile"))
    assert "\x1b" not in as_json.stdout and "\\u001b" in as_json.stdout


@pytest.mark.parametrize(
    ("fault", "code", "words"),
    [("down", 5, "503"), ("forbidden", 4, "403"), ("malformed", 5, "not JSON"), ("rate-limited-long", 5, "429")],
)
def test_cli_exit_code_and_one_line(config_dir, demo_server: DemoServer, fault: str, code: int, words: str) -> None:
    from tests.test_cli import corpay_profile, run, write_config

    write_config(config_dir, corpay_profile(demo_server))
    result = run("get", corpay_id(fault))
    assert result.returncode == code
    assert len(result.stderr.splitlines()) == 1 and words in result.stderr
    assert "Traceback" not in result.stderr and CLIENT_SECRET not in result.stderr
