"""The lookup history (issue 4): many processes, crashes, damaged files, secrets, permissions.

Store tests drive `HistoryStore` directly; the CLI tests run `evtui` as a user
does, in a subprocess, against the demo server over real HTTP. Processes are
coordinated by lines on their stdout and stdin, never by sleeping.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from evtui.history import search as history_search, store as history_store
from evtui.demo.server import DemoServer
from evtui.history import HistoryEntry, HistoryStore

# -- helpers ------------------------------------------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and POSIX modes")


def rec(store: HistoryStore, record_id: str, *, profile: str = "p", outcome: str = "found", summary: str = "",
        body: bytes | None = None, when: float | None = None, record_type: str = "session") -> None:
    store.record(profile=profile, adapter="corpay", record_type=record_type, record_id=record_id,
                 outcome=outcome, summary=summary or f"summary of {record_id}", body=body, when=when)


def ids(entries: list[HistoryEntry]) -> list[str]:
    return [e.record_id for e in entries]


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def assert_healthy(path: Path) -> None:
    """SQLite's integrity check, the search index's own check, and the trigger-kept counts."""
    with raw(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO lookups_fts (lookups_fts, rank) VALUES ('integrity-check', 0)")
        meta = dict(conn.execute("SELECT k, v FROM meta"))
        assert meta["entries"] == conn.execute("SELECT count(*) FROM lookups").fetchone()[0]
        assert meta["cache_bytes"] == conn.execute("SELECT coalesce(sum(length(body)), 0) FROM responses").fetchone()[0]
    conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class Child:
    """A `python -c` process whose stdout lines are read on a thread, so waiting has a timeout."""

    def __init__(self, code: str, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def line(self, timeout: float = 60) -> str:
        got = self.lines.get(timeout=timeout)
        if got is None:
            raise AssertionError(f"child ended early: rc={self.proc.wait()} stderr={self.proc.stderr.read() if self.proc.stderr else ''}")
        return got

    def wait_for(self, prefix: str, timeout: float = 60) -> list[str]:
        """Lines up to and including the first that starts with `prefix`."""
        seen = []
        while True:
            seen.append(self.line(timeout))
            if seen[-1].startswith(prefix):
                return seen

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


# -- one entry per (profile, type, id) ------------------------------------------------------


def test_repeated_lookups_update_one_entry(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    rec(store, "A1", when=100, summary="COMPLETE · Berlin")
    rec(store, "A1", when=300, outcome="not_found", summary="Not found")
    rec(store, "A1", when=200, outcome="timeout", summary="Timed out")  # older, e.g. written late by another pane
    rec(store, "A1", when=50, profile="other")
    [entry, other] = store.entries()
    assert entry.key == ("p", "session", "A1")
    assert (entry.count, entry.first_seen, entry.last_seen) == (3, 100, 300)
    assert (entry.outcome, entry.summary) == ("not_found", "Not found")  # the newest attempt's
    assert (other.profile, other.count) == ("other", 1)
    assert_healthy(store.path)


def test_newest_first_pinned_on_top_limit_and_profile(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    for i in range(6):
        rec(store, f"id{i}", when=1000 + i, profile="a" if i % 2 else "b")
    store.set_pinned(("b", "session", "id0"))
    assert ids(store.entries()) == ["id0", "id5", "id4", "id3", "id2", "id1"]
    assert store.entries()[0].pinned
    assert ids(store.entries(limit=2)) == ["id0", "id5"]
    assert ids(store.entries(profile="a")) == ["id5", "id3", "id1"]
    assert store.recent_ids("b", 2) == ["id0", "id4"]
    store.set_pinned(("b", "session", "id0"), False)
    assert ids(store.entries(limit=1)) == ["id5"]
    assert store.count() == 6


def test_a_common_profile_walks_the_display_order_and_a_rare_one_its_own_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sorting every entry of a common profile took 40 ms (274 ms cold) at 100,000 entries.
    monkeypatch.setattr(history_search, "_PROFILE_SORTED", 5)
    store = HistoryStore(tmp_path / "h.sqlite3")
    for i in range(20):
        rec(store, f"id{i}", when=1000 + i, profile="common" if i % 10 else "rare")
    plans: dict[str, list[str]] = {}
    conn = store._connection()
    for profile in ("common", "rare"):
        sqls: list[str] = []
        conn.set_trace_callback(sqls.append)
        store.entries(profile=profile, limit=3)
        conn.set_trace_callback(None)
        [sql] = [q for q in sqls if q.startswith("SELECT profile")]
        plans[profile] = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    assert any("lookups_order" in step for step in plans["common"]), plans
    assert not any("TEMP B-TREE" in step for step in plans["common"]), plans
    assert any("sqlite_autoindex_lookups_1" in step for step in plans["rare"]), plans


def test_prune_keeps_pinned_and_drops_the_oldest_with_their_bodies(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", max_entries=5)
    for i in range(3):
        rec(store, f"old{i}", when=i, body=b"old body %d" % i)
    store.set_pinned(("p", "session", "old0"))
    store.set_pinned(("p", "session", "old1"))
    for i in range(10):
        rec(store, f"new{i}", when=100 + i, body=b"new body %d" % i)
    assert ids(store.entries()) == ["old1", "old0", "new9", "new8", "new7"]
    assert store.cached(("p", "session", "old0")) == (b"old body 0", 0)
    assert store.cached(("p", "session", "new6")) is None  # pruned with its entry
    assert_healthy(store.path)


def test_pinned_entries_are_never_pruned_even_beyond_the_cap(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", max_entries=2)
    for i in range(4):
        rec(store, f"pin{i}", when=i)
        store.set_pinned(("p", "session", f"pin{i}"))
    assert sorted(ids(store.entries())) == ["pin0", "pin1", "pin2", "pin3"]
    rec(store, "loose", when=10)  # the entry just looked up stays, though over the cap
    rec(store, "looser", when=11)
    assert ids(store.entries()) == ["pin3", "pin2", "pin1", "pin0", "looser"]


def test_a_lowered_cap_is_reached_a_batch_per_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history_store, "_PRUNE_BATCH", 10)
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    for i in range(60):
        rec(store, f"id{i}", when=i)
    store.close()
    smaller = HistoryStore(path, max_entries=20)  # the user lowered max_entries
    sizes = []
    for i in range(5):
        rec(smaller, f"new{i}", when=100 + i)
        sizes.append(len(smaller.entries()))
    assert sizes == [51, 42, 33, 24, 20]
    assert ids(smaller.entries(limit=1)) == ["new4"]
    assert_healthy(path)


def test_record_never_raises_on_a_callers_odd_values(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.record(profile="p", adapter="a", record_type="t", record_id="X", outcome="found", body="text body")  # type: ignore[arg-type]
    assert store.cached(("p", "t", "X")) == (b"text body", pytest.approx(time.time(), abs=600))
    store.record(profile="p", adapter="a", record_type="t", record_id="Y", outcome="found", when="soon")  # type: ignore[arg-type]
    assert ids(store.entries()) == ["X"] and store.notice and "not recorded" in store.notice


def test_counts_stay_exact_through_every_kind_of_change(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", max_entries=20, cache_max_bytes=5000)
    rng = random.Random(4)
    for i in range(200):
        action = rng.random()
        key = f"id{rng.randrange(40)}"
        if action < 0.7:
            rec(store, key, profile=rng.choice("xy"), body=os.urandom(rng.randrange(0, 900)) if rng.random() < 0.7 else None)
        elif action < 0.8:
            store.set_pinned((rng.choice("xy"), "session", key), rng.random() < 0.5)
        elif action < 0.95:
            store.delete((rng.choice("xy"), "session", key))
        else:
            store.clear(profile=rng.choice("xy"))
    assert len(store.entries()) <= 20 or all(e.pinned for e in store.entries()[20:])
    assert_healthy(store.path)
    assert store.notice is None


# -- the cached response ------------------------------------------------------------------


def test_a_failed_lookup_keeps_the_last_good_body(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    key = ("p", "session", "A1")
    rec(store, "A1", body=b'{"v": 1}', when=100)
    rec(store, "A1", outcome="timeout", summary="Timed out", when=200)
    assert store.cached(key) == (b'{"v": 1}', 100)
    assert store.entries()[0].outcome == "timeout"
    rec(store, "A1", body=b'{"v": 2}', when=300)
    assert store.cached(key) == (b'{"v": 2}', 300)


def test_cache_is_size_capped_and_can_be_switched_off(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", cache_max_bytes=3000)
    for i in range(5):
        rec(store, f"id{i}", body=bytes([i]) * 1000, when=i)
    kept = [i for i in range(5) if store.cached(("p", "session", f"id{i}"))]
    assert kept == [2, 3, 4]
    # A body bigger than the whole cache is not kept, and an older one must not pass for it.
    rec(store, "id4", body=b"z" * 4000, when=10)
    assert store.cached(("p", "session", "id4")) is None
    assert store.cached(("p", "session", "id3")) is not None
    assert_healthy(store.path)

    off = HistoryStore(tmp_path / "off.sqlite3", cache_responses=False)
    rec(off, "id0", body=b"body")
    assert off.cached(("p", "session", "id0")) is None
    assert ids(off.entries()) == ["id0"]


def test_delete_and_clear_remove_bodies_from_the_file(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    marker = b"PRIVATE-BODY-" + os.urandom(8).hex().encode()
    rec(store, "A1", body=marker + b"-1")
    rec(store, "B2", body=marker + b"-2", profile="q")
    store.delete(("p", "session", "A1"))
    assert store.cached(("p", "session", "A1")) is None
    assert ids(store.entries()) == ["B2"] == ids(store.entries(query="b"))
    store.clear()
    assert store.entries() == []
    assert marker not in store.path.read_bytes()
    assert_healthy(store.path)
    rec(store, "C3")  # and the search index works on the new, empty schema
    assert ids(store.entries(query="c")) == ids(store.entries(query="c3")) == ["C3"]
    assert store.entries(query="§") == []


def test_clear_one_profile(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    rec(store, "A1", profile="a", body=b"a")
    rec(store, "B1", profile="b", body=b"b")
    store.set_pinned(("a", "session", "A1"))
    store.clear(profile="a")
    assert ids(store.entries()) == ["B1"]
    assert store.cached(("a", "session", "A1")) is None
    assert_healthy(store.path)


def test_json_fields(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    rec(store, "A1", when=0, summary="COMPLETE")
    rec(store, "A1", when=90061, outcome="not_found", summary="Not found")
    [line] = list(store.to_jsonl(store.entries()))
    doc = json.loads(line)
    assert doc == {
        "profile": "p", "adapter": "corpay", "type": "session", "id": "A1",
        "looked_up_at": "1970-01-02T01:01:01Z", "first_seen": "1970-01-01T00:00:00Z", "last_seen": "1970-01-02T01:01:01Z",
        "count": 2, "outcome": "not_found", "summary": "Not found", "pinned": False,
    }


# -- filtering ------------------------------------------------------------------------------


def _reference(entries: list[tuple[str, str, str, bool, float]], query: str, profile: str | None, limit: int | None) -> list[str]:
    terms = query.casefold().split()
    hits = [
        e for e in entries
        if (profile is None or e[1] == profile)
        and all(any(t in field.casefold() for field in (e[0], e[1], e[2])) for t in terms)
    ]
    hits.sort(key=lambda e: (not e[3], -e[4]))
    return [e[0] for e in hits][:limit]


@pytest.mark.parametrize("path_kind", ["default", "always-scan", "always-index", "no-fts", "profile-walk", "profile-sorted"])
def test_filter_matches_id_profile_and_summary_like_a_plain_substring_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path_kind: str
) -> None:
    if path_kind == "always-scan":
        monkeypatch.setattr(history_search, "_FTS_CANDIDATES", 0)
    if path_kind == "always-index":
        monkeypatch.setattr(history_search, "_FTS_CANDIDATES", 10**9)
    if path_kind == "profile-walk":
        monkeypatch.setattr(history_search, "_PROFILE_SORTED", 0)
    if path_kind == "profile-sorted":
        monkeypatch.setattr(history_search, "_PROFILE_SORTED", 10**9)
    rng = random.Random(11)
    alphabet = "abcXYZ019+/=üßΩ-é"
    words = ["COMPLETE", "Straße", "Süd", "Zuidas", "21.60 EUR", "DEBT", "Ωmega", "not found", "\"quoted\"", "a*b", "x OR y"]
    store = HistoryStore(tmp_path / "h.sqlite3", max_entries=10_000)
    entries = []
    for i in range(300):
        rid = "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 14)))
        profile = rng.choice(["corpay-uat", "spirii", "ÜBER"])
        summary = " · ".join(rng.sample(words, rng.randint(0, 3)))
        rec(store, rid, profile=profile, summary=summary or "-", when=1000 + i)
        entries = [e for e in entries if (e[0], e[1]) != (rid, profile)]
        entries.append((rid, profile, summary or "-", False, 1000 + i))
    for e in entries[::37]:
        store.set_pinned((e[1], "session", e[0]))
    entries = [(a, b, c, (a, b) in {(x[0], x[1]) for x in entries[::37]}, w) for a, b, c, _, w in entries]
    if path_kind == "no-fts":
        store.entries()  # open
        store._fts = False
    hays = [f"{e[0]} {e[1]} {e[2]}" for e in entries]
    queries = ["", "  ", "ü", "Ü", "ss", "STRASSE", "ß", "é", "Ω", "süd", "21.60 eur", "eur 21", "\"", "\"quoted", "*", "a*b", "or",
               "x or y", "zzz", "q", "--", "corpay", "spirii süd"]
    for _ in range(150):
        h = rng.choice(hays)
        start = rng.randrange(len(h))
        queries.append(h[start:start + rng.randint(1, 6)])
    for q in queries:
        for profile, limit in ((None, None), (None, 7), ("spirii", 5)):
            got = ids(store.entries(query=q, profile=profile, limit=limit))
            assert got == _reference(entries, q, profile, limit), (q, profile, limit)
    assert store.notice is None


# -- concurrency, crashes, contention ----------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
from evtui.history import HistoryStore
path, who, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = HistoryStore(path, max_entries=100_000)
print("ready", flush=True)
sys.stdin.readline()  # all writers start together
for i in range(n):
    store.record(profile="p", adapter="corpay", record_type="session", record_id=f"{who}-{i}",
                 outcome="found", summary=f"{who} {i}", body=b'{"n": %d}' % i)
    store.record(profile="p", adapter="corpay", record_type="session", record_id="shared",
                 outcome="found", summary=who)
store.close()
print("notice:", store.notice, flush=True)
"""


