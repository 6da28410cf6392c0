"""Secrets as resolved: checked before use, `cmd:` first line only, commands bounded and ended.

The CLI cases run `evtui get` as a user does, against the demo server over
loopback; the command cases run real shell commands and look at the processes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from evtui import redact
from evtui.config.secrets import Secret, credential_problem
from evtui.demo.corpay import CLIENT_SECRET
from evtui.demo.server import DemoServer
from evtui.errors import ConfigError
from tests.test_cli import no_traceback, run, write_config


@pytest.fixture(autouse=True)
def _forget():
    redact.forget_all()
    yield
    redact.forget_all()


def corpay_with_secret(server: DemoServer, secret_toml: str) -> str:
    return corpay_with_secret_url(server.base_url("corpay"), secret_toml)


def corpay_with_secret_url(base_url: str, secret_toml: str) -> str:
    # `secret_toml` is a TOML value as written in the file (commands as '''multi-line literal strings''', which may hold a ').
    return f"""
[profiles.c]
adapter = "corpay"
base_url = "{base_url}"
client_id = "evtui-demo"
client_secret = {secret_toml}
"""


def assert_nowhere(result, *values: str) -> None:
    for value in values:
        assert value not in result.stdout and value not in result.stderr, value


def one_config_line(result, *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for text in expected:
        assert text in lines[0], lines[0]


# -- bad values, through `evtui get` ---------------------------------------------

BAD_ENV_VALUES = {
    "newline": "sec-ret-line-one\nsec-ret-line-two",
    "carriage return": "sec-ret-value\r",
    "tab": "sec-ret\tvalue",
    "delete": "sec-ret\x7fvalue",
    "C1 control": "sec-ret\x85value",
    "non-ASCII": "sec-rét-välue",
    "escape": "sec-ret\x1b[31mvalue",
    "trailing space": "sec-ret-value ",
}


@pytest.mark.parametrize("value", BAD_ENV_VALUES.values(), ids=BAD_ENV_VALUES.keys())
def test_a_bad_env_secret_is_one_line_naming_profile_and_field(config_dir: Path, demo_server: DemoServer, value: str) -> None:
    write_config(config_dir, corpay_with_secret(demo_server, '"env:EVTUI_TEST_SECRET"'))
    result = run("get", "AAdmD55q8Vz", env={"EVTUI_TEST_SECRET": value})
    one_config_line(result, "profile 'c'", "field 'client_secret'", "EVTUI_TEST_SECRET")
    # Neither the value, nor a part of it, nor the character that is wrong.
    assert_nowhere(result, value, value.strip(), "sec-r", "line-two", "\\x", "U+", "position")


BAD_COMMANDS = {
    "NUL": r"printf 'sec-ret-nul\000value'",
    "non-ASCII": r"printf 'sec-ret-\303\251value'",
    "control in the first line": r"printf 'sec-ret\033value\nmore'",
}


@pytest.mark.parametrize("command", BAD_COMMANDS.values(), ids=BAD_COMMANDS.keys())
def test_a_bad_cmd_secret_is_one_line_naming_profile_and_field(config_dir: Path, demo_server: DemoServer, command: str) -> None:
    write_config(config_dir, corpay_with_secret(demo_server, f"'''cmd:{command}'''"))
    result = run("get", "AAdmD55q8Vz")
    one_config_line(result, "profile 'c'", "field 'client_secret'", "secret command")
    assert_nowhere(result, "sec-ret", "value")


def test_a_cmd_secret_is_its_first_line_and_the_rest_is_never_shown(config_dir: Path, demo_server: DemoServer) -> None:
    # `pass show` prints the password, then metadata lines.
    command = f"printf '{CLIENT_SECRET}\\r\\nlogin: meta-data-login\\nurl: meta-data-url\\n'"
    write_config(config_dir, corpay_with_secret(demo_server, f"'''cmd:{command}'''"))
    result = run("get", "-v", "AAdmD55q8Vz")
    assert result.returncode == 0, result.stderr
    assert "AAdmD55q8Vz" in result.stdout
    assert_nowhere(result, CLIENT_SECRET, "meta-data")
    for file in config_dir.rglob("*"):
        if file.is_file() and file.name != "config.toml":
            data = file.read_bytes()
            assert CLIENT_SECRET.encode() not in data and b"meta-data" not in data


def test_a_cmd_secret_with_an_empty_first_line_is_refused(config_dir: Path, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_with_secret(demo_server, "'cmd:printf \"\\nsec-ret-second-line\"'"))
    result = run("get", "AAdmD55q8Vz")
    one_config_line(result, "profile 'c'", "field 'client_secret'", "first line")
    assert_nowhere(result, "sec-ret")


@pytest.mark.parametrize("literal", ["sec-rét-literal", "sec-ret-literal ", "sec-ret\\u0000literal"])
def test_a_bad_literal_secret_is_refused_when_the_file_is_read(config_dir: Path, literal: str) -> None:
    path = write_config(config_dir, f'[profiles.p]\nadapter = "corpay"\nclient_id = "x"\nclient_secret = "{literal}"\n')
    result = run("profiles")
    one_config_line(result, str(path), "profile 'p'", "field 'client_secret'", "literal secret")
    assert_nowhere(result, "sec-r")


def test_a_failing_cmd_secret_says_its_status_not_its_output(config_dir: Path, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_with_secret(demo_server, "'cmd:echo sec-ret-partial; echo sec-ret-err >&2; exit 3'"))
    result = run("get", "AAdmD55q8Vz")
    one_config_line(result, "profile 'c'", "field 'client_secret'", "exited with status 3")
    assert_nowhere(result, "sec-ret")


# -- commands: off the event loop, bounded, their process group ended ----------------


def process_gone(pid: int) -> bool:
    """No such process, or only its zombie (reaped by whoever inherited it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


async def wait_for(condition, what: str, tries: int = 1000) -> None:
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"gave up waiting for: {what}")


