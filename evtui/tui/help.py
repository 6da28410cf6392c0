"""`?`: every key, grouped by where it works, as remapped by `[keymap]`.

Built from the widgets' BINDINGS, so a new binding shows here without edits;
the binding id is listed too, since that is the name `[keymap]` uses.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static


#: Footer labels are short to fit 80 columns; the help screen says more.
LONGER = {
    "copy_value": "Copy the highlighted value (field, table cell, JSON line)",
    "copy_json": "Copy the whole JSON document",
    "copy_id": "Copy the record id",
    "switch_profile": "Switch provider profile",
    "toggle_history": "Show/hide the history panel",
    "focus_search": "Go to the search bar",
    "back": "Cancel the lookup / back to the record before / to the search bar",
    "tab_list": "Go to a tab by name (every tab, also those cut off)",
    "pin": "Pin/unpin the history entry (kept when history is pruned)",
    "refresh": "Fetch the record again",
    "help": "This list of keys",
    "delete_entry": "Delete the history entry",
    "record_type": "Next record type (profiles with several types)",
    "open_related": "Open the related record (one) or choose (several)",
    "toggle_watch": "Watch the record: fetch it every watch_interval s, until final",
    "diff": "Compare the shown copy with a fresh fetch",
    "diff_entry": "Compare the cached copy with a fresh fetch",
    "export": "Save the record's JSON (bytes as received) to a file",
    "pager": "Read the pretty JSON in $PAGER (default less)",
    "find_anywhere": "Look the id in the bar up on every profile it fits",
}


def key_display(app, keys: str) -> str:
    shown = []
    for key in keys.split(","):
        key = key.strip()
        if not key:
            continue
        shown.append(app.get_key_display(Binding(key, "")))
    return " / ".join(shown)


def bindings_text(app, groups: list[tuple[str, type[DOMNode]]]) -> Text:
    """Groups of "key  description  (id)" lines, keys padded to one column."""
    keymap: dict[str, str] = getattr(app, "_keymap", {}) or {}
    grouped: list[tuple[str, list[tuple[str, str, str]]]] = []
    for title, cls in groups:
        rows = []
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
            rows.append((key_display(app, keys), LONGER.get(binding.id or "", binding.description), binding.id or ""))
        if rows:
            grouped.append((title, rows))
    key_width = max((cell_len(k) for _, rows in grouped for k, _, _ in rows), default=4) + 2
    desc_width = max((cell_len(d) for _, rows in grouped for _, d, _ in rows), default=4) + 2
    out = Text(end="")
    for i, (title, rows) in enumerate(grouped):
        if i:
            out.append("\n\n")
        out.append(title, style="bold underline")
        for key, desc, binding_id in rows:
            out.append("\n")
            out.append(key + " " * (key_width - cell_len(key)), style="bold")
            out.append(desc + " " * (desc_width - cell_len(desc)))
            out.append(binding_id, style="dim")
    return out


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; padding: 0 0 1 0; }
    HelpScreen VerticalScroll { height: auto; max-height: 1fr; }
    HelpScreen #help-foot { color: $text-muted; padding: 1 0 0 0; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help_close"),
    ]

    def __init__(self, groups: list[tuple[str, type[DOMNode]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Keys  (remap them by id in config.toml: [keymap] toggle_history = \"f12\")", id="help-title", markup=False)
            with VerticalScroll():
                yield Static(bindings_text(self.app, self.groups), id="help-table")
            yield Static(
                "A letter or digit typed on the record starts the next id in the bar · ctrl+p: command palette · Esc closes",
                id="help-foot",
                markup=False,
            )
