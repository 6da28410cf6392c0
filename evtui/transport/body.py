"""Bodies: JSON parsed defensively, the provider's own error words, the exchange kept.

A provider's JSON may hold values Python cannot take as they are: an integer
of more digits than int() converts, `1e400` (infinite as a float), NaN, a lone
surrogate escape, nesting thousands deep. None of them may make the record
unreadable: each such value is kept as the text that was sent (a `SentAs`
string), the rest of the document parses as usual, and `findings` names the
paths so the presentation flags them. `Record.raw` keeps the bytes exactly.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import sys
from collections.abc import Callable
from typing import Any

import httpx

from evtui.errors import MalformedResponse
from evtui.record import HttpExchange
from evtui.redact import redact

#: Values nested deeper than this are kept as sent (the json module recurses per level).
MAX_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_INT_DIGITS = sys.get_int_max_str_digits() or 4300
#: Exponents from this size on are beyond a float, and a Decimal formatted whole would be huge.
MAX_EXPONENT = 400
_HUGE_NUMBER_TEXT = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE]([-+]?\d+))?\s*")


class SentAs(str):
    """A JSON value evtui cannot hold as a number or structure: the text that was sent."""

    why = "a number beyond what evtui reads"


class TooDeep(SentAs):
    why = f"nested deeper than {MAX_DEPTH} levels"


def _decoder(seen: list[str], *, numbers: bool = True) -> json.JSONDecoder:
    """A decoder keeping hostile numbers as SentAs, noting in `seen` that it met one.

    `numbers=False` leaves ints and floats to the json module's C fast path (a Python
    call per number costs a big document tens of milliseconds): for a text without a
    hint of a hostile number."""

    def parse_int(text: str) -> Any:
        if len(text) > _INT_DIGITS:
            seen.append(text)
            return SentAs(text)
        return int(text)

    def parse_float(text: str) -> Any:
        value = float(text)
        mantissa = text.lower().split("e")[0]
        # Infinite, or underflowed to zero: either way not what was sent.
        if not math.isfinite(value) or (value == 0.0 and any(c in "123456789" for c in mantissa)):
            seen.append(text)
            return SentAs(text)
        return value

    def parse_constant(text: str) -> Any:
        seen.append(text)  # NaN, Infinity, -Infinity: not JSON at all
        return SentAs(text)

    if not numbers:
        return json.JSONDecoder(parse_constant=parse_constant)
    return json.JSONDecoder(parse_int=parse_int, parse_float=parse_float, parse_constant=parse_constant)


def load(body: bytes | str) -> tuple[Any, list[str]]:
    """The document, with hostile values kept as sent (see the module docstring), and the findings.

    Raises what json.loads raises for a body that is not JSON."""
    # Strict: bytes that are not UTF-8 (or UTF-16/32) are not JSON, as json.loads says.
    text = body.decode(json.detect_encoding(body)) if isinstance(body, bytes) else body
    if text.startswith("\ufeff"):
        text = text[1:]
    seen: list[str] = []
    hinted = _may_hold_huge_number(text.encode("utf-8", "surrogatepass"))
    decoder = _decoder(seen, numbers=hinted)
    try:
        try:
            document = decoder.decode(text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # the fast path met an int of more digits than int() takes: again, slowly
            hinted, decoder = True, _decoder(seen)
            document = decoder.decode(text)
    except RecursionError:
        document = decoder.decode(_flatten_deep(text))
        seen.append("deep")
    if not seen and not hinted and not _SURROGATE_ESCAPE.search(text):
        return document, []  # the usual case: nothing to look for, no walk over a big document
    found: list[str] = []
    return _walk(document, "", found), found


def _is_huge_number_text(text: str) -> bool:
    """A string that reads as a number no float holds and no Decimal should be formatted from."""
    if len(text) < 5 or not (m := _HUGE_NUMBER_TEXT.fullmatch(text)):
        return False
    exponent = m.group(1)
    return (exponent is not None and abs(int(exponent[:9])) >= MAX_EXPONENT) or sum(c.isdigit() for c in text) >= MAX_EXPONENT


def without_sent_as(node: Any) -> Any:
    """A copy of a document with every SentAs value as None: what presentation and validation see."""
    if isinstance(node, dict):
        return {k: without_sent_as(v) for k, v in node.items()}
    if isinstance(node, list):
        return [without_sent_as(v) for v in node]
    return None if isinstance(node, SentAs) else node


def hostile_findings(document: Any) -> tuple[Any, list[str]]:
    """`document` (parsed with `decoder`) with lone surrogates replaced, and the findings (see `load`)."""
    if not _holds_hostile(document):
        return document, []  # the usual case: no copy made, no path spelt out for 180,000 values
    found: list[str] = []
    return _walk(document, "", found), found


def decoder(text: str) -> json.JSONDecoder:
    """A decoder for `text` that keeps hostile numbers as SentAs (for a caller that scans value by value)."""
    return _decoder([], numbers=_may_hold_huge_number(text.encode("utf-8", "surrogatepass")))


#: Cheap tests on the text: could a number (or a string) in it be beyond what evtui reads?
#: Floats end near 1e308 and 1e-324; int() at 4,300 digits. Every digit as 0, E as e and signs
#: dropped (one `bytes.translate`), then literal searches: regular expressions over 5 MB took 0.15 s.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789E", b"000000000e")
#: A number no float holds (1e400, 1e-400, 400 digits without an exponent), int() refuses (4,300
#: digits) or a string `_is_huge_number_text` keeps as sent (400 digits in at most three runs)
#: has an exponent of three digits or a run of over 100 digits: these catch more, never less.
_HUGE_NUMBER_SIGNS = (b"e000", b"0" * 100)
#: A lone surrogate escaped, the marker of a value nested too deep (an escaped NUL), or an
#: escape that may spell a number ("1\u0065400").
_ESCAPE_SIGNS = re.compile(rb"\\u00[0-6]|\\u[dD][89a-fA-F]")
#: A lone surrogate as "surrogatepass" decodes it.
_ENCODED_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")


def _may_hold_huge_number(sent: bytes) -> bool:
    digits = sent.translate(_DIGITS_AS_ZERO, b"+-")
    return any(sign in digits for sign in _HUGE_NUMBER_SIGNS)


def may_hold_hostile(parsed: bytes) -> bool:
    """Whether a document parsed from `parsed` (UTF-8, as `decoder` read it) may hold what
    `hostile_findings` looks for; False only when it holds none. A few literal searches over
    the text: walking the 180,000 values of a 5 MB session took 0.13 s of CPU."""
    return (
        _may_hold_huge_number(parsed)
        or b"NaN" in parsed
        or b"Infinity" in parsed
        or (b"\\u" in parsed and _ESCAPE_SIGNS.search(parsed) is not None)
        or (not parsed.isascii() and _ENCODED_SURROGATE.search(parsed) is not None)
    )


def loads(body: bytes | str) -> Any:
    """`load`'s document alone."""
    return load(body)[0]