def test_several_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "history.sqlite3"  # not there yet: the writers also race to create it
    k, n = 4, 150
    children = [Child(WRITER, str(path), f"w{j}", str(n)) for j in range(k)]
    for child in children:
        assert child.line() == "ready"
    for child in children:
        child.send("go\n")
    for child in children:
        assert child.line(timeout=120) == "notice: None"
        assert child.proc.wait(timeout=60) == 0
    store = HistoryStore(path, max_entries=100_000)
    entries = {e.record_id: e for e in store.entries()}
    assert len(entries) == k * n + 1
    assert all(f"w{j}-{i}" in entries for j in range(k) for i in range(n))
    assert entries["shared"].count == k * n
    assert store.cached(("p", "session", "w3-149")) == (b'{"n": 149}', pytest.approx(time.time(), abs=600))
    assert_healthy(path)


OPENER = """
import sys
from pathlib import Path
from evtui.history import HistoryStore
print("ready", flush=True)
sys.stdin.readline()
for path in sys.argv[2:]:
    store = HistoryStore(Path(path))
    store.record(profile="p", adapter="corpay", record_type="session", record_id=sys.argv[1], outcome="found")
    store.close()
    print("notice:", store.notice, flush=True)
"""


def test_processes_creating_the_history_together_agree_on_it(tmp_path: Path) -> None:
    """Several panes started at once, on a machine with no history yet: one creates it, none moves it aside."""
    paths = [str(tmp_path / f"round{r}" / "history.sqlite3") for r in range(8)]
    children = [Child(OPENER, f"pane{j}", *paths) for j in range(6)]
    for child in children:
        assert child.line() == "ready"
    for child in children:
        child.send("go\n")
    for child in children:
        assert [child.line(timeout=120) for _ in paths] == ["notice: None"] * len(paths)
        assert child.proc.wait(timeout=60) == 0
    for path in paths:
        assert sorted(ids(HistoryStore(Path(path)).entries())) == [f"pane{j}" for j in range(6)]
        assert not list(Path(path).parent.glob("*.corrupt-*"))


