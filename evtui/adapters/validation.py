"""Lenient validation: a provider's document against an adapter's model, values that do not fit
dropped from the model (and reported) instead of failing the record.

A provider that changes a type must not make the record unreadable: the presentation
shows such values as sent, flagged, from the raw document.
"""

from __future__ import annotations

import copy
import functools
import time
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError


#: Items of a long list validated per call. Pydantic holds the GIL for a whole call: a
#: record validated in a worker thread would stall the UI for as long as one call takes
#: (250 charging periods: 2 ms; the GIL is handed over between calls, see `_validate_long_lists`).
CHUNK = 250


class _GaveUp(Exception):
    """Dropping values did not make the document fit (or a long list cannot be split)."""


def validate_leniently(model_cls: type[BaseModel], document: dict[str, Any]) -> tuple[BaseModel, list[str]]:
    """Validate, dropping values that do not fit (reported) instead of failing.

    A provider that changes a type must not make the record unreadable: the
    presentation shows such values as sent, flagged, from the raw document.
    """
    problems: list[str] = []
    doc = document
    try:
        # Long lists (charging periods by the ten thousand) first, in chunks; their items
        # then pass the whole document's validation as they are.
        if parts := _validate_long_lists(model_cls, document, problems):
            doc = {**document, **parts}
    except _GaveUp:
        problems = []
    try:
        model = _lenient(model_cls.model_validate, doc, problems)
    except _GaveUp:  # pragma: no cover - needs a pathological document
        model = model_cls.model_construct()
    problems.extend(f"unknown field {path} (shown as sent)" for path in unknown_fields(model))
    return model, problems


def _validate_long_lists(model_cls: type[BaseModel], document: dict[str, Any], problems: list[str]) -> dict[str, list[Any]]:
    parts: dict[str, list[Any]] = {}
    for key, value in document.items():
        if not isinstance(value, list) or len(value) <= CHUNK or (adapter := _list_adapter(model_cls, key)) is None:
            continue
        items: list[Any] = []
        for start in range(0, len(value), CHUNK):
            items += _lenient(adapter.validate_python, value[start : start + CHUNK], problems, at=(key, start))
            # The GIL offered to a thread waiting for it (the UI's, when this runs in a worker):
            # pydantic's calls never offer it, and back to back they kept keys waiting 50-80 ms.
            time.sleep(0)
        parts[key] = items
    return parts


@functools.lru_cache(maxsize=64)
def _list_adapter(model_cls: type[BaseModel], key: str) -> TypeAdapter[Any] | None:
    """A validator for the items of the list field sent as `key`; None if there is no such field."""
    for name, info in model_cls.model_fields.items():
        if key in (name, info.alias):
            annotation = info.annotation
            is_list = any(get_origin(a) is list for a in (annotation, *get_args(annotation)))
            return TypeAdapter(annotation) if is_list else None
    return None


def _lenient(validate: Any, document: Any, problems: list[str], at: tuple[str, int] | None = None) -> Any:
    """`validate(document)`, values that do not fit set to None (in a copy) until it passes.

    `at` is (key, offset) when `document` is a slice of the list sent as `key`."""
    doc = document
    dropped: set[tuple[Any, ...]] = set()
    for _ in range(50):
        try:
            return validate(doc)
        except ValidationError as exc:
            if doc is document:
                doc = copy.deepcopy(document)
            seen: set[tuple[Any, ...]] = set()
            dropped_before = set(dropped)
            for err in exc.errors():
                # Union errors name the union member after the field: keep the part that exists.
                loc = _existing_prefix(doc, err["loc"])
                message = err["msg"]
                # None did not fit either (a list of non-optional items): drop the container.
                while loc in dropped_before and loc:
                    loc = loc[:-1]
                    message = "holds a value of an unexpected type"
                if at is not None and not loc:
                    raise _GaveUp  # the container is the whole list: validate the document whole
                if loc in seen or not loc:
                    continue
                seen.add(loc)
                dropped.add(loc)
                where = loc if at is None else (at[0], at[1] + loc[0], *loc[1:])
                problem = f"{_dotted(where)}: {message} (shown as sent)"
                if problem not in problems:
                    problems.append(problem)
                _drop(doc, loc)
    raise _GaveUp


def _existing_prefix(doc: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    node, found = doc, []
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
        found.append(part)
    return tuple(found)


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _drop(doc: Any, loc: tuple[Any, ...]) -> None:
    if not loc:
        return
    target = doc
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = None


def unknown_fields(model: BaseModel, prefix: str = "") -> list[str]:
    found = [f"{prefix}{k}" for k in (model.__pydantic_extra__ or {})]
    for name, key in _model_fields(type(model)):
        value = model.__dict__.get(name)
        if isinstance(value, BaseModel):
            found.extend(unknown_fields(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            # Lists run to thousands: items that cannot hold findings are passed over quickly.
            for i, item in enumerate(value):
                if isinstance(item, BaseModel) and (item.__pydantic_extra__ or _model_fields(type(item))):
                    found.extend(f"{prefix}{key}[{i}].{path}" for path in unknown_fields(item))
    return found


@functools.lru_cache(maxsize=256)
def _model_fields(model_cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, key as sent) of the fields whose values can hold models."""

    def holds_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(holds_model(a) for a in get_args(annotation))

    return tuple((name, info.alias or name) for name, info in model_cls.model_fields.items() if holds_model(info.annotation))


class ProviderModel(BaseModel):
    """Base for provider models: extra fields kept (and reported), everything optional-friendly."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


def validate(model_cls: type[BaseModel] | None, document: Any) -> tuple[Any, list[str]]:
    """The model and the findings of one document; (None, []) for an adapter without a model."""
    if not isinstance(document, dict):
        return None, [f"the document is a JSON {type(document).__name__}, not an object"]
    if model_cls is None:
        return None, []
    return validate_leniently(model_cls, document)
