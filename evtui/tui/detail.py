"""The detail pane: welcome, loading, an error panel, or a record in tabs.

A record shows one tab per section, generically (`fields.SectionView`), then
"Raw JSON" and "HTTP". The Raw JSON tab prepares its text only when first
opened, in a thread: a record opens at once however big its document is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import LoadingIndicator, Static, TabbedContent, TabPane

from evtui.record import Record
from evtui.tui.errors import ErrorPanel, Failure
from evtui.tui.fields import SectionView
from evtui.tui.raw_json import RawJsonPane
from evtui.tui.records import http_section
from evtui.tui.text import age, badge_style, join, safe, safe_content, stack

Mode = Literal["welcome", "loading", "error", "record"]


@dataclass(frozen=True)
class Shown:
    """A record on screen, with how it got there."""

    record: Record
    #: The profile's adapter title ("Corpay EV Drive").
    provider: str
    #: When the record came from the history cache: the time it was fetched.
    cached_at: float | None = None


def _pane_id(key: str) -> str:
    return "tab-" + re.sub(r"[^A-Za-z0-9_-]", "_", key)


class RecordView(Vertical):
    """One record: a header line and the tabs."""

    DEFAULT_CSS = """
    RecordView { height: 1fr; }
    RecordView > #record-header {
        height: auto; max-height: 2; padding: 0 1; background: $boost;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    RecordView TabbedContent { height: 1fr; }
    RecordView TabbedContent > ContentSwitcher { height: 1fr; }
    RecordView TabPane { padding: 0; height: 1fr; }
    RecordView ContentTab.-problems { color: $warning; text-style: bold; }
    """

    def __init__(self, shown: Shown, *, now: float, initial_tab: str | None = None) -> None:
        super().__init__()
        self.shown = shown
        self._now = now
        self._initial_tab = initial_tab

    @property
    def record(self) -> Record:
        return self.shown.record

    def compose(self) -> ComposeResult:
        yield Static(self.header_text(self._now), id="record-header")
        record = self.record
        pane_ids = [_pane_id(s.key) for s in record.sections] + ["tab-raw", "tab-http"]
        initial = self._initial_tab if self._initial_tab in pane_ids else pane_ids[0]
        with TabbedContent(id="tabs", initial=initial):
            for section in record.sections:
                title = section.title
                if section.key == "problems":
                    count = len(section.fields) or len(record.problems)
                    title = f"⚠ {title} {count}"
                with TabPane(safe_content(title), id=_pane_id(section.key)):
                    yield SectionView(section)
            with TabPane("Raw JSON", id="tab-raw"):
                yield RawJsonPane(record.raw)
            with TabPane("HTTP", id="tab-http"):
                yield SectionView(http_section(record, cached=self.shown.cached_at is not None))

    def on_mount(self) -> None:
        tabs = self.query_one(TabbedContent)
        if self.record.section("problems") is not None:
            tabs.get_tab("tab-problems").add_class("-problems")

    def header_text(self, now: float) -> Text:
        """Line 1: what and where (plus cached / problems marks); line 2: the summary."""
        record, shown = self.record, self.shown
        line = safe(f"{record.record_type} {record.record_id}", "bold")
        line.append("  ")
        line.append_text(safe(f"{record.profile} · {shown.provider}", "dim"))
        if shown.cached_at is not None:
            line.append("  ")
            line.append(f" cached, {age(shown.cached_at, now)} old · r refreshes ", style=badge_style("reverse yellow"))
        if record.problems:
            n = len(record.problems)
            line.append("  ")
            line.append(f"⚠ {n} problem{'s' if n != 1 else ''}", style="bold yellow")
        if record.summary:
            line.append("\n")
            line.append_text(safe(record.summary))
        return line

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one(TabbedContent)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # The raw document is prepared on first view only.
        for pane in event.pane.query(RawJsonPane):
            pane.load()

    def focus_content(self) -> None:
        pane = self.tabs.active_pane
        if pane is None:
            return
        for view in pane.query(SectionView):
            view.focus_first()
            return
        for raw in pane.query(RawJsonPane):
            raw.view.focus()
            return

    def step_tab(self, delta: int) -> None:
        tabs = self.tabs
        ids = [p.id for p in tabs.query(TabPane) if p.id]
        if not ids:
            return
        current = tabs.active if tabs.active in ids else ids[0]
        tabs.active = ids[(ids.index(current) + delta) % len(ids)]
        self.call_after_refresh(self.focus_content)


class DetailPane(Vertical):
    """Switches between welcome, loading, error and record; remembers what to restore on cancel."""

    DEFAULT_CSS = """
    DetailPane { height: 1fr; width: 1fr; }
    DetailPane > * { display: none; }
    DetailPane.-welcome > #welcome { display: block; }
    DetailPane.-loading > #loading { display: block; }
    DetailPane.-error > #error { display: block; }
    DetailPane.-record > RecordView { display: block; }
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

    def compose(self) -> ComposeResult:
        yield Static(id="welcome")
        with Vertical(id="loading"):
            yield LoadingIndicator(id="loading-indicator")
            yield Static(id="loading-text")
        yield ErrorPanel(id="error")

    def on_mount(self) -> None:
        self._set_mode("welcome")

    def _set_mode(self, mode: Mode) -> None:
        for m in ("welcome", "loading", "error", "record"):
            self.set_class(m == mode, f"-{m}")
        self.mode = mode

    # -- what is shown -----------------------------------------------------------------

    @property
    def record_view(self) -> RecordView | None:
        views = self.query_children(RecordView)
        return views.first() if views else None

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

    def show_loading(self, context: str) -> None:
        if self.mode != "loading":
            self._before_loading = self.mode
        text = safe(f"Looking up {context}…")
        text.append("\nEsc cancels", style="dim")
        self.query_one("#loading-text", Static).update(text)
        self._set_mode("loading")

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

    async def show_record(self, shown: Shown, *, now: float) -> RecordView:
        old = self.record_view
        initial = None
        if old is not None:
            # Refreshing the same record keeps the tab the user was on.
            if old.record.record_id == shown.record.record_id and old.record.profile == shown.record.profile:
                initial = old.tabs.active
            await old.remove()
        view = RecordView(shown, now=now, initial_tab=initial)
        await self.mount(view)
        self._set_mode("record")
        return view

    def refresh_header(self, now: float) -> None:
        view = self.record_view
        if view is not None:
            view.query_one("#record-header", Static).update(view.header_text(now))


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
        Text("F2 switch provider · h/F3 history · ↑↓ in the bar: recent ids · ? all keys · q quit", style="dim"),
    ]
    return stack(lines)