def test_a_history_created_meanwhile_by_another_process_is_not_taken_for_foreign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race above, made certain: the other evtui creates the schema between two of our reads."""
    path = tmp_path / "history.sqlite3"
    other = HistoryStore(path)
    other.busy_deadline, other.busy_timeout_ms = 0.2, 20
    injected: list[bool] = []
    real_connect = sqlite3.connect

    class Conn(sqlite3.Connection):
        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
            if "FROM sqlite_master" in sql and not injected:
                injected.append(True)
                rec(other, "theirs")  # right now, in another pane
            return super().execute(sql, *args)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **kw: real_connect(*a, factory=Conn, **kw))
    ours = HistoryStore(path)
    rec(ours, "ours")
    other.close()
    assert injected and ours.notice is None and other.notice is None
    assert not list(tmp_path.glob("*.corrupt-*"))
    assert sorted(ids(ours.entries())) == ["ours", "theirs"]


CRASHER = """
import sys
from pathlib import Path
from evtui.history import HistoryStore
path, start = Path(sys.argv[1]), int(sys.argv[2])
store = HistoryStore(path, max_entries=100_000)
i = start
while True:
    store.record(profile="p", adapter="corpay", record_type="session", record_id=f"id{i}",
                 outcome="found", summary=f"n {i}", body=bytes(range(256)) * 200)
    if i == start:
        # A tiny page cache: big writes spill into the database file before they commit,
        # so a kill can leave a half-written file that only the journal can undo.
        store._conn.execute("PRAGMA cache_size = 2")
    print(f"committed id{i}", flush=True)
    i += 1
