"""The history store, off the UI thread.

`HistoryStore` is synchronous SQLite with a 10 s busy timeout: another evtui
in the next tmux pane holding the lock must never freeze this UI. Every call
therefore runs on one dedicated thread (one, so the store's single connection
never sees two transactions at once, and writes stay in order) and is awaited.

`lookup()` wants an object with a synchronous `.record(...)`; `recorder()`
gives one that queues the write on that thread and returns at once.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, NamedTuple, TypeVar

from evtui.history import HistoryEntry, HistoryStore

T = TypeVar("T")


class Page(NamedTuple):
    entries: list[HistoryEntry]
    more: bool
    #: Every entry, filtered or not (an exact count of matches would read them all).
    total: int


class _Recorder:
    """Stands in for the store inside `lookup()`: writes are queued, not awaited. Each is also
    kept (`HistoryService.take_written`), so the list can show it before the write is done."""

    def __init__(self, service: HistoryService) -> None:
        self._service = service

    def record(self, **kwargs: Any) -> None:
        kwargs.setdefault("when", time.time())  # the time written, so the list shows what the store will hold
        self._service.wrote({k: v for k, v in kwargs.items() if k != "body"})
        self._service.submit(lambda store: store.record(**kwargs))

    def remember(self, record: Any) -> None:
        # As `HistoryStore.remember`, with the time given.
        attempt = dict(profile=record.profile, adapter=record.adapter, record_type=record.record_type,
                       record_id=record.record_id, outcome="found", summary=record.summary, when=time.time())
        self._service.wrote(attempt)
        self._service.submit(lambda store: store.record(**attempt, body=record.raw))


class HistoryService:
    def __init__(self, store: HistoryStore | Callable[[], HistoryStore]) -> None:
        #: The store, or what opens it: opened on the history thread, never before the first frame.
        self._store = store
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evtui-history")
        self._last: Future[Any] | None = None
        #: Lookups queued to be written since `take_written` was last asked (on the UI thread).
        self._written: list[dict[str, Any]] = []

    @property
    def store(self) -> HistoryStore:
        if not isinstance(self._store, HistoryStore):
            self._store = self._store()
        return self._store

    def submit(self, fn: Callable[[HistoryStore], T]) -> Future[T]:
        future = self._executor.submit(lambda: fn(self.store))
        self._last = future
        return future

    async def call(self, fn: Callable[[HistoryStore], T]) -> T:
        return await asyncio.wrap_future(self.submit(fn))

    def recorder(self) -> Any:
        return _Recorder(self)

    def wrote(self, attempt: dict[str, Any]) -> None:
        store = self._store
        if isinstance(store, HistoryStore) and not store.enabled:
            return  # history is off: nothing will be listed
        self._written.append(attempt)

    def take_written(self) -> list[dict[str, Any]]:
        """The lookups queued for writing since the last call (`entry_after` takes each one)."""
        written, self._written = self._written, []
        return written

    async def settled(self) -> None:
        """Wait until every queued write is done (the thread runs them in order)."""
        await self.call(lambda store: None)

    async def page(self, *, query: str = "", limit: int) -> Page:
        """The first `limit` entries matching `query`, whether there are more, and how many in all."""

        def read(store: HistoryStore) -> Page:
            entries = store.entries(query=query, limit=limit + 1)  # one more tells whether the list is capped
            return Page(entries[:limit], len(entries) > limit, store.count())

        return await self.call(read)

    async def recent_ids(self, profile: str, limit: int = 50) -> list[str]:
        return await self.call(lambda s: s.recent_ids(profile, limit))

    async def cached(self, key: tuple[str, str, str]) -> tuple[bytes, float] | None:
        return await self.call(lambda s: s.cached(key))

    async def set_pinned(self, key: tuple[str, str, str], pinned: bool) -> None:
        await self.call(lambda s: s.set_pinned(key, pinned))

    async def delete(self, key: tuple[str, str, str]) -> None:
        await self.call(lambda s: s.delete(key))

    async def notice(self) -> str | None:
        """The store's one-time message (damaged file moved aside, history off), then None."""

        def take(store: HistoryStore) -> str | None:
            text, store.notice = store.notice, None
            return text

        return await self.call(take)

    def close(self) -> None:
        # Queued writes finish first: a lookup's history entry is never lost on quit.
        self._executor.submit(self._close)
        self._executor.shutdown(wait=True)

    def _close(self) -> None:
        if isinstance(self._store, HistoryStore):
            self._store.close()
