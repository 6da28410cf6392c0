"""Provider text is data: make it safe to put on a terminal.

Control characters (C0, DEL, C1), and the Unicode format characters that
reorder or hide text (bidi overrides and isolates, zero-width marks) are
replaced by visible escapes such as `\\x1b` or `\\u202e`. This is applied to
every provider string before it reaches a screen, in the TUI and in the CLI.
Markup is a separate concern: renderers build Rich `Text` objects, never
markup strings, so `[bold]` in a site name stays literal.
"""

from __future__ import annotations

import re

# C0 controls except none (newline and tab are shown escaped too: a value is one line),
# DEL and C1 controls, bidi embeddings/overrides/isolates, marks, zero-width, BOM, line/para separators.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: object) -> str:
    """The text with every control and reordering character shown as an escape."""
    s = text if isinstance(text, str) else str(text)
    return _UNSAFE.sub(_escape, s)


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None
