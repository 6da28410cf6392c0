"""`evtui` as a user runs it: a real process, real HTTP to the demo server."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from evtui.demo.corpay import CLIENT_SECRET
from evtui.demo.server import DemoServer


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evtui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


def write_config(config_dir: Path, text: str, mode: int = 0o600) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "config.toml"
    path.write_text(text)
    path.chmod(mode)
    return path


def corpay_profile(server: DemoServer, name: str = "c", secret: str = CLIENT_SECRET) -> str:
    return f"""
[profiles.{name}]
adapter = "corpay"
base_url = "{server.base_url('corpay')}"
client_id = "evtui-demo"
client_secret = "{secret}"
"""


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_get_human_output_is_plain_when_piped(config_dir: Path, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_profile(demo_server))
    result = run("get", "AAdmD55q8Vz")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "Balance        21.60 EUR outstanding" in result.stdout
    assert "── Payment" in result.stdout
    assert result.stderr == ""


def test_get_json_lines_in_the_order_given(config_dir: Path, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_profile(demo_server))
    ids = ["StopFail001", "AAdmD55q8Vz", "O9UXK+YI5Q6i0/FoI4qHwcA==", "JPYsess0042"]
    result = run("get", "--json", *ids)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line)["sessionId"] for line in lines] == ids
    # Exactly the provider's document: same keys, same order, same values (the string balance too).
    sent = demo_server.providers["corpay"].sessions["AAdmD55q8Vz"]
    assert json.loads(lines[1]) == sent
    assert list(json.loads(lines[1])) == list(sent)
    assert demo_server.counts["corpay.token"] == 1


def test_exit_codes(config_dir: Path, demo_server: DemoServer) -> None:
    down = f'\n[profiles.down]\nadapter = "corpay"\nbase_url = "http://127.0.0.1:{closed_port()}"\nclient_id = "x"\nclient_secret = "y"\n'
    write_config(config_dir, 'default_profile = "c"\n' + corpay_profile(demo_server) + corpay_profile(demo_server, "wrong", "not-the-secret") + down)
    found = run("get", "-p", "c", "AAdmD55q8Vz")
    assert found.returncode == 0
    invalid = run("get", "-p", "c", "not valid!")
    assert invalid.returncode == 2 and "not valid!" in invalid.stderr
    missing = run("get", "-p", "c", "Missing0001")
    assert missing.returncode == 3 and missing.stderr.startswith("evtui: Missing0001: ")
    rejected = run("get", "-p", "wrong", "AAdmD55q8Vz")
    assert rejected.returncode == 4 and "not-the-secret" not in rejected.stderr
    down = run("get", "-p", "down", "AAdmD55q8Vz")
    assert down.returncode == 5 and "connection refused" in down.stderr
    mixed = run("get", "-p", "c", "AAdmD55q8Vz", "Missing0001", "bad id")
    assert mixed.returncode == 3
    assert len(mixed.stderr.splitlines()) == 2
    assert "Session id     AAdmD55q8Vz" in mixed.stdout
    usage = run("get")
    assert usage.returncode == 2
    for r in (found, invalid, missing, rejected, down, mixed, usage):
        no_traceback(r)
        assert CLIENT_SECRET not in r.stdout + r.stderr


def test_invalid_id_sends_nothing(config_dir: Path, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_profile(demo_server))
    assert run("get", "has space", "üñí").returncode == 2
    assert demo_server.counts["corpay.token"] == 0 and demo_server.counts["corpay.session"] == 0


@pytest.mark.parametrize("value", ["soon", "nan", "inf", "-1", "0", "1e9"])
def test_timeout_option_is_a_number(config_dir: Path, demo_server: DemoServer, value: str) -> None:
    write_config(config_dir, corpay_profile(demo_server))
    result = run("get", "--timeout", value, "AAdmD55q8Vz")
    assert result.returncode == 2 and "seconds" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("profiles = [", "not valid TOML"),
        ('[profiles.p]\nadapter = "corpay"\nclient_id = "x"\n', "profile 'p', field 'client_secret': is required"),
        ('[profiles.p]\nadapter = "corpay"\nclient_id = "x"\nclient_secret = "y"\nclient_secrte = "z"\n', "field 'client_secrte'"),
        ('[profiles.p]\nadapter = "nope"\n', "profile 'p', field 'adapter': unknown adapter 'nope'"),
        ('[profiles.p]\nclient_id = "x"\n', "profile 'p', field 'adapter'"),
        ('default_profile = "q"\n[profiles.p]\nadapter = "corpay"\nclient_id = "x"\nclient_secret = "y"\n', "field 'default_profile'"),
        ('timeout = "fast"\n', "field 'timeout'"),
    ],
)
def test_bad_config_is_one_clear_line(config_dir: Path, text: str, expected: str) -> None:
    path = write_config(config_dir, text)
    result = run("get", "AAdmD55q8Vz")
    assert result.returncode == 2
    no_traceback(result)
    assert str(path) in result.stderr
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_config_value_is_not_echoed_in_errors(config_dir: Path) -> None:
    write_config(config_dir, '[profiles.p]\nadapter = "corpay"\nclient_id = "x"\nclient_secret = ["s3cr3t-in-a-list"]\n')
    result = run("profiles")
    assert result.returncode == 2 and "s3cr3t-in-a-list" not in result.stderr
    assert "field 'client_secret'" in result.stderr


def test_no_config_says_where_and_how(config_dir: Path) -> None:
    result = run("get", "AAdmD55q8Vz")
    assert result.returncode == 2
    assert str(config_dir / "config.toml") in result.stderr
    assert "evtui config init" in result.stderr and "--demo" in result.stderr


def test_config_init_writes_a_private_starter(config_dir: Path) -> None:
    result = run("config", "init")
    assert result.returncode == 0, result.stderr
    path = config_dir / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    # The starter is a valid config as written.
    profiles = run("profiles")
    assert profiles.returncode == 0, profiles.stderr
    assert "corpay-uat" in profiles.stdout and "env:CORPAY_CLIENT_SECRET" in profiles.stdout
    again = run("config", "init")
    assert again.returncode == 2 and "never overwrites" in again.stderr


def test_literal_secret_in_a_readable_file_warns_with_the_chmod(config_dir: Path, demo_server: DemoServer) -> None:
    path = write_config(config_dir, corpay_profile(demo_server), mode=0o644)
    result = run("get", "AAdmD55q8Vz")
    assert result.returncode == 0
    assert f"chmod 600 {path}" in result.stderr
    assert CLIENT_SECRET not in result.stderr
    path.chmod(0o600)
    assert "chmod" not in run("get", "AAdmD55q8Vz").stderr


def test_profiles_never_show_secrets(config_dir: Path, demo_server: DemoServer) -> None:
    write_config(config_dir, 'default_profile = "c"\n' + corpay_profile(demo_server))
    result = run("profiles")
    assert result.returncode == 0
    assert "*  c " in result.stdout and "corpay" in result.stdout and demo_server.base_url("corpay") in result.stdout
    assert CLIENT_SECRET not in result.stdout
    assert "client_secret from literal" in result.stdout


def test_info_names_paths_and_terminal(config_dir: Path) -> None:
    result = run("info", env={"TERM": "xterm-256color", "TMUX": "/tmp/tmux-0/default,1,0"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert str(config_dir / "config.toml") in out and str(config_dir / "history.sqlite3") in out
    assert "xterm-256color" in out and "tmux" in out and "yes" in out
    assert "colour system" in out


def test_config_option_names_another_file(tmp_path: Path, config_dir: Path, demo_server: DemoServer) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text(corpay_profile(demo_server, "elsewhere"))
    other.chmod(0o600)
    result = run("get", "--config", str(other), "AAdmD55q8Vz")
    assert result.returncode == 0, result.stderr
    assert "profile elsewhere" in result.stdout
    missing = run("get", "--config", str(tmp_path / "nope.toml"), "AAdmD55q8Vz")
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_history_records_lookups_without_secrets(config_dir: Path, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_profile(demo_server))
    run("get", "AAdmD55q8Vz", "Missing0001", "bad id")
    result = run("history", "--json")
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(e["id"], e["outcome"]) for e in entries} == {("AAdmD55q8Vz", "found"), ("Missing0001", "not_found")}
    for e in entries:
        assert {"profile", "adapter", "type", "id", "looked_up_at", "outcome"} <= set(e)
    for file in config_dir.rglob("*"):
        if file.is_file() and file.name != "config.toml":
            assert CLIENT_SECRET.encode() not in file.read_bytes()


def test_demo_works_without_config(config_dir: Path) -> None:
    result = run("get", "--demo", "AAdmD55q8Vz")
    assert result.returncode == 0, result.stderr
    assert "profile demo-corpay (demo)" in result.stdout
    assert not (config_dir / "config.toml").exists()
