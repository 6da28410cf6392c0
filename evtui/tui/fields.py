"""Generic rendering of a `Section`: its fields as an aligned list, its tables as DataTables
(a long one by its first and last rows, saying which are left out).

Nothing here knows a provider: a new adapter's sections show without UI code.
Every string goes through `evtui.tui.text.safe` (visible escapes, no markup).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import DataTable, Sparkline, Static
from textual.widgets.option_list import Option

from evtui.record import Chart, Field, Section, Table
from evtui.tui.field_rows import (  # noqa: F401 (the row's names, where they were before)
    FLAG_STYLES,
    MAX_LABEL_WIDTH,
    MAX_VALUE_CHARS,
    FieldPrompt,
    clip,
    field_renderable,
    flag_badge,
    label_width,
)
from evtui.tui.list_lines import KeptLines
from evtui.tui.restyle import FocusRestyle
from evtui.tui.text import safe


class FieldList(FocusRestyle, KeptLines):
    """A section's fields; the highlighted one is what `c` copies."""

    DEFAULT_CSS = """
    FieldList {
        border: none;
        padding: 0 1;
        height: 1fr;
        max-height: 100%;
        background: $surface;
        &:focus { border: none; background-tint: $foreground 3%; }
        &.-in-scroll { height: auto; max-height: 100000; overflow-y: hidden; }
    }
    """

    #: Textual's OptionList finds its virtual size when first drawn at a width (after the layout
    #: that gave it the width) and set it as a layout change: every F3 that resized the record
    #: laid the screen out once more for it. Nothing outside the list depends on that size; a
    #: scrollbar it makes appear or go asks for its own layout (`show_vertical_scrollbar`).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(
        self,
        fields: tuple[Field, ...],
        *,
        changed: frozenset[str] = frozenset(),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(*self._field_options(fields, changed), id=id, classes=classes)

    def _field_options(self, fields: tuple[Field, ...], changed: frozenset[str]) -> list[Option]:
        from evtui.tui.watching import is_changed

        self.fields = fields
        self.changed_paths = changed
        self.changed = tuple(f for f in fields if is_changed(f, changed))
        width = label_width(fields)
        return [Option(FieldPrompt(f, width, changed=f in self.changed)) for f in fields]

    def on_mount(self) -> None:
        if self.fields:
            self.highlighted = 0

    def take(self, fields: tuple[Field, ...], changed: frozenset[str]) -> None:
        """Show these fields in this list (a refresh, the next record of the kind): no remount."""
        if fields == self.fields and changed == self.changed_paths:
            return
        keep = self.highlighted
        options = self._field_options(fields, changed)
        self.replace_options(options, min(keep or 0, len(self.fields) - 1) if self.fields else None)

    # Below the last field, the keys go on into the tables and charts of the section.
    def action_cursor_down(self) -> None:
        if self._at_end() and self._scroll_parent():
            self.screen.focus_next()
            return
        super().action_cursor_down()

    def action_page_down(self) -> None:
        if self._at_end() and (parent := self._scroll_parent()) is not None:
            parent.scroll_page_down(animate=False)
            return
        super().action_page_down()

    def action_last(self) -> None:
        super().action_last()
        if (parent := self._scroll_parent()) is not None:
            parent.scroll_end(animate=False, immediate=True)

    def _at_end(self) -> bool:
        return self.highlighted is None or self.highlighted >= len(self.fields) - 1

    def _scroll_parent(self) -> VerticalScroll | None:
        parent = self.parent
        return parent if self.has_class("-in-scroll") and isinstance(parent, VerticalScroll) else None

    @property
    def current(self) -> Field | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.fields)):
            return None
        return self.fields[self.highlighted]

    def copy_target(self) -> tuple[str, str] | None:
        """(text, what) for the app's copy action: the highlighted value as shown."""
        field = self.current
        if field is None:
            return None
        return field.value, f"{field.label}: {field.value}"

    def scroll_to_highlight(self, top: bool = False) -> None:
        super().scroll_to_highlight(top)
        # Inside a scrolling section (fields above tables) this list does not scroll
        # itself: bring the highlighted option into the parent's view instead.
        parent = self.parent
        if not self.has_class("-in-scroll") or not isinstance(parent, VerticalScroll):
            return
        if self.highlighted is None or not self.is_mounted:
            return
        self._update_lines()
        y = self._index_to_line.get(self.highlighted)
        if y is None:
            return
        height = self._heights.get(self.highlighted, 1)
        top_y = self.virtual_region.y + y
        parent.scroll_to_region(Region(0, top_y, 1, height), animate=False, immediate=True)


