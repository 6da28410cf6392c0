"""A lookup as the CLI and the TUI both do it: validate, fetch, remember."""

from __future__ import annotations

from datetime import datetime

from evtui.adapters.base import Adapter
from evtui.errors import EvtuiError, FetchError
from evtui.history import HistoryStore
from evtui.record import Record


async def lookup(
    adapter: Adapter,
    raw_id: str,
    record_type: str | None = None,
    *,
    history: HistoryStore | None = None,
    since: datetime | None = None,
) -> Record:
    """Fetch one record; every attempt that reached the provider goes into history.

    Ids rejected before sending (InvalidId) are not recorded. History never
    makes a lookup fail: the store swallows its own errors.
    """
    rt = adapter.record_type(record_type)
    record_id = adapter.validate_id(raw_id, rt.name)
    try:
        record = await adapter.fetch(record_id, rt.name, since=since)
    except FetchError as exc:
        if history is not None:
            history.record(
                profile=adapter.profile,
                adapter=adapter.name,
                record_type=rt.name,
                record_id=record_id,
                outcome=exc.kind,
                summary=exc.title,
            )
        raise
    except EvtuiError:
        raise
    if history is not None:
        history.record(
            profile=record.profile,
            adapter=record.adapter,
            record_type=record.record_type,
            record_id=record.record_id,
            outcome="found",
            summary=record.summary,
            body=record.raw,
        )
    return record
