"""Watching a record (`w`): the status line, the change timeline and its tab.

The fetching itself is `evtui.watch.watch`, run by `MainScreen` in a worker;
this module holds what the UI keeps between fetches: which paths changed last
time (highlighted in the fields) and every change seen (the "Changes" tab).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from evtui.diff import Change, FieldsByPath
from evtui.record import Field, Record, Section, Table
from evtui.tui.text import badge_style, safe

CHANGES_KEY = "evtui_changes"


@dataclass(frozen=True)
class ChangeRow:
    """One change as the timeline shows it: the field's label and decoded values, the path last."""

    at: float
    path: str
    label: str
    old: str
    new: str


def rows_of(record: Record, changes: list[Change], at: float) -> list[ChangeRow]:
    """Rows for `changes` (from `diff_records`, so already as shown); a bare `diff` change gets its label here."""
    fields = FieldsByPath(record)

    def label(change: Change) -> str:
        shown = fields.showing(change.path)
        return change.label or (shown.label if shown is not None else change.path)

    return [ChangeRow(at, c.path, label(c), c.old, c.new) for c in changes]


def is_changed(field: Field, paths: frozenset[str]) -> bool:
    """Whether a field shows a value at (or under) one of the changed paths."""
    p = field.path
    if not p or not paths:
        return False
    return any(c == p or c.startswith((p + ".", p + "[")) for c in paths)


def _cut(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes_section(
    fetches: list[list[ChangeRow]] | tuple[tuple[ChangeRow, ...], ...], *, title: str = "Changes", empty: str = ""
) -> Section:
    """The timeline as a generic section: newest fetch on top, each fetch's status paths first."""
    rows = [row for fetch in reversed(fetches) for row in fetch]
    fields: tuple[Field, ...] = ()
    if not rows:
        fields = (Field("Changes", "none yet", note=empty or "each fetch that changes a value adds its lines here"),)
    else:
        fields = (Field("Changes", f"{len(rows)} in {sum(1 for f in fetches if f)} fetch(es)", note="newest first; status fields first in each fetch"),)
    table_rows = tuple(
        (time.strftime("%H:%M:%S", time.localtime(r.at)), r.label, f"{_cut(r.old)} → {_cut(r.new)}", "" if r.label == r.path else r.path)
        for r in rows
    )
    note = "long values are cut here; the Raw JSON tab has the whole document"
    tables = (Table(title, ("Time", "Field", "Was → now", "Path"), table_rows, note=note),) if rows else ()
    return Section(CHANGES_KEY, title, fields, tables)


class WatchStatus(Static):
    """One line above the record: "● watching · next in 4 s · 3 fetches · w stops"."""

    DEFAULT_CSS = """
    WatchStatus { height: 1; padding: 0 1; display: none; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    WatchStatus.-active, WatchStatus.-stopped { display: block; }
    WatchStatus.-error { color: $text-warning; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.what = ""
        self.fetches = 0
        self.changes = 0
        self.next_at: float | None = None
        self.error = ""
        self.final = ""
        self.plain = ""
        #: Counts "next in N s" down; runs only while watching, so an idle app wakes for nothing.
        self._ticker: Timer | None = None

    def _tick(self) -> None:
        if self.has_class("-active"):
            self._show()

    def _stop_ticking(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def start(self, what: str) -> None:
        self.what, self.fetches, self.changes, self.error, self.final = what, 0, 0, "", ""
        self.next_at = None
        self.set_class(True, "-active")
        self.remove_class("-stopped", "-error")
        if self._ticker is None:
            self._ticker = self.set_interval(0.5, self._tick)
        self._show()

    def fetched(self, changes: int, next_in: float) -> None:
        self.fetches += 1
        self.changes += changes
        self.error = ""
        self.remove_class("-error")
        self.next_at = time.monotonic() + next_in
        self._show()

    def waiting(self, next_in: float) -> None:
        self.next_at = time.monotonic() + next_in
        self._show()

    def failed(self, message: str, next_in: float) -> None:
        self.error = message
        self.add_class("-error")
        self.next_at = time.monotonic() + next_in
        self._show()

    def stopped(self, why: str) -> None:
        self.final = why
        self.next_at = None
        self._stop_ticking()
        self.remove_class("-active")
        self.set_class(bool(why), "-stopped")
        self._show()

    def clear(self) -> None:
        self._stop_ticking()
        self.remove_class("-active", "-stopped", "-error")
        self.plain = ""

    def _show(self) -> None:
        text = Text(end="")
        if self.has_class("-active"):
            text.append(" WATCHING ", style=badge_style("bold reverse green"))
            text.append(" ")
            text.append_text(safe(self.what))
            if self.next_at is not None:
                left = max(0, math.ceil(self.next_at - time.monotonic()))
                text.append(f" · next in {left} s" if left else " · fetching…")
            text.append(f" · {self.fetches} fetch{'es' if self.fetches != 1 else ''}, {self.changes} change{'s' if self.changes != 1 else ''}", style="dim")
            if self.error:
                text.append(" · ")
                text.append_text(safe(self.error, "bold"))
            text.append(" · F7 or Esc stops", style="dim")
        else:
            text.append(" WATCH ENDED ", style=badge_style("bold reverse"))
            text.append(" ")
            text.append_text(safe(self.final))
        self.plain = text.plain
        self.update(text)
