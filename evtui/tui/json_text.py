"""The Raw JSON tab's text: re-indented token by token, made safe, searched.

Re-indenting (rather than `json.dumps`) keeps every token as the provider
wrote it (1.50 stays 1.50, escapes stay escapes): support engineers quote
these lines back to providers. Slow for big documents: call it in a thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len

from evtui.textsafe import visible

# One JSON token: a string (escapes included), punctuation, or a bare word (number, literal).
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)
_CLOSE = {"{": "}", "[": "]"}

MAX_MATCHES = 10_000


def pretty_json_text(text: str, indent: int = 2) -> str:
    """Re-indent JSON text, keeping each token exactly as written."""
    pad = " " * indent
    lines: list[str] = []
    current: list[str] = []
    depth = 0
    tokens = (m.group() for m in _TOKENS.finditer(text))
    pushed: str | None = None

    def newline() -> None:
        nonlocal current
        if current:
            lines.append("".join(current))
        current = [pad * depth]

    while True:
        if pushed is not None:
            token, pushed = pushed, None
        else:
            token = next(tokens, None)
            if token is None:
                break
        if token in _CLOSE:
            following = next(tokens, None)
            if following == _CLOSE[token]:
                current.append(token + following)  # {} and [] stay on one line
                continue
            pushed = following
            current.append(token)
            depth += 1
            newline()
        elif token in ("}", "]"):
            depth = max(0, depth - 1)
            if current and "".join(current).strip():
                newline()
            else:
                current = [pad * depth]
            current.append(token)
        elif token == ",":
            current.append(",")
            newline()
        elif token == ":":
            current.append(": ")
        else:
            current.append(token)
    if current and "".join(current).strip():
        lines.append("".join(current))
    return "\n".join(lines)


@dataclass
class Prepared:
    """The document ready to show: the text to copy and the safe lines to draw."""

    text: str
    lines: list[str]
    width: int


def prepare(raw: bytes) -> Prepared:
    """Pretty text and display lines; slow for big documents: call it in a thread."""
    source = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    text = pretty_json_text(source)
    lines = [visible(line) for line in text.split("\n")]
    # Most lines are ASCII: len() is their width, cell_len only where it differs.
    width = max((len(line) if line.isascii() else cell_len(line) for line in lines), default=0)
    return Prepared(text=text, lines=lines, width=width)


def find_matches(lines: list[str], query: str, limit: int = MAX_MATCHES) -> list[tuple[int, int, int]]:
    """(line, start, end) of each case-insensitive occurrence, at most `limit`."""
    q = query.lower()
    if not q:
        return []
    out: list[tuple[int, int, int]] = []
    n = len(q)
    for y, line in enumerate(lines):
        low = line.lower()
        start = low.find(q)
        while start != -1:
            out.append((y, start, start + n))
            if len(out) >= limit:
                return out
            start = low.find(q, start + n)
    return out


