"""A list page parsed once, with the byte span of each element of `data` (the record's exact bytes)."""

from __future__ import annotations

import json
import re
from typing import Any

from evtui.transport.body import decoder, flatten_deep, loads, may_hold_hostile

_WS = re.compile(r"[ \t\n\r]*")


def parse_page(body: bytes) -> tuple[Any, list[tuple[int, int]] | None]:
    """The page as json.loads parses it, and the byte span of each element of its `data` list.

    The json module's own scanner reads the page value by value, so a span is exactly
    what the parser read for that element: the bytes cut out need no second check, and
    the page is parsed once. Spans are None unless the body is UTF-8 and an object with
    a `data` list. A body that is not JSON raises ValueError, as json.loads does.
    """
    page, spans, _ = read_page(body)
    return page, spans


def read_page(body: bytes) -> tuple[Any, list[tuple[int, int]] | None, bool]:
    """`parse_page`, and whether a value in the page may be hostile (`transport.body.may_hold_hostile`
    of the text parsed): when not, its objects need no walk looking for such values."""
    encoding = json.detect_encoding(body)
    if encoding in ("utf-8", "utf-8-sig"):
        text = body.decode(encoding, "surrogatepass")
        try:
            try:
                page, spans = _walk_object(text, decoder(text).scan_once)
                parsed = body
            except RecursionError:
                # Nesting too deep for the json module: such values become marked strings
                # (see transport.body), and the spans are mapped back to the bytes as sent.
                flat, to_original = flatten_deep(text)
                page, spans = _walk_object(flat, decoder(flat).scan_once)
                spans = None if spans is None else [(to_original(a), to_original(b)) for a, b in spans]
                parsed = flat.encode("utf-8", "surrogatepass")
        except (ValueError, StopIteration, RecursionError):
            pass  # json.loads below says what is wrong (or parses what this walk does not know)
        else:
            bom = len(body) - len(text.encode("utf-8", "surrogatepass"))
            return page, None if spans is None else _byte_spans(text, spans, bom), may_hold_hostile(parsed)
    return loads(body), None, True


def _walk_object(text: str, scan: Any) -> tuple[dict[str, Any], list[tuple[int, int]] | None]:
    i = _WS.match(text).end()
    if text[i : i + 1] != "{":
        raise ValueError("not an object")
    page: dict[str, Any] = {}
    spans = None
    i = _WS.match(text, i + 1).end()
    while text[i : i + 1] != "}":
        if text[i : i + 1] != '"':
            raise ValueError("a key expected")
        key, i = scan(text, i)
        i = _WS.match(text, i).end()
        if text[i : i + 1] != ":":
            raise ValueError("':' expected")
        i = _WS.match(text, i + 1).end()
        # json.loads keeps the last of duplicate keys: so do the spans.
        if key == "data" and text[i : i + 1] == "[":
            page[key], i, spans = _walk_array(text, i, scan)
        else:
            page[key], i = scan(text, i)
            spans = None if key == "data" else spans
        i = _WS.match(text, i).end()
        if text[i : i + 1] == ",":
            i = _WS.match(text, i + 1).end()
            if text[i : i + 1] == "}":
                raise ValueError("a trailing comma")
        elif text[i : i + 1] != "}":
            raise ValueError("',' or '}' expected")
    if _WS.match(text, i + 1).end() != len(text):
        raise ValueError("extra data")
    return page, spans


def _walk_array(text: str, i: int, scan: Any) -> tuple[list[Any], int, list[tuple[int, int]]]:
    items: list[Any] = []
    spans: list[tuple[int, int]] = []
    i = _WS.match(text, i + 1).end()
    while text[i : i + 1] != "]":
        item, end = scan(text, i)
        items.append(item)
        spans.append((i, end))
        i = _WS.match(text, end).end()
        if text[i : i + 1] == ",":
            i = _WS.match(text, i + 1).end()
            if text[i : i + 1] == "]":
                raise ValueError("a trailing comma")
        elif text[i : i + 1] != "]":
            raise ValueError("',' or ']' expected")
    return items, i + 1, spans


def _byte_spans(text: str, spans: list[tuple[int, int]], bom: int) -> list[tuple[int, int]]:
    """Character spans as byte spans of the UTF-8 body (after `bom` bytes)."""
    if text.isascii():
        return [(start + bom, end + bom) for start, end in spans]
    out = []
    at, pos = bom, 0
    for start, end in spans:
        at += len(text[pos:start].encode("utf-8", "surrogatepass"))
        first = at
        at += len(text[start:end].encode("utf-8", "surrogatepass"))
        out.append((first, at))
        pos = end
    return out
