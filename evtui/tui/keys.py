"""Where the keys are defined, for `[keymap]` checks and the help screen.

Every class with BINDINGS that a person meets is listed here once; the ids of
their bindings are what `[keymap]` may name.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode


def keyed_classes(app_class: type[DOMNode]) -> list[type[DOMNode]]:
    from evtui.tui.export import ConfirmScreen, ExportScreen
    from evtui.tui.help import HelpScreen
    from evtui.tui.history_panel import HistoryList, HistoryPanel
    from evtui.tui.pickers import ChoicePicker
    from evtui.tui.raw_json import JsonView, RawJsonPane
    from evtui.tui.screen import MainScreen
    from evtui.tui.search import SearchInput
    from evtui.tui.switcher import ProfilePicker

    return [
        app_class, MainScreen, SearchInput, HistoryList, HistoryPanel, RawJsonPane, JsonView,
        HelpScreen, ChoicePicker, ProfilePicker, ExportScreen, ConfirmScreen,
    ]


def binding_ids(app_class: type[DOMNode]) -> set[str]:
    ids: set[str] = set()
    for cls in keyed_classes(app_class):
        for klass in cls.__mro__:
            for binding in getattr(klass, "BINDINGS", None) or ():
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids
