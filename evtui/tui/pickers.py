"""Small modal choosers: a related record to open, and the like.

Every label is provider data: it is shown as safe Text, never markup.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.console import RenderableType
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
    ChoicePicker .-title { text-style: bold; padding: 0 0 1 0; }
    ChoicePicker OptionList { border: none; height: auto; max-height: 20; padding: 0; }
    ChoicePicker .-help { color: $text-muted; padding: 1 0 0 0; }
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="choice_cancel")]
    #: Prefix of the children's ids (#choice-title, #choice-list, #choice-help).
    ID_PREFIX = "choice"

    def __init__(
        self,
        title: str,
        choices: list[tuple[RenderableType, T]],
        *,
        help: str = "↑↓ choose · Enter open · Esc cancel",
        highlight: int = 0,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.help_text = help
        self.highlight = highlight

    def compose(self) -> ComposeResult:
        with Vertical():
            prefix = self.ID_PREFIX
            yield Static(safe(self.title_text), id=f"{prefix}-title", classes="-title")
            yield OptionList(*(Option(label) for label, _ in self.choices), id=f"{prefix}-list")
            yield Static(self.help_text, id=f"{prefix}-help", classes="-help", markup=False)

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        if self.choices:
            option_list.highlighted = self.highlight if 0 <= self.highlight < len(self.choices) else 0
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
    """What F9 (ctrl+o) does here, for the record header."""
    if not related:
        return ""
    if len(related) == 1:
        return f"F9: open {related[0].title}"
    return f"F9: open one of {len(related)} related records"
