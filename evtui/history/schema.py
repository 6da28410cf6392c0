"""The history's tables, search index and triggers, and how an old or damaged schema is rebuilt.

Pure SQL over an open connection: no file handling (that is `connection`), no
policy about what is stored (that is `store`).
"""

from __future__ import annotations

import sqlite3
from typing import Any

SCHEMA_VERSION = 2
#: PRAGMA application_id of an evtui history: b"evth" as a big-endian int.
APPLICATION_ID = int.from_bytes(b"evth", "big")

LOOKUP_COLUMNS = (
    "profile", "adapter", "record_type", "record_id", "first_seen", "last_seen",
    "count", "outcome", "summary", "pinned",
)
_V1_LOOKUP_COLUMNS = set(LOOKUP_COLUMNS)
_V2_LOOKUP_COLUMNS = set(LOOKUP_COLUMNS) | {"id", "hay"}
_RESPONSE_COLUMNS = {"profile", "record_type", "record_id", "fetched_at", "body"}

# `id` is an explicit INTEGER PRIMARY KEY so that VACUUM never renumbers the rows
# the search index points at. `hay` is what a filter searches (see hay).
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


def hay(record_id: str, profile: str, summary: str) -> str:
    """What `entries(query=...)` searches: id, profile and summary, case-folded.

    Fields end in a separator (which no query word holds: str.split() splits on
    it), and the whole in two, so that every character starts a trigram.
    """
    return f"{record_id}\x1f{profile}\x1f{summary}\x1f\x1f".casefold()


def schema_state(conn: sqlite3.Connection, *, full: bool, fts: bool) -> str:
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


def rebuild(conn: sqlite3.Connection, *, fts: bool, keep: bool = True) -> None:
    """(Re)create the schema in the open transaction, keeping the entries and cached bodies when `keep`.

    Used for a new file, the first evtui's file, one whose triggers or search
    index are missing, and (keep=False) to clear everything.
    """
    rows: list[tuple[Any, ...]] = []
    objects = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
    if keep and "lookups" in objects:
        rows = conn.execute(f"SELECT {', '.join(LOOKUP_COLUMNS)} FROM lookups").fetchall()
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
        [(*row, hay(row[3], row[0], row[8])) for row in rows],
    )
    conn.execute(
        "DELETE FROM responses WHERE NOT EXISTS (SELECT 1 FROM lookups l WHERE l.profile = responses.profile"
        " AND l.record_type = responses.record_type AND l.record_id = responses.record_id)"
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def fts5_available(conn: sqlite3.Connection) -> bool:
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

