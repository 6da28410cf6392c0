"""The detail pane: welcome, loading, an error panel, or a record (`record_view.RecordView`).

The loading view waits a moment before it shows (`show_loading(delay=)`): a warm
answer replaces the record without a blank in between. A refresh keeps the
record and marks it instead (`mark_refreshing`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
import sys
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import LoadingIndicator, Static

from evtui.record import Record, Section
from evtui.tui.errors import ErrorPanel, Failure
from evtui.tui.text import join, safe, stack

if TYPE_CHECKING:
    from evtui.tui.record_view import RecordView

__all__ = ["DetailPane", "LazyPane", "LazyTabs", "Place", "RecordView", "Shown", "welcome_text"]

#: The record view's module (the field rows, the raw JSON pane, the pickers): imported on the
#: start-up thread once the first request's needs are met (`import_record_view`), so neither the
#: first frame nor the first answer waits for it; beside the request should a lookup come first.
RECORD_VIEW = "evtui.tui.record_view"


def import_record_view() -> None:
    """Import the record view now (on a start-up thread): beside a first request it would take
    the GIL from the answer on two shared cores."""
    import importlib

    importlib.import_module(RECORD_VIEW)


def __getattr__(name: str) -> object:
    if name in ("LazyPane", "LazyTabs", "Place", "RecordView"):
        from evtui.tui import record_view

        return getattr(record_view, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_record_view(child: object) -> bool:
    """Whether `child` is a RecordView, without importing the module: before it is, none exists.
    (It may be in sys.modules half made, its import under way on a thread: no class yet.)"""
    cls = getattr(sys.modules.get(RECORD_VIEW), "RecordView", None)
    return cls is not None and isinstance(child, cls)

Mode = Literal["welcome", "loading", "error", "record"]


@dataclass(frozen=True)
class Shown:
    """A record on screen, with how it got there."""

    record: Record
    #: The profile's adapter title ("Corpay EV Drive").
    provider: str
    #: When the record came from the history cache: the time it was fetched.
    cached_at: float | None = None
    #: Document paths that changed at the last fetch (watch, diff): highlighted.
    changed: frozenset[str] = frozenset()
    #: The change timeline for the "Changes" tab; None: no such tab.
    changes: Section | None = None


class DetailPane(Vertical):
    """Switches between welcome, loading, error and record; remembers what to restore on cancel."""

    DEFAULT_CSS = """
    DetailPane { height: 1fr; width: 1fr; }
    DetailPane > #loading, DetailPane > #error { display: none; }
    DetailPane > #error { height: 1fr; }
    DetailPane > #welcome { padding: 1 2; height: 1fr; overflow-y: auto; }
    DetailPane > #loading { height: 1fr; align: center middle; }
    DetailPane #loading-indicator { height: 3; }
    DetailPane #loading-text { width: 100%; content-align: center middle; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode: Mode = "welcome"
        self._before_loading: Mode = "welcome"
        self.failure: Failure | None = None
        self._loading_context = ""
        self._loading_plain = ""
        #: The latest progress report of the lookup in flight, and when its wait ends.
        self._progress = ""
        self._progress_until: float | None = None
        self._loading_timer: Timer | None = None
        #: The loading text made while the view is hidden (a warm answer comes first): set when it shows.
        self._loading_unset: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="welcome")
        with Vertical(id="loading"):
            yield LoadingIndicator(id="loading-indicator")
            yield Static(id="loading-text")
        with VerticalScroll(id="error"):
            yield ErrorPanel(id="error-panel")

    def on_mount(self) -> None:
        # LoadingIndicator starts animating when mounted, shown or not; after that mount, quiet it.
        self.call_after_refresh(self._set_mode, self.mode)

    def _set_mode(self, mode: Mode) -> None:
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        self.mode = mode
        self._display(mode)

    def _display(self, mode: Mode) -> None:
        if mode == "loading" and self._loading_unset is not None:
            text, self._loading_unset = self._loading_unset, None
            self.query_one("#loading-text", Static).update(text)
        # `display` on the children, not a class on the pane: a class change restyles the whole
        # subtree (a big record's every cell), twice per lookup.
        for child in self.children:
            child.display = _mode_of(child) == mode
        # The spinner redraws 16 times a second: only while it can be seen.
        self.query_one("#loading-indicator").auto_refresh = 1 / 16 if mode == "loading" else None

    # -- what is shown -----------------------------------------------------------------

    @property
    def record_view(self) -> RecordView | None:
        # A scan of the four children, not a query: every key and binding check asks (check_action).
        for child in self.children:
            if _is_record_view(child):
                return child  # type: ignore[return-value]
        return None

    @property
    def shown(self) -> Shown | None:
        view = self.record_view
        return view.shown if view is not None and self.mode == "record" else None

    def show_welcome(self, text: Text) -> None:
        self.query_one("#welcome", Static).update(text)
        if self.mode == "welcome":
            return
        self._set_mode("welcome")

    def update_welcome(self, text: Text) -> None:
        self.query_one("#welcome", Static).update(text)

    def show_loading(self, context: str, *, delay: float = 0.0) -> None:
        """The loading view, after `delay`: an answer that comes sooner never blanks the pane."""
        if self.mode != "loading":
            self._before_loading = self.mode
        self._loading_context = context
        self._progress, self._progress_until = "", None
        self._render_loading()
        self._set_mode("loading") if not delay else self._after(delay)

    def _after(self, delay: float) -> None:
        if self._loading_timer is not None:
            self._loading_timer.stop()
        self.mode = "loading"
        self._loading_timer = self.set_timer(delay, self._loading_due, name="loading-delay")

    def _loading_due(self) -> None:
        self._loading_timer = None
        if self.mode == "loading":
            self._display("loading")

    def mark_refreshing(self, on: bool) -> None:
        """The record stays while it is fetched again; its header says so."""
        view = self.record_view
        if view is not None and view.refreshing != on:
            view.refreshing = on
            view.refresh_header(view._now)

    def show_progress(self, message: str, wait: float | None = None) -> None:
        """A report from inside the lookup: a retry wait counts down, a scan says how far it got."""
        self._progress = message
        self._progress_until = time.monotonic() + wait if wait else None
        self._render_loading()
        if wait:
            self.set_interval(0.25, self._tick, repeat=int(wait * 4) + 2, name="progress-countdown")

    def _tick(self) -> None:
        if self.mode == "loading" and self._progress_until is not None:
            self._render_loading()

    @property
    def loading_text(self) -> str:
        """What the loading indicator says, as plain text."""
        return self._loading_plain

    def _render_loading(self) -> None:
        text = safe(f"Looking up {self._loading_context}…")
        if self._progress:
            text.append("\n")
            line = self._progress
            if self._progress_until is not None:
                left = max(0, math.ceil(self._progress_until - time.monotonic()))
                line = f"{line} in {left} s…" if left else f"{line} now…"
            text.append_text(safe(line, "bold"))
        text.append("\nEsc cancels", style="dim")
        shown = self.query_one("#loading").display
        changed = text.plain != self._loading_plain
        self._loading_plain = text.plain
        if not shown:
            # Set when the view shows: a warm lookup answers before, and setting it now (hidden)
            # made a frame of its own on Enter, which put the answer's frame off by a frame or two.
            self._loading_unset = text
            return
        self._loading_unset = None
        # Laid out again only when the words change.
        self.query_one("#loading-text", Static).update(text, layout=changed)

    def restore(self) -> None:
        """Back to what was shown before the cancelled lookup."""
        if self.mode == "loading":
            mode = self._before_loading
            if mode == "record" and self.record_view is None:
                mode = "welcome"
            self._set_mode(mode)

    def show_error(self, failure: Failure) -> None:
        self.failure = failure
        self.query_one(ErrorPanel).show(failure)
        self._set_mode("error")

    async def show_record(self, shown: Shown, *, now: float, tab: str | None = None) -> RecordView:
        """Show a record: in the view there is when it has the same tabs, else in a new view.
        `tab` opens that tab (else the same record keeps its tab)."""
        view = self.record_view
        if view is not None and view.pane_ids(shown) == view.pane_ids(view.shown) and view.tabs_mounted():
            view.update(shown, now=now, tab=tab)
            self._set_mode("record")
            return view
        initial = tab
        if view is not None:
            if initial is None and (view.record.profile, view.record.record_id) == (shown.record.profile, shown.record.record_id):
                initial = view.tabs.active if view.tabs_mounted() else view._initial_tab
            await view.remove()
        from evtui.tui.record_view import RecordView

        view = RecordView(shown, now=now, initial_tab=initial)
        view.display = False  # until the mode switches to it, not beside the loading indicator
        await self.mount(view)
        self._set_mode("record")
        return view

    def validated(self, record: Record, validated: Record) -> Shown | None:
        """What shows `validated` (`record` with model validation's findings) in place of `record`;
        None when `record` is no longer on screen: a late result never lands on another record."""
        shown = self.shown
        if shown is None or shown.record is not record:
            return None
        return replace(shown, record=validated)

    def refresh_header(self, now: float) -> None:
        view = self.record_view
        if view is not None:
            view.refresh_header(now)


def _mode_of(child: object) -> Mode:
    if _is_record_view(child):
        return "record"
    return getattr(child, "id", None) or "welcome"  # type: ignore[return-value]


def welcome_text(*, record_title: str, id_hint: str, examples: tuple[str, ...], profile: str, provider: str) -> Text:
    lines: list[Text] = [
        Text("evtui", style="bold"),
        Text(""),
        safe(f"Paste a {record_title.lower()} id in the bar above and press Enter."),
        safe(f"Provider: {profile} ({provider})", "dim"),
        safe(id_hint, "dim"),
    ]
    if examples:
        lines.append(Text(""))
        tried = Text("Try: ", style="bold", end="")
        tried.append_text(join([safe(e, "underline") for e in examples], separator="  ", style=""))
        lines.append(tried)
    lines += [
        Text(""),
        Text("F2 provider · F3 history · ↑↓ in the bar: recent ids · F1 all keys · ctrl+q quit", style="dim"),
    ]
    return stack(lines)
