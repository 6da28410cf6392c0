"""The local history of looked-up ids: SQLite in the config directory.

History is a convenience: no method raises into a lookup. The package is split
by job: `store` (the `HistoryStore` API: remember, list, cached bodies),
`search` (how a filter finds entries fast), `connection` (opening the file,
crash and damage recovery, moving a damaged file aside), `schema` (tables,
search index, triggers, upgrades) and `sql` (transactions, error kinds).
"""

from __future__ import annotations

from evtui.history.store import HistoryEntry, HistoryStore, _Attempt  # noqa: F401  (_Attempt: the benchmarks fill a store fast)

__all__ = ["HistoryEntry", "HistoryStore"]