def _skip_string(text: str, i: int) -> int:
    """The index after the string whose opening quote is at `i`."""
    i += 1
    n = len(text)
    while i < n and text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _flatten_deep(text: str) -> str:
    """`text` with every value nested deeper than MAX_DEPTH replaced by a marked JSON string of its start."""
    return flatten_deep(text)[0]


def flatten_deep(text: str) -> tuple[str, Callable[[int], int]]:
    """`_flatten_deep`, and a map from positions in the flat text back to `text`.

    Positions outside the replaced values map exactly (a caller cutting out whole
    elements of a list gets the original bytes of each)."""
    out: list[str] = []
    #: (position in the flat text after a replacement, characters removed so far)
    shifts: list[tuple[int, int]] = []
    depth = i = last = flat_len = removed = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            i = _skip_string(text, i)
            continue
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                start, inner = i, 0
                while i < n:  # on to the bracket that closes this one
                    c = text[i]
                    if c == '"':
                        i = _skip_string(text, i)
                        continue
                    if c in "[{":
                        inner += 1
                    elif c in "]}":
                        inner -= 1
                        if inner == 0:
                            break
                    i += 1
                marker = json.dumps(_DEEP + text[start : min(i + 1, start + 200)])
                out += [text[last:start], marker]
                flat_len += (start - last) + len(marker)
                removed += (i + 1 - start) - len(marker)
                shifts.append((flat_len, removed))
                last = i + 1
                depth -= 1
        elif ch in "]}":
            depth -= 1
        i += 1
    out.append(text[last:])
    keys = [at for at, _ in shifts]

    def to_original(position: int) -> int:
        k = bisect.bisect_right(keys, position)
        return position + (shifts[k - 1][1] if k else 0)

    return "".join(out), to_original


