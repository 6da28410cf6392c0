"""SQLite vocabulary the history modules share: transactions, and what kind of failure an error is."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# SQLite primary result codes (the low byte of sqlite_errorcode).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_NOTADB = 26
SQLITE_READONLY_DBMOVED = _SQLITE_READONLY | (4 << 8)


def error_kind(exc: sqlite3.Error) -> str:
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
    if code == SQLITE_READONLY_DBMOVED or (primary == 1 and ("no such table" in text or "no such column" in text)):
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


@contextmanager
def transaction(conn: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> Iterator[None]:
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


def execute_in_transaction(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> None:
    with transaction(conn):
        conn.execute(sql, args)