"""


@posix_only
def test_killing_a_writer_at_any_moment_leaves_a_readable_history(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    committed: set[str] = set()
    rng = random.Random(5)
    for round_ in range(6):
        child = Child(CRASHER, str(path), str(round_ * 10_000))
        for _ in range(rng.randint(1, 25)):
            committed.add(child.line().split()[1])
        child.kill()  # wherever it is now: mid-transaction or between two
        store = HistoryStore(path, max_entries=100_000)
        found = set(ids(store.entries()))
        assert store.notice is None  # rolled back from the journal, not moved aside
        assert committed <= found
        assert len(found - committed) <= 1  # at most the write that committed but was not yet reported
        store.close()
        assert_healthy(path)


TORN = """
import sys
from pathlib import Path
from evtui.history import HistoryStore
path = Path(sys.argv[1])
store = HistoryStore(path)
for i in range(3):
    store.record(profile="p", adapter="corpay", record_type="session", record_id=f"ok{i}", outcome="found", summary="s")
store._conn.execute("PRAGMA cache_size = 2")  # spill the torn write into the file
prune = HistoryStore._prune
def stall(self, conn, **kwargs):
    prune(self, conn, **kwargs)
    print("mid-write", flush=True)
    sys.stdin.readline()  # inside the transaction, until killed