_DEEP = "\0DEEP"


def _deep_in_lists(node: list[Any]) -> bool:
    """Whether a TooDeep sits in `node` through lists only (through a dict, that dict's key holds it)."""
    return any(isinstance(x, TooDeep) or (isinstance(x, list) and _deep_in_lists(x)) for x in node)


def _deep_text(node: Any) -> str:
    """The start of a deep value as sent: its brackets down to the TooDeep text."""
    opening = ""
    while isinstance(node, (dict, list)) and len(opening) < MAX_DEPTH:
        if isinstance(node, list):
            opening += "["
            node = node[0] if node else None
        else:
            opening += "{"
            node = next(iter(node.values()), None)
    return opening + (node if isinstance(node, str) else "")


def _holds_hostile(node: Any) -> bool:
    """Whether `_walk` would find anything in `node`: the same tests, without paths or copies."""
    # Loops, not any(generator): this visits every value of a 5 MB document.
    if isinstance(node, dict):
        for key, value in node.items():
            if (isinstance(key, str) and _SURROGATE.search(key)) or _holds_hostile(value):
                return True
        return False
    if isinstance(node, list):
        for value in node:
            if _holds_hostile(value):
                return True
        return False
    if isinstance(node, str):
        return isinstance(node, SentAs) or node.startswith(_DEEP) or _is_huge_number_text(node) or _SURROGATE.search(node) is not None
    return False


