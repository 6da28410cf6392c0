"""The local history of looked-up ids: SQLite in the config directory.

SQLite because several evtui processes (tmux panes) write at once. Each write
is one short `BEGIN IMMEDIATE` transaction under a busy timeout; a write that
still finds the database locked is retried with backoff within a bounded time
(`busy_deadline`), and one that gives up even then is kept in memory and
written with the next one, so contention delays entries but does not lose
them. The rollback journal (DELETE mode, not WAL: WAL needs shared memory that
network home directories such as NFS and SMB do not provide) with
`synchronous = FULL` makes every commit atomic and durable: a process killed
mid-write leaves a hot journal that the next opener rolls back.

History is a convenience: no method here raises into a lookup. A file that
cannot be read (garbage, truncated, a directory, not SQLite, another
program's schema) is moved aside under a timestamped name and a fresh one
started; when even that is impossible history is off for the run. Either way
the user is told once through `notice`.

Only what the caller passes is stored: the profile, adapter, record type, id,
outcome, a one-line summary and the provider's response body. Credentials and
request headers never reach this module.

Files are created 0600 and directories 0700, missing parents included (SQLite
gives its journal the database file's mode). Bounded: at most `max_entries`
entries, the least recently looked up going first, but never a pinned one;
cached bodies up to `cache_max_bytes`. Counts are kept by triggers in a `meta`
table, so pruning costs the same at 100,000 entries as at 100.

Filtering (`entries(query=...)`) asks an FTS5 trigram index which entries hold
a rare word and sorts just those; for common words it walks the display order
and stops at `limit`. Either way a keystroke takes a few milliseconds at
100,000 entries (tests/bench_history.py measures it).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import stat
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

SCHEMA_VERSION = 2
#: PRAGMA application_id of an evtui history: b"evth" as a big-endian int.
APPLICATION_ID = int.from_bytes(b"evth", "big")

_LOOKUP_COLUMNS = (
    "profile", "adapter", "record_type", "record_id", "first_seen", "last_seen",
    "count", "outcome", "summary", "pinned",
)
_V1_LOOKUP_COLUMNS = set(_LOOKUP_COLUMNS)
_V2_LOOKUP_COLUMNS = set(_LOOKUP_COLUMNS) | {"id", "hay"}
_RESPONSE_COLUMNS = {"profile", "record_type", "record_id", "fetched_at", "body"}

# `id` is an explicit INTEGER PRIMARY KEY so that VACUUM never renumbers the rows
# the search index points at. `hay` is what a filter searches (see _hay).
_SCHEMA = """
CREATE TABLE lookups (
    id          INTEGER PRIMARY KEY,
    profile     TEXT    NOT NULL,
    adapter     TEXT    NOT NULL,
    record_type TEXT    NOT NULL,
    record_id   TEXT    NOT NULL,
    first_seen  REAL    NOT NULL,
    last_seen   REAL    NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1,
    outcome     TEXT    NOT NULL,
    summary     TEXT    NOT NULL DEFAULT '',
    pinned      INTEGER NOT NULL DEFAULT 0,
    hay         TEXT    NOT NULL DEFAULT '',
    UNIQUE (profile, record_type, record_id)
);
-- The display order; covering for the filter's scan (profile, hay) so it never reads the table.
CREATE INDEX lookups_order ON lookups (pinned DESC, last_seen DESC, profile, hay);
CREATE TABLE IF NOT EXISTS responses (
    profile     TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    fetched_at  REAL NOT NULL,
    body        BLOB NOT NULL,
    PRIMARY KEY (profile, record_type, record_id)
);
CREATE INDEX IF NOT EXISTS responses_age ON responses (fetched_at);
-- Counts kept by the triggers below, so that pruning never counts rows.
CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('entries', 0);
INSERT INTO meta VALUES ('cache_bytes', (SELECT coalesce(sum(length(body)), 0) FROM responses));
CREATE TRIGGER lookups_added AFTER INSERT ON lookups BEGIN
    UPDATE meta SET v = v + 1 WHERE k = 'entries';
END;
CREATE TRIGGER lookups_removed AFTER DELETE ON lookups BEGIN
    UPDATE meta SET v = v - 1 WHERE k = 'entries';
    DELETE FROM responses WHERE profile = OLD.profile AND record_type = OLD.record_type AND record_id = OLD.record_id;
END;
CREATE TRIGGER responses_added AFTER INSERT ON responses BEGIN
    UPDATE meta SET v = v + length(NEW.body) WHERE k = 'cache_bytes';
