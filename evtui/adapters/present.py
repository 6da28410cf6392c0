"""Presentation helpers: fields read from the document as sent, sections, and the small
decoders every adapter needs (money in a currency, yes/no, a summary line).

Values are plain strings: never markup, never terminal control (see `evtui.textsafe`).
"""

from __future__ import annotations

import contextvars
import json
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from evtui import decode
from evtui.record import Field, Section, Table
from evtui.transport.body import SentAs

T = TypeVar("T")

#: The document as parsed, hostile values kept as `SentAs` text, while `present` runs on a
#: copy with them as None (set by `evtui.adapters.records`): tables read what to show from it.
SENT_DOCUMENT: contextvars.ContextVar[Any] = contextvars.ContextVar("sent_document", default=None)

#: What a field shows when nothing usable was sent.
NOT_SHOWN = ("—", "null", "(missing)")


class Presenter:
    """Builds fields from a raw document, collecting findings as it goes.

    Values are read from the document as the provider sent them (so a value the
    model had to drop still shows) and decoded by the given function.
    """

    def __init__(self, document: dict[str, Any], problems: list[str]) -> None:
        self.document = document
        self.problems = problems
        self._once: dict[str, Any] = {}
        # Kept here: table rows may be made after `present` returns (LazyRows).
        self._sent_document = SENT_DOCUMENT.get()
        # "transactions[0].amount" marks "transactions" too: the list is shown from the document.
        self._invalid = {re.sub(r"\[\d+\].*$", "", p.split(":", 1)[0]) for p in problems} | {
            p.split(":", 1)[0] for p in problems
        }

    @property
    def sent_document(self) -> Any:
        """The document with its hostile values as sent (`SENT_DOCUMENT`), None when it has none."""
        return self._sent_document

    def is_invalid(self, path: str) -> bool:
        """Whether validation rejected the value at this path (or one inside it)."""
        return path in self._invalid or any(p.startswith(path + ".") for p in self._invalid)

    def once(self, key: str, make: Callable[[], T]) -> T:
        """`make()`, made once per presentation: what several sections derive from the document
        (the start times of 14,000 charging periods) is not derived again for each."""
        if key not in self._once:
            self._once[key] = make()
        return self._once[key]  # type: ignore[no-any-return]

    def problem(self, text: str) -> None:
        """Record a finding once, however many sections show the field."""
        if text not in self.problems:
            self.problems.append(text)

    def sent(self, value: Any, path: str) -> Any:
        """`value` (read from the document at `path`, dotted with [i] indexes), or the text sent
        there when it was a value no Python number holds (1e400, NaN): for table cells."""
        if value is not None or self._sent_document is None:
            return value
        node: Any = self._sent_document
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
            if part.startswith("[") and isinstance(node, list) and int(part[1:-1]) < len(node):
                node = node[int(part[1:-1])]
            elif isinstance(node, dict):
                node = node.get(part)
            else:
                return None
        return node if isinstance(node, SentAs) else None

    def get(self, path: str) -> Any:
        node: Any = self.document
        for part in path.split("."):
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    def has(self, path: str) -> bool:
        node: Any = self.document
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def field(
        self,
        label: str,
        path: str,
        decode: Any = None,
        *,
        note: str = "",
        required: bool = False,
        absent: str = "—",
        null: str = "null",
        flag: Any = None,
    ) -> Field:
        """`absent` is shown when the key is not sent, `null` when it is sent as null."""
        raw = self.get(path)
        if raw is None:
            if required and not self.has(path):
                self.problem(f"missing required field {path}")
                return Field(label, "(missing)", note=note, path=path, flag="missing")
            return Field(label, absent if not self.has(path) else null, note=note, path=path, raw=raw, flag=flag)
        text = decoded(decode, raw) if decode and not isinstance(raw, SentAs) else None
        if text is None:
            text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
            if decode and path not in self._invalid:
                flag = flag or "invalid"
                note = (note + "; " if note else "") + "could not be decoded, shown as sent"
        if path in self._invalid:
            flag = "invalid"
            note = (note + "; " if note else "") + "not of the documented type, shown as sent"
        return Field(label, text, note=note, path=path, raw=raw, flag=flag)

    def enum(self, label: str, path: str, meanings: dict[str, str], *, required: bool = False, note: str = "", flag: Any = None) -> Field:
        raw = self.get(path)
        if raw is None:
            return self.field(label, path, required=required, note=note, flag=flag)
        meaning = meanings.get(raw) if isinstance(raw, str) else None
        if meaning is None:
            self.problem(f"unknown value {raw!r} in {path} (shown as sent)")
            return Field(label, str(raw), note="not a documented value", path=path, raw=raw, flag="unknown")
        return Field(label, str(raw), note=(meaning + (f"; {note}" if note else "")), path=path, raw=raw, flag=flag)

    @staticmethod
    def value(label: str, value: str, *, note: str = "", path: str = "", raw: Any = None, flag: Any = None) -> Field:
        return Field(label, value, note=note, path=path, raw=raw, flag=flag)


#: What provider data (not a bug) can make presentation code raise: arithmetic on 1e30 quantized


def derived(make: Callable[[], T], fallback: T) -> T:
    """A derived value (a VAT check, a sum), or `fallback` when the values sent are beyond its arithmetic."""
    try:
        return make()
    except (ArithmeticError, ValueError):
        return fallback


def decoded(decode: Callable[..., T | None], raw: Any, *args: Any) -> T | None:
    """decode(raw, *args), or None when a hostile value makes it fail (a time past year 9999 in
    local time, a number beyond arithmetic): shown as sent by the caller, the record still shows."""
    try:
        return decode(raw, *args)
    except (ValueError, ArithmeticError, OverflowError, RecursionError, MemoryError, TypeError, AttributeError):
        # TypeError, AttributeError: a value of another JSON type than documented (a list for a currency).
        return None


