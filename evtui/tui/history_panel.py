"""The history panel: recent lookups, filtered as you type; re-open, pin, delete.

Reads and writes go through `HistoryService` (a thread): the panel never
blocks the UI on SQLite. Ages are relative to the app's clock, which tests
freeze so snapshots stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from rich.console import Group
from rich.table import Table as RichTable
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from evtui.history import HistoryEntry
from evtui.textsafe import visible
from evtui.tui.history_service import HistoryService
from evtui.tui.text import age, safe

PIN = "★"


def entry_renderable(entry: HistoryEntry, now: float) -> Group:
    """Two lines: id and age; outcome, profile and summary (cut to the panel's width)."""
    grid = RichTable.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    first = Text(end="")
    if entry.pinned:
        first.append(PIN + " ", style="bold yellow")
    first.append_text(safe(entry.record_id, "bold"))
    grid.add_row(first, Text(age(entry.last_seen, now), style="dim"))
    found = entry.outcome == "found"
    second = Text("✓ " if found else "✗ ", style="green" if found else "bold red", no_wrap=True, overflow="ellipsis")
    second.append_text(safe(entry.profile, "dim"))
    words = entry.summary if found else (entry.summary or entry.outcome)
    if words:
        second.append(" · ", style="dim")
        second.append_text(safe(words, "" if found else "red"))
    return Group(grid, second)


class HistoryList(OptionList):
    DEFAULT_CSS = """
    HistoryList { border: none; padding: 0; height: 1fr; max-height: 100%; background: $surface; }
    HistoryList:focus { border: none; }
    HistoryList > .option-list--option { padding: 0 1; }
    """

    BINDINGS = [
        Binding("p", "pin", "Pin/unpin", id="pin"),
        Binding("x,delete", "delete_entry", "Delete", id="delete_entry"),
        Binding("d", "diff_entry", "Diff with now", id="diff_entry"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[HistoryEntry] = []

    def set_entries(self, entries: list[HistoryEntry], now: float) -> None:
        keep = self.current.key if self.current is not None else None
        self.entries = entries
        self.clear_options()
        self.add_options(Option(entry_renderable(e, now)) for e in entries)
        if entries:
            # While the user walks the list keep their place; otherwise show the newest.
            keys = [e.key for e in entries]
            self.highlighted = keys.index(keep) if self.has_focus and keep in keys else 0

    @property
    def current(self) -> HistoryEntry | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.entries)):
            return None
        return self.entries[self.highlighted]

    def action_pin(self) -> None:
        if (entry := self.current) is not None:
            self.post_message(HistoryPanel.PinRequested(entry))

    def action_delete_entry(self) -> None:
        if (entry := self.current) is not None:
            self.post_message(HistoryPanel.DeleteRequested(entry))

    def action_diff_entry(self) -> None:
        if (entry := self.current) is not None:
            self.post_message(HistoryPanel.DiffRequested(entry))

    def copy_target(self) -> tuple[str, str] | None:
        entry = self.current
        return (entry.record_id, f"{entry.record_type} id {entry.record_id}") if entry else None


class HistoryPanel(Vertical):
    DEFAULT_CSS = """
    HistoryPanel { width: 44; height: 1fr; border-left: tall $border-blurred; background: $surface; }
    HistoryPanel:focus-within { border-left: tall $border; }
    HistoryPanel > #history-title { height: 1; padding: 0 1; text-style: bold; background: $boost; }
    HistoryPanel > #history-filter { border: none; height: 1; padding: 0 1; background: $boost; }
    HistoryPanel > #history-filter:focus { background: $primary 20%; }
    HistoryPanel > #history-empty { padding: 1 1; color: $text-muted; }
    HistoryPanel.-has-entries > #history-empty { display: none; }
    """

    @dataclass
    class Reopen(Message):
        entry: HistoryEntry

    @dataclass
    class PinRequested(Message):
        entry: HistoryEntry

    @dataclass
    class DeleteRequested(Message):
        entry: HistoryEntry

    @dataclass
    class DiffRequested(Message):
        """Compare the entry's cached copy with a fresh fetch."""

        entry: HistoryEntry

    @dataclass
    class Loaded(Message):
        entries: list[HistoryEntry] = field(repr=False)

    def __init__(self, service: HistoryService, clock: Callable[[], float], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.service = service
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Static("History", id="history-title")
        yield Input(placeholder="filter: id, profile, summary", id="history-filter")
        yield Static("No lookups yet.", id="history-empty")
        yield HistoryList(id="history-list")

    @property
    def list(self) -> HistoryList:
        return self.query_one(HistoryList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#history-filter", Input)

    def on_mount(self) -> None:
        self.reload()

    @work(exclusive=True, group="history-load", exit_on_error=False)
    async def reload(self) -> None:
        query = self.filter_input.value.strip()
        entries = await self.service.entries(query=query)
        self.list.set_entries(entries, self.clock())
        self.set_class(bool(entries), "-has-entries")
        empty = self.query_one("#history-empty", Static)
        empty.update(safe(f"No lookup matches {query!r}.") if query else Text("No lookups yet."))
        self.post_message(self.Loaded(entries))

    def focus_list(self) -> None:
        if self.list.entries:
            self.list.focus()
        else:
            self.filter_input.focus()

    @on(Input.Changed, "#history-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self.reload()

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if (entry := self.list.current) is not None:
            self.post_message(self.Reopen(entry))

    def on_key(self, event) -> None:
        # ↓ from the filter box walks into the list.
        if event.key == "down" and self.filter_input.has_focus and self.list.entries:
            event.stop()
            self.list.focus()

    @on(OptionList.OptionSelected, "#history-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.list.current
        if entry is not None:
            self.post_message(self.Reopen(entry))

    @on(PinRequested)
    async def _pin(self, event: PinRequested) -> None:
        await self.service.set_pinned(event.entry.key, not event.entry.pinned)
        self.app.notify(
            visible(f"{'Unpinned' if event.entry.pinned else 'Pinned'} {event.entry.record_id}"),
            markup=False,
            timeout=2,
        )
        self.reload()

    @on(DeleteRequested)
    async def _delete(self, event: DeleteRequested) -> None:
        await self.service.delete(event.entry.key)
        self.app.notify(visible(f"Deleted {event.entry.record_id} from history"), markup=False, timeout=2)
        self.reload()