END;
CREATE TRIGGER responses_removed AFTER DELETE ON responses BEGIN
    UPDATE meta SET v = v - length(OLD.body) WHERE k = 'cache_bytes';
END;
CREATE TRIGGER responses_changed AFTER UPDATE OF body ON responses BEGIN
    UPDATE meta SET v = v - length(OLD.body) + length(NEW.body) WHERE k = 'cache_bytes';
END;
"""
# The search index: trigrams of `hay`, so a filter finds an id fragment among
# 100,000 entries without reading them all. Contentless (the text is in
# lookups.hay); kept in step by triggers, which is why trusted_schema stays ON.
_FTS_SCHEMA = """
CREATE VIRTUAL TABLE lookups_fts USING fts5(
    hay, content='', tokenize='trigram case_sensitive 1', detail=full, columnsize=0
);
CREATE TRIGGER lookups_fts_added AFTER INSERT ON lookups BEGIN
    INSERT INTO lookups_fts (rowid, hay) VALUES (NEW.id, NEW.hay);
END;
CREATE TRIGGER lookups_fts_removed AFTER DELETE ON lookups BEGIN
    INSERT INTO lookups_fts (lookups_fts, rowid, hay) VALUES ('delete', OLD.id, OLD.hay);
END;
CREATE TRIGGER lookups_fts_changed AFTER UPDATE OF hay ON lookups WHEN NEW.hay IS NOT OLD.hay BEGIN
    INSERT INTO lookups_fts (lookups_fts, rowid, hay) VALUES ('delete', OLD.id, OLD.hay);
    INSERT INTO lookups_fts (rowid, hay) VALUES (NEW.id, NEW.hay);
END;
"""
_TRIGGERS = {"lookups_added", "lookups_removed", "responses_added", "responses_removed", "responses_changed"}
_FTS_TRIGGERS = {"lookups_fts_added", "lookups_fts_removed", "lookups_fts_changed"}
#: A filter whose words have at most this many entries containing them reads them through
#: the search index; more, and they are dense enough for the ordered scan to stop early.
_FTS_CANDIDATES = 2000
#: A profile with fewer entries than this is read through its own index and sorted; one with
#: more is found by walking the display order (sorting it all would cost 40 ms at 100,000).
_PROFILE_SORTED = 2000

# The newest attempt wins outcome and summary; an older one (replayed after the
# database was busy, or from a process whose clock is behind) only counts.
_UPSERT_LOOKUP = """
INSERT INTO lookups (profile, adapter, record_type, record_id, first_seen, last_seen, count, outcome, summary, hay)
VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
ON CONFLICT (profile, record_type, record_id) DO UPDATE SET
    count = count + 1,
    first_seen = min(first_seen, excluded.first_seen),
    last_seen = max(last_seen, excluded.last_seen),
    adapter = CASE WHEN excluded.last_seen >= last_seen THEN excluded.adapter ELSE adapter END,
    outcome = CASE WHEN excluded.last_seen >= last_seen THEN excluded.outcome ELSE outcome END,
    summary = CASE WHEN excluded.last_seen >= last_seen AND excluded.summary != '' THEN excluded.summary ELSE summary END,
    hay = CASE WHEN excluded.last_seen >= last_seen AND excluded.summary != '' THEN excluded.hay ELSE hay END
"""
_UPSERT_RESPONSE = """
INSERT INTO responses (profile, record_type, record_id, fetched_at, body) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (profile, record_type, record_id) DO UPDATE SET fetched_at = excluded.fetched_at, body = excluded.body
    WHERE excluded.fetched_at >= fetched_at
