"""The lines of a list's rows kept across frames, by what each row shows: for `FieldList` and `HistoryList`.

Textual's OptionList draws every line afresh once its options are set: the cache it has is
by option, and setting options (a new record's fields, the history with a lookup's entry on
top) empties it. Each line also looked its style and the list's lines up again. A warm lookup
drew the two lists' fifty-odd lines that way, most of them as they were a frame or two before:
a record's rows shown again (a refresh, a watch, a record looked up again, rows the same from
one record to the next), the history's entries one place down or where they were.

Here a line is kept by the row's `row_key` (what its prompt draws), which line of the row it
is, the option's index (the click target in the line's meta), the style it is drawn in
(highlighted, hovered, focused or not) and the width. An option whose prompt has no
`row_key`, a divider, or a list with text being selected is drawn by Textual as ever.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from textual._styles_cache import StylesCache
from textual.cache import LRUCache
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

#: Lines kept per list (`KeptLines.LINES_KEPT`): a few records' rows in each style. Bounded
#: low: what a lookup adds stays until pushed out, and memory over a long session must stay flat.
LINES_KEPT = 512


class KeptStylesCache(StylesCache):
    """The list's lines as styled for the screen (padding, background, tint, opacity), kept by the
    content line drawn (one of `KeptLines._kept`, the same object for the same row, line, index,
    style and width) and every input the styling reads, for a list without borders, outline or
    hatch (otherwise, and for padding rows, styled by Textual as ever). A focus change restyles
    the whole list (its tint): the lines a record's fields had the last time it was focused."""

    def __init__(self, lines_kept: int = LINES_KEPT) -> None:
        super().__init__()
        self._styled: LRUCache[tuple[Hashable, ...], tuple[Strip, object, Strip]] = LRUCache(lines_kept)

    def render_line(self, styles: Any, y: int, size: Any, content_size: Any, padding: Any, base_background: Any,
                    background: Any, render_content_line: Any, border_title: Any, border_subtitle: Any,
                    opacity: float, ansi_theme: Any, native_ansi: bool) -> Strip:
        args = (styles, y, size, content_size, padding, base_background, background)
        rest = (border_title, border_subtitle, opacity, ansi_theme, native_ansi)
        gutter = styles.gutter
        plain = not (gutter.top or gutter.bottom or any(edge for edge, _ in styles.border)
                     or any(edge for edge, _ in styles.outline) or styles.has_rule("hatch"))
        if not plain or y >= content_size.height:
            return super().render_line(*args, render_content_line, *rest)
        content = render_content_line(y)
        key = (id(content), size.width, content_size.width, padding.left, padding.right, base_background,
               background, styles.tint, styles.text_opacity, opacity, id(ansi_theme), native_ansi)
        kept = self._styled.get(key)
        if kept is not None and kept[0] is content and kept[1] is ansi_theme:  # (the ids' objects, still)
            return kept[2]
        strip = super().render_line(*args, lambda _y: content, *rest)
        self._styled[key] = (content, ansi_theme, strip)
        return strip


