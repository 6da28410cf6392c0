"""The lookup slot: one lookup at a time, whatever started it.

The bar, a history re-open, a related record, find-anywhere, refresh and diff
all go through one `LookupSlot`: it starts the work in an exclusive worker,
cancels the one before, hands the work a `Ticket` that says whether it is
still the newest (a late answer never replaces a newer one), reports the
adapter's progress to the loading view, and ends every failure, expected or
not, as the panel in the detail pane. A watch has a slot of its own (its
fetches run beside lookups) but the same protocol.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState

from evtui.errors import EvtuiError
from evtui.progress import Progress, reporting
from evtui.textsafe import visible
from evtui.tui.errors import Failure

if TYPE_CHECKING:
    from evtui.tui.screen import MainScreen

#: The loading view waits this long: a warm lookup answers before it would show.
LOADING_DELAY = 0.15


@dataclass(frozen=True)
class Ticket:
    """What one started lookup holds: whether it is still the one the user waits for."""

    slot: LookupSlot
    seq: int

    @property
    def current(self) -> bool:
        return self.seq == self.slot.seq


Work = Callable[[Ticket], Awaitable[None]]


def _import_record_view_beside() -> None:
    """The record view's module, imported on a thread while the first request is on its way:
    an idle inspector does without it (`detail.RECORD_VIEW`), its first answer need not wait."""
    from evtui.tui.detail import RECORD_VIEW

    if RECORD_VIEW not in sys.modules:
        threading.Thread(target=importlib.import_module, args=(RECORD_VIEW,), name="evtui-record-view", daemon=True).start()


class LookupSlot:
    def __init__(self, screen: MainScreen, group: str = "lookup") -> None:
        self.screen = screen
        self.group = group
        #: Bumped by every start and cancel: only the newest ticket may show its answer.
        self.seq = 0
        self.worker: Worker[Any] | None = None
        #: What is being looked up, in words ("session X on demo-corpay (Corpay EV Drive)").
        self.context = ""
        #: The last (profile, record type, id) sent, for refresh after a failure.
        self.last_target: tuple[str, str, str] | None = None
        #: A refresh keeps the record on screen and marks it instead of the loading view.
        self.keeping_record = False
        #: Whether the work in flight shows the loading view (a cancel restores what was before).
        self.loading_shown = False
        #: The app's count of focus-moving keys when the lookup started (see `fail`).
        self._focus_moves_at_start = 0

    @property
    def busy(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    def start(
        self,
        context: str,
        work: Work,
        *,
        target: tuple[str, str, str] | None = None,
        keep_record: bool = False,
        quiet: bool = False,
    ) -> Ticket:
        """Cancel what runs, then run `work`; the loading view (or the refreshing mark) shows."""
        self.seq += 1
        ticket = Ticket(self, self.seq)
        self.context = context
        self._focus_moves_at_start = self._focus_moves()
        if target is not None:
            self.last_target = target
        detail = self.screen.detail
        self.keeping_record = keep_record and detail.shown is not None
        self.loading_shown = not self.keeping_record and not quiet
        if self.keeping_record:
            detail.mark_refreshing(True)
        elif self.loading_shown:
            detail.show_loading(context, delay=LOADING_DELAY)
        _import_record_view_beside()
        self.worker = self.screen.run_worker(
            partial(self._run, ticket, work), group=self.group, exclusive=True, exit_on_error=False, name=f"{self.group}-{ticket.seq}"
        )
        return ticket

    async def _run(self, ticket: Ticket, work: Work) -> None:
        try:
            with reporting(self._reporter(ticket)):
                await work(ticket)
        except EvtuiError as exc:
            if ticket.current:
                self.fail(exc)
        finally:
            if ticket.current and self.keeping_record:
                self.screen.detail.mark_refreshing(False)
                self.keeping_record = False

    def fail(self, error: BaseException) -> None:
        """The failure panel; the bar gets the focus, to fix the id or try another, unless F3,
        ctrl+l or F2 pressed since the lookup started put it somewhere else (as an answer does)."""
        self.screen.detail.show_error(self.screen.explain(Failure.of(error, self.context)))
        self.screen.refresh_bindings()
        if self._focus_moves() == self._focus_moves_at_start:
            self.screen.focus_bar()

    def _focus_moves(self) -> int:
        return self.screen.evtui.key_order.focus_moves

    def _reporter(self, ticket: Ticket) -> Callable[[Progress], None]:
        """The callback `evtui.progress` calls from inside the adapter.

        Lookups run in async workers, on the app's event loop: the callback may
        touch widgets directly. Should an adapter report from a thread, the
        update is handed to the loop instead."""
        screen = self.screen

        def show(progress: Progress) -> None:
            if ticket.current and screen.detail.mode == "loading":
                screen.detail.show_progress(progress.message, progress.wait)

        def callback(progress: Progress) -> None:
            if threading.get_ident() == screen.app._thread_id:
                show(progress)
            else:
                screen.app.call_from_thread(show, progress)

        return callback

    def cancel(self, say: bool = True) -> bool:
        """Stop the lookup in flight; True when there was one."""
        if not self.busy:
            return False
        self.seq += 1
        self.screen.workers.cancel_group(self.screen, self.group)
        detail = self.screen.detail
        if self.keeping_record:
            detail.mark_refreshing(False)
            self.keeping_record = False
        elif self.loading_shown:
            detail.restore()
        if say:
            self.screen.notify(visible(f"Cancelled: {self.context}"), markup=False, timeout=3)
        return True

    def worker_failed(self, worker: Worker[Any]) -> bool:
        """An exception nobody expected in this slot's worker: the panel, never a dead app.

        True when the worker was this slot's (handled, or old and ignored)."""
        if worker.group != self.group:
            return False
        if worker is self.worker and worker.state == WorkerState.ERROR and worker.error is not None:
            self.fail(worker.error)
        return True