def pid_in(path: Path) -> int | None:
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    return int(text) if text.endswith("\n") else None


@pytest.fixture
def pid_file(tmp_path: Path):
    """Where a test command writes its background child's pid; its group is ended if a test fails."""
    path = tmp_path / "child.pid"
    yield path
    child = pid_in(path)
    if child is not None and not process_gone(child):
        os.killpg(os.getpgid(child), signal.SIGKILL)


def cmd_secret(command: str, timeout: float = 600) -> Secret:
    secret = Secret(f"cmd:{command}").located("p", "api_key")
    # Far longer than any test waits: if evtui waited for the command, the test would fail.
    secret.command_timeout = timeout
    return secret


async def test_a_background_child_holding_stdout_does_not_hold_up_the_secret(pid_file: Path) -> None:
    secret = cmd_secret(f"sleep 600 & echo $! > {pid_file}; echo sec-ret-from-cmd")
    # Bounded far below the child's life: waiting for its end of file would fail here.
    value = await asyncio.wait_for(secret.reveal_async(), 30)
    assert value == "sec-ret-from-cmd"
    child = pid_in(pid_file)
    assert child is not None
    await wait_for(lambda: process_gone(child), "the background child to be killed with its group")


async def test_cancelling_a_slow_cmd_secret_kills_its_process_group(pid_file: Path) -> None:
    secret = cmd_secret(f"sleep 600 & echo $! > {pid_file}; sleep 600; echo never")
    task = asyncio.create_task(secret.reveal_async())
    await wait_for(lambda: pid_in(pid_file) is not None, "the command to start its child")
    # The event loop is free while the command runs: this test itself runs on it.
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    child = pid_in(pid_file)
    await wait_for(lambda: process_gone(child), "the command's child to be killed")
    # Cancelled is not resolved: the next use runs the command again.
    assert repr(secret) == "Secret(cmd)" and secret._value is None


def test_ctrl_c_during_a_slow_cmd_secret_ends_evtui_get_and_the_command(config_dir: Path, pid_file: Path) -> None:
    write_config(config_dir, corpay_with_secret_url("http://127.0.0.1:9", f"'''cmd:sleep 600 & echo $! > {pid_file}; sleep 600'''"))
    # As from a terminal: Ctrl-C's signal at its default. A suite started in the background by a
    # shell (`pytest &`, nohup) has SIGINT ignored, which its children inherit, and evtui would
    # rightly ignore it too.
    evtui = subprocess.Popen(
        [sys.executable, "-m", "evtui", "get", "AAdmD55q8Vz"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        asyncio.run(wait_for(lambda: pid_in(pid_file) is not None, "the command to start its child"))
        evtui.send_signal(signal.SIGINT)
        # Far below the command's 60 s: a Ctrl-C that waited for the command would fail here.
        out, err = evtui.communicate(timeout=30)
    finally:
        evtui.kill()
    assert evtui.returncode == 130, err
    assert "Traceback" not in err
    child = pid_in(pid_file)
    asyncio.run(wait_for(lambda: process_gone(child), "the command's child to be killed"))


def test_a_cmd_secret_past_its_timeout_is_a_config_error_and_its_group_ends(pid_file: Path) -> None:
    secret = cmd_secret(f"sleep 600 & echo $! > {pid_file}; sleep 600", timeout=2)
    with pytest.raises(ConfigError) as caught:
        secret.reveal()
    assert caught.value.message == "profile 'p', field 'api_key': secret command did not finish within 2 s"
    child = pid_in(pid_file)
    assert child is not None
    asyncio.run(wait_for(lambda: process_gone(child), "the command's child to be killed"))


def test_a_cmd_secret_that_prints_too_much_is_refused() -> None:
    secret = cmd_secret("yes sec-ret-many")
    with pytest.raises(ConfigError, match="printed more than 64 KiB") as caught:
        secret.reveal()
    assert "sec-ret" not in caught.value.message + caught.value.hint


def test_one_secret_used_from_two_threads_runs_its_command_once(tmp_path: Path) -> None:
    count = tmp_path / "count"
    secret = cmd_secret(f"echo run >> {count}; echo sec-ret-once")
    values: list[str] = []
    threads = [threading.Thread(target=lambda: values.append(secret.reveal())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert values == ["sec-ret-once", "sec-ret-once"]
    assert count.read_text() == "run\n"


def test_a_resolved_secret_is_remembered_by_the_redactor() -> None:
    secret = cmd_secret("echo sec-ret-remembered")
    assert secret.reveal() == "sec-ret-remembered"
    assert redact.redact("error: sec-ret-remembered") == f"error: {redact.MASK}"


async def test_reveal_async_for_env_and_literal_is_the_plain_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVTUI_TEST_SECRET", "sec-ret-env")
    assert await Secret("env:EVTUI_TEST_SECRET").reveal_async() == "sec-ret-env"
    assert await Secret("sec-ret-literal").reveal_async() == "sec-ret-literal"


@pytest.mark.parametrize("token", ["tok-en\r\n", "tok\x00en", "tök-en", "tok-en\u2028", "", " tok-en", "tok\x9ben"])
def test_credential_problem_refuses_what_cannot_go_in_a_header(token: str) -> None:
    # The check providers' tokens go through too (an access token sent back with CRLF).
    why = credential_problem(token)
    assert why is not None
    assert token.strip() == "" or token.strip(" \r\n") not in why


def test_credential_problem_accepts_printable_ascii() -> None:
    assert credential_problem("Abc-123._~+/=!#$%&'*^`|{} inner spaces") is None
