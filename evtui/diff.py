"""Field-by-field comparison of two provider documents, then of two records.

Paths are dotted with list indexes (`transactions[0].amount.minorInclVat`);
values are compact JSON text so a string "0" and a number 0 differ visibly.
`diff_records` then puts each change as the records' presentations show it
(`Total price  0.62 EUR → 2.81 EUR`): people read labels and decoded values,
the wire form stays only where no field shows the path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from evtui.record import Field, Record

ABSENT = "(absent)"


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    old: str
    new: str
    #: The label of the field that shows the path; empty when no field does (then old/new are wire text).
    label: str = ""


def flatten(document: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves of a JSON document by path; empty objects and lists are leaves too."""
    out: dict[str, Any] = {}
    if isinstance(document, dict) and document:
        for key, value in document.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(document, list) and document:
        for i, value in enumerate(document):
            out.update(flatten(value, f"{prefix}[{i}]"))
    else:
        out[prefix] = document
    return out


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def diff(old: Any, new: Any, *, first: tuple[str, ...] = ()) -> list[Change]:
    """What changed from `old` to `new`; paths named in `first` (status fields) lead."""
    a, b = flatten(old), flatten(new)
    changes = []
    for path in list(a) + [p for p in b if p not in a]:
        if _became_container(path, a, b) or _became_container(path, b, a):
            continue  # [] -> [{...}]: the new leaves say it all
        if path not in b:
            changes.append(Change(path, _text(a[path]), ABSENT))
        elif path not in a:
            changes.append(Change(path, ABSENT, _text(b[path])))
        elif a[path] != b[path] or type(a[path]) is not type(b[path]):
            changes.append(Change(path, _text(a[path]), _text(b[path])))
    rank = {p: i for i, p in enumerate(first)}
    return sorted(changes, key=lambda c: rank.get(c.path, len(rank)))


def _became_container(path: str, here: dict[str, Any], there: dict[str, Any]) -> bool:
    """An empty list/object leaf on one side whose children exist on the other."""
    return path in here and path not in there and here[path] in ([], {}) and any(
        p.startswith((path + "[", path + ".")) for p in there
    )


def diff_records(old: Record, new: Record, *, first: tuple[str, ...] = ()) -> list[Change]:
    """`diff` of the documents, each change labelled and valued as the records' fields show it."""
    before, after = FieldsByPath(old), FieldsByPath(new)
    return [_as_shown(change, before, after) for change in diff(old.document, new.document, first=first)]


class FieldsByPath:
    """A record's fields by the JSON path they show; the first one wins, so the overview's label does."""

    def __init__(self, record: Record) -> None:
        self._fields: dict[str, Field] = {}
        for section in record.sections:
            for f in section.fields:
                if f.path:
                    self._fields.setdefault(f.path, f)

    def showing(self, path: str) -> Field | None:
        """The field for the path itself, else the nearest enclosing one (`energy` shows `energy.value`).

        Walks up the path rather than over the fields: a diff of a long session has thousands of changes."""
        while path:
            found = self._fields.get(path)
            if found is not None:
                return found
            cut = max(path.rfind("."), path.rfind("["))
            if cut <= 0:
                return None
            path = path[:cut]
        return None


def _as_shown(change: Change, old: FieldsByPath, new: FieldsByPath) -> Change:
    before, after = old.showing(change.path), new.showing(change.path)
    label = (after or before).label if (after or before) else ""
    shown_old = before.value if before is not None and change.old != ABSENT else change.old
    shown_new = after.value if after is not None and change.new != ABSENT else change.new
    if shown_old == shown_new:
        # The field shows less than changed (a count of list items, say): the wire values say what did.
        shown_old, shown_new = change.old, change.new
    return Change(change.path, shown_old, shown_new, label)
