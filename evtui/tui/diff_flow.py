"""The shown record against a fresh fetch (F8), or a cached history entry against one: the
changes as a tab of their own, each changed field marked.

A mixin of `MainScreen`; the fetch and the showing are `Flows`'s.
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING

from evtui.diff import diff_records
from evtui.errors import EvtuiError
from evtui.history import HistoryEntry
from evtui.record import Record
from evtui.textsafe import visible
from evtui.tui.lookups import Ticket
from evtui.tui.watching import CHANGES_KEY, changes_section, rows_of

if TYPE_CHECKING:
    from evtui.tui.screen import MainScreen

    _Base = MainScreen
else:
    _Base = object


class DiffFlow(_Base):
    def action_diff(self) -> None:
        """The shown copy against a fresh fetch, field by field."""
        shown = self.detail.shown
        if shown is None:
            return
        self.stop_watch()
        when = shown.cached_at if shown.cached_at is not None else shown.record.fetched_at
        self.start_diff(shown.record, when)

    def diff_entry(self, entry: HistoryEntry) -> None:
        from evtui.tui.records import record_from_cache  # the adapters' imports wait until needed

        if entry.profile not in self.evtui.config.profiles or entry.outcome != "found":
            self.notify("Only a found record of a configured profile can be compared.", severity="warning", timeout=4)
            return

        async def work(ticket: Ticket) -> None:
            cached = await self.evtui.history.cached(entry.key)
            if not ticket.current:
                return
            if cached is None:
                self.detail.restore()
                self.notify("No cached copy of this entry to compare with (history keeps the last answer only when cache_responses is on).", severity="warning", timeout=5)
                return
            if entry.profile != self.profile_name and not self.apply_profile(entry.profile):
                return
            self.drawer_open = False
            body, fetched_at = cached
            try:
                old = await record_from_cache(self.adapter, entry.record_type, entry.record_id, body, fetched_at)
            except (ValueError, EvtuiError) as exc:
                self.detail.restore()
                self.notify(visible(f"The cached copy cannot be read: {exc}"), severity="warning", markup=False)
                return
            self.search.input.value = entry.record_id
            self.start_diff(old, fetched_at)

        self.lookups.start(f"{entry.record_type} {entry.record_id} from history, to compare", work, quiet=True)

    def start_diff(self, old: Record, when: float) -> None:
        adapter = self.evtui.pool.get(old.profile)
        context = f"{old.record_type} {old.record_id} on {old.profile} ({adapter.title}), to compare"

        async def work(ticket: Ticket) -> None:
            fresh = await self._fetch(adapter, old.record_id, old.record_type)
            if not ticket.current:
                return
            changes = diff_records(old, fresh, first=adapter.status_paths(old.record_type))
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(when))
            rows = rows_of(fresh, changes, self.evtui.clock())
            section = changes_section([rows], title=f"Changes since {stamp}", empty=f"nothing changed since the copy of {stamp}")
            section = dataclasses.replace(section, title="Changes")
            if section.tables:
                section = dataclasses.replace(section, tables=(dataclasses.replace(section.tables[0], title=f"Since the copy of {stamp}"),))
            await self.show_record(
                fresh, adapter, changed=frozenset(c.path for c in changes), changes=section, tab=f"tab-{CHANGES_KEY}"
            )
            n = len(changes)
            self.notify(f"{n} change{'s' if n != 1 else ''} since {stamp}" if n else f"No change since {stamp}", timeout=4)

        self.lookups.start(context, work, target=(old.profile, old.record_type, old.record_id))
