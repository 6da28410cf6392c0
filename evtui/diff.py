"""Field-by-field comparison of two provider documents.

Paths are dotted with list indexes (`transactions[0].amount.minorInclVat`);
values are compact JSON text so a string "0" and a number 0 differ visibly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ABSENT = "(absent)"


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    old: str
    new: str


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
