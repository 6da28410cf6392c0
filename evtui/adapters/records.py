"""The one place a `Record` is built: from a fresh answer (`Found`) or from bytes kept earlier.

Validation, presentation with hostile values kept out of it, the Problems section and
the related records, the same for every adapter. Called in a worker thread (see `running`).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from evtui.adapters.base import VALIDATE_LATER, Found
from evtui.adapters.present import SENT_DOCUMENT, leftover_fields, problems_section, section
from evtui.adapters.price_section import price_check_of, price_section, verdict_words
from evtui.record import Field, HttpExchange, Record, Related, Section
from evtui.transport.body import exchange_of, hostile_findings, parse_json_document, without_sent_as

if TYPE_CHECKING:
    from evtui.pricing import PriceCheck


class AdapterHooks(Protocol):
    """What building a record takes of an adapter (`evtui.adapters.base.Adapter`)."""

    profile: str
    name: str

    def validate(self, record_type: str, document: Any) -> tuple[Any, list[str]]: ...
    def model_of(self, record_type: str, document: Any) -> Any: ...
    def present(self, record_type: str, document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]: ...
    def related(self, record_type: str, document: dict[str, Any]) -> list[Related]: ...


def record_of(adapter: AdapterHooks, record_type: str, record_id: str, found: Found) -> Record:
    """The record of a fresh answer."""
    if found.raw is None:
        raw = found.response.content
        document, findings = parse_json_document(found.response)
    else:
        raw = found.raw
        document, findings = hostile_findings(found.document) if found.may_hold_hostile else (found.document, [])
    exchange = exchange_of(found.response, found.notes)
    return build_record(
        adapter, record_type, record_id, raw, document, exchange=exchange, findings=[*found.findings, *findings], found_by=found.found_by
    )


def build_record(
    adapter: AdapterHooks,
    record_type: str,
    record_id: str,
    raw: bytes,
    document: Any,
    *,
    exchange: HttpExchange | None = None,
    fetched_at: float | None = None,
    findings: list[str] = (),  # type: ignore[assignment]
    found_by: Field | None = None,
) -> Record:
    """Validate and present a document; shared by fresh and cached records.

    `findings` are hostile values the JSON parse kept as sent (see `transport.body`); `found_by`
    says how it was found when not by its own id. With `VALIDATE_LATER` set, the record is
    presented without model validation, which `validated` then adds."""
    shown = without_sent_as(document) if findings else document
    later = None
    if isinstance(document, dict):
        # Priced once: the price does not depend on validation, which may present the record again.
        price = price_check_of(adapter, record_type, shown)
        present = functools.partial(_presentation, adapter, record_type, document, findings, found_by, price)
        if VALIDATE_LATER.get():
            try:
                problems, sections, summary = present(validate=False)
                later = functools.partial(_validated_presentation, adapter, record_type, shown, present)
            except PROVIDER_DATA_ERRORS:
                # Presenting broke on a value: what validation refuses decides what is shown as sent.
                problems, sections, summary = present(validate=True)
        else:
            problems, sections, summary = present(validate=True)
        related = adapter.related(record_type, shown)
    else:
        # Not a record at all: say so, and leave the Raw JSON view to show what came.
        problems = [*findings, *adapter.validate(record_type, document)[1]]
        sections = [
            section("overview", "Overview", [Field("Document", f"a JSON {type(document).__name__}, not a record object", flag="invalid")]),
            *filter(None, [problems_section(problems)]),
        ]
        summary = "unexpected document"
        related, price = [], None
    return Record(
        profile=adapter.profile,
        adapter=adapter.name,
        record_type=record_type,
        record_id=record_id,
        raw=raw,
        document=document,
        make_model=functools.partial(adapter.model_of, record_type, shown),
        sections=sections,
        summary=summary,
        exchange=exchange,
        problems=problems,
        fetched_at=time.time() if fetched_at is None else fetched_at,
        related=related,
        price_check=price,
        validation=later,
    )


def validated(record: Record) -> Record | None:
    """`record` with what model validation found joined to its Problems (and the fields it refused
    flagged), or None when validation adds nothing or already ran. Slow for a big document: in a worker thread."""
    if record.validation is None:
        return None
    again = record.validation()
    if again is None or again[0] == record.problems:
        record.validation = None  # done: going back to it does not validate it again
        return None
    problems, sections, summary = again
    return dataclasses.replace(record, problems=problems, sections=sections, summary=summary, validation=None)


def _validated_presentation(
    adapter: AdapterHooks, record_type: str, shown: dict[str, Any], present: Callable[..., tuple[list[str], list[Section], str]]
) -> tuple[list[str], list[Section], str] | None:
    """`present(validate=True)`, or None when validation finds nothing: the presentation made
    without it then stands as it is (presenting the 5 MB session again took 0.25 s of CPU)."""
    found = adapter.validate(record_type, shown)[1]
    return present(validate=True, known=found) if found else None


def _presentation(
    adapter: AdapterHooks,
    record_type: str,
    document: dict[str, Any],
    findings: list[str],
    found_by: Field | None,
    price: PriceCheck | None,
    *,
    validate: bool,
    known: list[str] | None = None,
) -> tuple[list[str], list[Section], str]:
    """Problems, sections and summary of a record object: the adapter's presentation, the price check, Problems.
    `known`: what validation found, when it already ran."""
    problems, sections, summary = present_safely(adapter, record_type, document, findings, validate=validate, known=known)
    if price is not None:
        at = next((i for i, s in enumerate(sections) if s.key == "problems"), len(sections))
        sections.insert(at, price_section(price))
        summary = " · ".join(filter(None, [summary, verdict_words(price)]))
    if found_by is not None:
        sections = [_with_second(s, found_by) if s.key == "overview" else s for s in sections]
    return problems, sections, summary


#: What provider data (not a bug) can make presentation code raise: arithmetic on 1e30 quantized
#: to cents, a value of another type than documented where code trusts the type.
PROVIDER_DATA_ERRORS = (ValueError, ArithmeticError, OverflowError, RecursionError, TypeError, AttributeError)


def present_safely(
    adapter: AdapterHooks,
    record_type: str,
    document: dict[str, Any],
    findings: list[str],
    *,
    validate: bool = True,
    known: list[str] | None = None,
) -> tuple[list[str], list[Section], str]:
    """Problems, sections (Problems last) and summary of a document with hostile values (`findings`, see `load`).

    Hostile values are kept from validation and presentation (no derived value is computed
    from 1e400: they are None there), then each field at such a path shows the value as
    sent, flagged. A value that still breaks the presentation gives a plain one of the
    document as sent, never a failure of the whole record. Without `validate` (see `VALIDATE_LATER`)
    no value is known to be refused: a value that breaks the presentation is raised for the caller."""
    shown = without_sent_as(document) if findings else document
    problems = ([*known] if known is not None else adapter.validate(record_type, shown)[1]) if validate else []
    problems[:0] = findings
    found = list(problems)
    refused = [p for p in _sent_paths(found) if p not in _sent_paths(findings)]
    sent = SENT_DOCUMENT.set(document if findings else None)
    try:
        sections, summary = adapter.present(record_type, shown, problems)
    except PROVIDER_DATA_ERRORS as first:
        if not validate:
            raise
        if isinstance(first, (TypeError, AttributeError)) and not refused:
            raise  # no value of another type than documented to blame: a bug, reported as one
        # A value of another JSON type than documented (a number for a currency) reached code
        # that trusts the type: present again with every value validation refused as None.
        problems[:] = found
        try:
            sections, summary = adapter.present(record_type, _without_paths(shown, refused), problems)
        except PROVIDER_DATA_ERRORS as exc:
            problems[:] = found
            sections, summary = _plain_presentation(document, problems, exc)
        else:
            sections = _with_sent_values(sections, document, refused, "not of the documented type, shown as sent")
    finally:
        SENT_DOCUMENT.reset(sent)
    if findings:
        sections = _with_sent_values(sections, document, _sent_paths(findings), "beyond what evtui reads: shown as sent")
    return problems, [*sections, *filter(None, [problems_section(problems)])], summary


def _plain_presentation(document: dict[str, Any], problems: list[str], exc: BaseException) -> tuple[list[Section], str]:
    problems.append(f"the record could not be presented field by field ({type(exc).__name__}): shown as sent")
    note = section("overview", "Overview", [Field("Presentation", "values beyond what evtui reads: every field is shown as sent", flag="invalid")])
    sent = section("sent", "As sent", leftover_fields(document, set()))
    return [note, sent], "shown as sent"


def _with_second(overview: Section, field: Field) -> Section:
    return dataclasses.replace(overview, fields=(overview.fields[0], field, *overview.fields[1:]))


def _sent_paths(problems: list[str]) -> list[str]:
    """Paths of the values findings and validation say are shown as sent."""
    return [p.partition(": ")[0] for p in problems if p.endswith("(shown as sent)") and ": " in p]


def _without_paths(document: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """A copy of `document` with the value at each path (dotted, [i] indexes) set to None."""
    doc = copy.deepcopy(document)
    for path in paths:
        parts = [int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"[^.\[\]]+|\[\d+\]", path)]
        node: Any = doc
        for part in parts[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if parts and isinstance(node, (dict, list)):
            try:
                node[parts[-1]] = None
            except (IndexError, TypeError):
                pass
    return doc


def _with_sent_values(sections: list[Section], document: dict[str, Any], hostile: list[str], note: str) -> list[Section]:
    """`sections` with each field holding a value at one of the `hostile` paths showing it as sent, flagged."""

    def holds_hostile(path: str) -> bool:
        return bool(path) and any(h == path or h.startswith((path + ".", path + "[")) for h in hostile)

    out = []
    for s in sections:
        fields = []
        for f in s.fields:
            if holds_hostile(f.path):
                sent = _at_path(document, f.path)
                text = sent if isinstance(sent, str) else json.dumps(sent, ensure_ascii=False)
                f = dataclasses.replace(f, value=_sent_text(text), raw=sent, note=note, flag="invalid")
            fields.append(f)
        out.append(dataclasses.replace(s, fields=tuple(fields)))
    return out


def _at_path(document: Any, path: str) -> Any:
    """The value at a dotted path with [i] indexes ("transactions[0].amount"), or None."""
    if not path:
        return None
    node = document
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("[") and isinstance(node, list):
            i = int(part[1:-1])
            node = node[i] if i < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def _sent_text(value: str, limit: int = 200) -> str:
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value)} characters)"

