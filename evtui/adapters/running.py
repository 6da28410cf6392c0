"""Where adapter work runs: records built in worker threads, lookups run a few at a time."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


#: From this size on, a document is built with the cyclic GC paused (see in_thread).
BIG_DOCUMENT = 1 << 20


async def in_thread(size: int, func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` (building a record from `size` bytes) in a worker thread.

    For a big document the cyclic GC is off meanwhile: validating it makes models by the
    ten thousand, and each full collection would walk them all holding the GIL (three
    pauses of up to 90 ms for a 5 MB session, keys unanswered meanwhile) to find nothing,
    as documents and models hold no cycles. The young generation is then collected here,
    before the caller goes on: a full collection would walk the whole heap (the app, the
    record shown) for a tenth of a second of CPU, once after each of the page's parse, the
    record's build and its validation, the keys unanswered meanwhile."""
    if size < BIG_DOCUMENT or not gc.isenabled():
        return await asyncio.to_thread(func, *args)
    gc.disable()
    try:
        return await asyncio.to_thread(func, *args)
    finally:
        gc.enable()
        gc.collect(0)


async def gather_bounded(coros: list[Any], limit: int = 4) -> list[Any]:
    """Run coroutines with at most `limit` at once; results (or exceptions) in order."""
    sem = asyncio.Semaphore(limit)

    async def one(coro: Any) -> Any:
        async with sem:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros), return_exceptions=True)

