"""The panel a failed lookup leaves in the detail pane: what happened, what to try.

A toast disappears while the user is still reading their logs in the other
tmux pane; the panel stays until the next lookup. Unexpected exceptions (bugs)
get the same panel, with the last lines of the traceback, and the app goes on.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from evtui.errors import EvtuiError, FetchError
from evtui.tui.text import safe, stack


@dataclass(frozen=True)
class Failure:
    """A failed lookup as shown: built from an EvtuiError or any exception."""

    title: str
    message: str
    hint: str = ""
    #: What was being looked up, e.g. "session Missing0001 on demo-corpay".
    context: str = ""
    kind: str = "error"
    detail: str = ""
    #: Whether the request reached the provider (r retries it then).
    retryable: bool = True
    #: Keys that can do more here, in words (e.g. "F10: scan 60 days back"), after the usual ones.
    more_keys: str = ""

    @classmethod
    def of(cls, exc: BaseException, context: str = "") -> Failure:
        if isinstance(exc, EvtuiError):
            status = getattr(exc, "status", None)
            title = exc.title + (f" (HTTP {status})" if status else "")
            return cls(title, exc.message, exc.hint, context, exc.kind, retryable=isinstance(exc, FetchError))
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
        tail = "".join(lines[-6:]).rstrip()
        return cls(
            "Unexpected error",
            f"{type(exc).__name__}: {exc}",
            "This is a bug in evtui, not a problem with the record or your setup. "
            "The app keeps running; please report it with the id and the lines below.",
            context,
            "bug",
            tail,
        )


class ErrorPanel(Static):
    """Shows one Failure; keys to recover are in the footer and repeated here.

    It sits in a scrolling container (the detail pane's #error, Tab from the bar):
    a long panel in a short pane scrolls by keys."""

    DEFAULT_CSS = """
    ErrorPanel {
        height: auto;
        margin: 1 2;
        padding: 1 2;
        border: round $error;
        border-title-color: $error;
        border-title-style: bold;
        background: $error 8%;
        overflow-y: auto;
    }
    ErrorPanel.-invalid_id, ErrorPanel.-not_found {
        border: round $warning;
        border-title-color: $warning;
        background: $warning 8%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.failure: Failure | None = None

    def show(self, failure: Failure) -> None:
        self.failure = failure
        for cls in list(self.classes):
            if cls.startswith("-"):
                self.remove_class(cls)
        self.add_class(f"-{failure.kind}")
        # A Text title is never parsed as markup.
        self.border_title = safe(failure.title)
        parts: list[Text] = []
        if failure.context:
            parts.append(safe(failure.context, "dim"))
            parts.append(Text(""))
        parts.append(safe(failure.message, "bold"))
        if failure.hint:
            parts.append(Text(""))
            hint = Text("What to try: ", style="bold", end="")
            hint.append_text(safe(failure.hint))
            parts.append(hint)
        if failure.detail:
            parts.append(Text(""))
            parts.append(safe_block(failure.detail))
        parts.append(Text(""))
        keys = "Enter in the search bar: try again · F2: another provider" if failure.retryable else "Fix the id in the search bar · F2: another provider"
        if failure.kind == "not_found":
            keys += " · F6: look on all profiles"
        if failure.more_keys:
            keys += " · " + failure.more_keys
        parts.append(Text(keys, style="dim"))
        self.update(stack(parts))


def safe_block(text: str) -> Text:
    """Several lines of text, each made safe, newlines kept."""
    out = Text(style="dim", end="")
    for i, line in enumerate(text.splitlines()):
        if i:
            out.append("\n")
        out.append_text(safe(line))
    return out
