"""Saving a record to a file.

Export writes the body exactly as received (`Record.raw`): the file is what the
provider sent, byte for byte, to attach to a ticket. The path is asked for in
a small dialog with a default in the current directory; an existing file is
never overwritten without a second, explicit yes.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from evtui.files import write_private
from evtui.record import Record
from evtui.tui.text import safe


def default_export_path(record: Record) -> str:
    """`./session-AAdmD55q8Vz.json`, the id made safe for a file name."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{record.record_type}-{record.record_id}").strip("._") or "record"
    return f"./{stem}.json"


def resolve(path_text: str) -> Path:
    return Path(path_text.strip()).expanduser().resolve()


def write_bytes(path: Path, data: bytes) -> None:
    """Never a half file, and private to the user (a record may hold card numbers)."""
    write_private(path, data)


class ExportScreen(ModalScreen[Path | None]):
    """Ask where to save; Enter saves, Esc cancels. Dismisses with the path chosen."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 76; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ExportScreen #export-title { text-style: bold; padding: 0 0 1 0; }
    ExportScreen #export-error { color: $text-error; height: auto; }
    ExportScreen #export-help { color: $text-muted; padding: 1 0 0 0; }
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export_cancel")]

    def __init__(self, record: Record, size: str) -> None:
        super().__init__()
        self.record = record
        self.size_text = size

    def compose(self) -> ComposeResult:
        with Vertical():
            title = safe(f"Save {self.record.record_type} {self.record.record_id} ({self.size_text}, exactly as received) to:", "bold")
            yield Static(title, id="export-title")
            yield Input(default_export_path(self.record), id="export-path")
            yield Static("", id="export-error")
            yield Static("Enter saves · Esc cancels · an existing file is only replaced after you confirm", id="export-help", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.show_error("Give a file name.")
            return
        path = resolve(text)
        if path.is_dir():
            self.show_error(f"{path} is a directory: add a file name.")
            return
        if not path.parent.is_dir():
            self.show_error(f"No such directory: {path.parent}")
            return
        self.dismiss(path)

    def show_error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(safe(message))


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y/Enter on Yes confirms, n/Esc declines."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 70; max-width: 95%; height: auto;
        border: round $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen #confirm-text { padding: 0 0 1 0; }
    ConfirmScreen Horizontal { height: auto; align: right middle; }
    ConfirmScreen Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: Text) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="confirm-text")
            with Horizontal():
                yield Button("No", id="no", variant="primary")
                yield Button("Overwrite", id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
