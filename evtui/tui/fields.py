"""Generic rendering of a `Section`: its fields as an aligned list, its tables as DataTables
(a long one by its first and last rows, saying which are left out).

Nothing here knows a provider: a new adapter's sections show without UI code.
Every string goes through `evtui.tui.text.safe` (visible escapes, no markup).
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.table import Table as RichTable
from rich.text import Text
from textual._context import active_app
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from evtui.record import Chart, Field, Section, Table
from evtui.tui.text import badge_style, safe

#: Badge words and their look; reverse video keeps them readable under NO_COLOR.
FLAG_STYLES: dict[str, str] = {
    "unknown": "bold reverse yellow",
    "missing": "bold reverse red",
    "invalid": "bold reverse red",
    "deprecated": "bold reverse magenta",
    "derived": "reverse blue",
    "inferred": "reverse cyan",
}
MAX_LABEL_WIDTH = 24
#: A value longer than this (a whole unknown sub-document) is cut: laying out
#: megabytes in one list row would freeze the UI; the Raw JSON tab has it all.
MAX_VALUE_CHARS = 2000


def clip(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters: see Raw JSON, or c to copy)"


def flag_badge(flag: str) -> Text:
    return Text(f" {flag} ", style=badge_style(FLAG_STYLES.get(flag, "reverse")), end="")


def field_renderable(field: Field, label_width: int, *, changed: bool = False) -> RichTable:
    """Label | value, then the badge, then the note dimmed; wrapped lines hang under the value.

    A value that changed at the last fetch (watch, diff) is marked: bold and a `changed` badge."""
    grid = RichTable.grid(padding=(0, 1), expand=True)
    grid.add_column(width=label_width, no_wrap=True, overflow="ellipsis", style="bold")
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(safe(field.label), field_value(field, changed=changed))
    return grid


#: Below this many cells for the value, the row is laid out by the Rich grid itself, which
#: then shares the width out between label and value its own way.
MIN_FAST_VALUE_WIDTH = 10
_BOLD = RichStyle(bold=True)
_PLAIN = RichStyle()


def field_value(field: Field, *, changed: bool = False) -> Text:
    """The value cell: the value (bold when it changed), its badges, the note dimmed."""
    value = safe(clip(field.value), "bold" if changed else "")
    if changed:
        value.append(" ")
        value.append(" changed ", style=badge_style("bold reverse green"))
    if field.flag:
        value.append(" ")
        value.append_text(flag_badge(field.flag))
    if field.note:
        value.append("  ")
        value.append_text(safe(clip(field.note), "dim italic"))
    return value


def field_lines(
    field: Field, label_width: int, width: int, *, changed: bool, console: Console, options: ConsoleOptions
) -> list[Strip]:
    """`field_renderable` laid out at `width`, line by line, the same cells and styles, without
    the grid: a Rich table measures every cell and shares the width out on each render, most of
    the time a record's rows took to show."""
    value_width = width - label_width - 1
    if value_width < MIN_FAST_VALUE_WIDTH:
        segments = console.render(field_renderable(field, label_width, changed=changed), options.update(width=width))
        return [Strip(line) for line in Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False)]
    label = console.render_lines(
        safe(field.label),
        options.update(width=label_width, justify="left", no_wrap=True, overflow="ellipsis", height=None),
        style=_BOLD,
    )
    value = console.render_lines(
        field_value(field, changed=changed),
        options.update(width=value_width, justify="left", no_wrap=False, overflow="fold", height=None),
        style=_PLAIN,
    )
    gap = Segment(" ", _BOLD)
    blank = [Segment(" " * label_width, _BOLD)]
    return [Strip([*(label[i] if i < len(label) else blank), gap, *line]) for i, line in enumerate(value)]


