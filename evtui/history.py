"""The local history of looked-up ids: SQLite in the config directory.

SQLite because several evtui processes (tmux panes) write at once: each write
is one short transaction with a busy timeout, so nothing is lost or torn. The
rollback journal (not WAL) because WAL needs shared memory that network home
directories (NFS, SMB) do not provide. History is a convenience: no method
here raises into a lookup; a damaged file is moved aside and a fresh one
started, and the user is told once through `notice`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS lookups (
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
    PRIMARY KEY (profile, record_type, record_id)
);
CREATE INDEX IF NOT EXISTS lookups_last_seen ON lookups (pinned DESC, last_seen DESC);
CREATE TABLE IF NOT EXISTS responses (
    profile     TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    fetched_at  REAL NOT NULL,
    body        BLOB NOT NULL,
    PRIMARY KEY (profile, record_type, record_id)
);
"""


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


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


class HistoryStore:
    def __init__(
        self,
        path: Path,
        *,
        max_entries: int = 10_000,
        cache_responses: bool = True,
        cache_max_bytes: int = 200 * 1024 * 1024,
    ) -> None:
        self.path = path
        self.max_entries = max_entries
        self.cache_responses = cache_responses
        self.cache_max_bytes = cache_max_bytes
        #: Said once to the user: where a damaged history went, or why history is off.
        self.notice: str | None = None
        self._conn: sqlite3.Connection | None = None
        self._broken = False

    # -- connection ------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None or self._broken:
            return self._conn
        try:
            self._conn = self._open()
        except sqlite3.DatabaseError:
            self._move_aside()
            try:
                self._conn = self._open()
            except (sqlite3.Error, OSError) as exc:
                self._disable(exc)
        except OSError as exc:
            self._disable(exc)
        return self._conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # Create it private before SQLite writes a byte into it.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            with _transaction(conn):
                for stmt in filter(str.strip, _SCHEMA.split(";")):
                    conn.execute(stmt)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            # Reading the whole table once proves the file is not damaged where it matters.
            conn.execute("SELECT count(*) FROM lookups").fetchone()
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def _move_aside(self) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-journal", "-wal", "-shm"):
                extra = Path(str(self.path) + suffix)
                if extra.exists():
                    os.replace(extra, Path(str(aside) + suffix))
        except OSError as exc:
            self._disable(exc)
            return
        self.notice = f"History could not be read; it was moved to {aside} and a new one started."

    def _disable(self, exc: BaseException) -> None:
        self._broken = True
        self._conn = None
        self.notice = f"History is off for this run: {self.path} cannot be used ({type(exc).__name__}: {exc})."

    def _run(self, fn: Any, default: Any = None) -> Any:
        """Run fn(conn); a damaged file is moved aside once and tried again."""
        for attempt in (1, 2):
            conn = self._connect()
            if conn is None:
                return default
            try:
                return fn(conn)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    return default  # another process held it past the timeout: skip, never block a lookup
                self.close()
                if attempt == 1 and not self._broken:
                    self._move_aside()
                else:
                    self._disable(exc)
            except OSError as exc:
                self._disable(exc)
                return default
        return default

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    # -- writing ------------------------------------------------------------------

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
        now = time.time() if when is None else when

        def write(conn: sqlite3.Connection) -> None:
            with _transaction(conn):
                conn.execute(
                    """INSERT INTO lookups (profile, adapter, record_type, record_id, first_seen, last_seen,
                                            count, outcome, summary)
                       VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
                       ON CONFLICT (profile, record_type, record_id) DO UPDATE SET
                           adapter = excluded.adapter, last_seen = excluded.last_seen,
                           count = count + 1, outcome = excluded.outcome,
                           summary = CASE WHEN excluded.summary != '' THEN excluded.summary ELSE summary END""",
                    (profile, adapter, record_type, record_id, now, now, outcome, summary),
                )
                if body is not None and self.cache_responses:
                    conn.execute(
                        "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
                        (profile, record_type, record_id, now, body),
                    )
                self._prune(conn)

        self._run(write)

    def _prune(self, conn: sqlite3.Connection) -> None:
        (n,) = conn.execute("SELECT count(*) FROM lookups").fetchone()
        if n > self.max_entries:
            conn.execute(
                """DELETE FROM lookups WHERE rowid IN (
                       SELECT rowid FROM lookups WHERE pinned = 0 ORDER BY last_seen ASC LIMIT ?)""",
                (n - self.max_entries,),
            )
            conn.execute(
                """DELETE FROM responses WHERE NOT EXISTS (SELECT 1 FROM lookups l WHERE
                       l.profile = responses.profile AND l.record_type = responses.record_type
                       AND l.record_id = responses.record_id)"""
            )
        (size,) = conn.execute("SELECT coalesce(sum(length(body)), 0) FROM responses").fetchone()
        if size > self.cache_max_bytes:
            rows = conn.execute("SELECT rowid, length(body) FROM responses ORDER BY fetched_at ASC").fetchall()
            drop = []
            for rowid, length in rows:
                if size <= self.cache_max_bytes:
                    break
                drop.append((rowid,))
                size -= length
            conn.executemany("DELETE FROM responses WHERE rowid = ?", drop)

    def set_pinned(self, key: tuple[str, str, str], pinned: bool = True) -> None:
        self._run(lambda c: _in_tx(c, "UPDATE lookups SET pinned = ? WHERE profile = ? AND record_type = ? AND record_id = ?", (int(pinned), *key)))

    def delete(self, key: tuple[str, str, str]) -> None:
        def drop(conn: sqlite3.Connection) -> None:
            with _transaction(conn):
                conn.execute("DELETE FROM lookups WHERE profile = ? AND record_type = ? AND record_id = ?", key)
                conn.execute("DELETE FROM responses WHERE profile = ? AND record_type = ? AND record_id = ?", key)

        self._run(drop)

    def clear(self) -> None:
        def wipe(conn: sqlite3.Connection) -> None:
            with _transaction(conn):
                conn.execute("DELETE FROM lookups")
                conn.execute("DELETE FROM responses")

        self._run(wipe)

    # -- reading ------------------------------------------------------------------

    def entries(self, *, profile: str | None = None, limit: int | None = None, query: str = "") -> list[HistoryEntry]:
        """Pinned first, then newest first; `query` matches id, profile or summary."""
        sql = "SELECT profile, adapter, record_type, record_id, first_seen, last_seen, count, outcome, summary, pinned FROM lookups"
        where, args = [], []
        if profile:
            where.append("profile = ?")
            args.append(profile)
        if query:
            where.append("(instr(lower(record_id), ?) OR instr(lower(profile), ?) OR instr(lower(summary), ?))")
            q = query.lower()
            args += [q, q, q]
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY pinned DESC, last_seen DESC"
        if limit:
            sql += " LIMIT ?"
            args.append(limit)

        def read(conn: sqlite3.Connection) -> list[HistoryEntry]:
            return [
                HistoryEntry(*row[:9], pinned=bool(row[9]))  # type: ignore[call-arg]
                for row in conn.execute(sql, args)
            ]

        return self._run(read, [])

    def cached(self, key: tuple[str, str, str]) -> tuple[bytes, float] | None:
        def read(conn: sqlite3.Connection) -> tuple[bytes, float] | None:
            row = conn.execute(
                "SELECT body, fetched_at FROM responses WHERE profile = ? AND record_type = ? AND record_id = ?", key
            ).fetchone()
            return (bytes(row[0]), row[1]) if row else None

        return self._run(read)

    def recent_ids(self, profile: str | None = None, limit: int = 50) -> list[str]:
        return [e.record_id for e in self.entries(profile=profile, limit=limit)]

    def to_jsonl(self, entries: list[HistoryEntry]) -> Iterator[str]:
        for e in entries:
            yield json.dumps(e.to_json(), ensure_ascii=True)


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _in_tx(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> None:
    with _transaction(conn):
        conn.execute(sql, args)
