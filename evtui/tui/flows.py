"""What puts a record in the detail pane: the bar, refresh, history, related records,
find-anywhere, diff and watch. Each starts through the screen's `LookupSlot`
(`self.lookups`, or `self.watcher` for a watch) and ends in `show_record`.

A mixin of `MainScreen`, kept apart so the screen itself only routes events.
"""

from __future__ import annotations

import dataclasses
import gc
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from textual.widgets import Select

from evtui.adapters.running import BIG_DOCUMENT
from evtui.errors import EvtuiError, InvalidId
from evtui.history import HistoryEntry
from evtui.record import Record, Related
from evtui.textsafe import visible
from evtui.tui import frames_written_at_once
from evtui.tui.detail import Shown
from evtui.tui.errors import Failure
from evtui.tui.lookups import LOADING_DELAY, Ticket
from evtui.tui.pickers import ChoicePicker, related_label
from evtui.tui.text import safe

if TYPE_CHECKING:
    from evtui.adapters.base import Adapter
    from evtui.tui.record_view import RecordView
    from evtui.find import Attempt
    from evtui.tui.screen import MainScreen

    _Base = MainScreen
else:
    _Base = object


class Flows(_Base):
    # -- the bar and refresh ------------------------------------------------------------

    def lookup_id(
        self,
        raw: str,
        record_type: str | None = None,
        *,
        profile: str | None = None,
        refresh: bool = False,
        push: bool = False,
        since: datetime | None = None,
    ) -> bool:
        """Validate and start a lookup; an invalid id is explained under the bar, nothing is sent.

        `refresh`: the record on screen stays (marked) until the answer replaces it.
        `push`: the record on screen goes on the back stack (Esc returns to it).
        `since`: how far back a scanning adapter (OCPI) looks; default `--since`, else its window."""
        if not self.evtui.ready:
            self._pending_lookup = (raw, record_type)
            self.prepare()  # now, not when the first frame's timer says
            return True
        if profile is not None and profile != self.profile_name and not self.apply_profile(profile):
            return False
        adapter = self.adapter
        try:
            rt = adapter.record_type(record_type)
            record_id = adapter.validate_id(raw, rt.name)
        except InvalidId as exc:
            self.search_message.show_invalid(exc.message, exc.hint)
            self.focus_bar()
            return False
        self.search_message.show_hint(self._bar_hint(adapter, rt.name))
        self.stop_watch()
        if self.search.input.value != record_id:
            # Show the cleaned id: the user sees what was actually sent.
            self.search.input.value = record_id
        context = f"{rt.title.lower()} {record_id} on {adapter.profile} ({adapter.title})"
        if push:
            self.push_back()
        self.scan_since = since or self.since
        focus_moves = self.evtui.key_order.focus_moves

        async def work(ticket: Ticket) -> None:
            record = await self._fetch(adapter, record_id, rt.name, since=since or self.since)
            if ticket.current:
                # F3, ctrl+l or F2 pressed after the Enter: the answer leaves the focus where they put it.
                moved = self.evtui.key_order.focus_moves != focus_moves
                await self.show_record(record, adapter, move_focus=not refresh and not moved)

        self.lookups.start(context, work, target=(adapter.profile, rt.name, record_id), keep_record=refresh)
        return True

    async def _fetch(self, adapter: Adapter, record_id: str, record_type: str, *, since: datetime | None = None) -> Record:
        from evtui.lookup import lookup, validating_later  # the adapters' imports wait until needed

        try:
            # Shown before model validation: `show_record` has its findings joined when ready.
            with validating_later():
                return await lookup(adapter, record_id, record_type, history=self.evtui.history.recorder(), since=since or self.since)
        finally:
            self.frames.hold()  # the record whole in one frame: header, tabs and fields
            # After the answer's frame: the row it adds moves every line of the list, a frame's
            # worth of drawing that the person waiting for the record does not look at first.
            self.frames.after(self.history_changed)

    def action_refresh(self) -> None:
        shown = self.detail.shown
        if shown is not None:
            record = shown.record
            self.lookup_id(record.record_id, record.record_type, profile=record.profile, refresh=True)
        elif self.lookups.last_target is not None:
            profile, record_type, record_id = self.lookups.last_target
            self.lookup_id(record_id, record_type, profile=profile)

    async def show_record(
        self,
        record: Record,
        adapter: Adapter,
        cached_at: float | None = None,
        *,
        move_focus: bool = True,
        tab: str | None = None,
        **shown: object,
    ) -> None:
        focus_in_record = self.detail.has_focus_within
        view = await self.detail.show_record(Shown(record, adapter.title, cached_at, **shown), now=self.evtui.clock(), tab=tab)  # type: ignore[arg-type]
        # The focus and the keys it brings follow the record's frame: moved now, the bar's and the
        # list's restyle and the footer's new keys went into that frame and held it back.
        self.frames.after(self._focus_shown, view, record, move_focus or focus_in_record)
        # Once the record is painted: validating meanwhile would take the GIL from its first frame.
        self.frames.after(self.join_validation, record)
        if not self._long_lived_frozen or len(record.raw) >= BIG_DOCUMENT:
            if not self._long_lived_frozen and not self.app.is_headless:  # headless: no writer thread
                frames_written_at_once()  # before its frame is drawn: the writer waits for the GIL then
            self._long_lived_frozen = True
            self.frames.after(gc.freeze)

    def _focus_shown(self, view: RecordView, record: Record, move_focus: bool) -> None:
        self.refresh_bindings()
        if not move_focus or not view.is_attached or self.detail.record_view is not view:
            return
        bar = self.search.input
        # Into the record, so its keys work; never while the user types the next id into the bar.
        typing = bar.has_focus and bar.value.strip() != record.record_id
        if not typing and not view.focus_content():
            self.call_after_refresh(view.focus_when_ready)  # mounted by the next frames

    #: Once the first record is on screen, what lives as long as the app (modules, config, the
    #: screen's widgets, the record view updated in place: ~100,000 objects) is moved out of the
    #: collector's reach. Each gen-2 collection walked all of it: a fifth to a third of the CPU
    #: of a warm lookup or an F3 (cProfile of a pilot run). Left out: what later lookups make,
    #: but for a big record: its document and presentation (70,000 containers for a 5 MB
    #: session) were walked by the next collections, 50 ms each, landing on keys. Freed as ever
    #: once unused (they hold no cycles); a cycle frozen meanwhile waits for the unfreeze.
    _long_lived_frozen = False

    def on_unmount(self) -> None:
        # Given back when the screen goes: a process that makes app after app (the tests) would
        # otherwise keep every one of them.
        if self._long_lived_frozen:
            gc.unfreeze()

    def join_validation(self, record: Record) -> None:
        """For a record shown before model validation ran: validate it, off the lookup's slot (the
        record is usable, keys and the next lookup go on meanwhile), its findings joined if it is still shown."""
        if record.validation is not None:
            self.run_worker(self._join_validation(record), group="validation", exclusive=True, exit_on_error=False)

    async def _join_validation(self, record: Record) -> None:
        from evtui.lookup import validate_later

        adapter = self.evtui.pool.get(record.profile)

        try:
            validated = await validate_later(adapter, record)
        except EvtuiError as exc:
            if self.detail.shown is not None and self.detail.shown.record is record:
                self.notify(visible(f"{exc.message} {exc.hint}".strip()), severity="error", markup=False)
            return
        if validated is not None and (shown := self.detail.validated(record, validated)) is not None:
            await self.show_record(validated, adapter, shown.cached_at, move_focus=False, changed=shown.changed, changes=shown.changes)

    # -- scanning further back (OCPI) ----------------------------------------------------------

    def scan_window_days(self) -> int | None:
        """Days the last lookup scanned back, when its adapter scans a window (OCPI); else None."""
        target = self.lookups.last_target
        if target is None:
            return None
        try:
            window = getattr(self.evtui.pool.get(target[0]).settings, "window_days", None)
        except EvtuiError:
            return None
        if not isinstance(window, int):
            return None
        if self.scan_since is not None:
            return max(1, round((datetime.now(timezone.utc) - self.scan_since).total_seconds() / 86400))
        return window

    def explain(self, failure: Failure) -> Failure:
        """The failure panel, with the keys that can do more for it here."""
        days = self.scan_window_days() if failure.kind == "not_found" else None
        if days is None:
            return failure
        return dataclasses.replace(failure, more_keys=f"F10: scan further back ({days * 2} days instead of {days})")

    def action_scan_back(self) -> None:
        """Look the not-found id up again over twice the window."""
        days = self.scan_window_days()
        target = self.lookups.last_target
        if days is None or target is None:
            return
        profile, record_type, record_id = target
        since = datetime.now(timezone.utc) - timedelta(days=days * 2)
        self.notify(f"Scanning {days * 2} days back (the last lookup looked {days} days back).", timeout=4)
        self.lookup_id(record_id, record_type, profile=profile, since=since)

    # -- related records and history --------------------------------------------------------

    def action_open_related(self) -> None:
        shown = self.detail.shown
        if shown is None or not shown.record.related:
            return
        related = shown.record.related
        profile = shown.record.profile

        def chosen(item: Related | None) -> None:
            if item is not None:
                self.open_related(item, profile)

        if len(related) == 1:
            chosen(related[0])
            return
        self.app.push_screen(
            ChoicePicker(f"Open a record related to {shown.record.record_type} {shown.record.record_id}", [(related_label(r), r) for r in related]),
            chosen,
        )

    def open_related(self, related: Related, profile: str) -> None:
        """Look the related record up with its own type, showing the type in the bar."""
        if profile != self.profile_name and not self.apply_profile(profile):
            return
        self.show_type(related.record_type)
        self.search.input.value = related.record_id
        self.lookup_id(related.record_id, related.record_type, profile=profile, push=True)

    def show_type(self, record_type: str) -> None:
        if record_type in self.search.record_types:
            self.search.query_one(Select).value = record_type

    def reopen(self, entry: HistoryEntry) -> None:
        """Show the cached answer at once if there is one; else look the id up again."""
        from evtui.lookup import validating_later  # the adapters' imports wait until needed
        from evtui.tui.records import record_from_cache

        self.stop_watch()
        if entry.profile not in self.evtui.config.profiles:
            self.search.input.value = entry.record_id
            self.focus_bar()
            self.notify(
                visible(f"Profile {entry.profile} is not configured here; the id is in the search bar."),
                severity="warning",
                markup=False,
            )
            return
        if entry.profile != self.profile_name and not self.apply_profile(entry.profile):
            return
        self.show_type(entry.record_type)
        self.search.input.value = entry.record_id
        self.drawer_open = False
        adapter = self.adapter
        self.push_back()

        async def work(ticket: Ticket) -> None:
            cached = await self.evtui.history.cached(entry.key) if entry.outcome == "found" else None
            if not ticket.current:
                return
            record, fetched_at = None, None
            if cached is not None:
                body, fetched_at = cached
                try:
                    with validating_later():  # as a lookup: shown first, validated after
                        record = await record_from_cache(adapter, entry.record_type, entry.record_id, body, fetched_at)
                except (ValueError, EvtuiError):
                    record, fetched_at = None, None
            if record is None:
                self.detail.show_loading(context, delay=LOADING_DELAY)
                self.lookups.loading_shown = True
                record = await self._fetch(adapter, entry.record_id, entry.record_type)
            if ticket.current:
                await self.show_record(record, adapter, cached_at=fetched_at)

        context = f"{entry.record_type} {entry.record_id} on {entry.profile} (history)"
        # A cached copy shows at once: the record on screen stays until it does.
        self.lookups.start(context, work, target=entry.key, quiet=True)

    # -- find anywhere ------------------------------------------------------------------------

    def action_find_anywhere(self) -> None:
        """The id in the bar, looked up on every profile whose id rules fit it."""
        from evtui.find import candidates  # the adapters' imports wait until needed

        raw = self.search.input.value
        try:
            pairs = candidates(self.evtui.pool, raw)
        except EvtuiError as exc:
            self.detail.show_error(Failure.of(exc, "find anywhere"))
            return
        if not pairs:
            self.search_message.show_invalid(
                visible(f"{raw.strip()!r} fits the id rules of none of the profiles."), "Check the id; F2 lists the providers."
            )
            return
        self.stop_watch()
        self.push_back()
        names = ", ".join(a.profile for a, _ in pairs)

        async def work(ticket: Ticket) -> None:
            from evtui.find import find_anywhere, not_found_anywhere

            try:
                attempts = await find_anywhere(self.evtui.pool, raw, history=self.evtui.history.recorder())
            finally:
                self.history_changed()
            if not ticket.current:
                return
            self.found_anywhere = attempts
            found = [a for a in attempts if a.record is not None]
            if not found:
                raise not_found_anywhere(attempts)
            tried = ", ".join(f"{a.profile} ({'found' if a.record else a.error.title.lower() if a.error else '?'})" for a in attempts)
            if len(found) == 1:
                await self._show_found(found[0])
                self.notify(visible(f"Found on {found[0].profile}. Tried: {tried}"), markup=False, timeout=6)
                return
            self.detail.restore()

            def chosen(attempt: Attempt | None) -> None:
                if attempt is not None:
                    self.run_worker(self._show_found(attempt), group="lookup", exclusive=True)

            choices = [(safe(f"{a.profile}: {a.record.record_type} {a.record.record_id} · {a.record.summary}"), a) for a in found if a.record]
            self.app.push_screen(ChoicePicker(f"Found on {len(found)} profiles (tried: {tried})", choices), chosen)

        self.lookups.start(f"{raw.strip()} on every profile it fits ({names})", work)
        self.lookups.last_target = None

    async def _show_found(self, attempt: Attempt) -> None:
        record = attempt.record
        assert record is not None
        if record.profile != self.profile_name:
            self.apply_profile(record.profile)
        self.show_type(record.record_type)
        self.search.input.value = record.record_id
        self.lookups.last_target = (record.profile, record.record_type, record.record_id)
        await self.show_record(record, self.evtui.pool.get(record.profile))
