"""Finding the entries a filter asks for, fast at 100,000 entries.

An FTS5 trigram index tells which entries hold a rare word, and just those are
sorted; for common words the display order is walked until `limit` matches.
Either way a keystroke takes a few milliseconds (tests/bench_history.py).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from evtui.history.sql import error_kind

#: A filter whose words have at most this many entries containing them reads them through
#: the search index; more, and they are dense enough for the ordered scan to stop early.
_FTS_CANDIDATES = 2000
#: A profile with fewer entries than this is read through its own index and sorted; one with
#: more is found by walking the display order (sorting it all would cost 40 ms at 100,000).
_PROFILE_SORTED = 2000


def matching_rows(
    conn: sqlite3.Connection, select: str, *, terms: list[str], profile: str | None, limit: int | None, fts: bool
) -> list[tuple[Any, ...]]:
    """The rows of `select` (over lookups) holding every term, pinned first, then newest first.

    `fts`: the search index is there to ask.
    """
    clauses = ["instr(hay, ?) > 0" for _ in terms]
    values: list[Any] = list(terms)
    match = _narrowest(conn, terms) if terms and fts else None
    if match == "":
        return []  # a word no entry holds
    if match is not None:
        # Few entries hold that word: read just those (each word is still checked), then sort them.
        clauses.insert(0, "id IN (SELECT rowid FROM lookups_fts WHERE lookups_fts MATCH ?)")
        values.insert(0, match)
    if profile:
        # Left to itself SQLite reads every entry of the profile through the UNIQUE index
        # and sorts them all; `+profile` keeps it on the path chosen above.
        rare = match is None and _profile_is_rare(conn, profile)
        clauses.append("profile = ?" if rare else "+profile = ?")
        values.append(profile)
    # Otherwise every word is common: walk the display order and stop after `limit` matches.
    sql = select + (" WHERE " + " AND ".join(clauses) if clauses else "") + " ORDER BY pinned DESC, last_seen DESC"
    if limit:
        # SQLite takes a 64-bit LIMIT; a bigger one is a type error that would turn history off.
        sql += f" LIMIT {min(int(limit), 2**62)}"
    return conn.execute(sql, values).fetchall()


def _profile_is_rare(conn: sqlite3.Connection, profile: str) -> bool:
    """Whether sorting the profile's own entries beats walking everyone's in display order.

    Counted on the UNIQUE index, stopping at the threshold: a few hundred microseconds at most.
    """
    (n,) = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM lookups WHERE profile = ? LIMIT ?)", (profile, _PROFILE_SORTED)
    ).fetchone()
    return n < _PROFILE_SORTED


def _narrowest(conn: sqlite3.Connection, terms: list[str]) -> str | None:
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
                short = _short_match(conn, term)
                if short is None:
                    continue
                match = short
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
        if error_kind(exc) in ("busy", "corrupt"):
            raise
        return None  # the index cannot answer this one: the scan can
    return best[1] if best else None


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


def _phrase(text: str) -> str:
    """An FTS5 string: matches `text` as a substring in a trigram index."""
    return '"' + text.replace('"', '""') + '"'
