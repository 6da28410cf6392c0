"""A lookup as the CLI and the TUI both do it: validate, fetch, remember."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime

from evtui.adapters.base import VALIDATE_LATER, Adapter
from evtui.adapters.running import in_thread
from evtui.errors import AdapterFailed, EvtuiError, FetchError
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
    except Exception as exc:
        raise _adapter_failed(adapter, record_id, exc) from exc
    if history is not None:
        history.remember(record)
    return record


def from_cache(adapter: Adapter, record_type: str, record_id: str, body: bytes, fetched_at: float) -> Record:
    """A record rebuilt from the history cache, with the same bug wrapping as a lookup."""
    try:
        return adapter.record_from_body(record_type, record_id, body, fetched_at=fetched_at)
    except EvtuiError:
        raise
    except Exception as exc:
        raise _adapter_failed(adapter, record_id, exc) from exc


def _adapter_failed(adapter: Adapter, record_id: str, exc: Exception) -> Exception:
    if os.environ.get("EVTUI_DEBUG"):
        return exc
    # A bug in an adapter (ours or a third party's) is reported, never a traceback.
    return AdapterFailed(
        f"The {adapter.name} adapter failed on {record_id!r}: {type(exc).__name__}: {exc}",
        hint="This is a bug in the adapter; EVTUI_DEBUG=1 shows the traceback for a report.",
    )


@contextlib.contextmanager
def validating_later() -> Iterator[None]:
    """Records looked up or rebuilt meanwhile are shown before model validation ran (0.8 s for a
    5 MB session): a screen then calls `validate_later` for the one it shows. The CLI does not:
    it prints nothing before the record is whole."""
    token = VALIDATE_LATER.set(True)
    try:
        yield
    finally:
        VALIDATE_LATER.reset(token)


async def validate_later(adapter: Adapter, record: Record) -> Record | None:
    """`record` with model validation's findings joined, in a worker thread; None when there is
    nothing to add. A bug in the adapter's model is reported as a lookup's would be."""
    from evtui.adapters import records  # built the record: imported by now

    try:
        return await in_thread(len(record.raw), records.validated, record)
    except EvtuiError:
        raise
    except Exception as exc:
        raise _adapter_failed(adapter, record.record_id, exc) from exc
