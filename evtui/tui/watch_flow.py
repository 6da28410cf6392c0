"""Watching the record on screen (F7): a fetch every `watch_interval` seconds until it is
final, changes highlighted and gathered in a Changes tab. The record stays on screen,
marked "refreshing…" while a fetch is due and in flight. Runs in the screen's second
`LookupSlot` (`self.watcher`), beside lookups.

A mixin of `MainScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evtui.errors import EvtuiError
from evtui.record import Record
from evtui.textsafe import visible
from evtui.tui.lookups import Ticket
from evtui.tui.watching import ChangeRow, changes_section, rows_of

if TYPE_CHECKING:
    from evtui.tui.screen import MainScreen

    _Base = MainScreen
else:
    _Base = object


class WatchFlow(_Base):
    @property
    def watching(self) -> bool:
        return self.watcher.busy

    def action_toggle_watch(self) -> None:
        if self.stop_watch("Stopped watching."):
            return
        shown = self.detail.shown
        if shown is not None:
            self.start_watch(shown.record, shown.cached_at)

    def start_watch(self, first: Record, cached_at: float | None = None) -> None:
        """Fetch the shown record every watch_interval seconds until it is final or stopped."""
        from evtui.watch import watch  # the adapters' imports wait until needed

        adapter = self.evtui.pool.get(first.profile)
        interval = self.evtui.config.settings.watch_interval
        self.watch_status.start(f"{first.record_type} {first.record_id} every {interval:g} s")

        async def work(ticket: Ticket) -> None:
            fetches: list[list[ChangeRow]] = []
            empty = "watching: each fetch that changes a value adds its lines here"
            try:
                async for event in watch(
                    adapter, first.record_id, first.record_type, interval=interval, history=self.evtui.history.recorder(), first=first
                ):
                    if not ticket.current:
                        return
                    self._mark_next_fetch(None)
                    if event.record is first:
                        # What is on screen already: add the (empty) Changes tab, say when the first fetch comes.
                        await self.show_record(first, adapter, cached_at, move_focus=False, changes=changes_section(fetches, empty=empty))
                        self.watch_status.waiting(event.next_in)
                    elif event.record is not None:
                        fetches.append(rows_of(event.record, event.changes, self.evtui.clock()))
                        changed = frozenset(c.path for c in event.changes)
                        await self.show_record(
                            event.record, adapter, move_focus=False, changed=changed, changes=changes_section(fetches, empty=empty)
                        )
                        self.watch_status.fetched(len(event.changes), event.next_in)
                    elif event.error is not None:
                        self.watch_status.failed(f"{event.error.title}; backing off", event.next_in)
                    if not event.final:
                        self._mark_next_fetch(event.next_in)
                    if event.final:
                        why = f"Watch ended: {event.final}."
                        self.watch_status.stopped(why)
                        self.notify(visible(why), markup=False, timeout=5)
                        self.history_changed()  # watch() keeps the final answer in history
                        break
            except EvtuiError as exc:
                if ticket.current:
                    self.watch_status.stopped(f"Watch ended: {exc.title}: {exc.message}")
            finally:
                self._mark_next_fetch(None)
                if ticket.current:
                    self.call_later(self.refresh_bindings)

        self.watcher.start(self.watcher.context, work, quiet=True)
        self.refresh_bindings()

    def _mark_next_fetch(self, seconds: float | None) -> None:
        """The record's "refreshing…" mark while a watch fetch is in flight (from when it is due)."""
        timer = getattr(self, "_watch_mark", None)
        if timer is not None:
            timer.stop()
        self._watch_mark = None
        if seconds is None:
            self.detail.mark_refreshing(False)
        else:
            self._watch_mark = self.set_timer(seconds, lambda: self.detail.mark_refreshing(True), name="watch-fetch-due")

    def stop_watch(self, why: str = "") -> bool:
        """Stop watching (a new lookup, Escape, F7); True when there was something to stop."""
        if not self.watcher.cancel(say=False):
            self.watch_status.clear()
            return False
        if why:
            self.watch_status.stopped(why)
            self.notify(why, timeout=2)
        else:
            self.watch_status.clear()
        self.refresh_bindings()
        return True
