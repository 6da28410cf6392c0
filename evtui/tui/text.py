"""Provider strings as terminal text: always `rich.text.Text`, never markup.

Every string that came from a provider (values, notes, ids, headers, error
messages) goes through `safe()`: control and reordering characters become
visible escapes (`evtui.textsafe.visible`) and the result is a Text object,
so `[bold]` or `[@click=app.quit]` in a site name shows literally.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable

from rich.style import Style
from rich.text import Text
from textual.content import Content
from textual.widgets import Input

from evtui.textsafe import visible


def safe(text: object, style: str | Style = "") -> Text:
    """Provider text made visible and wrapped as plain Text (no markup parsing)."""
    return Text(visible(text), style=style, end="")


def safe_content(text: object, style: str = "") -> Content:
    """As `safe`, for textual APIs that take Content (tab labels, titles)."""
    return Content.styled(visible(text), style) if style else Content(visible(text))


def badge_style(colored: str) -> str:
    """A badge's style; under NO_COLOR just bold reverse video, which stays legible.

    (Textual turns colours to greys under NO_COLOR: a red reverse badge would
    become grey on grey, and the production badge must never be hard to read.)
    """
    if os.environ.get("NO_COLOR"):
        return "bold reverse"
    return colored


def join(parts: Iterable[Text], separator: str = " · ", style: str = "dim") -> Text:
    out = Text(end="")
    for i, part in enumerate(parts):
        if i:
            out.append(separator, style)
        out.append_text(part)
    return out


def stack(lines: Iterable[Text]) -> Text:
    """Lines of Text as one Text, one per line (Group would glue `end=""` texts together)."""
    out = Text(end="")
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        out.append_text(line)
    return out


def age(then: float, now: float) -> str:
    """How long ago, coarse enough to stay the same for a minute ('just now', '5 min')."""
    s = max(0, int(now - then))
    if s < 60:
        return "just now"
    if s < 3600:
        return f"{s // 60} min"
    if s < 86400:
        return f"{s // 3600} h"
    if s < 30 * 86400:
        return f"{s // 86400} d"
    return time.strftime("%Y-%m-%d", time.gmtime(then))


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


class PaneInput(Input):
    """An Input inside something that is replaced while its screen lives on (a record's tabs).

    Textual's Input subscribes to its screen's text-selection signal and never unsubscribes,
    so every replaced record kept its Input, timer and styles alive (about 0.3 MB a lookup).
    """

    def on_mount(self) -> None:
        self._signal_screen = self.screen

    def on_unmount(self) -> None:
        self._signal_screen.text_selection_started_signal.unsubscribe(self)