def _walk(node: Any, path: str, found: list[str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if isinstance(key, str) and _SURROGATE.search(key):
                key = _SURROGATE.sub("\ufffd", key)
                found.append(f"{path + '.' if path else ''}{key}: the key holds a lone surrogate (replaced by \ufffd)")
            where = f"{path}.{key}" if path else key
            before = len(found)
            out[key] = _walk(value, where, found)
            if isinstance(out[key], list) and len(found) > before and _deep_in_lists(out[key]):
                # The field holding the deep value is what is shown as sent, not its innermost level.
                found[before:] = [f for f in found[before:] if TooDeep.why not in f]
                found.append(f"{where}: {TooDeep.why} (shown as sent)")
                out[key] = TooDeep(_deep_text(out[key]))
        return out
    if isinstance(node, list):
        return [_walk(item, f"{path}[{i}]", found) for i, item in enumerate(node)]
    if isinstance(node, str):
        where = path or "(document)"
        if node.startswith(_DEEP):
            found.append(f"{where}: {TooDeep.why} (shown as sent)")
            return TooDeep(node[len(_DEEP):])
        if isinstance(node, SentAs):
            found.append(f"{where}: {node.why}, {len(node)} characters (shown as sent)")
            return node
        if _is_huge_number_text(node):
            found.append(f"{where}: {SentAs.why}, {len(node)} characters (shown as sent)")
            return SentAs(node)
        if _SURROGATE.search(node):
            found.append(f"{where}: text with a lone surrogate (replaced by \ufffd; Raw JSON has it as sent)")
            return _SURROGATE.sub("\ufffd", node)
    return node


def parse_json_body(response: httpx.Response) -> Any:
    """The body's JSON document; MalformedResponse, in words, when it is none."""
    return parse_json_document(response)[0]


def parse_json_document(response: httpx.Response) -> tuple[Any, list[str]]:
    """The body's JSON document and the findings about hostile values in it (see `load`)."""
    ctype = response.headers.get("content-type", "")
    body = response.content
    if not body.strip():
        raise MalformedResponse(
            f"{response.request.url.host} answered HTTP {response.status_code} with an empty body.",
            hint="The provider sent no record: try again, or report it to the provider.",
        )
    try:
        return load(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        looks = "was cut off" if isinstance(exc, json.JSONDecodeError) and exc.pos >= len(body.rstrip()) - 1 else "is not JSON"
        kind = f" (content type {ctype[:80]})" if ctype and "json" not in ctype else ""
        raise MalformedResponse(
            f"The answer from {response.request.url.host} {looks}{kind}: {exc.__class__.__name__} at byte {getattr(exc, 'pos', '?')}.",
            hint="A proxy or an error page may be answering instead of the API; check base_url.",
        ) from None
    except (ValueError, RecursionError) as exc:
        raise MalformedResponse(
            f"The answer from {response.request.url.host} is not JSON evtui can read ({exc.__class__.__name__}).",
            hint="The provider sent JSON beyond what evtui reads: Raw JSON is not available for it.",
        ) from None


def provider_message(response: httpx.Response) -> str:
    """The message a provider's error body carries, in any of the shapes we know (redacted, cut short)."""
    try:
        body = loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        text = response.content[:200].decode("utf-8", errors="replace").strip()
        return redact(text) if text and not text.lstrip().startswith("<") else ""
    return redact(error_text(body))[:500]


def error_text(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    err = body.get("error")
    if isinstance(err, dict):  # Spirii: {"error": {"type", "code", "message", ...}}
        parts = [str(err[k]) for k in ("code", "message") if err.get(k)]
        return ": ".join(parts)
    if "statusCode" in body and "message" in body:  # NestJS: message may be a list of strings
        msg = body["message"]
        msg = "; ".join(map(str, msg)) if isinstance(msg, list) else str(msg)
        err = body.get("error")
        return msg if not err or err == msg else f"{err}: {msg}"
    for code_key, msg_key in (
        ("errorCode", "errorDescription"),  # Corpay
        ("error", "error_description"),  # OAuth2 / Keycloak
        ("errorCode", "message"),  # Monta
        ("status_code", "status_message"),  # OCPI
        ("error", "message"),  # NestJS and most others
        ("code", "message"),
    ):
        msg = body.get(msg_key)
        code = body.get(code_key)
        # A bare code is worth showing only when no later shape carries a message.
        if msg or (code and code_key not in ("status_code", "code") and "message" not in body):
            if isinstance(msg, list):
                msg = "; ".join(map(str, msg))
            return ": ".join(str(x) for x in (code, msg) if x)
    if isinstance(body.get("message"), str):
        return body["message"]
    return ""


#: Headers never kept: they carry credentials, ours or the provider's session.
SECRET_HEADERS = frozenset({"authorization", "set-cookie", "cookie", "x-api-key", "proxy-authorization"})


def exchange_of(response: httpx.Response, notes: list[str]) -> HttpExchange:
    """What the HTTP tab and `-v` show of one exchange: secrets masked, credential headers left out."""
    request = response.request
    return HttpExchange(
        method=request.method,
        url=redact(str(request.url)),
        status=response.status_code,
        elapsed_ms=response.elapsed.total_seconds() * 1000 if _has_elapsed(response) else 0.0,
        response_headers=tuple((k, redact(v)) for k, v in response.headers.items() if k.lower() not in SECRET_HEADERS),
        notes=tuple(redact(n) for n in notes),
    )


def _has_elapsed(response: httpx.Response) -> bool:
    try:
        response.elapsed
    except RuntimeError:
        return False
    return True
