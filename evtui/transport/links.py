"""RFC 8288 Link headers, read in one pass.

A hostile server can send a Link header built to make a backtracking regular
expression take seconds per page; this reader looks at each character a
bounded number of times, whatever the input.
"""

from __future__ import annotations

from urllib.parse import urljoin

_SPACE = " \t"


def parse_links(values: list[str]) -> list[tuple[str, dict[str, str]]]:
    """Link header values -> [(url, {param: value})]; parameter names lower-cased, quoted values unquoted."""
    out: list[tuple[str, dict[str, str]]] = []
    for value in values:
        _parse_value(value, out)
    return out


def _parse_value(text: str, out: list[tuple[str, dict[str, str]]]) -> None:
    i, n = 0, len(text)
    while i < n:
        start = text.find("<", i)
        if start < 0:
            return
        end = text.find(">", start + 1)
        if end < 0:
            return
        url = text[start + 1 : end].strip()
        params: dict[str, str] = {}
        i = end + 1
        while i < n:
            while i < n and text[i] in _SPACE:
                i += 1
            if i >= n or text[i] != ";":
                break
            i += 1
            while i < n and text[i] in _SPACE:
                i += 1
            name_start = i
            while i < n and text[i] not in ";,= \t":
                i += 1
            name = text[name_start:i].lower()
            while i < n and text[i] in _SPACE:
                i += 1
            param = ""
            if i < n and text[i] == "=":
                i += 1
                while i < n and text[i] in _SPACE:
                    i += 1
                if i < n and text[i] == '"':
                    i, param = _quoted(text, i + 1)
                else:
                    value_start = i
                    while i < n and text[i] not in ";, \t":
                        i += 1
                    param = text[value_start:i]
            if name:
                params[name] = param
        out.append((url, params))
        # Past this link: to the comma that separates it from the next (garbage skipped).
        comma = text.find(",", i)
        if comma < 0:
            return
        i = comma + 1


def _quoted(text: str, i: int) -> tuple[int, str]:
    """The quoted string starting after its opening quote at `i`: (index after it, unescaped)."""
    chars: list[str] = []
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            chars.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return i + 1, "".join(chars)
        chars.append(ch)
        i += 1
    return i, "".join(chars)


def next_link(values: list[str], base_url: str) -> str | None:
    """The absolute URL of the first `rel="next"` link, or None."""
    for url, params in parse_links(values):
        if "next" in params.get("rel", "").lower().split():
            return urljoin(base_url, url)
    return None
