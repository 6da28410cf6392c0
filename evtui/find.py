"""Find anywhere: an id looked up at once on every profile whose id shape fits it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from evtui.adapters.base import Adapter
from evtui.errors import EvtuiError, InvalidId, NotFound
from evtui.history import HistoryStore
from evtui.lookup import lookup
from evtui.pool import AdapterPool
from evtui.record import Record


@dataclass
class Attempt:
    profile: str
    record_type: str
    record: Record | None = None
    error: EvtuiError | None = None


def candidates(pool: AdapterPool, raw_id: str) -> list[tuple[Adapter, str]]:
    """(adapter, record type) pairs whose id rules accept this id, in config order."""
    found = []
    for name in pool.config.profiles:
        adapter = pool.get(name)
        for rt in adapter.record_types:
            try:
                adapter.validate_id(raw_id, rt.name)
            except InvalidId:
                continue
            found.append((adapter, rt.name))
            break  # the adapter's first fitting type: ids of one provider are one family
    return found


async def find_anywhere(pool: AdapterPool, raw_id: str, *, history: HistoryStore | None = None) -> list[Attempt]:
    """Every fitting profile tried concurrently; found ones first, then errors, config order kept."""
    pairs = candidates(pool, raw_id)
    if not pairs:
        raise InvalidId(
            f"{raw_id.strip()!r} fits the id rules of none of the profiles ({', '.join(pool.config.profiles)}).",
            hint="Check the id; `evtui profiles` lists the providers configured.",
        )

    async def attempt(adapter: Adapter, record_type: str) -> Attempt:
        try:
            return Attempt(adapter.profile, record_type, record=await lookup(adapter, raw_id, record_type, history=history))
        except EvtuiError as exc:
            return Attempt(adapter.profile, record_type, error=exc)

    results = await asyncio.gather(*(attempt(a, t) for a, t in pairs))
    return sorted(results, key=lambda r: r.record is None)


def not_found_anywhere(attempts: list[Attempt]) -> EvtuiError:
    """One error for a find that found nothing: the worst failure, naming every profile tried."""
    tried = ", ".join(f"{a.profile} ({a.error.title.lower() if a.error else '?'})" for a in attempts)
    worst = max((a.error for a in attempts if a.error), key=lambda e: e.exit_code)
    if isinstance(worst, NotFound):
        return NotFound(f"Found on none of the profiles tried: {tried}.", hint="Check the id, or whether another environment has it.")
    worst.message = f"{worst.message} Tried: {tried}."
    return worst
