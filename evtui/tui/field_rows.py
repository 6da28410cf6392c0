"""One field of a section as a list row: label | value, badge and note, laid out once per width.

`FieldList` (fields.py) shows a section's fields as options whose prompts are `FieldPrompt`s.
Every string goes through `evtui.tui.text.safe` (visible escapes, no markup).
"""

from __future__ import annotations

import os
from weakref import WeakKeyDictionary

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.table import Table as RichTable
from rich.text import Text
from textual._context import active_app
from textual.cache import LRUCache
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from evtui.record import Field
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


#: Rows laid out, per app, by what they show and the width: a record's rows are new prompts
#: (`FieldList.take`), and most were laid out before: a refresh or a watch fetch of the
#: record, the record looked up again, a row the same in the next record of the kind.
#: (NO_COLOR in the key: it changes the badges' look, and tests set it per app.)
ROWS_KEPT = 2048
_laid_out: WeakKeyDictionary[object, LRUCache[tuple[object, ...], list[Strip]]] = WeakKeyDictionary()


class FieldPrompt(Visual):
    """One field of a list, laid out once per width it is drawn at.

    Textual's OptionList draws a rich renderable afresh for every style it is shown in
    (focused or not, highlighted or not) and measures it once more for its height: a
    record's fields were laid out six times per lookup, and again at every F3 (the list
    changes width). Here the layout is kept per width (and per app by what the row shows,
    `_laid_out`) and only the style is applied per draw.
    """

    #: Widths kept: the wide pane with and without the history panel, and a resize or two.
    WIDTHS_KEPT = 4

    def __init__(self, field: Field, label_width: int, *, changed: bool = False) -> None:
        self.field = field
        self.label_width = label_width
        self.changed = changed
        self._by_width: dict[int, list[Strip]] = {}
        #: What the row draws: its lines are kept by it across records (`list_lines.KeptLines`).
        self.row_key = (field.label, field.value, field.note, field.flag, label_width, changed)

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
            laid_out = _laid_out.get(app)
            if laid_out is None:
                laid_out = _laid_out[app] = LRUCache(ROWS_KEPT)
            key = (self.row_key, width, bool(os.environ.get("NO_COLOR")))
            if (lines := laid_out.get(key)) is None:
                options = app.console_options.update(highlight=False, width=width, height=None)
                lines = laid_out[key] = field_lines(
                    self.field, self.label_width, width, changed=self.changed, console=app.console, options=options
                )
            if len(self._by_width) >= self.WIDTHS_KEPT:
                del self._by_width[next(iter(self._by_width))]
            self._by_width[width] = lines
        return lines


def label_width(fields: tuple[Field, ...] | list[Field]) -> int:
    return min(MAX_LABEL_WIDTH, max((len(f.label) for f in fields), default=8))
