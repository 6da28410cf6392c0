"""A footer that fits: as many keys as the width allows, the most useful first.

Textual's Footer lays every shown binding side by side and lets them overlap
when the terminal is narrow ("^pComm andse" at 60 columns). Here each
binding has a rank; the footer keeps the best-ranked keys that fit the width,
in their usual order, and always `?` (which lists every key, footer or not).
The command palette key is shown only when there is room left for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Binding ids, most useful first; ids not listed come after, in their order.
RANK = (
    "help",
    "back",
    "lookup",
    "switch_profile",
    "toggle_history",
    "refresh",
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
ALWAYS = ("help",)


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


class FitFooter(Footer):
    """Footer showing only the keys that fit; `?` always."""

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        seen_actions: set[str] = set()
        entries: list[tuple[Binding, bool, str]] = []
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            entries.append((binding, enabled, tooltip))
        width = self.size.width or self.app.size.width
        palette = self._palette_binding(active.values())
        palette_width = key_width(self.app.get_key_display(palette[0]), palette[0].description, self.compact) if palette else 0
        sized = [(b, key_width(self.app.get_key_display(b), b.description, self.compact)) for b, _, _ in entries]
        chosen = choose(sized, width - 1)
        used = sum(sized[i][1] for i in chosen)
        self.styles.grid_size_columns = len(chosen) + 1
        for i, (binding, enabled, tooltip) in enumerate(entries):
            if i in chosen:
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                ).data_bind(compact=Footer.compact)
        if palette and used + palette_width <= width - 1:
            binding, enabled = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

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