HistoryStore._prune = stall
store.record(profile="p", adapter="corpay", record_type="session", record_id="torn", outcome="found", summary="s",
             body=bytes(range(256)) * 2000)
"""


@posix_only
def test_sigkill_inside_a_write_transaction_is_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    child = Child(TORN, str(path))
    child.wait_for("mid-write")
    child.kill()
    journal = Path(f"{path}-journal")
    assert journal.exists() and journal.stat().st_size > 0  # a hot journal: the crash happened mid-write
    assert mode(journal) == 0o600
    store = HistoryStore(path)
    assert sorted(ids(store.entries())) == ["ok0", "ok1", "ok2"]
    assert store.notice is None
    store.close()
    assert not journal.exists()
    assert_healthy(path)


def test_a_locked_store_delays_a_write_boundedly_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    store.busy_deadline, store.busy_timeout_ms = 0.3, 50
    rec(store, "first")
    blocker = raw(path)
    blocker.execute("BEGIN EXCLUSIVE")  # another evtui stuck mid-write
    started = time.monotonic()
    rec(store, "second")
    assert time.monotonic() - started < 3  # the lookup is not held up for long
    blocker.execute("ROLLBACK")
    rec(store, "third")  # the delayed write goes in with this one
    assert sorted(ids(store.entries())) == ["first", "second", "third"]
    assert store.notice is None

    blocker.execute("BEGIN EXCLUSIVE")
    rec(store, "fourth")
    store.close()  # still locked: one more bounded try, then the user is told
    assert store.notice is not None and "1 lookup(s) could not be written" in store.notice
    blocker.execute("ROLLBACK")
    blocker.close()


# -- damaged files ----------------------------------------------------------------------------


def _make_real_history(path: Path) -> bytes:
    store = HistoryStore(path)
    for i in range(300):
        rec(store, f"id{i}", body=os.urandom(500))
    store.close()
    return path.read_bytes()


def _damage(path: Path, kind: str) -> None:
    if kind == "garbage":
        path.write_bytes(os.urandom(8192))
    elif kind == "truncated":
        data = _make_real_history(path)
        path.write_bytes(data[: len(data) // 2])
    elif kind == "truncated-header":
        data = _make_real_history(path)
        path.write_bytes(data[:60])
    elif kind == "directory":
        path.mkdir()
        (path / "inside").write_text("x")
    elif kind == "text":
        path.write_text("this is not a database\n" * 100)
    elif kind == "foreign-sqlite":
        with raw(path) as conn:
            conn.execute("CREATE TABLE notes (body TEXT)")
            conn.execute("INSERT INTO notes VALUES ('not yours')")
        conn.close()
    elif kind == "foreign-lookups-table":
        with raw(path) as conn:
            conn.execute("CREATE TABLE lookups (something_else TEXT)")
        conn.close()
    elif kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(path)
    else:  # pragma: no cover
        raise AssertionError(kind)


DAMAGES = ["garbage", "truncated", "truncated-header", "directory", "text", "foreign-sqlite", "foreign-lookups-table", "fifo"]


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_history_is_moved_aside_and_a_fresh_one_started(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "history.sqlite3"
    _damage(path, kind)
    before = path.read_bytes() if path.is_file() else None
    store = HistoryStore(path)
    rec(store, "A1", body=b"{}")
    assert ids(store.entries()) == ["A1"]
    asides = sorted(tmp_path.glob("history.sqlite3.corrupt-*"))
    assert len(asides) == 1 and not asides[0].name.endswith("-journal")
    assert store.notice is not None
    assert str(asides[0]) in store.notice and store.notice.count("moved to") == 1
    if before is not None:
        assert asides[0].read_bytes() == before  # the old one is kept as it was, for the curious
        assert mode(asides[0]) == 0o600
    rec(store, "B2")
    assert store.notice.count("moved to") == 1  # told once
    store.close()
    assert_healthy(path)


def test_a_file_damaged_while_open_is_moved_aside_too(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    rec(store, "A1")
    with open(path, "r+b") as fh:
        fh.write(os.urandom(4096))
    rec(store, "B2")
    assert ids(store.entries()) == ["B2"]
    assert store.notice is not None and "moved to" in store.notice
    assert len(list(tmp_path.glob("history.sqlite3.corrupt-*"))) == 1


def test_a_history_moved_away_by_another_process_is_not_written_into(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    rec(store, "A1")
    os.rename(path, tmp_path / "elsewhere.sqlite3")  # another evtui moved it aside, or the user did
    rec(store, "B2")
    assert ids(HistoryStore(path).entries()) == ["B2"]
    assert ids(HistoryStore(tmp_path / "elsewhere.sqlite3").entries()) == ["A1"]


def test_when_it_cannot_be_moved_aside_history_is_off_and_nothing_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"garbage" * 1000)

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    store = HistoryStore(path)
    rec(store, "A1")
    assert store.entries() == [] and store.cached(("p", "session", "A1")) is None
    store.set_pinned(("p", "session", "A1"))
    store.delete(("p", "session", "A1"))
    store.clear()
    store.close()
    assert not store.enabled
    assert store.notice is not None and "History is off for this run" in store.notice
    assert path.read_bytes() == b"garbage" * 1000


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write into a read-only directory")
def test_read_only_directory_turns_history_off(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "history.sqlite3").write_bytes(b"garbage" * 1000)
    folder.chmod(0o500)
    try:
        store = HistoryStore(folder / "history.sqlite3")
        rec(store, "A1")
        assert store.entries() == []
        assert not store.enabled and store.notice and "History is off" in store.notice
    finally:
        folder.chmod(0o700)


def test_a_history_from_a_newer_evtui_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    rec(store, "A1")
    store.close()
    with raw(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    newer = HistoryStore(path)
    rec(newer, "B2")
    assert newer.entries() == []
    assert newer.notice and "newer evtui" in newer.notice
    assert path.read_bytes() == before and not list(tmp_path.glob("*.corrupt-*"))


V1_SCHEMA = """
CREATE TABLE lookups (profile TEXT NOT NULL, adapter TEXT NOT NULL, record_type TEXT NOT NULL, record_id TEXT NOT NULL,
    first_seen REAL NOT NULL, last_seen REAL NOT NULL, count INTEGER NOT NULL DEFAULT 1, outcome TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '', pinned INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (profile, record_type, record_id));
