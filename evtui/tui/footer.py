"""A footer that fits: as many keys as the width allows, the most useful first.

Textual's Footer lays every shown binding side by side and lets them overlap
when the terminal is narrow ("^pComm andse" at 60 columns). Here each
binding has a rank; the footer keeps the best-ranked keys that fit the width,
in their usual order, and always `?` (which lists every key, footer or not) and how to quit.
The command palette key is shown only when there is room left for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

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
    """Footer showing only the keys that fit; `?` always.

    Bindings are refreshed several times per lookup (the focus moves, keys enable and
    disable), mostly to the same keys. A refresh that plans the keys already shown does
    nothing; otherwise the existing keys are rewritten in place (rebuilding them restyled a
    few hundred nodes), and the screen is laid out again only when a key's width changed.
    """

    #: The keys as last shown: a refresh that plans the same keys costs no frame.
    _shown: list[_Key] | None = None

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

    #: A binding refresh waits for the frame being made: see `bindings_changed`.
    _refresh_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        if self._bindings_ready and screen.app.app_focus and self.is_attached and screen is self.screen:
            # After the frame, once: a lookup refreshes the bindings several times while its
            # record is put on screen, and the record should not wait for the footer.
            if not self._refresh_pending:
                self._refresh_pending = True
                self.call_after_refresh(self._refresh_keys)
            return
        super().bindings_changed(screen)

    def _refresh_keys(self) -> None:
        self._refresh_pending = False
        if not self.is_attached:
            return
        plan = self._plan()
        if plan != self._shown:
            self._shown = plan
            self._show(plan)

    def _show(self, plan: list[_Key]) -> None:
        """Each key of `plan` in the widget that shows that key already, if one does.

        A key gained or lost (the focus moved between the bar and the record) then moves
        its neighbours without resizing them: a moved key is not drawn again, a rewritten
        one of another width would be (and would cost the screen a second layout)."""
        widgets = list(self.query_children(FooterKey))
        showing: dict[tuple[str, str, str, str], list[FooterKey]] = {}
        for widget in widgets:
            showing.setdefault((widget.key, widget.key_display, widget.description, widget.action), []).append(widget)
        chosen = [(showing.get((k.key, k.display, k.description, k.action)) or [None]).pop(0) for k in plan]
        taken = {id(w) for w in chosen if w is not None}
        spare = [w for w in widgets if id(w) not in taken]
        previous: FooterKey | None = None
        for key, widget in zip(plan, chosen):
            if widget is None and spare:
                widget = spare.pop(0)
            if widget is None:
                widget = self._key_widget(key)
                self.mount(widget, after=previous) if previous is not None else self.mount(widget, before=0)
            else:
                self._rewrite(widget, key)
                widget.display = True
                self._place(widget, previous)
            previous = widget
        for widget in spare:
            widget.display = False  # kept for the next state with more keys: mounting costs more
        self.styles.grid_size_columns = len(plan)

    def _place(self, widget: FooterKey, previous: FooterKey | None) -> None:
        """Move `widget` right after `previous` (first when None), if it is not there."""
        nodes = list(self.children)
        index = nodes.index(widget)
        if previous is None:
            if index != 0:
                self.move_child(widget, before=0)
        elif index != nodes.index(previous) + 1:
            self.move_child(widget, after=previous)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        plan = self._shown = self._plan()
        self.styles.grid_size_columns = len(plan)
        for key in plan:
            yield self._key_widget(key)

    def _key_widget(self, key: _Key) -> FooterKey:
        classes = "-command-palette" if key.palette else ("-compact" if self.compact else "")
        widget = FooterKey(key.key, key.display, key.description, key.action, disabled=key.disabled, tooltip=key.tooltip, classes=classes)
        if not key.palette:
            # The class above instead of data_bind: binding restyles every key once more after mounting.
            widget.set_reactive(FooterKey.compact, self.compact)
        return widget

    def _rewrite(self, widget: FooterKey, key: _Key) -> None:
        if (widget.key, widget.key_display, widget.description, widget.action) != (key.key, key.display, key.description, key.action):
            # Same width (most keys shifted by one have another): a repaint, no screen layout.
            resized = key_width(widget.key_display, widget.description, True) != key_width(key.display, key.description, True)
            widget.key, widget.key_display, widget.description, widget.action = key.key, key.display, key.description, key.action
            widget.refresh(layout=resized)
        if widget.tooltip != (key.tooltip or None):
            widget.tooltip = key.tooltip or None  # the setter asks the screen to redo its tooltip
        # FooterKey keeps its state in `_disabled` and classes; one restyle of this key at most.
        widget._disabled = key.disabled
        widget.update_classes(
            {"-disabled": key.disabled, "-command-palette": key.palette, "-compact": self.compact and not key.palette}
        )

    def watch_compact(self) -> None:
        self.refresh(recompose=True)

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
        self.refresh(recompose=True)
