"""The Raw JSON tab: the provider's document, pretty-printed, highlighted, searchable.

Three choices keep a multi-MB document from freezing the UI:

* The document is re-indented from the bytes received, token by token, in a
  thread worker (`json_text.py`), keeping every token as
  the provider wrote it.
* `JsonView` is a line view (`ScrollView`): only the visible lines are
  highlighted and drawn, so a 100 000-line document costs what 30 lines cost.
* Search runs in a thread worker over the prepared lines.

Lines are passed through `visible()` once, when prepared; highlighting works
on that safe text, so no provider character reaches the terminal raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from evtui.tui.json_text import MAX_MATCHES, Prepared, find_matches, prepare, pretty_json_text
from evtui.tui.text import PaneInput

__all__ = ["JsonView", "Prepared", "RawJsonPane", "find_matches", "prepare", "pretty_json_text"]

# Highlighting works on one prepared line at a time.
_LINE_TOKENS = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*"?)(?P<colon>\s*:)?'
    r"|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
    r"|(?P<number>-?\d[\d.eE+\-]*)"
    r"|(?P<punct>[{}\[\],:])"
)

class JsonView(ScrollView, can_focus=True):
    """A virtualised, highlighted view of prepared JSON lines with a cursor line."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "json--key",
        "json--string",
        "json--number",
        "json--literal",
        "json--punct",
        "json--gutter",
        "json--cursor",
        "json--match",
        "json--match-current",
    }

    DEFAULT_CSS = """
    JsonView {
        height: 1fr;
        background: $surface;
        & > .json--key { color: $primary; text-style: bold; }
        & > .json--string { color: $success; }
        & > .json--number { color: $warning; }
        & > .json--literal { color: $secondary; text-style: italic; }
        & > .json--punct { color: $foreground 70%; }
        & > .json--gutter { color: $text-muted; }
        & > .json--cursor { background: $foreground 8%; }
        & > .json--match { background: $warning 35%; }
        & > .json--match-current { background: $accent; color: $text; text-style: bold; }
        &:focus > .json--cursor { background: $foreground 15%; }
    }
    """

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "cursor_to(0)", "Top", show=False),
        Binding("end,G", "cursor_to(-1)", "Bottom", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("left", "scroll_left", "Left", show=False),
        Binding("right", "scroll_right", "Right", show=False),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[str] = []
        self._content_width = 0
        self.matches: list[tuple[int, int, int]] = []
        self.current_match: int | None = None
        self._by_line: dict[int, list[tuple[int, int, int]]] = {}
        self._cache: LRUCache[tuple[int, bool, int | None, int], Strip] = LRUCache(1024)
        self._generation = 0

    # -- data --------------------------------------------------------------------

    def set_lines(self, lines: list[str], width: int) -> None:
        self.lines = lines
        self._content_width = width
        self._invalidate()
        self.cursor = 0
        self._update_size()

    @property
    def gutter_width(self) -> int:
        return len(str(max(1, len(self.lines)))) + 1

    def _update_size(self) -> None:
        self.virtual_size = Size(self.gutter_width + self._content_width + 1, len(self.lines))

    def _invalidate(self) -> None:
        self._generation += 1
        self._cache.clear()
        self.refresh()

    def set_matches(self, matches: list[tuple[int, int, int]]) -> None:
        self.matches = matches
        self._by_line = {}
        for index, (y, start, end) in enumerate(matches):
            self._by_line.setdefault(y, []).append((start, end, index))
        self.current_match = None
        self._invalidate()

    def show_match(self, index: int) -> None:
        if not self.matches:
            return
        self.current_match = index % len(self.matches)
        y, start, end = self.matches[self.current_match]
        self._invalidate()
        self.cursor = y
        # Centre the match vertically; bring its column into view.
        self.scroll_to(y=max(0, y - self.scrollable_content_region.height // 2), animate=False)
        view = self.scrollable_content_region.width - self.gutter_width
        if not (self.scroll_x <= start and end <= self.scroll_x + view):
            self.scroll_to(x=max(0, start - view // 3), animate=False)

    def copy_target(self) -> tuple[str, str] | None:
        if not self.lines:
            return None
        line = self.lines[self.cursor].strip().rstrip(",")
        return line, f"line {self.cursor + 1}: {line}"

    # -- cursor ------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        height = self.scrollable_content_region.height
        if new < self.scroll_y:
            self.scroll_to(y=new, animate=False)
        elif new >= self.scroll_y + height:
            self.scroll_to(y=new - height + 1, animate=False)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.lines) - 1)) if self.lines else 0

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 1)

    def action_cursor_to(self, line: int) -> None:
        self.cursor = line if line >= 0 else len(self.lines) - 1

    # -- drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line_no = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if line_no >= len(self.lines):
            return Strip.blank(width, base)
        is_cursor = line_no == self.cursor
        current = self.current_match if line_no in self._by_line else None
        key = (line_no, is_cursor, current, self._generation)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._line_strip(line_no, is_cursor)
            self._cache[key] = strip
        gutter_w = self.gutter_width
        gutter = Strip(
            [Segment(f"{line_no + 1:>{gutter_w - 1}} ", base + self.get_component_rich_style("json--gutter"))],
            gutter_w,
        )
        body = strip.crop_extend(scroll_x, scroll_x + max(0, width - gutter_w), base + (self._cursor_style if is_cursor else Style()))
        return Strip.join([gutter, body]).apply_offsets(scroll_x, line_no)

    @property
    def _cursor_style(self) -> Style:
        return self.get_component_rich_style("json--cursor")

    def _line_strip(self, line_no: int, is_cursor: bool) -> Strip:
        line = self.lines[line_no]
        text = Text(line, end="", no_wrap=True)
        style = self.get_component_rich_style
        for m in _LINE_TOKENS.finditer(line):
            kind = m.lastgroup
            if m.group("string") is not None:
                kind = "key" if m.group("colon") else "string"
                text.stylize(style(f"json--{kind}"), m.start("string"), m.end("string"))
                if m.group("colon"):
                    text.stylize(style("json--punct"), m.start("colon"), m.end("colon"))
            elif kind:
                text.stylize(style(f"json--{kind}"), m.start(), m.end())
        for start, end, index in self._by_line.get(line_no, ()):
            name = "json--match-current" if index == self.current_match else "json--match"
            text.stylize(style(name), start, end)
        base = self.rich_style + (self._cursor_style if is_cursor else Style())
        segments = [Segment(s.text, base + s.style if s.style else base) for s in text.render(self.app.console)]
        return Strip(segments)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._invalidate()


class RawJsonPane(Vertical):
    """Find bar over a JsonView; prepares the document on first show, in a thread."""

    DEFAULT_CSS = """
    RawJsonPane { height: 1fr; }
    RawJsonPane > #find-bar { height: 1; background: $boost; }
    RawJsonPane #find { border: none; height: 1; width: 1fr; padding: 0 1; background: $boost; }
    RawJsonPane #find:focus { background: $primary 20%; }
    RawJsonPane #find-status { width: auto; padding: 0 1; color: $text-muted; }
    RawJsonPane > #json-status { height: 1; padding: 0 1; color: $text-muted; }
    RawJsonPane.-ready > #json-status { display: none; }
    """

    BINDINGS = [
        Binding("ctrl+f,f,slash", "find", "Find", id="json_find"),
        Binding("n", "next_match", "Next", id="json_next"),
        Binding("N", "prev_match", "Prev", id="json_prev"),
    ]

    @dataclass
    class Ready(Message):
        pane: RawJsonPane = field(repr=False)

    def __init__(self, raw: bytes, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.raw = raw
        self.prepared: Prepared | None = None
        self._started = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="find-bar"):
            yield PaneInput(placeholder="find in JSON (Enter: next, then n / N; Esc closes)", id="find")
            yield Static("", id="find-status")
        yield Static(f"Formatting {len(self.raw):,} bytes of JSON…", id="json-status")
        yield JsonView(id="json")

    @property
    def view(self) -> JsonView:
        return self.query_one(JsonView)

    @property
    def find_input(self) -> Input:
        return self.query_one("#find", Input)

    def set_raw(self, raw: bytes) -> None:
        """Another document (a refresh, the next record): prepared again when shown; the find stays."""
        if raw == self.raw:
            return
        self.raw, self.prepared, self._started = raw, None, False
        self.remove_class("-ready")
        if self.is_on_screen:
            self.load()

    @property
    def is_on_screen(self) -> bool:
        node = self
        while node is not None and node is not self.screen:
            if not node.display:
                return False
            node = node.parent  # type: ignore[assignment]
        return True

    def load(self) -> None:
        """Start preparing (once); called when the tab is first shown."""
        if self._started:
            return
        self._started = True
        self._prepare()

    @work(thread=True, exclusive=True, group="raw-json-prepare", exit_on_error=False)
    def _prepare(self) -> None:
        prepared = prepare(self.raw)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, prepared)

    def _loaded(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.view.set_lines(prepared.lines, prepared.width)
        self.add_class("-ready")
        self.post_message(self.Ready(self))
        if self.find_input.value:
            self._search(self.find_input.value)

    # -- find ------------------------------------------------------------------------

    def action_find(self) -> None:
        self.screen.set_focus(self.find_input)  # at once: the query typed next goes there

    def action_next_match(self) -> None:
        self._step(1)

    def action_prev_match(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        view = self.view
        if not view.matches:
            return
        index = 0 if view.current_match is None and delta > 0 else (view.current_match or 0) + delta
        view.show_match(index)
        self._show_status()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.view.current_match = None  # a new query starts at its first match
        if self.prepared is not None:
            self._search(event.value)

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        # Enter ends the typing: back on the document, where n / N step on without typing.
        event.stop()
        self._step(1)
        self.view.focus()

    def on_key(self, event) -> None:
        if not self.find_input.has_focus:
            return
        if event.key in ("down", "up"):  # ↑/↓ in the find box step through matches
            event.stop()
            event.prevent_default()
            self._step(1 if event.key == "down" else -1)
        elif event.key == "escape":  # closes the find, the match stays where it is
            event.stop()
            event.prevent_default()
            self.view.focus()

    @work(thread=True, exclusive=True, group="raw-json-find", exit_on_error=False)
    def _search(self, query: str) -> None:
        assert self.prepared is not None
        matches = find_matches(self.prepared.lines, query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found, query, matches)

    def _found(self, query: str, matches: list[tuple[int, int, int]]) -> None:
        if query != self.find_input.value:
            return  # a newer search is on its way
        view = self.view
        at = view.current_match
        view.set_matches(matches)
        if matches:
            # The same search again (a refresh) stays at its match.
            view.show_match(at if at is not None and at < len(matches) else 0)
        self._show_status()

    def _show_status(self) -> None:
        view = self.view
        status = self.query_one("#find-status", Static)
        if not self.find_input.value:
            status.update("")
        elif not view.matches:
            status.update("no match")
        else:
            total = f"{len(view.matches)}{'+' if len(view.matches) >= MAX_MATCHES else ''}"
            at = (view.current_match or 0) + 1
            status.update(f"{at}/{total}")