CREATE INDEX lookups_last_seen ON lookups (pinned DESC, last_seen DESC);
CREATE TABLE responses (profile TEXT NOT NULL, record_type TEXT NOT NULL, record_id TEXT NOT NULL, fetched_at REAL NOT NULL,
    body BLOB NOT NULL, PRIMARY KEY (profile, record_type, record_id));
INSERT INTO lookups VALUES ('p', 'corpay', 'session', 'OldOne', 10, 20, 2, 'found', 'COMPLETE · Zuidas', 1);
INSERT INTO lookups VALUES ('p', 'corpay', 'session', 'Older', 5, 6, 1, 'not_found', 'Not found', 0);
INSERT INTO responses VALUES ('p', 'session', 'OldOne', 20, X'7B7D');
PRAGMA user_version = 1;
"""


def test_the_first_evtuis_history_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with raw(path) as conn:
        conn.executescript(V1_SCHEMA)
    conn.close()
    store = HistoryStore(path)
    [old, older] = store.entries()
    assert (old.record_id, old.count, old.first_seen, old.pinned, older.record_id) == ("OldOne", 2, 10, True, "Older")
    assert ids(store.entries(query="zuid")) == ["OldOne"]
    assert store.cached(old.key) == (b"{}", 20)
    rec(store, "Older")
    assert store.entries()[1].count == 2
    assert store.notice is None
    assert_healthy(path)


# -- permissions --------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_private_files_and_directories(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        path = tmp_path / "new" / "nested" / "dir" / "history.sqlite3"
        store = HistoryStore(path)
        rec(store, "A1", body=b"{}")
        for d in (tmp_path / "new", tmp_path / "new" / "nested", path.parent):
            assert mode(d) == 0o700, d
        assert mode(path) == 0o600
        # The rollback journal exists only during a write: hold one open and look at it.
        conn = store._conn
        assert conn is not None
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE lookups SET count = count + 1")
        journal = Path(f"{path}-journal")
        assert journal.exists()
        assert mode(journal) == 0o600
        conn.execute("ROLLBACK")
        store.close()
        # A history made readable by others is made private again.
        path.chmod(0o644)
        rec(HistoryStore(path), "B2")
        assert mode(path) == 0o600
    finally:
        os.umask(old)


# -- the command line, over real HTTP -----------------------------------------------------------


def evtui(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evtui", *args],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


def corpay_config(server: DemoServer, *, secret_ref: str = "env:EVTUI_TEST_SECRET", name: str = "c") -> str:
    return f"""