"""
_KEY = "profile = ? AND record_type = ? AND record_id = ?"
_SELECT = "SELECT " + ", ".join(_LOOKUP_COLUMNS) + " FROM lookups"

# SQLite primary result codes (the low byte of sqlite_errorcode).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_NOTADB = 26
_SQLITE_READONLY_DBMOVED = _SQLITE_READONLY | (4 << 8)

#: Entries pruned by one write at most.
_PRUNE_BATCH = 500
#: Writes that gave up on a locked database, kept for the next write; beyond this the oldest are dropped.
_MAX_PENDING = 1000
#: A summary is one line of a list: a provider's megabyte site name is cut here.
_MAX_SUMMARY = 500


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    profile: str
    adapter: str
    record_type: str
    record_id: str
    first_seen: float
    last_seen: float
    count: int
    outcome: str
    summary: str
    pinned: bool

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.profile, self.record_type, self.record_id)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["type"] = d.pop("record_type")
        d["id"] = d.pop("record_id")
        d["looked_up_at"] = _iso(self.last_seen)
        d["first_seen"] = _iso(self.first_seen)
        d["last_seen"] = _iso(self.last_seen)
        return d


@dataclass(frozen=True, slots=True)
class _Attempt:
    """One record() call, kept until it is written."""

    profile: str
    adapter: str
    record_type: str
    record_id: str
    outcome: str
    summary: str
    body: bytes | None
    when: float


def _text(value: object) -> str:
    """A string SQLite can store: a lone surrogate (from a provider's "\\ud800", or argv
    bytes that are not UTF-8) becomes its escape `\\ud800`, as the screen shows it.

    Used for every string that goes in and every key that looks one up, so both agree.
    """
    s = str(value)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-8", "backslashreplace").decode("utf-8")
    return s


def _key(key: tuple[str, str, str]) -> tuple[str, str, str]:
    profile, record_type, record_id = key
    return (_text(profile), _text(record_type), _text(record_id))


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _hay(record_id: str, profile: str, summary: str) -> str:
    """What `entries(query=...)` searches: id, profile and summary, case-folded.

    Fields end in a separator (which no query word holds: str.split() splits on
    it), and the whole in two, so that every character starts a trigram.
    """
    return f"{record_id}\x1f{profile}\x1f{summary}\x1f\x1f".casefold()


def _phrase(text: str) -> str:
    """An FTS5 string: matches `text` as a substring in a trigram index."""
    return '"' + text.replace('"', '""') + '"'



class _Damaged(Exception):
    """The history file is unusable as it is: move it aside."""


class _Newer(Exception):
    """The history was written by a newer evtui: leave it alone."""


class HistoryStore:
    #: Longest a write (or a read) waits for other processes, retries included, before giving up.
    busy_deadline: float = 3.0
    #: SQLite's own wait per statement (ms), inside busy_deadline.
    busy_timeout_ms: int = 1000

    def __init__(
        self,
        path: Path,
        *,
        max_entries: int = 10_000,
        cache_responses: bool = True,
        cache_max_bytes: int = 200 * 1024 * 1024,
    ) -> None:
        self.path = Path(path)
        self.max_entries = max_entries
        self.cache_responses = cache_responses
        self.cache_max_bytes = cache_max_bytes
        #: Said once to the user: where a damaged history went, or why history is off.
        self.notice: str | None = None
        self._conn: sqlite3.Connection | None = None
        self._ident: tuple[int, int] | None = None  # (st_dev, st_ino) of the open file
        self._off = False  # history is off for this run
        self._writes_off = False  # readable, but not writable
        self._full_check = False  # validate the schema in full at the next open
        self._fts = False  # the search index is there and this SQLite has FTS5
        self._pending: list[_Attempt] = []
        self._dropped = 0
        self._lock = threading.RLock()

    @classmethod
    def for_settings(cls, settings: Any) -> HistoryStore:
        """The user's history (EVTUI_CONFIG_DIR honoured) with the [history] settings of config.toml."""
        from evtui.config import history_path

        return cls(
            history_path(),
            max_entries=settings.max_entries,
            cache_responses=settings.cache_responses,
            cache_max_bytes=int(settings.cache_max_mb * 1024 * 1024),
        )

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def enabled(self) -> bool:
        """False once history is off for this run (see `notice`)."""
        return not self._off

    # -- opening ------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        """The open connection, (re)opened when the file at `path` is not the one we hold.

        Another process may have moved a damaged file aside (or the user deleted
        it): writing on into the old inode would lose those entries.
        """
        if self._conn is not None:
            try:
                st = os.stat(self.path)
                same = (st.st_dev, st.st_ino) == self._ident
            except OSError:
                same = False
            if same:
                return self._conn
            self._close_quietly()
        self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        _private_dirs(self.path.parent)
        self._prepare_file()
        # mode=rw: SQLite never creates the file itself (it would, with the umask's mode).
        uri = "file:" + urllib.parse.quote(os.path.abspath(self.path)) + "?mode=rw"
        conn = sqlite3.connect(
            uri, uri=True, timeout=self.busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            # ON (the usual default): the search index is kept by triggers, and triggers may
            # only use a virtual table in a trusted schema. A file is used only once its
            # application_id and tables show it is an evtui history.
            conn.execute("PRAGMA trusted_schema = ON")
            conn.execute("PRAGMA synchronous = FULL")
            # Keeps the filter's index in memory between keystrokes; allocated only as pages are read.
            conn.execute("PRAGMA cache_size = -32768")
            self._fts = self._ensure_schema(conn)
            # After the schema check: a file that is not ours is moved aside unchanged.
            conn.execute("PRAGMA journal_mode = DELETE")
        except BaseException:
            conn.close()
            raise
        self._full_check = False
        return conn

    def _prepare_file(self) -> None:
        """The history file as a private regular file, created when missing."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            try:
                # Private before SQLite writes a byte into it.
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
                os.close(fd)
            except FileExistsError:  # another evtui created it a moment ago
                pass
            st = os.stat(self.path)
        self._ident = (st.st_dev, st.st_ino)
        if not stat.S_ISREG(st.st_mode):
            # A directory, a FIFO (opening one would block), a device: not a history.
            raise _Damaged("it is not a regular file")
        if st.st_mode & 0o077 and st.st_uid == getattr(os, "geteuid", lambda: -1)():
            os.chmod(self.path, 0o600)

    def _ensure_schema(self, conn: sqlite3.Connection) -> bool:
        """Create, upgrade or repair the schema as needed; True when the search index is there."""
        fts = _fts5_available(conn)
        # The first read of the header: garbage raises NOTADB, a truncated file CORRUPT.
        # One read transaction, so that another evtui creating the schema meanwhile is
        # seen either not at all or whole, never as a half-made (foreign-looking) file.
        with _transaction(conn, "BEGIN DEFERRED"):
            state = _schema_state(conn, full=self._full_check, fts=fts)
        if state != "ok":
            self._check_usable(state)
            with _transaction(conn):
                state = _schema_state(conn, full=True, fts=fts)  # another evtui may have done it meanwhile
                self._check_usable(state)
                if state != "ok":
                    _rebuild(conn, fts=fts)
        return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'lookups_fts'").fetchone() is not None and fts

    @staticmethod
    def _check_usable(state: str) -> None:
        if state == "newer":
            raise _Newer()
        if state == "foreign":
            raise _Damaged("it is not an evtui history")

    # -- running a statement, and what to do when it fails ------------------------------

    def _run(self, fn: Callable[[sqlite3.Connection], T], default: T, *, write: bool = False) -> T:
        """fn(conn), surviving every way the store can fail; `default` when it cannot run.

        Busy: retried with backoff until `busy_deadline`. Damaged: moved aside,
        then fn runs on a fresh store. Anything else: history is off.
        """
        with self._lock:
            deadline = time.monotonic() + self.busy_deadline
            backoff = 0.005
            recoveries = 0
            while True:
                if self._off or (write and self._writes_off):
                    return default
                try:
                    return fn(self._connection())
                except _Damaged as exc:
                    self._close_quietly()
                    if not self._recover(str(exc), recoveries):
                        return default
                    recoveries += 1
                except _Newer:
                    self._close_quietly()
                    self._turn_off(f"History is off for this run: {self.path} was written by a newer evtui.")
                    return default
                except sqlite3.Error as exc:
                    kind = _kind(exc)
                    if kind == "busy":
                        if self._conn is not None and self._conn.in_transaction:
                            self._close_quietly()
                        if time.monotonic() + backoff > deadline:
                            return default
                        time.sleep(backoff * random.uniform(0.5, 1.5))
                        backoff = min(backoff * 2, 0.2)
                        continue
                    self._close_quietly()
                    if kind == "corrupt":
                        if not self._recover(_describe(exc), recoveries):
                            return default
                        recoveries += 1
                    elif kind in ("stale", "ioerr") and recoveries < 2:
                        # The file was replaced under us, or its schema changed: look again.
                        self._full_check = True
                        recoveries += 1
                    elif kind == "cantopen" and recoveries < 2 and not os.path.lexists(self.path):
                        recoveries += 1  # moved away between our look and SQLite's: create it again
                    elif kind in ("readonly", "cantopen") and write:
                        self._writes_off = True
                        self._say(f"History is read-only for this run: {self.path} cannot be written ({_describe(exc)}).")
                        return default
                    elif kind == "full":
                        self._say(f"History was not updated: the disk holding {self.path} is full.")
                        return default
                    else:
                        self._disable(exc)
                        return default
                except OSError as exc:
                    self._close_quietly()
                    self._disable(exc)
                    return default
                except Exception as exc:  # a bug here must not fail a lookup either
                    self._close_quietly()
                    self._disable(exc)
                    return default

    def _recover(self, reason: str, recoveries: int) -> bool:
        """Move a damaged store aside to start afresh; False (and history off) when that is impossible."""
        if recoveries < 2 and self._move_aside(reason):
            return True
        self._turn_off(f"History is off for this run: {self.path} could not be read ({reason}) nor moved aside.")
        return False

    def _move_aside(self, reason: str) -> bool:
        """Rename the damaged file (and its journal) to a timestamped name; False when that fails."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return True  # gone already (another evtui moved it): start fresh
        except OSError:
            return False
        if self._ident is not None and (st.st_dev, st.st_ino) != self._ident:
            return True  # another evtui has replaced it already: never move its fresh store
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while os.path.lexists(aside):
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        # A hot journal belongs to the damaged file: left here it would be played into the new one.
        for suffix in ("-journal", "-wal", "-shm"):
            try:
                os.rename(f"{self.path}{suffix}", f"{aside}{suffix}")
            except OSError:
                pass
        if stat.S_ISREG(st.st_mode):
            try:
                os.chmod(aside, 0o600)
            except OSError:
                pass
        self._ident = None
        self._say(f"History could not be read ({reason}); it was moved to {aside} and a new one started.")
        return True

    def _disable(self, exc: BaseException) -> None:
        self._turn_off(f"History is off for this run: {self.path} cannot be used ({_describe(exc)}).")

    def _turn_off(self, message: str) -> None:
        self._off = True
        self._close_quietly()
        self._say(message)

    def _say(self, message: str) -> None:
        if self.notice is None:
            self.notice = message
        elif message not in self.notice:
            self.notice = f"{self.notice} {message}"

    def _close_quietly(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def close(self) -> None:
        """Write what is still pending (bounded wait), then close."""
        with self._lock:
            if self._pending and not self._off and not self._writes_off:
                self._run(self._write, None, write=True)
            lost = len(self._pending) + self._dropped
            if lost and not self._off and not self._writes_off:
                self._say(f"{lost} lookup(s) could not be written to history: {self.path} stayed locked by another evtui.")
            self._pending.clear()
            self._dropped = 0
            self._close_quietly()

    # -- writing ------------------------------------------------------------------

    def remember(self, record: Any) -> None:
        """Remember a found record (an `evtui.record.Record`), its body cached."""
        self.record(
            profile=record.profile,
            adapter=record.adapter,
            record_type=record.record_type,
            record_id=record.record_id,
            outcome="found",
            summary=record.summary,
            body=record.raw,
        )

    def record(
        self,
        *,
        profile: str,
        adapter: str,
        record_type: str,
        record_id: str,
        outcome: str,
        summary: str = "",
        body: bytes | None = None,
        when: float | None = None,
    ) -> None:
        """Remember one lookup that reached the provider. Never raises.

        `body` is the provider's response; it replaces the cached one only when
        given, so a failed lookup keeps the last good body for offline re-open.
        """
        try:
            attempt = _Attempt(
                profile=_text(profile),
                adapter=_text(adapter),
                record_type=_text(record_type),
                record_id=_text(record_id),
                outcome=_text(outcome),
                summary=_text(summary or "")[:_MAX_SUMMARY],
                body=None if body is None else body.encode() if isinstance(body, str) else bytes(body),
                when=time.time() if when is None else float(when),
            )
        except (TypeError, ValueError) as exc:  # a caller's bug must not fail the lookup
            self._say(f"A lookup was not recorded in history ({type(exc).__name__}: {exc}).")
            return
        with self._lock:
            if self._off or self._writes_off:
                return
            self._pending.append(attempt)
            self._run(self._write, None, write=True)
            if len(self._pending) > _MAX_PENDING:  # still locked after many tries: keep the newest
                self._dropped += len(self._pending) - _MAX_PENDING
                del self._pending[:-_MAX_PENDING]

    def _write(self, conn: sqlite3.Connection) -> None:
        """Write every pending attempt in one transaction; they stay pending if it fails."""
        with _transaction(conn):
            for a in self._pending:
                conn.execute(
                    _UPSERT_LOOKUP,
                    (a.profile, a.adapter, a.record_type, a.record_id, a.when, a.when, a.outcome, a.summary,
                     _hay(a.record_id, a.profile, a.summary)),
                )
                if a.body is None:
                    continue  # a failed lookup: the last good body stays
                if not self.cache_responses:
                    continue
                if len(a.body) > self.cache_max_bytes:
                    # Too big to keep; an older body would pass for the latest, so drop it too.
                    conn.execute(f"DELETE FROM responses WHERE {_KEY}", (a.profile, a.record_type, a.record_id))
                    continue
                conn.execute(_UPSERT_RESPONSE, (a.profile, a.record_type, a.record_id, a.when, a.body))
            self._prune(conn, keep=self._pending[-1] if self._pending else None)
        self._pending = []

    def _prune(self, conn: sqlite3.Connection, keep: _Attempt | None = None) -> None:
        """Keep max_entries and cache_max_bytes, at O(log n) per write.

        Pinned entries are never pruned, nor the one just looked up (when all
        the others are pinned, the history holds more than max_entries).
        """
        meta = dict(conn.execute("SELECT k, v FROM meta"))
        # At most _PRUNE_BATCH a write: after max_entries is lowered, the history
        # shrinks over the next writes instead of holding every pane up for one.
        excess = min(meta.get("entries", 0) - max(0, self.max_entries), _PRUNE_BATCH)
        if excess > 0:
            spare = (keep.profile, keep.record_type, keep.record_id) if keep else ("", "", "")
            conn.execute(
                "DELETE FROM lookups WHERE id IN (SELECT id FROM lookups WHERE pinned = 0"
                f" AND NOT ({_KEY}) ORDER BY last_seen ASC LIMIT ?)",
                (*spare, excess),
            )  # the trigger drops their cached bodies
        size = meta.get("cache_bytes", 0)
        while size > self.cache_max_bytes:
            rows = conn.execute("SELECT rowid, length(body) FROM responses ORDER BY fetched_at ASC LIMIT 64").fetchall()
            if not rows:
                break
            drop = []
            for rowid, length in rows:
                if size <= self.cache_max_bytes:
                    break
                drop.append((rowid,))
                size -= length
            conn.executemany("DELETE FROM responses WHERE rowid = ?", drop)

    def set_pinned(self, key: tuple[str, str, str], pinned: bool = True) -> None:
        """Pinned entries list first and are never pruned."""
        key = _key(key)
        self._run(lambda c: _in_tx(c, f"UPDATE lookups SET pinned = ? WHERE {_KEY}", (int(pinned), *key)), None, write=True)

    def delete(self, key: tuple[str, str, str]) -> None:
        """Forget one entry and its cached response."""
        key = _key(key)

        def drop(conn: sqlite3.Connection) -> None:
            with _transaction(conn):
                conn.execute(f"DELETE FROM lookups WHERE {_KEY}", key)
                conn.execute(f"DELETE FROM responses WHERE {_KEY}", key)

        self._run(drop, None, write=True)

    def clear(self, profile: str | None = None) -> None:
        """Forget every entry (or one profile's), pinned ones included, with their cached responses."""

        profile = None if profile is None else _text(profile)

        def wipe(conn: sqlite3.Connection) -> None:
            with _transaction(conn):
                if profile is None:
                    # A new, empty schema: quicker than deleting row by row through the triggers.
                    _rebuild(conn, fts=_fts5_available(conn), keep=False)
                else:
                    conn.execute("DELETE FROM lookups WHERE profile = ?", (profile,))
                    conn.execute("DELETE FROM responses WHERE profile = ?", (profile,))
            if profile is None:
                # Give the freed pages back, so cleared responses do not linger in the file.
                try:
                    conn.execute("VACUUM")
                except sqlite3.OperationalError:
                    pass  # busy: the pages are free and get reused

        with self._lock:
            self._pending = [a for a in self._pending if profile is not None and a.profile != profile]
            self._run(wipe, None, write=True)

    # -- reading ------------------------------------------------------------------

    def entries(self, *, profile: str | None = None, limit: int | None = None, query: str = "") -> list[HistoryEntry]:
        """Pinned first, then newest first.

        `query` is split into words, each of which must occur (case-insensitively)
        in the id, the profile or the summary. Pass `limit` for what is shown:
        it is what keeps a filter keystroke cheap at 100,000 entries.
        """
        where: list[str] = []
        args: list[Any] = []
        terms = _text(query).casefold().split()
        profile = None if profile is None else _text(profile)
        for term in terms:
            where.append("instr(hay, ?) > 0")
            args.append(term)
        tail = " ORDER BY pinned DESC, last_seen DESC"
        if limit:
            tail += f" LIMIT {int(limit)}"

        def read(conn: sqlite3.Connection) -> list[HistoryEntry]:
            clauses, values = list(where), list(args)
            match = self._narrowest(conn, terms) if terms and self._fts else None
            if match == "":
                return []  # a word no entry holds
            if match is not None:
                # Few entries hold that word: read just those (each word is still checked), then sort them.
                clauses.insert(0, "id IN (SELECT rowid FROM lookups_fts WHERE lookups_fts MATCH ?)")
                values.insert(0, match)
            if profile:
                # Left to itself SQLite reads every entry of the profile through the UNIQUE index
                # and sorts them all; `+profile` keeps it on the path chosen above.
                rare = match is None and self._profile_is_rare(conn, profile)
                clauses.append("profile = ?" if rare else "+profile = ?")
                values.append(profile)
            # Otherwise every word is common: walk the display order and stop after `limit` matches.
            sql = _SELECT + (" WHERE " + " AND ".join(clauses) if clauses else "") + tail
            return [HistoryEntry(*row[:9], pinned=bool(row[9])) for row in conn.execute(sql, values)]

        return self._run(read, [])

    @staticmethod
    def _profile_is_rare(conn: sqlite3.Connection, profile: str) -> bool:
        """Whether sorting the profile's own entries beats walking everyone's in display order.

        Counted on the UNIQUE index, stopping at the threshold: a few hundred microseconds at most.
        """
        (n,) = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM lookups WHERE profile = ? LIMIT ?)", (profile, _PROFILE_SORTED)
        ).fetchone()
        return n < _PROFILE_SORTED

    def count(self) -> int:
        """How many entries there are (kept by triggers: no rows are counted)."""

        def read(conn: sqlite3.Connection) -> int:
            row = conn.execute("SELECT v FROM meta WHERE k = 'entries'").fetchone()
            return int(row[0]) if row else 0

        return self._run(read, 0)

    def _narrowest(self, conn: sqlite3.Connection, terms: list[str]) -> str | None:
        """A search-index query for the word held by the fewest entries, if that is few.

        "" when some word is in no entry at all; None when every word is common
        (then the ordered scan finds `limit` matches quickly) or the index cannot answer.
        """
        best: tuple[int, str] | None = None
        try:
            for term in sorted(set(terms), key=len, reverse=True):
                if len(term) >= 3:
                    match = _phrase(term)  # a trigram phrase is a substring match
                else:
                    match = self._short_match(conn, term)
                    if match is None:
                        continue
                if match == "":
                    return ""
                (n,) = conn.execute(
                    "SELECT count(*) FROM (SELECT rowid FROM lookups_fts WHERE lookups_fts MATCH ? LIMIT ?)",
                    (match, _FTS_CANDIDATES + 1),
                ).fetchone()
                if n == 0:
                    return ""
                if n <= _FTS_CANDIDATES and (best is None or n < best[0]):
                    best = (n, match)
        except sqlite3.OperationalError as exc:
            if _kind(exc) in ("busy", "corrupt"):
                raise
            return None  # the index cannot answer this one: the scan can
        return best[1] if best else None

    @staticmethod
    def _short_match(conn: sqlite3.Connection, term: str) -> str | None:
        """A word of 1 or 2 characters as the trigrams that start with it ("" for none, None for too many).

        Every character of `hay` starts a trigram (it ends in two separators), so
        an entry holds the word exactly when it holds one of these trigrams.
        """
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.evtui_vocab USING fts5vocab(main, lookups_fts, 'row')")
        grams = [g for (g,) in conn.execute(
            "SELECT term FROM temp.evtui_vocab WHERE term >= ? AND term < ? LIMIT 65", (term, term + "\U0010ffff")
        )]
        if len(grams) > 64:
            return None
        return " OR ".join(_phrase(g) for g in grams)

    def cached(self, key: tuple[str, str, str]) -> tuple[bytes, float] | None:
        """The last response body kept for an entry, and when it was fetched."""
        key = _key(key)

        def read(conn: sqlite3.Connection) -> tuple[bytes, float] | None:
            row = conn.execute(f"SELECT body, fetched_at FROM responses WHERE {_KEY}", tuple(key)).fetchone()
            return (bytes(row[0]), row[1]) if row else None

        return self._run(read, None)

    def recent_ids(self, profile: str | None = None, limit: int = 50) -> list[str]:
        return [e.record_id for e in self.entries(profile=profile, limit=limit)]

    def to_jsonl(self, entries: list[HistoryEntry]) -> Iterator[str]:
        for e in entries:
            yield json.dumps(e.to_json(), ensure_ascii=True)


