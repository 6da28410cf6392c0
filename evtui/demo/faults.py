"""Fault mode of the demo providers: ids that make the server misbehave on purpose.

Each fault has a Corpay-shaped id (`fault-NAME`) and a Spirii-shaped numeric
id (`9900000NN`), so every failure evtui must explain can be produced over real
HTTP, by the tests and by a person trying evtui out.
"""

from __future__ import annotations

import functools
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from typing import Any

from evtui.demo.http import DemoResponse

#: name -> (numeric suffix for Spirii ids, what it does)
FAULTS: dict[str, tuple[int, str]] = {
    "slow": (1, "answers after 3 s"),
    "hang": (2, "accepts the request and never answers"),
    "rate-limited": (3, "429 with Retry-After: 1, then the record"),
    "rate-limited-long": (4, "429 with Retry-After: 3600"),
    "flaky": (5, "503 once, then the record"),
    "down": (6, "503 every time, with a provider message"),
    "server-error": (7, "500 with a provider error body"),
    "malformed": (8, "200 with a body that is not JSON"),
    "truncated": (9, "200 with JSON cut off mid-way"),
    "html": (10, "200 with an HTML error page as text/html"),
    "huge": (11, "a 25 MB body (over the default 20 MB limit)"),
    "forbidden": (12, "403"),
    "reset": (13, "closes the connection without an answer, once, then the record"),
    "not-an-object": (14, "200 with a JSON list instead of a record"),
    "hostile": (15, "a record whose strings carry markup, escape sequences, BEL and bidi overrides"),
    "redirect": (16, "302 to another host, with the record as its JSON body"),
    "gzip-bomb": (17, "a 100 KB gzip body that decodes to 100 MB"),
    "hostile-numbers": (18, "a record with 1e400, a 5,000-digit number, NaN, a lone surrogate and 10,000-deep nesting"),
}

#: Strings a charging-site owner could type; none may be interpreted by evtui.
HOSTILE = {
    "markup": "[bold red]Depot[/] [@click=app.quit]click me[/] [link=https://evil.example]link[/]",
    "escape": "Garage \x1b[2J\x1b[31mRED\x1b[0m \x1b]52;c;ZXZpbA==\x07 \x1b]8;;https://evil.example\x1b\\x\x1b]8;;\x1b\\",
    "bidi": "Station \u202eexe.gnp\u202c \u2066iso\u2069 zero\u200bwidth",
    "bell": "Bell\x07\x07 and NUL\x00 and DEL\x7f and C1\x9b31m",
    "newline": "line one\nline two\rover\ttab",
}


