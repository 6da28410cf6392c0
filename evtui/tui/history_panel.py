"""The history panel: recent lookups, filtered as you type; re-open, pin, delete.

Reads and writes go through `HistoryService` (a thread): the panel never
blocks the UI on SQLite. Ages are relative to the app's clock, which tests
freeze so snapshots stay the same.

A history holds up to 100,000 entries; the panel loads a page of them (a few
screenfuls), says at the bottom when there are more, and loads the next page
when the user walks or scrolls to the end of the list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, RenderOptions, Visual
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from evtui.history import HistoryEntry
from evtui.history.store import entry_after, entry_key
from evtui.textsafe import visible
from evtui.tui import AFTER_FIRST_FRAME
from evtui.tui.history_service import HistoryService
from evtui.tui.list_lines import KeptLines
from evtui.tui.restyle import FocusRestyle
from evtui.tui.search import TypedInput
from evtui.tui.text import age, safe, stack

PIN = "★"
#: Entries loaded at a time: a screenful is about 15; walking to the end of the list loads the next page.
PAGE = 80


class EntryPrompt(Visual):
    """An entry in two lines: pin, id and age; outcome, profile and summary.

    Laid out by hand at the width it is drawn at, and always two lines high: the
    list measures a page of entries without drawing any, and draws only those
    scrolled into view. (A rich Table.grid per entry cost 0.2-0.3 ms each to
    measure: 500 of them were most of a start-up and of every filter keystroke.)
    """

    def __init__(self, entry: HistoryEntry, now: float) -> None:
        self.entry = entry
        self.now = now
        #: What the entry draws: its lines are kept by it (`list_lines.KeptLines`).
        self.row_key = (entry, age(entry.last_seen, now))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 2

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        if options.selection is not None:  # text being selected with the mouse: drawn afresh
            return entry_content(self.entry, self.now, width).render_strips(width, height, style, options)
        # Typing a filter, most entries of the new list were on screen a keystroke ago
        # (a narrower filter shows a subset, Backspace the list before): draw each once.
        key = (self.entry, age(self.entry.last_seen, self.now), width, height, style)
        if (strips := _drawn.get(key)) is None:
            strips = _drawn[key] = entry_content(self.entry, self.now, width).render_strips(width, height, style, options)
        return strips


#: Entries as drawn, by entry, age shown, width and style; a few screenfuls.
_drawn: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(256)
#: The same, padded and filled to the list's width as an option (`HistoryList._get_option_render`).
_padded: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(256)


def entry_content(entry: HistoryEntry, now: float, width: int) -> Content:
    """The two lines, each cut to `width` (an ellipsis where cut), the age flush right."""
    when = age(entry.last_seen, now)
    first = Text(end="")
    if entry.pinned:
        first.append(PIN + " ", style="bold yellow")
    first.append_text(safe(entry.record_id, "bold"))
    first.truncate(max(0, width - cell_len(when) - 1), overflow="ellipsis", pad=True)
    first.append(" " + when, style="dim")
    found = entry.outcome == "found"
    # The outcome's colour is the whole line's: a failed lookup reads red at a glance.
    # Under NO_COLOR Textual greys colours (red turned dark grey on dark grey): bold instead.
    plain = bool(os.environ.get("NO_COLOR"))
    second = Text("✓ " if found else "✗ ", style=("bold" if plain else "green") if found else ("bold" if plain else "bold red"), end="")
    second.append_text(safe(entry.profile, "" if plain else "dim"))
    words = entry.summary if found else (entry.summary or entry.outcome)
    if words:
        second.append(" · ", style="dim")
        second.append_text(safe(words, "" if found else "bold" if plain else "red"))
    for line in (first, second):
        line.truncate(width, overflow="ellipsis")
    return Content.from_rich_text(stack([first, second]))


class HistoryList(FocusRestyle, KeptLines):
    DEFAULT_CSS = """
    HistoryList { border: none; padding: 0; height: 1fr; max-height: 100%; background: $surface; }
    HistoryList:focus { border: none; }
    HistoryList > .option-list--option { padding: 0 1; }
    """

    #: Two screenfuls of entries in their two styles: every lookup draws its entry anew (its
    #: time seen), and what it pushes out is never shown again.
    LINES_KEPT = 160

    # Letters and digits type into the filter (HistoryPanel.on_key): the entry keys are chords.
    BINDINGS = [
        Binding("ctrl+k", "pin", "Pin/unpin", id="pin"),
        Binding("delete", "delete_entry", "Delete", id="delete_entry"),
        Binding("f8", "diff_entry", "Diff with now", id="diff_entry"),
        Binding("slash", "focus_filter", "Filter", id="history_filter", show=False),
    ]

    @dataclass
    class ReachedEnd(Message):
        """The user walked or scrolled to the last entry loaded."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[HistoryEntry] = []

    def set_entries(self, entries: list[HistoryEntry], now: float) -> None:
        old, keep = self.entries, (self.current.key if self.current is not None else None)
        if entries == old and self.option_count == len(entries):
            return  # the list read back after a lookup, as already shown: no repaint
        self.entries = entries
        if old and len(entries) > len(old) and entries[: len(old)] == old:
            # The next page of the same list: append, so the view and the user's place stay put.
            self.add_options(Option(EntryPrompt(e, now)) for e in entries[len(old) :])
            return
        if not entries:
            self.clear_options()
            return
        # set_options, not clear_options: the list never passes through empty, so a page
        # of the same length keeps its size and a keystroke repaints it without a layout;
        # only the lines that show another entry (or style) are drawn again.
        # While the user walks the list keep their place; otherwise show the newest.
        keys = [e.key for e in entries]
        self.replace_options([Option(EntryPrompt(e, now)) for e in entries],
                             keys.index(keep) if self.has_focus and keep in keys else 0)

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        """As OptionList draws an option, with the drawing kept by entry, not by option: a lookup
        puts its entry at the top and every other entry one place down (new options, the list's
        cache emptied), and redrawing each shown entry cost 2-3 ms of every answer's frame.
        Only the option's index (the click target, in the strips' meta) is set afresh."""
        prompt = option.prompt
        padding = self.get_component_styles("option-list--option").padding
        cache_key = (option, style, padding)
        if not isinstance(prompt, EntryPrompt) or option._divider or self.text_selection is not None:
            return super()._get_option_render(option, style)
        if (strips := self._option_render_cache.get(cache_key)) is not None:
            return strips
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        key = (prompt.entry, age(prompt.entry.last_seen, prompt.now), style, padding, width)
        if (plain := _padded.get(key)) is None:
            visual: Visual = Padding(prompt, padding) if padding else prompt
            plain = _padded[key] = [strip.extend_cell_length(width, style.rich_style)
                                    for strip in visual.to_strips(self, visual, width, None, style)]
        meta = {"option": self._option_to_index[option]}
        strips = self._option_render_cache[cache_key] = [strip.apply_meta(meta) for strip in plain]
        return strips

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and highlighted >= len(self.entries) - 1:
            self.post_message(self.ReachedEnd())

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value > old_value and new_value >= self.max_scroll_y:
            self.post_message(self.ReachedEnd())

    @property
    def current(self) -> HistoryEntry | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.entries)):
            return None
        return self.entries[self.highlighted]

    def action_focus_filter(self) -> None:
        # At once (`focus()` waits for a refresh): the filter typed right after `/` goes there.
        self.screen.set_focus(self.parent.query_one("#history-filter"))  # type: ignore[union-attr]

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
    HistoryPanel > #history-more {
        height: 1; padding: 0 1; color: $text-muted; background: $boost; display: none;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    HistoryPanel.-capped > #history-more { display: block; }
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
        #: Entries asked for: a page, and another each time the user reaches the end of the list.
        self.limit = PAGE
        #: Whether the last load stopped at `limit` with more entries left.
        self.more = False
        #: Every entry in the history, as last read (and counted up by `show_written`).
        self.total = 0
        self._said: dict[str, str] = {"#history-empty": "No lookups yet."}

    def compose(self) -> ComposeResult:
        yield Static("History", id="history-title")
        yield TypedInput(placeholder="type to filter: id, profile, summary", id="history-filter", select_on_focus=False)
        yield Static("No lookups yet.", id="history-empty")
        yield HistoryList(id="history-list")
        yield Static(id="history-more")

    @property
    def list(self) -> HistoryList:
        return self.query_one(HistoryList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#history-filter", Input)

    def on_mount(self) -> None:
        # Opening the store (and, on a first run, validating the config) waits for the first frame.
        self.set_timer(AFTER_FIRST_FRAME, self.reload)

    @work(exclusive=True, group="history-load", exit_on_error=False)
    async def reload(self) -> None:
        query = self.filter_input.value.strip()
        page = await self.service.page(query=query, limit=self.limit)
        self._show(page.entries, page.more, page.total, query)

    def show_written(self, written: list[dict[str, Any]]) -> bool:
        """Lookups just queued for writing, shown at once (in the answer's frame): each one's entry
        goes to the top, as the store will list it. False when only a reload can tell (a filter typed).
        The list is read back once the writes are done (`reload`), which repaints only if it differs."""
        if self.filter_input.value.strip():
            return False
        entries = list(self.list.entries)
        total = self.total
        for attempt in written:
            key = entry_key(attempt["profile"], attempt["record_type"], attempt["record_id"])
            at = next((i for i, e in enumerate(entries) if e.key == key), None)
            old = entries.pop(at) if at is not None else None
            if old is None:
                total += 1
            entry = entry_after(old, **attempt)
            # Pinned first, then newest first: the newest goes first of its kind.
            top = 0 if entry.pinned else next((i for i, e in enumerate(entries) if not e.pinned), len(entries))
            entries.insert(top, entry)
        more = self.more or len(entries) > self.limit
        self._show(entries[: self.limit], more, total, "")
        return True

    def _show(self, entries: list[HistoryEntry], more: bool, total: int, query: str) -> None:
        self.more, self.total = more, total
        self.list.set_entries(entries, self.clock())
        self.set_class(bool(entries), "-has-entries")
        # Each Static.update lays the whole screen out again: only when the words change.
        if not entries:
            self._say("#history-empty", f"No lookup matches {query!r}." if query else "No lookups yet.")
        # Capped, the list says so: nothing should look lost.
        self.set_class(more, "-capped")
        if more:
            shown = f"{len(entries):,}"
            self._say("#history-more", f"first {shown} matches · type more to narrow" if query
                      else f"showing {shown} of {max(total, len(entries) + 1):,} · type to filter")
        self.post_message(self.Loaded(entries))

    def _say(self, selector: str, words: str) -> None:
        if self._said.get(selector) != words:
            self._said[selector] = words
            # The cap line is one row whatever it says: no layout needed.
            self.query_one(selector, Static).update(safe(words), layout=selector != "#history-more")

    @on(HistoryList.ReachedEnd)
    def _next_page(self, event: HistoryList.ReachedEnd) -> None:
        event.stop()
        if self.more and len(self.list.entries) >= self.limit:
            self.limit += PAGE
            self.reload()

    def focus_list(self) -> None:
        # At once (`focus()` waits for a refresh): the filter typed right after F3 comes here.
        self.screen.set_focus(self.list if self.list.entries else self.filter_input)

    @on(Input.Changed, "#history-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self.limit = PAGE
        self.reload()

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if (entry := self.list.current) is not None:
            self.post_message(self.Reopen(entry))

    def on_key(self, event) -> None:
        # Where the focus is now (`has_focus` lags: it waits for the Blur message).
        focused = self.screen.focused
        # ↓ from the filter box walks into the list.
        if event.key == "down" and focused is self.filter_input and self.list.entries:
            event.stop()
            self.screen.set_focus(self.list)  # at once: the keys after ↓ are the list's
            return
        # A printable key on the list narrows it: the filter takes the focus and the character.
        # (Keys typed right after, queued to the list, reach the filter through the screen.)
        if focused is self.list and event.is_printable and event.character and event.key not in self.screen.active_bindings:
            event.stop()
            event.prevent_default()
            self.type_into_filter(event.character)

    def type_into_filter(self, text: str) -> None:
        box = self.filter_input
        box.insert_text_at_cursor(text)
        self.screen.set_focus(box)  # at once: the next key goes there too

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
