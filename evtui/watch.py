"""Watching a record: fetch it again and again, say what changed, stop when it settles."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from evtui.adapters.base import Adapter
from evtui.diff import Change, diff_records
from evtui.errors import FetchError
from evtui.history import HistoryStore
from evtui.lookup import lookup
from evtui.record import Record

DEFAULT_INTERVAL = 5.0
MAX_INTERVAL = 60.0


@dataclass
class WatchEvent:
    """One poll's outcome: a record (with changes since the last one, as its fields show them) or an error."""

    record: Record | None = None
    changes: list[Change] = field(default_factory=list)
    error: FetchError | None = None
    #: Set when the record reached a final state: why watching stopped.
    final: str | None = None
    #: Seconds until the next poll (backs off after errors).
    next_in: float = 0.0


async def watch(
    adapter: Adapter,
    raw_id: str,
    record_type: str | None = None,
    *,
    interval: float = DEFAULT_INTERVAL,
    history: HistoryStore | None = None,
    first: Record | None = None,
) -> AsyncIterator[WatchEvent]:
    """Yield an event per poll until the record is final (or the caller stops).

    The first lookup's errors propagate (a wrong id is not worth watching);
    later ones are yielded and the interval doubles up to MAX_INTERVAL. History
    keeps the first and the final answer, not every poll.
    """
    rt = adapter.record_type(record_type).name
    previous = first or await lookup(adapter, raw_id, rt, history=history)
    record_id = previous.record_id
    final = adapter.final_state(rt, previous.document)
    yield WatchEvent(record=previous, final=final, next_in=0.0 if final else interval)
    if final:
        return
    delay = interval
    while True:
        await asyncio.sleep(delay)
        try:
            record = await lookup(adapter, record_id, rt)
        except FetchError as exc:
            delay = min(delay * 2, MAX_INTERVAL)
            yield WatchEvent(error=exc, next_in=delay)
            continue
        delay = interval
        changes = diff_records(previous, record, first=adapter.status_paths(rt))
        final = adapter.final_state(rt, record.document)
        if final and history is not None:
            history.remember(record)
        yield WatchEvent(record=record, changes=changes, final=final, next_in=0.0 if final else delay)
        if final:
            return
        previous = record

