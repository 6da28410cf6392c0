"""What a lookup produces: the provider's bytes, the model, and a presentation.

A presentation is a list of named sections of labelled, already-decoded values.
The TUI and the CLI render sections generically, so an adapter never needs UI
code. All values are plain strings: renderers must treat them as data (never
as markup or terminal control), see `evtui.textsafe`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:
    from evtui.pricing.result import PriceCheck

# Why a value deserves a second look; renderers show it as a small badge.
Flag = Literal["unknown", "missing", "deprecated", "derived", "inferred", "invalid"]


@dataclass(frozen=True, slots=True)
class Field:
    """One labelled value, decoded for people."""

    label: str
    value: str
    #: Extra words: the enum's meaning, the unit's source, "derived from ...".
    note: str = ""
    #: Where it sits in the provider's JSON (dotted path), empty when derived.
    path: str = ""
    #: The value exactly as the provider sent it, for copying and for tooltips.
    raw: Any = None
    flag: Flag | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A list of like objects (transactions, charging periods)."""

    title: str
    columns: tuple[str, ...]
    #: A tuple, or LazyRows for lists that run to thousands.
    rows: Sequence[tuple[str, ...]]
    note: str = ""
    #: The document's leaf paths its rows show (list items as `[]`: "charging_periods[].tariff_id"),
    #: so a check can tell that nothing sent is hidden.
    shows: tuple[str, ...] = ()


class LazyRows(Sequence[tuple[str, ...]]):
    """Table rows made as they are read: a viewer that lists a few hundred of
    14,000 charging periods formats (and holds) only those. Equal to the tuple of its rows.

    `source`, when given, is what the rows are made from, all of it: two LazyRows with equal
    sources are equal without a row made (a screen comparing a record fetched again with the
    one shown formatted 2 x 14,000 rows for it, 0.6 s on the UI thread)."""

    __slots__ = ("_count", "_row", "_source")

    def __init__(self, count: int, row: Callable[[int], tuple[str, ...]], source: Any = None) -> None:
        self._count = count
        self._row = row
        self._source = source

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> tuple[str, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[str, ...], ...]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return tuple(self._row(i) for i in range(*index.indices(self._count)))
        if not -self._count <= index < self._count:
            raise IndexError("row index out of range")
        return self._row(index % self._count)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != self._count:
            return NotImplemented if not isinstance(other, Sequence) else False
        if isinstance(other, LazyRows) and self._source is not None and other._source is not None:
            if self._row is other._row or self._source == other._source:
                return True
        return all(a == b for a, b in zip(self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"LazyRows({self._count} rows)"


@dataclass(frozen=True, slots=True)
class Chart:
    """A series over time (energy, power), drawn as a sparkline by the TUI and
    summarised (min, max, points) by the CLI. The same numbers appear in a Table."""

    title: str
    unit: str
    #: (x label such as a time, value) in order; only finite values within CHART_LIMIT.
    points: tuple[tuple[str, float], ...]
    note: str = ""
    #: How many points were left out for not being a finite number within CHART_LIMIT.
    left_out: int = 0

    def __post_init__(self) -> None:
        # A provider's 1e400 (inf), NaN or 1e300 would break the scale of every other point
        # (and the arithmetic that draws it): left out here, and said in the note.
        # A float within the limit is told apart inline: a call per point cost 14,000 periods' charts 30 ms.
        kept = tuple(p for p in self.points if (type(p[1]) is float and -CHART_LIMIT <= p[1] <= CHART_LIMIT) or _chartable(p[1]))
        if len(kept) != len(self.points):
            left_out = self.left_out + len(self.points) - len(kept)
            note = f"{left_out} point(s) left out: not a finite number within ±{CHART_LIMIT:g}"
            object.__setattr__(self, "points", kept)
            object.__setattr__(self, "left_out", left_out)
            object.__setattr__(self, "note", f"{self.note}; {note}" if self.note else note)


#: Chart values beyond this are no energy or power a charger delivers.
CHART_LIMIT = 1e12


def _chartable(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and abs(value) <= CHART_LIMIT


@dataclass(frozen=True, slots=True)
class Section:
    """A named group shown as one tab in the TUI and one block in the CLI."""

    key: str
    title: str
    fields: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True, slots=True)
class Related:
    """Another record this one points at (a transaction's charge record, a session's CDR)."""

    title: str
    record_type: str
    record_id: str


@dataclass(frozen=True, slots=True)
class HttpExchange:
    """The request/response facts worth showing; never carries secrets."""

    method: str
    url: str
    status: int
    elapsed_ms: float
    response_headers: tuple[tuple[str, str], ...] = ()
    #: Requests made for this lookup besides the record itself (token, retries).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordType:
    """A kind of record an adapter serves ("session", "transaction", "cdr")."""

    name: str
    title: str
    #: Shown under the search bar and in InvalidId messages.
    id_hint: str


@dataclass(slots=True)
class Record:
    """One fetched record."""

    profile: str
    adapter: str
    record_type: str
    record_id: str
    #: The response body exactly as received.
    raw: bytes
    #: The parsed JSON document.
    document: Any
    #: Validates the document again (see `model`).
    make_model: Callable[[], Any] = field(repr=False, compare=False)
    #: Overview first, then the adapter's own sections.
    sections: list[Section]
    #: One line for history and lists: status, site, amount.
    summary: str
    exchange: HttpExchange | None = None
    #: Validation findings: missing required fields, unknown enum values, unknown fields.
    problems: list[str] = field(default_factory=list)
    #: Seconds since the epoch when it was fetched.
    fetched_at: float = 0.0
    #: Records a key can open from this one.
    related: list[Related] = field(default_factory=list)
    #: The price check its Price check section shows (`evtui.adapters.price_section`);
    #: None when its type carries no price. Kept so that `evtui check` need not price it again.
    price_check: PriceCheck | None = None
    #: Set when the record was presented before model validation ran (a screen shows it sooner):
    #: the problems, sections and summary with validation's findings, None when it finds nothing.
    #: See `evtui.adapters.records.validated`.
    validation: Callable[[], tuple[list[str], list[Section], str] | None] | None = field(default=None, repr=False, compare=False)

    @property
    def model(self) -> Any:
        """The validated pydantic model (None when the document is not even an object).

        Made anew on each read, not kept: for 14,000 charging periods it takes twice the
        memory of the document, and the presentation is built from the document."""
        return self.make_model()

    @property
    def overview(self) -> Section | None:
        return next((s for s in self.sections if s.key == "overview"), None)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def compact_json(self) -> str:
        """The document on one line, exactly as sent but for insignificant whitespace."""
        return compact_json(self.raw.decode("utf-8", errors="replace"))

    def pretty_json(self) -> str:
        return json.dumps(self.document, indent=2, ensure_ascii=False)


def compact_json(text: str) -> str:
    """Drop whitespace outside strings, keeping every token as the provider wrote it.

    Re-serialising with `json.dumps` would rewrite numbers (1.50 -> 1.5) and
    escapes; support engineers quote these bytes back to providers.
    """
    if "\n" not in text and "\r" not in text:
        return text.strip()
    out: list[str] = []
    in_string = False
    escaped = False
    for ch in text:
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch in " \t\r\n":
            continue
        else:
            out.append(ch)
            if ch == '"':
                in_string = True
    return "".join(out)