#: A longer table shows its first and last EDGE_ROWS rows and says which it leaves out:
#: a DataTable takes seconds and much memory to lay out tens of thousands of rows.
MAX_ROWS = 250
EDGE_ROWS = 100


def shown_rows(count: int) -> list[int | None]:
    """Which rows of a table of `count` rows are listed; None marks the gap."""
    if count <= MAX_ROWS:
        return list(range(count))
    return [*range(EDGE_ROWS), None, *range(count - EDGE_ROWS, count)]


def hidden_rows_text(count: int) -> Text | None:
    """The line under a table that leaves rows out: which, and where they all are."""
    if count <= MAX_ROWS:
        return None
    first, last = EDGE_ROWS + 1, count - EDGE_ROWS
    return Text(
        f"⋯ rows {first:,}–{last:,} ({last - first + 1:,} of {count:,}) are not listed here: "
        "the Raw JSON tab has every one (f finds), as does evtui get --json",
        end="",
    )


class SafeTable(DataTable):
    """A provider table: every header and cell as safe Text; `c` copies the cell under the cursor."""

    DEFAULT_CSS = """
    SafeTable { height: auto; max-height: 20; margin: 0 1 1 1; }
    """

    def __init__(self, table: Table, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=True, cursor_type="cell")
        self.table = table
        #: Index into table.rows of each row listed; None for the gap of a long table.
        self.rows_shown = shown_rows(len(table.rows))

    def on_mount(self) -> None:
        self._fill()

    def take(self, table: Table) -> None:
        if table == self.table:
            return
        self.table, self.rows_shown = table, shown_rows(len(table.rows))
        self.clear(columns=True)
        self._fill()

    def _fill(self) -> None:
        self.add_columns(*(safe(c, "bold") for c in self.table.columns))
        width = len(self.table.columns)
        for index in self.rows_shown:
            if index is None:
                self.add_row(*[Text("⋯", style="dim")] * width)
                continue
            row = self.table.rows[index]
            cells = [safe(clip(c, 500)) for c in row[:width]] + [Text("")] * (width - len(row))
            self.add_row(*cells)

    def copy_target(self) -> tuple[str, str] | None:
        row, col = self.cursor_coordinate
        try:
            index = self.rows_shown[row]
            if index is None:
                return None
            text = self.table.rows[index][col]
            column = self.table.columns[col]
        except IndexError:
            return None
        return text, f"{column}: {text}"


def _num(value: float) -> str:
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def chart_title(chart: Chart) -> Text:
    """"Average power (kW)  min 3.2 · max 11 kW · 8 points", then the note dimmed."""
    values = [v for _, v in chart.points]
    unit = f" {chart.unit}" if chart.unit else ""
    text = safe(chart.title, "bold")
    if chart.unit:
        text.append(" ")
        text.append_text(safe(f"({chart.unit})", "bold"))
    text.append_text(safe(f" · min {_num(min(values))}{unit} · max {_num(max(values))}{unit} · {len(values)} points", "dim"))
    return text


def chart_axis(chart: Chart) -> Text:
    """The first and last x labels under the sparkline, and what the chart is made of."""
    first, last = chart.points[0][0], chart.points[-1][0]
    text = safe(f"{first} → {last}" if len(chart.points) > 1 else first, "dim")
    if chart.note:
        text.append("  ")
        text.append_text(safe(chart.note, "dim italic"))
    return text


