"""One record on screen: a header line and its tabs, updated in place.

A record shows one tab per section, generically (`fields.SectionView`), then
"Raw JSON" and "HTTP". A tab's content is laid out when the tab is first shown
(Raw JSON prepares its text then, in a thread): a record opens at once however
big its document is. The next record of the same kind (the same tabs) is shown
in the same widgets: each laid-out tab takes its new content, the others wait.
Nothing is removed and mounted again, which also keeps memory flat (Textual
issue #6665: removed widgets stay alive in a style cache).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from evtui.record import Record, Section
from evtui.tui.fields import SectionView
from evtui.tui.pickers import related_hint
from evtui.tui.raw_json import RawJsonPane
from evtui.tui.records import http_section
from evtui.tui.text import age, badge_style, safe, safe_content

if TYPE_CHECKING:
    from evtui.tui.detail import Shown


def _pane_id(key: str) -> str:
    return "tab-" + re.sub(r"[^A-Za-z0-9_-]", "_", key)


class LazyPane(TabPane):
    """A tab whose content is made the first time the tab is shown (`now`: at once).

    A new record of the same kind is handed to the pane (`take`): what is laid out
    already takes the new content in place, what is not waits for the tab to open."""

    def __init__(self, title: Content, make: Callable[[], Widget], *, id: str, now: bool = False) -> None:
        super().__init__(title, *([make()] if now else []), id=id)
        self._make: Callable[[], Widget] | None = None if now else make

    @property
    def filled(self) -> bool:
        return self._make is None

    def fill(self) -> None:
        if self._make is not None:
            make, self._make = self._make, None
            widget = make()
            if isinstance(widget, SectionView):
                widget.show_in(self)
            else:
                self.mount(widget)

    def take(self, make: Callable[[], Widget], update: Callable[[Widget], None]) -> None:
        if self._make is not None:
            self._make = make
            return
        for child in self.children:
            update(child)
            return
        self._make = make


class LazyTabs(TabbedContent):
    """Fills a lazy pane as it becomes active, within the assignment to `active`:
    code that switches tabs finds the content at once."""

    def watch_active(self, active: str) -> None:
        try:
            pane = self.get_pane(active) if active else None
        except NoMatches:
            return
        if isinstance(pane, LazyPane):
            pane.fill()


@dataclass(frozen=True)
class Place:
    """Where the user was in a record: for the back stack."""

    tab: str | None
    highlighted: int | None
    scroll_y: float


class RecordView(Vertical):
    """One record: a header line and the tabs. A record of the same kind (the same tabs)
    is shown in place by `update`: the widgets stay, their content changes."""

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
        #: A refresh or a watch fetch is in flight: the header says so.
        self.refreshing = False
        #: Line breaks in the header shown (`refresh_header` lays out only when they change).
        self._header_lines = 0

    @property
    def record(self) -> Record:
        return self.shown.record

    def _sections(self, shown: Shown) -> list[Section]:
        sections = list(shown.record.sections)
        if shown.changes is not None:
            sections.append(shown.changes)
        return sections

    def pane_ids(self, shown: Shown) -> list[str]:
        return [_pane_id(s.key) for s in self._sections(shown)] + ["tab-raw", "tab-http"]

    def _panes(self, shown: Shown) -> list[tuple[str, Content, Section]]:
        record = shown.record
        panes = []
        for section in self._sections(shown):
            title = section.title
            if section.key == "problems":
                count = len(section.fields) or len(record.problems)
                title = f"⚠ {title} {count}"
            elif section is shown.changes and section.tables:
                title = f"{title} {len(section.tables[0].rows)}"
            panes.append((_pane_id(section.key), safe_content(title), section))
        return panes

    def _http(self, shown: Shown) -> Section:
        return http_section(shown.record, cached=shown.cached_at is not None)

    def compose(self) -> ComposeResult:
        header = self.header_text(self._now)
        self._header_lines = header.plain.count("\n")
        yield Static(header, id="record-header")
        shown = self.shown
        pane_ids = self.pane_ids(shown)
        initial = self._initial_tab if self._initial_tab in pane_ids else pane_ids[0]
        changed = shown.changed
        # Only the tab shown first is laid out now, the others when opened: a table of
        # tens of thousands of rows costs nothing until then.
        with LazyTabs(id="tabs", initial=initial):
            for pane_id, title, section in self._panes(shown):
                yield LazyPane(title, partial(SectionView, section, changed=changed), id=pane_id, now=pane_id == initial)
            raw = shown.record.raw
            yield LazyPane(Content("Raw JSON"), lambda: RawJsonPane(raw), id="tab-raw", now=initial == "tab-raw")
            http = self._http(shown)
            yield LazyPane(Content("HTTP"), lambda: SectionView(http), id="tab-http", now=initial == "tab-http")

    def on_mount(self) -> None:
        self._mark_problems()

    def _mark_problems(self) -> None:
        if self.record.section("problems") is not None:
            self.tabs.get_tab("tab-problems").add_class("-problems")

    def update(self, shown: Shown, *, now: float, tab: str | None = None) -> None:
        """Show `shown` (same tabs as now) in these widgets; `tab` opens that tab."""
        same_record = (shown.record.profile, shown.record.record_id) == (self.record.profile, self.record.record_id)
        self.shown = shown
        self.refreshing = False
        self.refresh_header(now)
        tabs = self.tabs
        changed = shown.changed

        def section_update(section: Section) -> Callable[[Widget], None]:
            return lambda widget: widget.update(section, changed) if isinstance(widget, SectionView) else None

        for pane_id, title, section in self._panes(shown):
            content_tab = tabs.get_tab(pane_id)
            # Only a label that changed: setting one lays the tab row out again.
            # (Content's == compares the text alone.)
            if (content_tab.label.plain, content_tab.label.spans) != (title.plain, title.spans):
                content_tab.label = title
            pane = tabs.get_pane(pane_id)
            assert isinstance(pane, LazyPane)
            pane.take(partial(SectionView, section, changed=changed), section_update(section))
        raw = shown.record.raw
        raw_pane = tabs.get_pane("tab-raw")
        assert isinstance(raw_pane, LazyPane)
        raw_pane.take(lambda: RawJsonPane(raw), lambda pane: pane.set_raw(raw) if isinstance(pane, RawJsonPane) else None)
        http = self._http(shown)
        http_pane = tabs.get_pane("tab-http")
        assert isinstance(http_pane, LazyPane)
        http_pane.take(lambda: SectionView(http), lambda view: view.update(http, frozenset()) if isinstance(view, SectionView) else None)
        self._mark_problems()
        target = tab or (tabs.active if same_record else self.pane_ids(shown)[0])
        if tabs.active != target:
            tabs.active = target
        else:
            self.load_active()

    def tabs_mounted(self) -> bool:
        """Whether every tab is mounted: a tab id may be used only then (Textual raises before)."""
        if not self.is_mounted:
            return False
        try:
            tabs = self.tabs
            for pane_id in self.pane_ids(self.shown):
                tabs.get_tab(pane_id)
        except (NoMatches, ValueError):
            return False
        return True

    def load_active(self) -> None:
        pane = self.tabs.active_pane
        if isinstance(pane, LazyPane):
            pane.fill()
        if pane is not None:
            for raw in pane.query(RawJsonPane):
                raw.load()

    def header_text(self, now: float) -> Text:
        """Line 1: what, its marks (refreshing, cached, problems), where; line 2: the summary.

        The marks come right after the id: a narrow pane cuts the end of the line, never them."""
        record, shown = self.record, self.shown
        line = safe(f"{record.record_type} {record.record_id}", "bold")
        if self.refreshing:
            line.append("  ")
            line.append(" refreshing… ", style=badge_style("reverse cyan"))
        if shown.cached_at is not None:
            line.append("  ")
            line.append(f" cached, {age(shown.cached_at, now)} old · F5 ", style=badge_style("reverse yellow"))
        line.append("  ")
        line.append_text(safe(f"{record.profile} · {shown.provider}", "dim"))
        if record.problems:
            n = len(record.problems)
            line.append("  ")
            line.append(f"⚠ {n} problem{'s' if n != 1 else ''}", style="bold yellow")
        if record.related:
            line.append("  ")
            line.append_text(safe(related_hint(record.related), "bold cyan"))
        if record.summary:
            line.append("\n")
            line.append_text(safe(record.summary))
        return line

    def refresh_header(self, now: float) -> None:
        self._now = now
        header = self.query_one("#record-header", Static)
        text = self.header_text(now)
        # One line or two (never wrapped, CSS): the screen is laid out again only when that changes.
        lines = text.plain.count("\n")
        header.update(text, layout=lines != self._header_lines)
        self._header_lines = lines

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one(TabbedContent)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # The raw document is prepared on first view only.
        for pane in event.pane.query(RawJsonPane):
            pane.load()

    def _content(self) -> Widget | None:
        """The widget of the active tab that takes the focus (fields, table or JSON view)."""
        if not self.is_attached:
            return None
        try:
            pane = self.tabs.active_pane
        except NoMatches:
            return None  # still composing, or being removed
        if pane is None:
            return None
        if isinstance(pane, LazyPane):
            pane.fill()
        for widget in pane.query("FieldList, SafeTable, JsonView"):
            return widget
        return None

    def focus_content(self) -> bool:
        """Focus the active tab's content, at once (`focus()` waits for a refresh, and keys
        typed meanwhile went to the old focus). False when there is none yet."""
        widget = self._content()
        if widget is None or not widget.focusable:
            return False
        self.screen.set_focus(widget)
        return True

    def place(self) -> Place:
        widget = self._content()
        highlighted = getattr(widget, "highlighted", None) if widget is not None else None
        scroll = widget.parent.scroll_y if widget is not None and isinstance(widget.parent, SectionView) else 0.0
        return Place(self.tabs.active or None, highlighted, scroll)

    def go_to(self, place: Place) -> None:
        widget = self._content()
        if widget is None:
            return
        if place.highlighted is not None and hasattr(widget, "highlighted"):
            widget.highlighted = place.highlighted  # type: ignore[attr-defined]
        if isinstance(widget.parent, SectionView):
            widget.parent.scroll_to(y=place.scroll_y, animate=False, immediate=True)

    def step_tab(self, delta: int) -> None:
        tabs = self.tabs
        ids = [p.id for p in tabs.query(TabPane) if p.id]
        if not ids:
            return
        current = tabs.active if tabs.active in ids else ids[0]
        self.open_tab(ids[(ids.index(current) + delta) % len(ids)])

    def open_tab(self, pane_id: str) -> None:
        self.tabs.active = pane_id
        self.call_after_refresh(self.focus_when_ready)

    def focus_when_ready(self, tries: int = 3) -> None:
        """Focus the content once it is mounted: a tab filled just now mounts by the next frames."""
        if not self.focus_content() and tries > 1 and self.is_attached:
            self.call_after_refresh(self.focus_when_ready, tries - 1)

    def tab_titles(self) -> list[tuple[str, str]]:
        """(pane id, title) of every tab, in order."""
        tabs = self.tabs
        return [(p.id, tabs.get_tab(p.id).label.plain) for p in tabs.query(TabPane) if p.id]