[profiles.{name}]
adapter = "corpay"
base_url = "{server.base_url('corpay')}"
client_id = "evtui-demo"
client_secret = "{secret_ref}"
"""


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text)
    path.chmod(0o600)
    return path


def history_json(env: dict[str, str] | None = None, *args: str) -> list[dict[str, object]]:
    result = evtui("history", "--json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A client secret nobody else uses, accepted by the demo server."""
    value = "s3cr3t-" + os.urandom(12).hex()
    monkeypatch.setattr("evtui.demo.corpay.CLIENT_SECRET", value)
    yield value


def test_no_secret_or_token_reaches_any_file(config_dir: Path, demo_server: DemoServer, secret: str) -> None:
    wrong = "wrong-" + os.urandom(12).hex()
    config = corpay_config(demo_server) + corpay_config(demo_server, secret_ref="env:EVTUI_TEST_WRONG", name="bad")
    write_config(config_dir, config.replace("[profiles.c]", 'default_profile = "c"\n\n[profiles.c]'))
    env = {"EVTUI_TEST_SECRET": secret, "EVTUI_TEST_WRONG": wrong}
    got = evtui("get", "AAdmD55q8Vz", "JPYsess0042", "Missing0001", "fault-server-error", "bad id!", env=env)
    assert got.returncode != 0 and "Tokyo" in got.stdout or "Shibuya" in got.stdout, got.stderr
    assert evtui("get", "--json", "O9UXK+YI5Q6i0/FoI4qHwcA==", env=env).returncode == 0
    rejected = evtui("get", "--profile", "bad", "AAdmD55q8Vz", env=env)
    assert rejected.returncode == 4, rejected.stderr

    outcomes = {(e["profile"], e["id"]): e["outcome"] for e in history_json(env)}
    assert outcomes == {
        ("c", "AAdmD55q8Vz"): "found", ("c", "JPYsess0042"): "found", ("c", "Missing0001"): "not_found",
        ("c", "fault-server-error"): "provider_error", ("c", "O9UXK+YI5Q6i0/FoI4qHwcA=="): "found",
        ("bad", "AAdmD55q8Vz"): "credentials_rejected",
    }  # the invalid id was never sent, so never recorded
    tokens = demo_server.providers["corpay"]._tokens  # type: ignore[attr-defined]
    assert len(tokens) >= 2
    needles = [secret.encode(), wrong.encode(), b"Bearer", *(t.encode() for t in tokens)]
    files = [f for f in config_dir.rglob("*") if f.is_file()]
    # The search below does see what the history holds: ids and cached bodies, as bytes.
    stored = (config_dir / "history.sqlite3").read_bytes()
    assert b"AAdmD55q8Vz" in stored and b"Shibuya Stream" in stored
    for file in files:
        data = file.read_bytes()
        for needle in needles:
            assert needle not in data, (file, needle)