class SectionView(VerticalScroll):
    """One section: only fields -> the list fills the pane; with tables -> the pane scrolls."""

    DEFAULT_CSS = """
    SectionView { height: 1fr; background: $surface; }
    SectionView > .table-title { padding: 1 1 0 1; text-style: bold; }
    SectionView > .table-note { padding: 0 1; color: $text-muted; }
    SectionView > .table-hidden { padding: 0 1; color: $warning; }
    SectionView > .empty { padding: 1 2; color: $text-muted; }
    SectionView > .chart-title { padding: 1 1 0 1; }
    SectionView > Sparkline { height: 4; margin: 0 1; }
    SectionView > .chart-axis { padding: 0 1; color: $text-muted; }
    """

    can_focus = False

    def __init__(self, section: Section, *, changed: frozenset[str] = frozenset(), id: str | None = None) -> None:
        super().__init__(id=id)
        self.section = section
        self.changed = changed
        self._parts_mounted = False

    def compose(self) -> ComposeResult:
        return () if self._parts_mounted else self.parts()

    def update(self, section: Section, changed: frozenset[str]) -> None:
        """Show another section of the same kind in place: same parts -> each takes the new one's
        content; other parts (a table more or less) -> the parts are mounted again.
        Compared by plan, not by widgets made to be thrown away (a FieldList of every field)."""
        if section == self.section and changed == self.changed:
            return
        self.section, self.changed = section, changed
        plan = self._plan()
        old = list(self.children)
        if [type(w) for w in old] != [kind for kind, _ in plan]:
            self.remove_children()
            self.mount_all([_make(kind, what) for kind, what in plan])
            return
        for mine, (kind, what) in zip(old, plan):
            if isinstance(mine, FieldList):
                mine.take(what[0], what[1])
            elif isinstance(mine, SafeTable):
                mine.take(what)
            elif isinstance(mine, Sparkline):
                if mine.data != what:
                    mine.data = what
            elif isinstance(mine, Static):
                content, _classes = what
                if mine.content != content:
                    mine.update(content)

    def show_in(self, pane: Widget) -> None:
        """Mount this view into `pane` with its parts at once: a lazily filled tab
        can be queried as soon as it is shown, with no frame in between."""
        self._parts_mounted = True
        pane.mount(self)
        self.mount_all(list(self.parts()))

    def parts(self) -> Iterator[Widget]:
        for kind, what in self._plan():
            yield _make(kind, what)

    def _plan(self) -> list[tuple[type[Widget], Any]]:
        """The parts as (widget class, what it shows), in order."""
        section = self.section
        in_scroll = "-in-scroll" if section.tables or section.charts else ""
        plan: list[tuple[type[Widget], Any]] = []
        if section.fields:
            plan.append((FieldList, (section.fields, self.changed, in_scroll)))
        for table in section.tables:
            plan.append((Static, (safe(table.title), "table-title")))
            if table.rows:
                plan.append((SafeTable, table))
            if (hidden := hidden_rows_text(len(table.rows))) is not None:
                plan.append((Static, (hidden, "table-hidden")))
            if table.note:
                plan.append((Static, (safe(table.note), "table-note")))
        for chart in section.charts:
            if not chart.points:
                continue
            plan.append((Static, (chart_title(chart), "chart-title")))
            plan.append((Sparkline, [value for _, value in chart.points]))
            plan.append((Static, (chart_axis(chart), "chart-axis")))
        if not section.fields and not section.tables and not section.charts:
            plan.append((Static, ("Nothing in this section.", "empty")))
        return plan

    # Focus lands on the fields, else the first table.
    def focus_first(self) -> None:
        for widget in self.query("FieldList, SafeTable"):
            widget.focus()
            return


def _make(kind: type[Widget], what: Any) -> Widget:
    """A section part from its plan entry (`SectionView._plan`)."""
    if kind is FieldList:
        fields, changed, classes = what
        return FieldList(fields, changed=changed, classes=classes)
    if kind is SafeTable:
        return SafeTable(what)
    if kind is Sparkline:
        return Sparkline(what, summary_function=max)
    content, classes = what
    return Static(content, classes=classes)
