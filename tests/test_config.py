"""The config package: how its modules depend on each other, range checks and warnings."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from evtui.config.schema import config_from_data
from evtui.config.starter import STARTER
from tests.test_cli import no_traceback, run, write_config


def _imported_after(statement: str, names: tuple[str, ...]) -> list[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(m for m in {names!r} if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_reading_the_file_costs_no_pydantic():
    assert _imported_after("import evtui.config.file, evtui.config.paths", ("pydantic", "evtui.config.schema")) == []


def test_the_schema_does_not_import_the_reader():
    # The dependency runs one way (file -> schema, when validating): no import circle.
    loaded = _imported_after("import evtui.config.schema", ("evtui.config.file", "evtui.config.starter"))
    assert loaded == []


# -- numbers: finite, positive, bounded; one line naming the field, exit 2 --------

PROFILE = '[profiles.p]\nadapter = "corpay"\nbase_url = "https://apigwuat.corpay.com"\nclient_id = "x"\nclient_secret = "env:EVTUI_UNSET"\n'

BAD_NUMBERS = [
    ("timeout = nan", "timeout"),
    ("timeout = inf", "timeout"),
    ("timeout = -inf", "timeout"),
    ("timeout = -1", "timeout"),
    ("timeout = 0", "timeout"),
    ("timeout = 1e308", "timeout"),
    ("timeout = 1_000_000_000_000_000_000_000_000", "timeout"),
    ("timeout = true", "timeout"),
    ("max_body_mb = nan", "max_body_mb"),
    ("max_body_mb = 0", "max_body_mb"),
    ("max_body_mb = -20", "max_body_mb"),
    ("max_body_mb = 1e12", "max_body_mb"),
    ("watch_interval = inf", "watch_interval"),
    ("watch_interval = 0.0", "watch_interval"),
    ("watch_interval = 1e9", "watch_interval"),
    ("[history]\nmax_entries = 0", "history.max_entries"),
    ("[history]\nmax_entries = -5", "history.max_entries"),
    ("[history]\nmax_entries = 9223372036854775807", "history.max_entries"),
    ("[history]\nmax_entries = 1.5", "history.max_entries"),
    ("[history]\ncache_max_mb = nan", "history.cache_max_mb"),
    ("[history]\ncache_max_mb = -1", "history.cache_max_mb"),
    ("[history]\ncache_max_mb = 1e300", "history.cache_max_mb"),
]


@pytest.mark.parametrize(("setting", "field"), BAD_NUMBERS, ids=[s.replace("\n", " ") for s, _ in BAD_NUMBERS])
def test_a_bad_number_is_one_line_naming_the_field(tmp_path: Path, config_dir: Path, setting: str, field: str) -> None:
    # Top-level keys come before the first table; [history] after the profile is the same file.
    text = f"{setting}\n{PROFILE}" if not setting.startswith("[") else f"{PROFILE}{setting}\n"
    path = tmp_path / "bad.toml"
    path.write_text(text)
    path.chmod(0o600)
    for args in (("profiles", "--config", str(path)), ("get", "--config", str(path), "AAdmD55q8Vz")):
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        no_traceback(result)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert f"{path}, field '{field}': " in lines[0]


def test_numbers_at_their_bounds_are_accepted(config_dir: Path) -> None:
    write_config(
        config_dir,
        "timeout = 3600\nmax_body_mb = 0.5\nwatch_interval = 86400\n" + PROFILE + "[history]\nmax_entries = 1\ncache_max_mb = 10240\n",
    )
    result = run("profiles")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


# -- warnings: said on every run, the command to fix them included -----------------


def spirii(base_url: str) -> str:
    return f'[profiles.s]\nadapter = "spirii"\nbase_url = "{base_url}"\napi_key = "env:EVTUI_UNSET"\n'


def test_plain_http_to_another_host_with_credentials_is_warned(config_dir: Path) -> None:
    write_config(config_dir, spirii("http://api.spirii.example"))
    result = run("profiles")
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("evtui: warning:")]
    assert len(warnings) == 1, result.stderr
    assert "profile 's'" in warnings[0] and "plain http:// to api.spirii.example" in warnings[0] and "https://" in warnings[0]


@pytest.mark.parametrize("base_url", ["https://api.spirii.example", "http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"])
def test_https_and_loopback_are_not_warned(config_dir: Path, base_url: str) -> None:
    write_config(config_dir, spirii(base_url))
    result = run("profiles")
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr


def test_plain_http_in_any_url_setting_is_warned(config_dir: Path) -> None:
    token_url = "http://keycloak.example/realms/x/protocol/openid-connect/token"
    write_config(config_dir, PROFILE + f'token_url = "{token_url}"\n')
    result = run("profiles")
    assert "plain http:// to keycloak.example" in result.stderr


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_a_config_file_others_can_change_is_warned_with_the_chmod(config_dir: Path, mode: int) -> None:
    path = write_config(config_dir, PROFILE, mode=mode)
    result = run("profiles")
    assert result.returncode == 0
    assert f"chmod go-w {path}" in result.stderr
    path.chmod(0o600)
    assert "warning" not in run("profiles").stderr


def test_a_config_directory_others_can_change_is_warned_with_the_chmod(config_dir: Path) -> None:
    write_config(config_dir, PROFILE)
    config_dir.chmod(0o775)
    result = run("profiles")
    assert result.returncode == 0
    assert f"chmod go-w {config_dir}" in result.stderr
    # A sticky directory (like /tmp) lets no one else replace the file.
    config_dir.chmod(0o1777)
    assert "warning" not in run("profiles").stderr
    config_dir.chmod(0o700)


def test_the_starter_keymap_example_uses_a_key_nothing_else_has() -> None:
    from evtui.tui.app import EvtuiApp, MainScreen

    example = STARTER.split("# [keymap]\n", 1)[1]
    remap = tomllib.loads("[keymap]\n" + example.replace("# ", ""))["keymap"]
    taken = {key.strip() for binding in [*MainScreen.BINDINGS, *EvtuiApp.BINDINGS] for key in binding.key.split(",")}
    binding_ids = {binding.id for binding in [*MainScreen.BINDINGS, *EvtuiApp.BINDINGS]}
    for binding_id, keys in remap.items():
        assert binding_id in binding_ids
        assert not {key.strip() for key in keys.split(",")} & taken, keys
    assert config_from_data({"keymap": remap}, None).settings.keymap == remap