class KeptLines(OptionList):
    """An OptionList whose drawn lines are kept by row (`row_key` on the prompt), across option changes."""

    #: Lines kept, as drawn and as styled (each).
    LINES_KEPT = LINES_KEPT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: LRUCache[tuple[Hashable, ...], Strip] = LRUCache(self.LINES_KEPT)
        self._styles_cache = KeptStylesCache(self.LINES_KEPT)
        #: What every line of one `render_lines` shares: scroll offset, lines, width, padding, styles.
        self._drawing: tuple[int, Any, int, Any, dict[str, Style]] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._update_lines()
        if self.text_selection is not None:
            return super().render_lines(crop)
        width = self.scrollable_content_region.width
        padding = self.get_component_styles("option-list--option").padding
        self._drawing = (self.scroll_offset.y, self._line_cache.lines, width, padding, {})
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    def render_line(self, y: int) -> Strip:
        drawing = self._drawing
        if drawing is None:
            return super().render_line(y)
        top, lines, width, padding, styles = drawing
        try:
            index, line_offset = lines[top + y]
            option = self._options[index]
        except IndexError:
            # Below the last option (a short history): blank, as OptionList draws it.
            key: tuple[Hashable, ...] = ("blank", self._style(styles, ""), width)
            if (strip := self._kept.get(key)) is None:
                strip = self._kept[key] = super().render_line(y)
            return strip
        row_key = getattr(option.prompt, "row_key", None)
        if row_key is None or option._divider:
            return super().render_line(y)
        # As OptionList.render_line chooses the option's style.
        if option.disabled:
            component = "option-list--option-disabled"
        elif self.highlighted == index:
            component = "option-list--option-highlighted"
        elif self._mouse_hovering_over == index:
            component = "option-list--option-hover"
        else:
            component = ""
        style = self._style(styles, component)
        key = (row_key, line_offset, index, style, padding, width)
        if (strip := self._kept.get(key)) is None:
            strips = self._get_option_render(option, style)
            if line_offset >= len(strips):
                return super().render_line(y)
            strip = self._kept[key] = strips[line_offset]
        return strip

    def _style(self, styles: dict[str, Style], component: str) -> Style:
        """The option style for `component` ("" for a plain option), looked up once per `render_lines`."""
        if (style := styles.get(component)) is None:
            style = styles[component] = (
                self.get_visual_style("option-list--option", component) if component
                else self.get_visual_style("option-list--option")
            )
        return style

    def replace_options(self, options: Iterable[Option], highlighted: int | None) -> None:
        """`set_options` and `highlighted`, repainting only the lines that then show something else.

        Setting options repaints the whole list; most lines of the next record's fields or of the
        history with a lookup's entry on top show what they showed (the same row at the same index
        in the same style, or blank below the last). Those keep what was drawn for them, unless
        the list scrolled, changed size, or had a repaint of its own pending."""
        before = self._line_looks() if self._repaint_kept_possible() else None
        cache = self._styles_cache
        drawn = {y: strip for y, strip in cache._cache.items() if y not in cache._dirty_lines}
        top, size = self.scroll_offset.y, self.size
        self.set_options(options)
        self.highlighted = highlighted
        if before is None or not drawn or (self.scroll_offset.y, self.size) != (top, size) or self._layout_required:
            return
        after = self._line_looks()
        if after is None or len(after) != len(before):
            return
        changed = [y for y, (was, now) in enumerate(zip(before, after)) if was != now or y not in drawn]
        # Undo the whole-list repaint that set_options asked for; ask for the changed lines alone.
        self._repaint_regions.clear()
        cache._cache.clear()
        cache._cache.update((y, strip) for y, strip in drawn.items() if y < len(after))
        cache._dirty_lines.clear()
        width = self.scrollable_content_region.width
        if changed:
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    def _repaint_kept_possible(self) -> bool:
        if not self.is_mounted or not self.size or self.text_selection is not None or self.styles.gutter.top:
            return False  # (a top border or padding: the cache's lines are not the content's)
        # A pending repaint of the whole list (a restyle, a resize) stays whole.
        outer = self.outer_size.region
        return outer not in self._repaint_regions and not self._styles_cache._dirty_lines.issuperset(range(self.size.height))

    def _line_looks(self) -> list[Hashable] | None:
        """What each line in view shows: the row, its line, index and option style; None: not known."""
        self._update_lines()
        lines = self._line_cache.lines
        top = self.scroll_offset.y
        looks: list[Hashable] = []
        for y in range(self.scrollable_content_region.height):
            if top + y >= len(lines):
                looks.append("blank")
                continue
            index, line_offset = lines[top + y]
            option = self._options[index]
            row_key = getattr(option.prompt, "row_key", None)
            if row_key is None or option._divider:
                return None
            state = (option.disabled, self.highlighted == index, self._mouse_hovering_over == index)
            looks.append((row_key, line_offset, index, state))
        return looks