# -- helpers ----------------------------------------------------------------------


def _private_dirs(directory: Path) -> None:
    """Create `directory` and any missing parents 0700 (umask notwithstanding)."""
    missing = []
    d = directory
    while not d.exists():
        missing.append(d)
        if d.parent == d:
            break
        d = d.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            continue  # created meanwhile by another evtui
        os.chmod(d, 0o700)


def _schema_state(conn: sqlite3.Connection, *, full: bool, fts: bool) -> str:
    """ok; empty, old or incomplete (rebuild); newer; or foreign."""
    (app,) = conn.execute("PRAGMA application_id").fetchone()
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if app == APPLICATION_ID and version > SCHEMA_VERSION:
        return "newer"
    objects = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
    if app == APPLICATION_ID and version == SCHEMA_VERSION and not full:
        return "ok" if ("lookups_fts" in objects or not fts) else "incomplete"
    if not objects and app in (0, APPLICATION_ID):
        return "empty"
    if app not in (0, APPLICATION_ID):
        return "foreign"  # another program's SQLite file
    lookups = _columns(conn, "lookups")
    if "responses" in objects and _columns(conn, "responses") != _RESPONSE_COLUMNS:
        return "foreign"
    if app == 0:
        # The first evtui wrote user_version 1 and no application_id.
        return "old" if version == 1 and lookups == _V1_LOOKUP_COLUMNS else "foreign"
    if not _V1_LOOKUP_COLUMNS <= lookups:
        return "foreign"
    if version < SCHEMA_VERSION or lookups != _V2_LOOKUP_COLUMNS or _columns(conn, "meta") != {"k", "v"}:
        return "incomplete"
    triggers = {name for name, kind in objects.items() if kind == "trigger"}
    if not _TRIGGERS <= triggers:
        return "incomplete"
    if fts and ("lookups_fts" not in objects or not _FTS_TRIGGERS <= triggers):
        return "incomplete"
    return "ok"


