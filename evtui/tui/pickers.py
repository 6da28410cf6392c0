"""Small modal choosers: a related record to open, and the like.

Every label is provider data: it is shown as safe Text, never markup.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from evtui.record import Related
from evtui.tui.text import safe

T = TypeVar("T")


class ChoicePicker(ModalScreen[T | None], Generic[T]):
    """A title, a list of (label, value) and Enter/Escape."""

    DEFAULT_CSS = """
    ChoicePicker { align: center middle; }
    ChoicePicker > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ChoicePicker #choice-title { text-style: bold; padding: 0 0 1 0; }
    ChoicePicker OptionList { border: none; height: auto; max-height: 20; padding: 0; }
    ChoicePicker #choice-help { color: $text-muted; padding: 1 0 0 0; }
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="choice_cancel")]

    def __init__(self, title: str, choices: list[tuple[Text, T]], *, help: str = "↑↓ choose · Enter open · Esc cancel") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.help_text = help

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.title_text), id="choice-title")
            yield OptionList(*(Option(label) for label, _ in self.choices), id="choice-list")
            yield Static(self.help_text, id="choice-help", markup=False)

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        if self.choices:
            option_list.highlighted = 0
        option_list.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][1])


def related_label(related: Related) -> Text:
    text = safe(related.title, "bold")
    text.append("  ")
    text.append_text(safe(f"{related.record_type} {related.record_id}", "dim"))
    return text


def related_hint(related: list[Related]) -> str:
    """What the `o` key does here, for the record header."""
    if not related:
        return ""
    if len(related) == 1:
        return f"o: open {related[0].title}"
    return f"o: open one of {len(related)} related records"