class FieldPrompt(Visual):
    """One field of a list, laid out once per width it is drawn at.

    Textual's OptionList draws a rich renderable afresh for every style it is shown in
    (focused or not, highlighted or not) and measures it once more for its height: a
    record's fields were laid out six times per lookup, and again at every F3 (the list
    changes width). Here the layout is kept per width and only the style is applied per draw.
    """

    #: Widths kept: the wide pane with and without the history panel, and a resize or two.
    WIDTHS_KEPT = 4

    def __init__(self, field: Field, label_width: int, *, changed: bool = False) -> None:
        self.field = field
        self.label_width = label_width
        self.changed = changed
        self._by_width: dict[int, list[Strip]] = {}

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._lines(width))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        # Strip.apply_style is the base-under-segment styling Textual applies, and caches per style.
        rich_style = style.rich_style
        lines = self._lines(width)
        return [line.apply_style(rich_style) for line in (lines if height is None else lines[:height])]

    def _lines(self, width: int) -> list[Strip]:
        if (lines := self._by_width.get(width)) is None:
            app = active_app.get()
            options = app.console_options.update(highlight=False, width=width, height=None)
            lines = field_lines(self.field, self.label_width, width, changed=self.changed, console=app.console, options=options)
            if len(self._by_width) >= self.WIDTHS_KEPT:
                del self._by_width[next(iter(self._by_width))]
            self._by_width[width] = lines
        return lines


def label_width(fields: tuple[Field, ...] | list[Field]) -> int:
    return min(MAX_LABEL_WIDTH, max((len(f.label) for f in fields), default=8))


class FieldList(OptionList):
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

    def take(self, other: FieldList) -> None:
        """Show `other`'s fields in this list (a refresh, the next record of the kind): no remount."""
        if other.fields == self.fields and other.changed_paths == self.changed_paths:
            return
        keep = self.highlighted
        self.set_options(self._field_options(other.fields, other.changed_paths))
        if self.fields:
            self.highlighted = min(keep or 0, len(self.fields) - 1)

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

    def take(self, other: SafeTable) -> None:
        if other.table == self.table:
            return
        self.table, self.rows_shown = other.table, other.rows_shown
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
        content; other parts (a table more or less) -> the parts are mounted again."""
        if section == self.section and changed == self.changed:
            return
        self.section, self.changed = section, changed
        new = list(self.parts())
        old = list(self.children)
        if [type(w) for w in old] != [type(w) for w in new]:
            self.remove_children()
            self.mount_all(new)
            return
        for mine, theirs in zip(old, new):
            if isinstance(mine, (FieldList, SafeTable)):
                mine.take(theirs)  # type: ignore[arg-type]
            elif isinstance(mine, Sparkline) and isinstance(theirs, Sparkline):
                mine.data = theirs.data
            elif isinstance(mine, Static) and isinstance(theirs, Static):
                if mine.content != theirs.content:
                    mine.update(theirs.content)

    def show_in(self, pane: Widget) -> None:
        """Mount this view into `pane` with its parts at once: a lazily filled tab
        can be queried as soon as it is shown, with no frame in between."""
        self._parts_mounted = True
        pane.mount(self)
        self.mount_all(list(self.parts()))

    def parts(self) -> Iterator[Widget]:
        section = self.section
        in_scroll = "-in-scroll" if section.tables or section.charts else ""
        if section.fields:
            yield FieldList(section.fields, changed=self.changed, classes=in_scroll)
        for table in section.tables:
            yield Static(safe(table.title), classes="table-title")
            if table.rows:
                yield SafeTable(table)
            if (hidden := hidden_rows_text(len(table.rows))) is not None:
                yield Static(hidden, classes="table-hidden")
            if table.note:
                yield Static(safe(table.note), classes="table-note")
        for chart in section.charts:
            if not chart.points:
                continue
            yield Static(chart_title(chart), classes="chart-title")
            yield Sparkline([value for _, value in chart.points], summary_function=max)
            yield Static(chart_axis(chart), classes="chart-axis")
        if not section.fields and not section.tables and not section.charts:
            yield Static("Nothing in this section.", classes="empty")

    # Focus lands on the fields, else the first table.
    def focus_first(self) -> None:
        for widget in self.query("FieldList, SafeTable"):
            widget.focus()
            return
