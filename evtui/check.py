"""`evtui check`'s core: read a list of ids, look each up and price-check it, tally.

No printing here (see `evtui.check_output`): the ids come in as text, the
results go out through a callback as each lookup ends, and the summary is data.

- Ids: one per line, or a CSV column (by name, or the header's `id`,
  `session_id`, `cdr_id`, `transaction_id`... column); blank lines and `#`
  comments skipped; each id cleaned as the inspector cleans a paste; repeats
  looked up once.
- Lookups: at most `concurrency` at once over one adapter (one client, one
  token), through `evtui.lookup` as `evtui get` does, so every id that reached
  the provider is in history. The transport already honours Retry-After; when
  a lookup still ends rate-limited, every worker pauses for the Retry-After
  (at most RETRY_CAP seconds) and that id is tried once more.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from evtui.adapters.base import Adapter, clean_pasted_id
from evtui.errors import EvtuiError, InvalidId, NotFound, RateLimited, UsageError, exit_code_for
from evtui.history import HistoryStore
from evtui.lookup import lookup
from evtui.pricing import CANNOT_CHECK, DIFFERS, MATCHES, Amount, PriceCheck
from evtui.record import Record

FOUND, NOT_FOUND, FAILED = "found", "not_found", "failed"
#: Exit code when a price differs or a record has findings (README "Command line").
EXIT_FINDINGS = 6
#: The most `--concurrency` may ask for: more is no kindness to a provider.
MAX_CONCURRENCY = 32
#: The longest Retry-After a batch waits out before trying an id once more.
RETRY_CAP = 60.0
#: The wait when a rate-limited answer gave no Retry-After.
RETRY_DEFAULT = 2.0
#: Header names that hold ids, in the order they are preferred (compared without case, `_`, `-` or spaces).
ID_COLUMNS = ("id", "sessionid", "cdrid", "transactionid", "chargerecordid", "recordid")
_DELIMITERS = ",;\t"


def read_ids(text: str, column: str | None = None) -> list[str]:
    """The ids in `text`, in order, each once."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return []
    delimiter = next((d for d in _DELIMITERS if d in lines[0]), None)
    if delimiter is None and column is None:
        cells = list(lines)
        if _key(cells[0]) in ID_COLUMNS:  # a one-column file with a header
            cells = cells[1:]
    else:
        rows = list(csv.reader(lines, delimiter=delimiter or ","))
        at = _column(rows[0], column)
        cells = [row[at] if at < len(row) else "" for row in rows[1:]]
    seen: dict[str, None] = {}
    for cell in cells:
        cleaned = clean_pasted_id(cell)
        if cleaned:
            seen.setdefault(cleaned)
    return list(seen)


def _key(name: str) -> str:
    return "".join(ch for ch in clean_pasted_id(name).lower() if ch not in "_- ")


def _column(header: Sequence[str], wanted: str | None) -> int:
    keys = [_key(h) for h in header]
    if wanted is not None:
        if _key(wanted) in keys:
            return keys.index(_key(wanted))
        raise UsageError(f"no column {wanted!r} in the header ({', '.join(header)})")
    for name in ID_COLUMNS:
        if name in keys:
            return keys.index(name)
    raise UsageError(
        f"cannot tell which column holds the ids (header: {', '.join(header)})",
        hint="name it with --column, e.g. --column session_id",
    )


@dataclass
class Checked:
    """One id's lookup and price check."""

    index: int  # its place in the input
    record_id: str  # as given, cleaned
    outcome: str  # FOUND, NOT_FOUND or FAILED
    record: Record | None = None
    price: PriceCheck | None = None  # None: not found, or a record type without a price
    error: EvtuiError | None = None

    @property
    def findings(self) -> list[str]:
        return list(self.record.problems) if self.record is not None else []

    @property
    def flagged(self) -> bool:
        """Worth exit code 6: its price differs or it has findings."""
        return bool(self.findings) or (self.price is not None and self.price.verdict.outcome == DIFFERS)


