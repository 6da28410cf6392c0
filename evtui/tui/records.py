"""Records the UI needs besides fresh lookups: rebuilt from the history cache,
and the HTTP exchange presented as a generic section."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from evtui.record import Field, Record, Section, Table

if TYPE_CHECKING:
    from evtui.adapters.base import Adapter


async def record_from_cache(adapter: Adapter, record_type: str, record_id: str, body: bytes, fetched_at: float) -> Record:
    """The record as it was; `exchange` stays None (the HTTP tab says so).

    Built in a thread: parsing and presenting a big document would hold every key."""
    # Imported here, not at the top: the TUI paints before any adapter module loads.
    from evtui.adapters.running import in_thread
    from evtui.lookup import from_cache

    return await in_thread(len(body), from_cache, adapter, record_type, record_id, body, fetched_at)


def http_section(record: Record, *, cached: bool) -> Section:
    """The HTTP facts as Fields and a header Table, so the generic renderer shows them."""
    ex = record.exchange
    fetched = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(record.fetched_at)) if record.fetched_at else "—"
    size = len(record.raw)
    if ex is None:
        fields = (
            Field("Source", "history cache", note="no request was made; F5 fetches it again" if cached else ""),
            Field("Fetched at", fetched),
            Field("Body", f"{size:,} bytes"),
        )
        return Section("http", "HTTP", fields)
    fields = [
        Field("Request", f"{ex.method} {ex.url}"),
        Field("Status", str(ex.status), note=_status_word(ex.status)),
        Field("Time", f"{ex.elapsed_ms:.0f} ms", note="the record request only"),
        Field("Fetched at", fetched),
        Field("Body", f"{size:,} bytes"),
    ]
    if cached:
        fields.insert(0, Field("Source", "history cache", note="F5 fetches it again"))
    fields += [Field(f"Step {i}", note) for i, note in enumerate(ex.notes, 1)]
    tables = (
        Table(
            "Response headers",
            ("Header", "Value"),
            tuple((name, value) for name, value in ex.response_headers),
            note="authorization and cookie headers are never kept",
        ),
    )
    return Section("http", "HTTP", tuple(fields), tables)


def _status_word(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
