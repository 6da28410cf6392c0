"""The search bar: paste an id, Enter looks it up; ↑/↓ recall recent ids.

Validation happens in the adapter (`validate_id`, which also drops the spaces
and quotes a paste brings); the bar only shows what it says, under itself,
so an invalid id is explained where the user is looking and nothing is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Select, Static
from textual.widgets.input import Selection

from evtui.tui.restyle import FocusRestyle
from evtui.tui.text import safe


class TypedInput(FocusRestyle, Input):
    """A text box that takes only the keys typed while it has the focus.

    The app hands a key to the widget with the focus by queueing it there, and keys are handed
    out in the order typed (key_order.py); still, something other than a key (an answer, a
    click) may move the focus while keys wait in this box's queue. A printable key or Enter
    that finds the focus elsewhere is not typed here but bubbles on to the screen, which hands
    it to where the focus is now (`KeyboardRouting.on_key`), and on to the bindings there.
    """

    async def _on_key(self, event: events.Key) -> None:
        # screen.focused, not has_focus: that lags, it waits for the Blur message.
        if self.screen.focused is not self and (event.is_printable or event.key in ("enter", "ctrl+j")):
            event.prevent_default()  # Input's own handler, next in line, would type it here; it is not stopped


class SearchInput(TypedInput):
    """An Input with recall of recent ids on ↑/↓."""

    BINDINGS = [
        Binding("enter", "submit", "Look up", id="lookup", show=True),
        # Enter typed while the terminal is still in cooked mode (the id and Enter pasted or
        # typed as evtui starts) arrives as a line feed, which Textual reads as ctrl+j.
        Binding("ctrl+j", "submit", "Look up", id="lookup_lf", show=False),
        Binding("up", "recall(1)", "Older id", show=False, id="recall_older"),
        Binding("down", "recall(-1)", "Newer id", show=False, id="recall_newer"),
    ]

    async def _on_key(self, event: events.Key) -> None:
        # Enter looks the id up from here, not once it has bubbled up to the screen's
        # `on_key` (which takes an Enter meant for the bar wherever it lands): a queue per
        # container on the way, each a hop of the event loop, all before the request leaves.
        if event.key in ("enter", "ctrl+j") and self.screen.focused is self:
            submit = getattr(self.screen, "submit_bar", None)
            if submit is not None:
                event.stop()
                event.prevent_default()
                submit()

    def __init__(self, **kwargs) -> None:
        super().__init__(select_on_focus=False, **kwargs)
        #: Newest first, for the current profile.
        self.recent: list[str] = []
        self._recall_index = -1
        self._draft = ""
        self._recalled = ""

    def start_with(self, text: str) -> None:
        """A new id begun elsewhere (a key on the record, a paste): the bar holds just `text`,
        the cursor after it. (The bar does not select all on focus: the next key would replace it.)"""
        self.value = text
        self.cursor_position = len(text)

    #: The selection was changed without a repaint (`select_everything(paint=False)`).
    _unpainted = False

    def select_everything(self, *, paint: bool = True) -> None:
        """What focusing a text box usually does; here only when asked (`start_with` must not).

        `paint=False`: selected at once (the next key typed replaces the text) but drawn with the
        next frame made for another reason, or by `paint_selection`: on Enter, a frame of its own
        put the answer's frame off by one or two frames (Textual's frames keep a 60 Hz beat)."""
        selection = Selection(0, len(self.value))
        if paint:
            self.selection = selection
            self.paint_selection()
        elif selection != self.selection:
            self.set_reactive(Input.selection, selection)
            self._unpainted = True

    def paint_selection(self) -> None:
        """Draw a selection made with `paint=False`, if nothing has drawn the bar since."""
        if self._unpainted:
            self._unpainted = False
            self.refresh()

    def render_line(self, y: int):
        self._unpainted = False
        return super().render_line(y)

    def set_recent(self, ids: list[str]) -> None:
        self.recent = ids
        self._recall_index = -1

    def action_recall(self, step: int) -> None:
        if not self.recent:
            return
        if self._recall_index != -1 and self.value != self._recalled:
            self._recall_index = -1  # edited since the last recall: start over from the draft
        if self._recall_index == -1:
            self._draft = self.value
        index = max(-1, min(len(self.recent) - 1, self._recall_index + step))
        self._recall_index = index
        self.value = self._draft if index == -1 else self.recent[index]
        self._recalled = self.value
        self.cursor_position = len(self.value)


class SearchBar(Vertical):
    DEFAULT_CSS = """
    SearchBar { height: auto; width: 1fr; }
    SearchBar > Horizontal { height: 3; }
    SearchBar SearchInput { width: 1fr; }
    SearchBar Select { width: 24; display: none; margin: 1 1 0 0; }
    SearchBar.-types Select { display: block; }
    /* Narrow: the id gets the width; the type is a short badge-like select (F4 cycles it)
       showing the type's name, as --type takes it, sized to it (see _show_types). */
    SearchBar.-compact Select { margin: 1 0 0 0; }
    SearchBar.-compact SelectCurrent { padding: 0 1; }
    /* A name longer than the select is cut, never wrapped onto the next row. */
    SearchBar SelectCurrent #label { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    compact: reactive[bool] = reactive(False)

    @dataclass
    class Lookup(Message):
        """Enter in the bar: the raw text (not yet validated) and the record type."""

        raw: str
        record_type: str | None

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._types: list[str] = []
        self._titles: list[str] = []

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        if self._types:
            self._show_types(self.record_type)

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield SearchInput(placeholder="session id", id="search")
            yield Select[str]([], allow_blank=True, id="record-type", compact=True)

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def record_type(self) -> str | None:
        select = self.query_one(Select)
        value = select.value
        return value if isinstance(value, str) else None

    @property
    def record_types(self) -> list[str]:
        return list(self._types)

    def cycle_record_type(self, step: int = 1) -> str | None:
        """The next record type (wrapping); None when there is no choice."""
        if len(self._types) < 2:
            return None
        current = self.record_type
        index = self._types.index(current) if current in self._types else -1
        chosen = self._types[(index + step) % len(self._types)]
        self.query_one(Select).value = chosen
        return chosen

    def set_record_types(self, types: list[tuple[str, str]]) -> None:
        """(title, name) pairs; the selector shows only when there is a choice."""
        self._titles = [title for title, _ in types]
        self._types = [name for _, name in types]
        self._show_types(self._types[0] if types else None)
        self.set_class(len(types) > 1, "-types")

    def _show_types(self, chosen: str | None) -> None:
        """Titles ("Charging session") when there is room; when compact the names ("session"),
        which fit at 60 columns, with the select as wide as the longest (the id gets the rest)."""
        select = self.query_one(Select)
        labels = self._types if self.compact else self._titles
        select.set_options(list(zip(labels, self._types)))
        # The label, padding 1 + 1, the arrow and its gap; not compact, the CSS width (None clears ours).
        select.styles.width = max(map(cell_len, labels)) + 4 if self.compact and labels else None
        if chosen is not None:
            select.value = chosen

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is not self.input:
            return
        event.stop()
        self.post_message(self.Lookup(event.value, self.record_type))


class SearchMessage(Static):
    """One line under the bar: the id hint, or why an id is not valid."""

    DEFAULT_CSS = """
    SearchMessage { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    SearchMessage.-hint { text-wrap: nowrap; text-overflow: ellipsis; height: 1; }
    SearchMessage.-error { color: $text-error; background: $error 10%; }
    """

    #: The hint on show, so the same one again changes nothing.
    _hint: str | None = None

    def show_hint(self, hint: str) -> None:
        # The hint is a reminder, not news: one line, cut rather than wrapped (CSS).
        if self._hint == hint and self.has_class("-hint"):
            return  # the same hint again (every Enter): an update would lay the screen out
        self._hint = hint
        self.remove_class("-error")
        self.add_class("-hint")
        self.update(safe(hint))

    def show_invalid(self, message: str, hint: str = "") -> None:
        self._hint = None
        self.remove_class("-hint")
        self.add_class("-error")
        text = Text("✗ ", style="bold", end="")
        text.append_text(safe(message))
        if hint:
            text.append("  ")
            text.append_text(safe(hint, "dim"))
        self.update(text)
