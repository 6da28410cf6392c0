"""Files evtui writes: owner-only, never through a symbolic link, and a full disk named as such."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evtui.demo.server import DemoServer
from evtui.files import write_private
from evtui.history import HistoryStore
from evtui.state import State, StateFile, save_state

from .test_cli import corpay_profile, no_traceback, run, write_config


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def lax_umask() -> Iterator[None]:
    old = os.umask(0)
    yield
    os.umask(old)


def rec(store: HistoryStore, record_id: str, body: bytes | None = None) -> None:
    store.record(profile="p", adapter="a", record_type="session", record_id=record_id, outcome="found", body=body)


# -- private, atomic writes ------------------------------------------------------------------


def test_write_private_is_0600_whatever_the_umask(tmp_path: Path, lax_umask: None) -> None:
    path = tmp_path / "export.json"
    write_private(path, b"{}")
    assert mode(path) == 0o600 and path.read_bytes() == b"{}"
    path.chmod(0o644)
    write_private(path, b"[]", durable=True)
    assert mode(path) == 0o600 and path.read_bytes() == b"[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]  # no temporary left


def test_write_private_replaces_a_symlink_and_never_writes_its_target(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_bytes(b"keep me")
    target.chmod(0o644)
    link = tmp_path / "state.toml"
    link.symlink_to(target)
    write_private(link, b"new")
    assert not link.is_symlink() and link.read_bytes() == b"new" and mode(link) == 0o600
    assert target.read_bytes() == b"keep me" and mode(target) == 0o644


def test_a_symlinked_state_file_is_replaced_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text("last_profile = 'theirs'\n")
    path = tmp_path / "evtui" / "state.toml"
    path.parent.mkdir()
    path.symlink_to(target)
    state = StateFile(path)
    assert state.update(last_profile="mine")
    assert target.read_text() == "last_profile = 'theirs'\n"
    assert not path.is_symlink() and mode(path) == 0o600


def test_state_in_new_nested_directories_is_private(tmp_path: Path, lax_umask: None) -> None:
    path = tmp_path / "a" / "b" / "state.toml"
    save_state(State(last_profile="x"), path)
    assert mode(path) == 0o600 and mode(tmp_path / "a") == 0o700 and mode(tmp_path / "a" / "b") == 0o700


# -- history never through a symbolic link ----------------------------------------------------------


@pytest.mark.parametrize("existing", [True, False])
def test_a_symlink_at_the_history_path_is_refused_and_its_target_untouched(tmp_path: Path, existing: bool) -> None:
    target = tmp_path / "target"
    if existing:
        target.write_bytes(b"")
        target.chmod(0o644)
    path = tmp_path / "history.sqlite3"
    path.symlink_to(target)
    store = HistoryStore(path)
    rec(store, "A1")
    assert store.entries() == []
    store.close()
    assert not store.enabled
    assert store.notice is not None and f"{path} is a symbolic link" in store.notice and "History is off" in store.notice
    assert path.is_symlink()
    if existing:
        assert target.read_bytes() == b"" and mode(target) == 0o644  # not made a database, not chmod-ed
    else:
        assert not target.exists()
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_a_symlinked_journal_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        rec(store, "before")
    target = tmp_path / "target"
    target.write_bytes(b"precious")
    target.chmod(0o644)
    Path(f"{path}-journal").symlink_to(target)
    store = HistoryStore(path)
    rec(store, "after")
    store.close()
    assert not store.enabled and store.notice is not None and "-journal is a symbolic link" in store.notice
    assert target.read_bytes() == b"precious" and mode(target) == 0o644


def test_a_history_file_made_readable_by_others_is_made_private_again(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        rec(store, "A1")
    path.chmod(0o644)
    with HistoryStore(path) as store:
        rec(store, "A2")
        assert mode(path) == 0o600


def test_moved_aside_copies_and_journals_are_private(tmp_path: Path, lax_umask: None) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    path.chmod(0o644)
    Path(f"{path}-journal").write_bytes(b"hot journal of the damaged file")
    Path(f"{path}-journal").chmod(0o644)
    with HistoryStore(path) as store:
        rec(store, "A1")
        assert [e.record_id for e in store.entries()] == ["A1"]
    (aside,) = tmp_path.glob("history.sqlite3.corrupt-*[0-9]")
    assert aside.read_bytes() == b"garbage" * 1000
    # Every file there (the copy, the new history, a journal SQLite kept or not) is the owner's alone.
    assert {p.name: mode(p) for p in tmp_path.iterdir()} == dict.fromkeys((p.name for p in tmp_path.iterdir()), 0o600)


def test_get_with_a_symlinked_history_works_and_says_why_history_is_off(config_dir: Path, demo_server: DemoServer) -> None:
    write_config(config_dir, corpay_profile(demo_server))
    target = config_dir / "somewhere-else"
    target.write_bytes(b"")
    (config_dir / "history.sqlite3").symlink_to(target)
    result = run("get", "AAdmD55q8Vz")
    no_traceback(result)
    assert result.returncode == 0 and "AAdmD55q8Vz" in result.stdout
    (notice,) = result.stderr.splitlines()
    assert "is a symbolic link" in notice and "History is off for this run" in notice
    assert target.read_bytes() == b""


# -- a full disk -----------------------------------------------------------------------------------


@pytest.fixture
def small_database(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Every history connection limited to `pages` pages: SQLite's own SQLITE_FULL, as on a full disk."""
    limit = {"pages": 40}
    real_connect = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.execute(f"PRAGMA max_page_count = {limit['pages']}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return limit


def test_a_full_database_says_disk_full_not_locked_and_history_stays_on(tmp_path: Path, small_database: dict[str, int]) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    rec(store, "small")
    assert store.notice is None
    rec(store, "big", body=os.urandom(400_000))  # far more than 40 pages of 4 KB
    assert store.notice == f"History was not updated: the disk holding {store.path} is full."
    assert store.enabled
    small_database["pages"] = 1_000_000  # space freed: the next write takes the waiting one too
    store._close_quietly()
    rec(store, "after")
    assert sorted(e.record_id for e in store.entries()) == ["after", "big", "small"]
    store.close()
    assert "locked" not in (store.notice or "")


def test_lookups_still_unwritten_at_close_blame_the_disk(tmp_path: Path, small_database: dict[str, int]) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    rec(store, "big", body=os.urandom(400_000))
    store.close()
    assert store.notice is not None
    assert "1 lookup(s) could not be written to history: the disk holding" in store.notice
    assert "full" in store.notice and "locked" not in store.notice


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs: a real ENOSPC. Needs the right to mount (root in a container); skipped otherwise."""
    where = tmp_path / "tiny"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def fill(directory: Path) -> None:
    with open(directory / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"x" * 4096)
        except OSError:
            pass


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs")
def test_get_on_a_full_disk_names_the_disk(tiny_filesystem: Path, demo_server: DemoServer) -> None:
    home = tiny_filesystem / "evtui"
    write_config(home, corpay_profile(demo_server))
    fill(tiny_filesystem)
    result = run("get", "AAdmD55q8Vz", env={"EVTUI_CONFIG_DIR": str(home)})
    no_traceback(result)
    assert result.returncode == 0 and "AAdmD55q8Vz" in result.stdout
    assert "is full" in result.stderr and "locked" not in result.stderr and "History is off" not in result.stderr
    (tiny_filesystem / "filler").unlink()
    again = run("get", "AAdmD55q8Vz", env={"EVTUI_CONFIG_DIR": str(home)})
    assert again.returncode == 0 and again.stderr == ""
    listed = run("history", env={"EVTUI_CONFIG_DIR": str(home)})
    assert "AAdmD55q8Vz" in listed.stdout


def test_state_on_a_full_disk_says_so_and_leaves_no_temporary(tiny_filesystem: Path) -> None:
    path = tiny_filesystem / "state.toml"
    fill(tiny_filesystem)
    state = StateFile(path, State())
    assert not state.update(last_profile="x" * 100_000)
    assert state.error is not None and "No space left on device" in state.error
    assert sorted(p.name for p in tiny_filesystem.iterdir()) == ["filler"]