def _rebuild(conn: sqlite3.Connection, *, fts: bool, keep: bool = True) -> None:
    """(Re)create the schema in the open transaction, keeping the entries and cached bodies when `keep`.

    Used for a new file, the first evtui's file, one whose triggers or search
    index are missing, and (keep=False) to clear everything.
    """
    rows: list[tuple[Any, ...]] = []
    objects = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
    if keep and "lookups" in objects:
        rows = conn.execute(f"SELECT {', '.join(_LOOKUP_COLUMNS)} FROM lookups").fetchall()
    for name, kind in objects.items():
        if kind == "trigger":
            conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    for table in ("lookups_fts", "lookups", "meta") + (() if keep else ("responses",)):
        if table in objects:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    for stmt in _statements(_SCHEMA + (_FTS_SCHEMA if fts else "")):
        conn.execute(stmt)
    conn.executemany(
        "INSERT INTO lookups (profile, adapter, record_type, record_id, first_seen, last_seen, count, outcome, summary, pinned, hay)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row, _hay(row[3], row[0], row[8])) for row in rows],
    )
    conn.execute(
        "DELETE FROM responses WHERE NOT EXISTS (SELECT 1 FROM lookups l WHERE l.profile = responses.profile"
        " AND l.record_type = responses.record_type AND l.record_id = responses.record_id)"
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _fts5_available(conn: sqlite3.Connection) -> bool:
    try:
        return bool(conn.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')").fetchone()[0])
    except sqlite3.Error:
        return False


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _statements(script: str) -> list[str]:
    """Split a schema script into statements (trigger bodies hold `;` too)."""
    out, buf = [], ""
    for line in script.strip().splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _kind(exc: sqlite3.Error) -> str:
    """busy, corrupt, stale, readonly, cantopen, full, ioerr or other."""
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    if code is None:  # older Pythons: judge by the words
        if "locked" in text or "busy" in text:
            return "busy"
        if "malformed" in text or "not a database" in text:
            return "corrupt"
        return "other"
    primary = code & 0xFF
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return "busy"
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return "corrupt"
    if code == _SQLITE_READONLY_DBMOVED or (primary == 1 and ("no such table" in text or "no such column" in text)):
        return "stale"
    if primary == 1 and "no such module" in text:
        return "readonly"  # a history with a search index, and a SQLite without FTS5: read it, do not write
    if primary == _SQLITE_READONLY:
        return "readonly"
    if primary == _SQLITE_CANTOPEN:
        return "cantopen"
    if primary == _SQLITE_FULL:
        return "full"
    if primary == _SQLITE_IOERR:
        return "ioerr"
    return "other"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    if isinstance(exc, (_Damaged, _Newer)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def _transaction(conn: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> Iterator[None]:
    conn.execute(begin)
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # some errors (IOERR, FULL, CORRUPT) have rolled back already
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        raise
    else:
        conn.execute("COMMIT")


def _in_tx(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> None:
    with _transaction(conn):
        conn.execute(sql, args)
