"""The history's API: remembering lookups, listing and filtering them, cached bodies.

Each write is one short `BEGIN IMMEDIATE` transaction; one that gives up on a
database locked by another evtui (see `connection`) is kept in memory and
written with the next one, so contention delays entries but does not lose them.

Only what the caller passes is stored: the profile, adapter, record type, id,
outcome, a one-line summary and the provider's response body. Credentials and
request headers never reach this module. Bounded: at most `max_entries`
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
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from evtui.history.connection import HistoryConnection
from evtui.history.schema import LOOKUP_COLUMNS, fts5_available, hay, rebuild
from evtui.history.search import matching_rows
from evtui.history.sql import execute_in_transaction, transaction

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
_SELECT = "SELECT " + ", ".join(LOOKUP_COLUMNS) + " FROM lookups"

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


def entry_after(
    old: HistoryEntry | None,
    *,
    profile: str,
    adapter: str,
    record_type: str,
    record_id: str,
    outcome: str,
    summary: str = "",
    when: float,
) -> HistoryEntry:
    """The entry that writing this lookup leaves, as `_UPSERT_LOOKUP` makes it, given the entry
    before (None: there was none). Lets a list show a lookup before its write is done."""
    summary = _text(summary or "")[:_MAX_SUMMARY]
    fresh = HistoryEntry(_text(profile), _text(adapter), _text(record_type), _text(record_id), when, when, 1,
                         _text(outcome), summary, False)
    if old is None:
        return fresh
    newer = when >= old.last_seen
    return HistoryEntry(
        old.profile, fresh.adapter if newer else old.adapter, old.record_type, old.record_id,
        min(old.first_seen, when), max(old.last_seen, when), old.count + 1,
        fresh.outcome if newer else old.outcome, summary if newer and summary else old.summary, old.pinned,
    )


def entry_key(profile: str, record_type: str, record_id: str) -> tuple[str, str, str]:
    """An entry's key as the store keeps it (strings SQLite can store)."""
    return _key((profile, record_type, record_id))


def _key(key: tuple[str, str, str]) -> tuple[str, str, str]:
    profile, record_type, record_id = key
    return (_text(profile), _text(record_type), _text(record_id))


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


class HistoryStore(HistoryConnection):
    def __init__(
        self,
        path: Path,
        *,
        max_entries: int = 10_000,
        cache_responses: bool = True,
        cache_max_bytes: int = 200 * 1024 * 1024,
    ) -> None:
        super().__init__(path)
        self.max_entries = max_entries
        self.cache_responses = cache_responses
        self.cache_max_bytes = cache_max_bytes
        self._pending: list[_Attempt] = []
        self._dropped = 0

    @classmethod
    def for_settings(cls, settings: Any) -> HistoryStore:
        """The user's history (EVTUI_CONFIG_DIR honoured) with the [history] settings of config.toml."""
        from evtui.config.paths import history_path

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

    def close(self) -> None:
        """Write what is still pending (bounded wait), then close."""
        with self._lock:
            if self._pending and not self._off and not self._writes_off:
                self._run(self._write, None, write=True)
            lost = len(self._pending) + self._dropped
            if lost and not self._off and not self._writes_off:
                why = (
                    f"the disk holding {self.path} is full"
                    if self._unwritten_cause == "full"
                    else f"{self.path} stayed locked by another evtui"
                )
                self._say(f"{lost} lookup(s) could not be written to history: {why}.")
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
        with transaction(conn):
            for a in self._pending:
                conn.execute(
                    _UPSERT_LOOKUP,
                    (a.profile, a.adapter, a.record_type, a.record_id, a.when, a.when, a.outcome, a.summary,
                     hay(a.record_id, a.profile, a.summary)),
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
        self._unwritten_cause = None

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
        self._run(lambda c: execute_in_transaction(c, f"UPDATE lookups SET pinned = ? WHERE {_KEY}", (int(pinned), *key)), None, write=True)

    def delete(self, key: tuple[str, str, str]) -> None:
        """Forget one entry and its cached response."""
        key = _key(key)

        def drop(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                conn.execute(f"DELETE FROM lookups WHERE {_KEY}", key)
                conn.execute(f"DELETE FROM responses WHERE {_KEY}", key)

        self._run(drop, None, write=True)

    def clear(self, profile: str | None = None) -> None:
        """Forget every entry (or one profile's), pinned ones included, with their cached responses."""

        profile = None if profile is None else _text(profile)

        def wipe(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                if profile is None:
                    # A new, empty schema: quicker than deleting row by row through the triggers.
                    rebuild(conn, fts=fts5_available(conn), keep=False)
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
        terms = _text(query).casefold().split()
        profile = None if profile is None else _text(profile)

        def read(conn: sqlite3.Connection) -> list[HistoryEntry]:
            rows = matching_rows(conn, _SELECT, terms=terms, profile=profile, limit=limit, fts=self._fts)
            return [HistoryEntry(*row[:9], pinned=bool(row[9])) for row in rows]

        return self._run(read, [])

    def count(self) -> int:
        """How many entries there are (kept by triggers: no rows are counted)."""

        def read(conn: sqlite3.Connection) -> int:
            row = conn.execute("SELECT v FROM meta WHERE k = 'entries'").fetchone()
            return int(row[0]) if row else 0

        return self._run(read, 0)

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

