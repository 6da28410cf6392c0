"""The local history of looked-up ids: SQLite in the config directory.

History is a convenience: no method raises into a lookup. The package is split
by job: `store` (the `HistoryStore` API: remember, list, cached bodies),
`search` (how a filter finds entries fast), `connection` (opening the file,
crash and damage recovery, moving a damaged file aside), `schema` (tables,
search index, triggers, upgrades) and `sql` (transactions, error kinds).
"""

from __future__ import annotations

# os and sqlite3 as attributes of the package: tests patch os.rename and sqlite3.connect through it.
import os  # noqa: F401
import sqlite3  # noqa: F401
import sys
import types
from typing import Any

from evtui.history import search, store
from evtui.history.store import HistoryEntry, HistoryStore, _Attempt  # noqa: F401  (_Attempt: the benchmarks fill a store fast)

#: The tuning knobs of the store and the filter, also readable and settable here
#: (`evtui.history._PRUNE_BATCH = 10`), each where its module reads it.
_TUNABLES: dict[str, types.ModuleType] = {
    "_FTS_CANDIDATES": search,
    "_PROFILE_SORTED": search,
    "_PRUNE_BATCH": store,
    "_MAX_PENDING": store,
    "_MAX_SUMMARY": store,
}
_FTS_CANDIDATES = search._FTS_CANDIDATES
_PROFILE_SORTED = search._PROFILE_SORTED
_PRUNE_BATCH = store._PRUNE_BATCH
_MAX_PENDING = store._MAX_PENDING
_MAX_SUMMARY = store._MAX_SUMMARY


class _Package(types.ModuleType):
    """Setting a tunable on the package sets it where the store reads it.

    history.py was one module until it became this package; tests (and a user
    poking at a slow filter) set the knobs on `evtui.history` as before.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _TUNABLES:
            setattr(_TUNABLES[name], name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["HistoryEntry", "HistoryStore"]
