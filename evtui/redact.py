"""One redactor for every text evtui shows a person.

Secrets resolved from config and access tokens received from a provider are
remembered here, in this process's memory only. `redact` removes each of them,
and the forms a library's error text may carry them in (a bytes repr with
escapes, percent-encoding, base64), from any text before it is printed,
shown in a panel or stored. Provider error bodies pass through it too: a
provider that echoes the client secret back must not get it onto the screen.

Values shorter than `MIN_LENGTH` are not remembered: redacting "ab" from every
message would mangle ordinary words and protects nothing.
"""

from __future__ import annotations

import base64
import threading
from urllib.parse import quote

MIN_LENGTH = 4
MASK = "‹redacted›"

_lock = threading.Lock()
_values: set[str] = set()
# Longest first, so a secret that contains another is removed whole.
_ordered: tuple[str, ...] = ()


def _forms(value: str) -> set[str]:
    forms = {value}
    # httpx/h11 quote an illegal header as a bytes repr: b'Bearer a\nb'.
    forms.add(repr(value.encode("utf-8", "backslashreplace"))[2:-1])
    forms.add(repr(value)[1:-1])
    forms.add(quote(value, safe=""))
    forms.add(base64.b64encode(value.encode("utf-8", "surrogatepass")).decode("ascii"))
    for line in value.splitlines():
        # A multi-line value may be cut at its first line break in an error.
        if len(line) >= MIN_LENGTH:
            forms.add(line)
    return {form for form in forms if len(form) >= MIN_LENGTH}


def remember(value: str | None) -> None:
    """Treat `value` (and its encodings) as secret from now on."""
    global _ordered
    if not value or len(value) < MIN_LENGTH:
        return
    forms = _forms(value)
    with _lock:
        if forms <= _values:
            return
        _values.update(forms)
        _ordered = tuple(sorted(_values, key=len, reverse=True))


def redact(text: str) -> str:
    """`text` with every remembered secret replaced by a mask."""
    if not text:
        return text
    for value in _ordered:
        if value in text:
            text = text.replace(value, MASK)
    return text


def forget_all() -> None:
    """For tests: start again with nothing remembered."""
    global _ordered
    with _lock:
        _values.clear()
        _ordered = ()
