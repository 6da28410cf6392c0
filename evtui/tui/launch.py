"""`evtui ID`: the id given at launch is fetched while the screen is being made.

The app prepares the start profile when it loads, before the screen is composed, and sends
the request then: composing, mounting and the first frame (about 100 ms of CPU on the UI
thread) overlap the provider's answer instead of coming before it. The screen's lookup of
that id, started once it is mounted, takes the fetch over rather than sending its own: one
request, and the lookup's history, errors, frames and cancelling are the lookup's as ever.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

from evtui.errors import EvtuiError

if TYPE_CHECKING:
    from evtui.adapters.base import Adapter
    from evtui.record import Record

#: (profile, record type, cleaned id, since): what a lookup must ask for to take the fetch over.
Target = tuple[str, str, str, datetime | None]


class LaunchFetch:
    def __init__(self) -> None:
        self._target: Target | None = None
        self._task: asyncio.Task[Record] | None = None

    def start(self, adapter: Adapter, raw_id: str, record_type: str | None, since: datetime | None) -> None:
        """Send the request for the launch id (a valid one: the screen explains any other)."""
        from evtui.lookup import validating_later

        try:
            rt = adapter.record_type(record_type)
            record_id = adapter.validate_id(raw_id, rt.name)
        except EvtuiError:
            return
        with validating_later():  # the task copies the context: shown before model validation
            task = asyncio.ensure_future(adapter.fetch(record_id, rt.name, since=since))
        task.add_done_callback(_retrieved)
        self._target, self._task = (adapter.profile, rt.name, record_id, since), task

    def take(self, target: Target) -> asyncio.Task[Record] | None:
        """The fetch under way for `target`, once; None (and the fetch stopped) for another."""
        task, self._task = self._task, None
        if task is not None and target != self._target:
            task.cancel()
            return None
        return task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None


def _retrieved(task: asyncio.Task[Record]) -> None:
    # A fetch nobody took still has its outcome read: no "exception was never retrieved".
    if not task.cancelled():
        task.exception()
