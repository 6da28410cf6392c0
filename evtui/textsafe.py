"""Provider text is data: make it safe to put on a terminal.

Every character that is invisible, reorders text or drives the terminal is
replaced by a visible escape such as `\\x1b`, `\\u202e` or `\\U000e0041`:
the Unicode "other" categories (Cc controls C0/DEL/C1, Cf format characters:
bidi controls, zero-width marks, tag characters; Co private use; Cn
unassigned; Cs lone surrogates), the line and paragraph separators (Zl, Zp),
and the characters that are letters or marks on paper but show as nothing
(Hangul fillers, the braille blank, variation selectors, the combining
grapheme joiner). Ordinary spaces (Zs) stay as they are.

This is applied to every provider string before it reaches a screen, in the
TUI and in the CLI. Markup is a separate concern: renderers build Rich `Text`
objects, never markup strings, so `[bold]` in a site name stays literal.
"""

from __future__ import annotations

import re
import unicodedata

# Letters and marks (so `str.isprintable` passes them) that render as nothing or
# change the look of their neighbour: a name made of them looks empty or like another.
_FILLERS = (
    "\u034f"  # combining grapheme joiner
    "\u115f\u1160\u3164\uffa0"  # Hangul choseong/jungseong fillers, Hangul filler, halfwidth filler
    "\u17b4\u17b5"  # Khmer inherent vowels (invisible)
    "\u180b-\u180d\u180f"  # Mongolian free variation selectors
    "\u2800"  # braille pattern blank
    "\ufe00-\ufe0f"  # variation selectors
    "\U000e0100-\U000e01ef"  # variation selectors supplement
)
_FILLER = re.compile(f"[{_FILLERS}]")
#: Where an unsafe character can be: any run outside printable ASCII.
_CANDIDATES = re.compile("[^\x20-\x7e]+")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _unsafe_char(ch: str) -> bool:
    # isprintable() is False exactly for the categories C* and Z* (but the ASCII space).
    if _FILLER.match(ch):
        return True
    return not ch.isprintable() and unicodedata.category(ch) != "Zs"


def _escape_char(ch: str) -> str:
    named = _NAMED.get(ch)
    if named:
        return named
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escape_run(match: re.Match[str]) -> str:
    run = match.group(0)
    # Most runs are ordinary non-ASCII text (accents, CJK, emoji): checked at C speed.
    if run.isprintable() and not _FILLER.search(run):
        return run
    return "".join(_escape_char(ch) if _unsafe_char(ch) else ch for ch in run)


def visible(text: object) -> str:
    """The text with every control, invisible and reordering character shown as an escape."""
    s = text if isinstance(text, str) else str(text)
    if s.isascii() and s.isprintable():
        return s
    return _CANDIDATES.sub(_escape_run, s)


def json_visible(document: str) -> str:
    """JSON text for a terminal: unsafe characters inside strings become `\\uXXXX` escapes.

    Still valid JSON that parses to the same value. A JSON parser takes raw
    controls below U+0020 in no string and nothing but whitespace between
    tokens, so every other unsafe character of a valid document is inside a
    string, except a leading byte-order mark, which is dropped.
    """
    if document.isascii() and document.isprintable():
        return document
    return _CANDIDATES.sub(_escape_json_run, document.lstrip("\ufeff"))


def _escape_json_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if run.isprintable() and not _FILLER.search(run):
        return run
    return "".join(_json_escape(ch) if ch not in " \t\r\n" and _unsafe_char(ch) else ch for ch in run)


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON spells characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def has_unsafe(text: str) -> bool:
    return visible(text) != text