@pytest.mark.parametrize("kind", ["garbage", "directory", "foreign-sqlite"])
def test_cli_lookup_goes_on_when_the_history_is_damaged(config_dir: Path, demo_server: DemoServer, secret: str, kind: str) -> None:
    write_config(config_dir, corpay_config(demo_server))
    env = {"EVTUI_TEST_SECRET": secret}
    _damage(config_dir / "history.sqlite3", kind)
    got = evtui("get", "AAdmD55q8Vz", env=env)
    assert got.returncode == 0, got.stderr
    assert "AAdmD55q8Vz" in got.stdout
    assert "Traceback" not in got.stderr
    [aside] = config_dir.glob("history.sqlite3.corrupt-*")
    assert f"moved to {aside}" in got.stderr
    assert [e["id"] for e in history_json(env)] == ["AAdmD55q8Vz"]
    again = evtui("get", "JPYsess0042", env=env)
    assert again.returncode == 0 and "moved" not in again.stderr  # told once


def test_cli_lookup_goes_on_when_history_is_off(
    tmp_path: Path, config_dir: Path, demo_server: DemoServer, secret: str,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from evtui.cli import main

    write_config(config_dir, corpay_config(demo_server))
    monkeypatch.setenv("EVTUI_TEST_SECRET", secret)
    (config_dir / "history.sqlite3").write_bytes(b"garbage" * 1000)

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    assert main(["get", "AAdmD55q8Vz"]) == 0
    out, err = capsys.readouterr()
    assert "AAdmD55q8Vz" in out
    assert "History is off for this run" in err


def test_cli_history_in_a_new_nested_config_dir_is_private(tmp_path: Path, demo_server: DemoServer, secret: str) -> None:
    config = write_config(tmp_path / "elsewhere", corpay_config(demo_server))
    home = tmp_path / "brand" / "new" / "evtui"
    env = {"EVTUI_CONFIG_DIR": str(home), "EVTUI_TEST_SECRET": secret}
    got = evtui("get", "--config", str(config), "AAdmD55q8Vz", env=env)
    assert got.returncode == 0, got.stderr
    for d in (tmp_path / "brand", tmp_path / "brand" / "new", home):
        assert mode(d) == 0o700, d
    assert [mode(f) for f in home.iterdir()] == [0o600]


def test_cli_history_lists_filters_and_clears(config_dir: Path) -> None:
    from evtui.config.paths import history_path

    store = HistoryStore(history_path())
    for i in range(5):
        rec(store, f"id{i}", profile="a" if i < 3 else "b", when=1_700_000_000 + i)
    store.set_pinned(("a", "session", "id0"))
    store.close()

    entries = history_json(None)
    assert [e["id"] for e in entries] == ["id0", "id4", "id3", "id2", "id1"]
    for e in entries:
        assert {"profile", "adapter", "type", "id", "looked_up_at", "outcome", "summary", "count", "pinned"} <= set(e)
    assert entries[1]["looked_up_at"] == "2023-11-14T22:13:24Z"
    assert [e["id"] for e in history_json(None, "--profile", "b")] == ["id4", "id3"]
    assert [e["id"] for e in history_json(None, "--limit", "2")] == ["id0", "id4"]

    table = evtui("history")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["WHEN", "PROFILE", "TYPE", "ID"]
    assert "id0" in lines[1] and "📌" in lines[1] and "id1" in lines[-1]

    refused = evtui("history", "clear")  # stdin is not a terminal, no --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert len(history_json(None)) == 5

    one = evtui("history", "clear", "--yes", "--profile", "b")
    assert one.returncode == 0, one.stderr
    assert [e["id"] for e in history_json(None)] == ["id0", "id2", "id1"]

    cleared = evtui("history", "clear", "--yes")
    assert cleared.returncode == 0 and "Cleared" in cleared.stdout
    assert history_json(None) == []
    empty = evtui("history")
    assert empty.returncode == 0 and "No lookups yet" in empty.stdout
