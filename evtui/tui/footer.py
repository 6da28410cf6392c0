"""A footer that fits: as many keys as the width allows, the most useful first.

Textual's Footer lays every shown binding side by side and lets them overlap
when the terminal is narrow ("^pComm andse" at 60 columns). Here each
binding has a rank; the footer keeps the best-ranked keys that fit the width,
in their usual order, and always `?` (which lists every key, footer or not) and how to quit.
The command palette key is shown only when there is room left for it.

The keys are drawn as one line of one widget, not a widget per key: the keys change at
every lookup (the focus goes from the bar to the record) and at every F3, and a widget
per key made each change a restyle of a dozen widgets and two layouts of the screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style as RichStyle
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.events import MouseDown, MouseMove
from textual.strip import Strip
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

#: Binding ids, most useful first; ids not listed come after, in their order.
RANK = (
    "help",
    "back",
    "lookup",
    "switch_profile",
    "toggle_history",
    "refresh",
    "tab_list",
    "open_related",
    "record_type",
    "toggle_watch",
    "copy_value",
    "json_find",
    "pin",
    "delete_entry",
    "diff_entry",
    "copy_id",
    "diff",
    "export",
    "copy_json",
    "pager",
    "find_anywhere",
    "json_next",
    "json_prev",
    "quit",
)
ALWAYS = ("help", "quit")
#: Footer lines kept (`FitFooter.render_line`): the bar's keys, the record's, the history's, at a width or two.
LINES_KEPT = 8


def key_width(key_display: str, description: str, compact: bool) -> int:
    """Cells one FooterKey takes: key, description and their padding/gap."""
    return cell_len(key_display) + cell_len(description) + (2 if compact else 3)


def choose(items: list[tuple[Binding, int]], budget: int) -> set[int]:
    """Indexes of the items to show: ALWAYS ones, then by RANK while they fit."""
    rank = {bid: i for i, bid in enumerate(RANK)}

    def order(i: int) -> tuple[int, int, int]:
        b = items[i][0]
        return (0 if b.id in ALWAYS else 1, rank.get(b.id or "", len(rank)), i)

    chosen: set[int] = set()
    used = 0
    for i in sorted(range(len(items)), key=order):
        width = items[i][1]
        if used + width <= budget or items[i][0].id in ALWAYS:
            chosen.add(i)
            used += width
    return chosen


@dataclass(frozen=True)
class _Key:
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    disabled: bool
    tooltip: str
    palette: bool = False


class FitFooter(Footer):
    """The keys that fit, in one line; `?` always.

    Bindings are refreshed several times per lookup (the focus moves, keys enable and
    disable), mostly to the same keys. A refresh that plans the keys already shown does
    nothing; another draws this one line again: no widget is restyled, mounted or moved,
    and the screen is not laid out again (the footer is one line whatever it shows).
    A key is pressed by clicking it, as on Textual's footer.
    """

    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--palette-border"}
    # The look of Textual's FooterKey, whose component classes these are.
    DEFAULT_CSS = """
    FitFooter {
        text-wrap: nowrap;
        .footer-key--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .footer-key--description { color: $footer-description-foreground; background: $footer-description-background; }
        .footer-key--palette-border { color: $foreground 20%; }
    }
    """

    #: The keys as last shown: a refresh that plans the same keys costs no frame.
    _shown: list[_Key] | None = None
    #: (first cell, end cell, key) of each key drawn, for clicks and tooltips.
    _spans: list[tuple[int, int, _Key]] = []
    #: Lines drawn, with their spans, by keys, width and look (`render_line`).
    _drawn: LRUCache[tuple[object, ...], tuple[Strip, list[tuple[int, int, _Key]]]] | None = None

    def _plan(self) -> list[_Key]:
        active = self.screen.active_bindings
        seen_actions: set[str] = set()
        entries: list[tuple[Binding, bool, str]] = []
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            entries.append((binding, enabled, tooltip))
        width = self.size.width or self.app.size.width
        display = self.app.get_key_display
        palette = self._palette_binding(active.values())
        palette_width = key_width(display(palette[0]), palette[0].description, self.compact) if palette else 0
        sized = [(b, key_width(display(b), b.description, self.compact)) for b, _, _ in entries]
        chosen = choose(sized, width - 1)
        used = sum(sized[i][1] for i in chosen)
        plan = [
            _Key(b.key, display(b), b.description, b.action, not enabled, tooltip)
            for i, (b, enabled, tooltip) in enumerate(entries)
            if i in chosen
        ]
        if palette and used + palette_width <= width - 1:
            b, enabled = palette
            plan.append(_Key(b.key, display(b), b.description, b.action, not enabled, b.tooltip or b.description, True))
        return plan

    @property
    def keys(self) -> list[_Key]:
        """The keys shown now, in order (the palette key last)."""
        return list(self._shown or [])

    #: A binding refresh waits for what is being handled: see `bindings_changed`.
    _refresh_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen and not self._refresh_pending:
            # Once, after what is being handled now (a lookup refreshes the bindings several times
            # while its record is put on screen), and in the same frame: after the frame, as it
            # was, the new keys took a frame of their own after every answer.
            self._refresh_pending = True
            self.call_later(self._refresh_keys)

    def _refresh_keys(self) -> None:
        self._refresh_pending = False
        if not self.is_attached:
            return
        plan = self._plan()
        if plan != self._shown:
            self._shown = plan
            self.refresh()

    def compose(self) -> ComposeResult:
        return ()

    def render_line(self, y: int) -> Strip:
        # The line's own segments, as they are: between the keys only the footer's background
        # (a widget's text would be given its colour too, all the way along).
        width = self.size.width
        if y != 0 or width <= 0:
            return Strip.blank(width, self.rich_style)
        # Each answer moves the focus from the bar to the record, each next id back: the footer
        # alternates between a few sets of keys, drawn once each (per width and look).
        if self._shown is None and self._bindings_ready:
            self._shown = self._plan()
        look = (tuple(self._shown or ()), width, self.compact, self.rich_style,
                *(self.get_component_rich_style(name) for name in sorted(self.COMPONENT_CLASSES)))
        if self._drawn is None:
            self._drawn = LRUCache(LINES_KEPT)
        if (drawn := self._drawn.get(look)) is not None:
            strip, self._spans = drawn
            return strip
        segments = list(self._line(width).render(self.app.console))
        strip = Strip(segments).extend_cell_length(width, RichStyle(bgcolor=self.rich_style.bgcolor)).crop(0, width).simplify()
        self._drawn[look] = (strip, self._spans)
        return strip

    def _line(self, width: int) -> Text:
        if self._shown is None and self._bindings_ready:
            self._shown = self._plan()
        keys = self._shown or []
        base = self.rich_style
        key_style = base + self.get_component_rich_style("footer-key--key")
        description_style = base + self.get_component_rich_style("footer-key--description")
        gap = RichStyle(bgcolor=base.bgcolor)  # between keys: the footer's background alone
        line = Text(no_wrap=True, end="")
        spans: list[tuple[int, int, _Key]] = []

        def draw(key: _Key, text: Text, compact: bool) -> None:
            # As FooterKey draws itself: padded key, then the description (a disabled key dimmed).
            dim = RichStyle(dim=True) if key.disabled else RichStyle()
            if not key.description:
                text.append(key.display, key_style + dim)
                return
            key_pad = "" if compact else " "
            text.append(f"{key_pad}{key.display}{key_pad}", key_style + dim)
            text.append(f" {key.description}" if compact else f"{key.description} ", description_style + dim)

        for key in keys:
            if key.palette:
                continue
            start = line.cell_len
            draw(key, line, self.compact)
            spans.append((start, line.cell_len, key))
            if self.compact:
                line.append(" ", gap)
        palette = [k for k in keys if k.palette]
        if palette:
            right = Text(no_wrap=True, end="")
            right.append("▏", base + self.get_component_rich_style("footer-key--palette-border"))
            # Textual's palette key is drawn compact in either footer, one cell of footer after it.
            draw(palette[0], right, True)
            right.append(" ", gap)
            start = width - right.cell_len
            if start >= line.cell_len:
                line.append(" " * (start - line.cell_len), gap)
                line.append_text(right)
                spans.append((start + 1, width, palette[0]))
        self._spans = spans
        return line

    def _key_at(self, x: int) -> _Key | None:
        for start, end, key in self._spans:
            if start <= x < end:
                return key
        return None

    def on_mouse_down(self, event: MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(key.key)

    def on_mouse_move(self, event: MouseMove) -> None:
        key = self._key_at(event.x)
        tooltip = (key.tooltip or None) if key is not None else None
        if self.tooltip != tooltip:
            self.tooltip = tooltip

    def watch_compact(self) -> None:
        self._shown = None
        self.refresh()

    def _palette_binding(self, values: Iterable[tuple]) -> tuple[Binding, bool] | None:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        for _node, binding, enabled, _tooltip in values:
            if binding.action == "app.command_palette" or binding.action == "command_palette":
                if binding.key == self.app.COMMAND_PALETTE_BINDING or self.app.COMMAND_PALETTE_BINDING in binding.key.split(","):
                    return binding, enabled
        try:
            _node, binding, enabled, _tooltip = self.screen.active_bindings[self.app.COMMAND_PALETTE_BINDING]
        except KeyError:
            return None
        return binding, enabled

    def on_resize(self) -> None:
        # Another width fits other keys: planned again when drawn.
        self._shown = None
        self.refresh()