def hostile(good: dict[str, Any]) -> dict[str, Any]:
    """The good record with every string field replaced by a hostile one."""
    values = list(HOSTILE.values())
    counter = iter(range(10_000))

    def walk(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            return {k: walk(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str) and key not in {"startTime", "time", "startedAt", "updatedAt", "endedAt", "duration",
                                                  "currencyCode", "currency", "vat", "balanceAmountMinor", "unit",
                                                  "minorInclVat", "minorExclVat", "sessionId", "sessionStatus"}:
            return values[next(counter) % len(values)]
        return node

    doc = walk(good)
    doc["\x1b[31mkey\x1b[0m[b]"] = "an unknown key that is itself hostile"
    return doc

SPIRII_BASE = 990_000_000


def corpay_id(name: str) -> str:
    return f"fault-{name}"


def spirii_id(name: str) -> str:
    return str(SPIRII_BASE + FAULTS[name][0])


def fault_name(record_id: str) -> str | None:
    if record_id.startswith("fault-") and record_id[6:] in FAULTS:
        return record_id[6:]
    if record_id.isdigit() and SPIRII_BASE < int(record_id) < SPIRII_BASE + 100:
        n = int(record_id) - SPIRII_BASE
        return next((name for name, (num, _) in FAULTS.items() if num == n), None)
    return None


class FaultState:
    """Counts per id, so 'once, then fine' faults are per id and repeatable per server."""

    def __init__(self) -> None:
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()

    def hit(self, record_id: str) -> int:
        with self._lock:
            self._seen[record_id] += 1
            return self._seen[record_id]


def fault_response(
    name: str, record_id: str, state: FaultState, good: dict[str, Any], error: Callable[[str], dict[str, Any]]
) -> DemoResponse | None:
    """The misbehaving answer for this attempt, or None to serve `good` normally."""
    attempt = state.hit(record_id)
    if name == "slow":
        return _delayed(good, 3.0)
    if name == "hang":
        return DemoResponse(200, b"", {}, delay=3600.0)
    if name == "rate-limited":
        if attempt % 2 == 1:
            return DemoResponse.json(error("Too many requests"), 429, {"Retry-After": "1", "X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"})
        return None
    if name == "rate-limited-long":
        return DemoResponse.json(error("Too many requests"), 429, {"Retry-After": "3600", "X-RateLimit-Remaining": "0"})
    if name == "flaky":
        return DemoResponse.json(error("Service temporarily unavailable"), 503) if attempt % 2 == 1 else None
    if name == "down":
        return DemoResponse.json(error("Maintenance until 06:00 UTC"), 503)
    if name == "server-error":
        return DemoResponse.json(error("Internal error while loading the record"), 500)
    if name == "malformed":
        return DemoResponse(200, b"Service OK but this is not JSON", {"Content-Type": "application/json"})
    if name == "truncated":
        import json

        body = json.dumps(good).encode()
        return DemoResponse(200, body[: len(body) // 2], {"Content-Type": "application/json"})
    if name == "html":
        return DemoResponse(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", {"Content-Type": "text/html"})
    if name == "huge":
        filler = "x" * (25 * 1024 * 1024)
        return DemoResponse.json({**good, "padding": filler})
    if name == "forbidden":
        return DemoResponse.json(error("These credentials may not read this record"), 403)
    if name == "reset":
        return DemoResponse(0) if attempt % 2 == 1 else None
    if name == "hostile":
        return DemoResponse.json(hostile(good))
    if name == "not-an-object":
        return DemoResponse.json([good])
    if name == "redirect":
        return DemoResponse.json(good, 302, {"Location": "https://evil.example/steal"})
    if name == "gzip-bomb":
        return DemoResponse(200, _gzip_bomb(), {"Content-Type": "application/json", "Content-Encoding": "gzip"})
    if name == "hostile-numbers":
        return DemoResponse(200, hostile_numbers(good), {"Content-Type": "application/json"})
    return None


@functools.cache
def _gzip_bomb() -> bytes:
    """About 100 KB of gzip that decodes to 100 MB of JSON, compressed a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"0" * 2**20
    parts = [packer.compress(b'{"padding": "')]
    parts += [packer.compress(zeros) for _ in range(100)]
    parts += [packer.compress(b'"}'), packer.flush()]
    return b"".join(parts)


def hostile_numbers(good: dict[str, Any]) -> bytes:
    """The good record's JSON with values no Python number or structure holds as sent."""
    import json

    body = json.dumps({**good, "x_huge": "@HUGE", "x_inf": "@INF", "x_nan": "@NAN", "x_text": "@SURROGATE", "x_deep": "@DEEP"})
    for marker, raw in {
        '"@HUGE"': "9" * 5000,
        '"@INF"': "1e400",
        '"@NAN"': "NaN",
        '"@SURROGATE"': '"lone \\ud800 surrogate"',
        '"@DEEP"': "[" * 10_000 + "]" * 10_000,
    }.items():
        body = body.replace(marker, raw)
    return body.encode()


def _delayed(good: dict[str, Any], seconds: float) -> DemoResponse:
    response = DemoResponse.json(good)
    response.delay = seconds
    return response