def leftover_fields(document: dict[str, Any], shown: set[str], prefix: str = "") -> list[Field]:
    """Fields the presentation did not cover (new in the API): shown as sent, flagged.

    `shown` holds paths, list items written `[]` ("transactions[].time", from a table's
    `shows`): inside such a list each item's fields no one shows are listed too."""
    inside, indexed = _inner_paths(shown)
    out: list[Field] = []
    for key, value in document.items():
        path = f"{prefix}{key}"
        out.extend(_leftover(value, path, _generic(path), shown, inside, indexed))
    return out


_INDEX = re.compile(r"\[\d+\]")


def _generic(path: str) -> str:
    """The path with list indexes written `[]`, as tables name list items."""
    return _INDEX.sub("[]", path)


def _inner_paths(shown: set[str]) -> tuple[set[str], bool]:
    """Every path that a shown path goes on inside of ("a", "a.b" for "a.b[].c"): a set looked up
    per value, not every shown path tried per value (14,000 charging periods times 60 paths).
    And whether a shown path names one item ("location.evses[0].uid"): only then is each value's
    own path looked up, not its generic path alone."""
    inside: set[str] = set()
    indexed = False
    for path in shown:
        inside.update(path[:i] for i, char in enumerate(path) if char in ".[")
        indexed = indexed or _INDEX.search(path) is not None
    return inside, indexed


def _leftover(value: Any, path: str, generic: str, shown: set[str], inside: set[str], indexed: bool) -> list[Field]:
    # Tables name list items `[]`; a field may name one item (`location.evses[0].uid`).
    # Without `indexed`, a path is in `shown` (or `inside`) only if its generic path is.
    if generic in shown or (indexed and path in shown):
        return []
    if generic in inside or (indexed and path in inside):
        # The generic path grows with the path: an index never joins the text before it to
        # make one, so only a key holding "[" needs the pattern. A value whose generic path is
        # shown is passed over here, not in a call of its own (182,000 values of 14,000 periods).
        if isinstance(value, dict):
            out: list[Field] = []
            for k, v in value.items():
                inner = generic + (_generic(f".{k}") if "[" in k else f".{k}")
                if inner not in shown or indexed:
                    out.extend(_leftover(v, f"{path}.{k}", inner, shown, inside, indexed))
            return out
        if isinstance(value, list):
            item = generic + "[]"
            if indexed or item not in inside:
                return [f for i, v in enumerate(value) for f in _leftover(v, f"{path}[{i}]", item, shown, inside, indexed)]
            if item in shown:
                return []
            return _leftover_items(value, path, item, shown, inside)
        if value is None or value == [] or value == {}:
            return []  # an empty list or null where a table is: the table says "none sent"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return [Field(path, text, note="not described by evtui; shown as sent", path=path, raw=value, flag="unknown")]


def _leftover_items(items: list[Any], path: str, item: str, shown: set[str], inside: set[str]) -> list[Field]:
    """`_leftover` of each of `items`, a list whose items a table shows fields of (`item`, their
    generic path, is inside a shown path), no shown path naming one item: an object's fields are
    gone through here, each generic path made once per key, not once per item (14,000 periods)."""
    out: list[Field] = []
    inner: dict[str, str] = {}
    for i, value in enumerate(items):
        if not isinstance(value, dict):
            out.extend(_leftover(value, f"{path}[{i}]", item, shown, inside, False))
            continue
        for k, v in value.items():
            if (generic := inner.get(k)) is None:
                generic = inner[k] = item + (_generic(f".{k}") if "[" in k else f".{k}")
            if generic not in shown:
                out.extend(_leftover(v, f"{path}[{i}].{k}", generic, shown, inside, False))
    return out


def section(key: str, title: str, fields: list[Field] | tuple[Field, ...] = (), tables: list[Table] | tuple[Table, ...] = ()) -> Section:
    return Section(key=key, title=title, fields=tuple(fields), tables=tuple(tables))


def shown_paths(sections: list[Section]) -> set[str]:
    """The paths fields show, and the leaf paths tables say their rows show."""
    return {f.path for s in sections for f in s.fields if f.path} | {p for s in sections for t in s.tables for p in t.shows}


def problems_section(problems: list[str]) -> Section | None:
    if not problems:
        return None
    return section(
        "problems",
        "Problems",
        [Field(f"#{i}", p, flag="invalid") for i, p in enumerate(problems, 1)],
    )



def with_others(sections: list[Section], document: dict[str, Any], also_shown: Iterable[str] = ()) -> list[Section]:
    """`sections` and, when the document holds fields none of them shows, an "Other fields" section.

    `also_shown`: paths shown otherwise than as a field (in a table, inside another value)."""
    other = leftover_fields(document, shown_paths(sections) | set(also_shown))
    return [*sections, section("other", "Other fields", other)] if other else sections


def summary(*parts: Any) -> str:
    """The one line for history and lists: the parts that were sent, joined."""
    return " · ".join(str(x) for x in parts if x)


def sent_value(field: Field) -> str:
    """The field's value, or "" when nothing usable was sent (for a summary line)."""
    return field.value if field.value not in NOT_SHOWN else ""


def yes_no(value: Any) -> str | None:
    return "yes" if value is True else "no" if value is False else None


def major_money(currency: Any) -> Callable[[Any], str | None]:
    """A decoder of amounts in major units (12.34) of `currency`."""
    return lambda value: decode.money_major(value, currency)


def minor_money(currency: Any) -> Callable[[Any], str | None]:
    """A decoder of amounts in minor units (1234 cents) of `currency`."""
    return lambda value: decode.money_from_minor(value, currency)
