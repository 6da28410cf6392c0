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
    """(adapter, record type) pairs whose id rules accept this id: every type of every profile, config order.

    Not only a profile's first fitting type: an OCPI CDR and session, or a Spirii
    transaction and charge record, take ids of the same shape."""
    found = []
    for name in pool.config.profiles:
        adapter = pool.get(name)
        for rt in adapter.record_types:
            try:
                adapter.validate_id(raw_id, rt.name)
            except InvalidId:
                continue
            found.append((adapter, rt.name))
    return found


async def find_anywhere(pool: AdapterPool, raw_id: str, *, history: HistoryStore | None = None) -> list[Attempt]:
    """Every fitting (profile, type) tried concurrently; found ones first, then errors, config order kept.

    History gets one row per record found; a miss of a guess is no lookup anyone
    made, so misses and errors stay out of it (the caller reports them)."""
    pairs = candidates(pool, raw_id)
    if not pairs:
        raise InvalidId(
            f"{raw_id.strip()!r} fits the id rules of none of the profiles ({', '.join(pool.config.profiles)}).",
            hint="Check the id; `evtui profiles` lists the providers configured.",
        )

    async def attempt(adapter: Adapter, record_type: str) -> Attempt:
        try:
            return Attempt(adapter.profile, record_type, record=await lookup(adapter, raw_id, record_type))
        except EvtuiError as exc:
            return Attempt(adapter.profile, record_type, error=exc)

    results = sorted(await asyncio.gather(*(attempt(a, t) for a, t in pairs)), key=lambda r: r.record is None)
    if history is not None:
        for found in results:
            if found.record is not None:
                history.remember(found.record)
    return results


def not_found_anywhere(attempts: list[Attempt]) -> EvtuiError:
    """One error for a find that found nothing: the worst failure, naming every profile tried."""
    tried = ", ".join(f"{a.profile} {a.record_type} ({a.error.title.lower() if a.error else '?'})" for a in attempts)
    worst = max((a.error for a in attempts if a.error), key=lambda e: e.exit_code)
    if isinstance(worst, NotFound):
        return NotFound(f"Found on none of the profiles tried: {tried}.", hint="Check the id, or whether another environment has it.")
    worst.message = f"{worst.message} Tried: {tried}."
    return worst