def price_of(check: PriceCheck | None) -> tuple[Amount | None, Amount | None]:
    """(provider's total, computed total) as compared: the first comparison is the total."""
    if check is None:
        return None, None
    if check.comparisons:
        return check.comparisons[0].provider, check.comparisons[0].computed
    return None, None


async def check_ids(
    adapter: Adapter,
    ids: Sequence[str],
    record_type: str,
    *,
    history: HistoryStore | None,
    concurrency: int = 4,
    on_done: Callable[[Checked], None] | None = None,
) -> list[Checked]:
    """Look up and price-check every id, at most `concurrency` at once; results in input order."""
    results: list[Checked | None] = [None] * len(ids)
    pending = iter(enumerate(ids))
    loop = asyncio.get_running_loop()
    resume_at = [0.0]  # while rate-limited, no worker sends before this loop time

    async def paused() -> None:
        while (delay := resume_at[0] - loop.time()) > 0:
            await asyncio.sleep(delay)

    async def one(index: int, raw: str) -> Checked:
        try:
            record_id = adapter.validate_id(raw, record_type)
        except InvalidId as exc:
            return Checked(index, raw, FAILED, error=exc)
        for attempt in (1, 2):
            await paused()
            try:
                record = await lookup(adapter, record_id, record_type, history=history)
            except RateLimited as exc:
                wait = RETRY_DEFAULT if exc.retry_after is None else exc.retry_after
                if attempt == 2 or wait > RETRY_CAP:
                    return Checked(index, record_id, FAILED, error=exc)
                resume_at[0] = max(resume_at[0], loop.time() + wait)
                continue
            except NotFound as exc:
                return Checked(index, record_id, NOT_FOUND, error=exc)
            except EvtuiError as exc:
                return Checked(index, record_id, FAILED, error=exc)
            return Checked(index, record_id, FOUND, record=record, price=record.price_check)
        raise AssertionError("unreachable: the second attempt returns")

    async def worker() -> None:
        for index, raw in pending:  # one shared iterator: each id is taken by one worker
            done = await one(index, raw)
            results[index] = done
            if on_done is not None:
                on_done(done)

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(ids))))))
    return [r for r in results if r is not None]


@dataclass
class Summary:
    found: int = 0
    not_found: int = 0
    failed: int = 0
    with_findings: int = 0
    matches: int = 0
    differs: int = 0
    cannot_check: int = 0
    not_priced: int = 0  # found, but of a type that carries no price
    #: Per currency, the sum of (provider − computed) over the records that differ (incl. VAT where sent).
    difference: dict[str, Decimal] = field(default_factory=dict)
    errors: list[EvtuiError] = field(default_factory=list)

    def add(self, done: Checked) -> None:
        if done.outcome == NOT_FOUND:
            self.not_found += 1
        elif done.outcome == FAILED:
            self.failed += 1
        else:
            self.found += 1
        if done.error is not None:
            self.errors.append(done.error)
        if done.findings:
            self.with_findings += 1
        if done.outcome != FOUND:
            return
        price = done.price
        if price is None:
            self.not_priced += 1
        elif price.verdict.outcome == MATCHES:
            self.matches += 1
        elif price.verdict.outcome == CANNOT_CHECK:
            self.cannot_check += 1
        else:
            self.differs += 1
            d = price.verdict.difference
            amount = None if d is None else d.incl_vat if d.incl_vat is not None else d.excl_vat
            if amount is not None:
                currency = price.currency or "?"
                self.difference[currency] = self.difference.get(currency, Decimal(0)) + amount

    @property
    def exit_code(self) -> int:
        """The highest of the lookups' own exit codes and 6 for a differing price or a finding;
        a record that cannot be checked is not a failure."""
        flagged = EXIT_FINDINGS if self.differs or self.with_findings else 0
        return max(exit_code_for(list(self.errors)), flagged)


def summarise(results: Sequence[Checked]) -> Summary:
    summary = Summary()
    for done in results:
        summary.add(done)
    return summary
