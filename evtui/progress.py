"""Progress from deep inside a lookup (a retry wait, pages scanned) to whoever shows it.

A context variable, so concurrent lookups on one shared adapter each report to
their own caller; the core stays free of any UI. The TUI sets a reporter in its
lookup worker; the CLI sets none and nothing is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Progress:
    message: str
    #: Seconds the lookup will wait before going on (a retry), if it waits.
    wait: float | None = None


Reporter = Callable[[Progress], None]
_reporter: ContextVar[Reporter | None] = ContextVar("evtui_progress", default=None)


def report(message: str, *, wait: float | None = None) -> None:
    callback = _reporter.get()
    if callback is not None:
        callback(Progress(message, wait))


@contextmanager
def reporting(callback: Reporter) -> Iterator[None]:
    token = _reporter.set(callback)
    try:
        yield
    finally:
        _reporter.reset(token)
