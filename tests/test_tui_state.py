"""evtui.state: the TUI's remembered state file."""

from __future__ import annotations

import os
import stat
import tomllib

from evtui.state import State, StateFile, load_state, save_state


def test_missing_file_gives_defaults(tmp_path):
    assert load_state(tmp_path / "state.toml") == State()


def test_round_trip_private_and_atomic(tmp_path):
    path = tmp_path / "sub" / "state.toml"
    save_state(State(last_profile="corpay-uat", history_visible=False), path)
    assert tomllib.loads(path.read_text()) == {"last_profile": "corpay-uat", "history_visible": False}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_state(path) == State(last_profile="corpay-uat", history_visible=False)
    # No temp files left beside it.
    assert sorted(p.name for p in path.parent.iterdir()) == ["state.toml"]


def test_written_only_when_something_changed(tmp_path):
    path = tmp_path / "state.toml"
    state = StateFile(path)
    assert state.update(history_visible=True) is False, "the default: nothing to write"
    assert not path.exists()
    assert state.update(history_visible=False) is True
    mtime = path.stat().st_mtime_ns
    os.utime(path, ns=(mtime - 10_000_000, mtime - 10_000_000))
    before = path.stat().st_mtime_ns
    assert state.update(history_visible=False) is False
    assert path.stat().st_mtime_ns == before


def test_unreadable_or_odd_state_is_ignored(tmp_path):
    path = tmp_path / "state.toml"
    path.write_bytes(b"\xff\xfe not toml [[[")
    assert load_state(path) == State()
    path.write_text('last_profile = 3\nhistory_visible = "yes"\nextra = 1\n')
    assert load_state(path) == State()


def test_a_failed_write_is_reported_not_raised(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    state = StateFile(blocker / "state.toml")  # its directory is a file: cannot be created
    assert state.update(last_profile="x") is False
    assert state.error and "could not save" in state.error
