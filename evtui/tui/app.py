"""The evtui app: search bar, provider switcher, detail tabs, history panel.

`run_app` is what `evtui [--demo] [--profile P] [ID]` calls. `MainScreen`
holds the flow (lookups, profiles, copying); the widgets in the sibling
modules each do one job and talk to it through messages.

Lookups run in an exclusive async worker: a new lookup or Escape cancels the
one in flight, and a sequence number makes sure a late answer never replaces
a newer one. Every failure ends as a panel in the detail pane, including
exceptions nobody expected (`on_worker_state_changed`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Select, Static
from textual.worker import Worker, WorkerState

from evtui.diff import diff
from evtui.config.file import ConfigFile
from evtui.environment import judge_environment
from evtui.errors import EvtuiError, InvalidId
from evtui.history import HistoryEntry, HistoryStore
from evtui.progress import Progress, reporting
from evtui.record import Record, Related
from evtui.state import StateFile
from evtui.textsafe import visible
from evtui.tui import AFTER_FIRST_FRAME
from evtui.tui.clipboard import copy_text
from evtui.tui.commands import EvtuiCommands
from evtui.tui.detail import DetailPane, Shown, welcome_text
from evtui.tui.errors import Failure
from evtui.tui.help import HelpScreen
from evtui.tui.history_panel import HistoryList, HistoryPanel
from evtui.tui.pickers import ChoicePicker, related_label
from evtui.tui.history_service import HistoryService
from evtui.tui.raw_json import JsonView, RawJsonPane, prepare
from evtui.tui.search import SearchBar, SearchInput, SearchMessage
from evtui.tui.switcher import ALL_PROFILES, ProfileInfo, ProfilePicker, ProfileSwitcher
from evtui.tui.footer import FitFooter
from evtui.tui.export import ConfirmScreen, ExportScreen, write_bytes
from evtui.tui.pager import page_json
from evtui.tui.text import human_size, safe
from evtui.tui.watching import CHANGES_KEY, ChangeRow, WatchStatus, changes_section, rows_of

if TYPE_CHECKING:
    from evtui.adapters.base import Adapter
    from evtui.config.schema import Config
    from evtui.find import Attempt
    from evtui.pool import AdapterPool
    from evtui.demo.server import DemoServer

#: Below this the layout cannot work; a note says so instead.
MIN_WIDTH, MIN_HEIGHT = 50, 15
#: From this width the history panel sits beside the detail.
WIDE = 100
#: Below this the switcher drops the adapter title.
COMPACT = 72
#: Below this the footer drops its padding to fit more keys.
FOOTER_COMPACT = 110


class MainScreen(Screen):
    DEFAULT_CSS = """
    MainScreen { layout: vertical; }
    MainScreen > #too-small { display: none; height: 1fr; content-align: center middle; text-style: bold; }
    MainScreen.-too-small > #too-small { display: block; }
    MainScreen.-too-small > #main { display: none; }
    MainScreen.-too-small > Footer { display: none; }
    #main { height: 1fr; }
    #top { height: 3; }
    #body { height: 1fr; }
    /* Wide: history beside the detail unless hidden. Narrow: a drawer that replaces the
       detail while open. Which of the two shows is set by `_place_history`, not here. */
    MainScreen.-narrow HistoryPanel { width: 1fr; border-left: none; }
    /* Short or slim terminals: the key hint under the bar gives its row to the record. */
    MainScreen.-short SearchMessage.-hint { display: none; }
    """

    BINDINGS = [
        Binding("escape", "back", "Cancel/Back", id="back", show=False),
        Binding("ctrl+l,slash", "focus_search", "Search", id="focus_search", show=False),
        Binding("f2,ctrl+t", "switch_profile", "Provider", id="switch_profile"),
        Binding("h,f3", "toggle_history", "History", id="toggle_history"),
        Binding("y", "copy_id", "Copy id", id="copy_id"),
        Binding("c", "copy_value", "Copy", id="copy_value"),
        Binding("J", "copy_json", "JSON", id="copy_json"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("t,f4", "cycle_record_type", "Type", id="record_type"),
        Binding("o", "open_related", "Open related", id="open_related"),
        Binding("w", "toggle_watch", "Watch", id="toggle_watch"),
        Binding("d", "diff", "Diff", id="diff"),
        Binding("e", "export", "Save", id="export"),
        Binding("v", "pager", "Pager", id="pager"),
        Binding("a,f6", "find_anywhere", "All profiles", id="find_anywhere"),
        Binding("right_square_bracket", "step_tab(1)", "Next tab", id="next_tab", show=False),
        Binding("left_square_bracket", "step_tab(-1)", "Previous tab", id="prev_tab", show=False),
        Binding("question_mark,f1", "help", "Keys", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, *, profile: str, initial_id: str | None) -> None:
        super().__init__()
        self.profile_name = profile
        self._initial_id = initial_id
        #: Bumped by every lookup start and cancel: only the newest lookup may show its answer.
        self._lookup_seq = 0
        self._lookup_worker: Worker[Any] | None = None
        self._lookup_context = ""
        #: The last (profile, record type, id) sent, for `r` after a failure.
        self._last_target: tuple[str, str, str] | None = None
        self._notice_shown = False
        #: Bumped by every watch start and stop: only the current watch may show its fetches.
        self._watch_seq = 0
        self._watch_worker: Worker[Any] | None = None
        #: The last find-anywhere's attempts (where the id was tried and how it went).
        self.found_anywhere: list[Attempt] = []
        #: Enter pressed before the config was validated: looked up once it is.
        self._pending_lookup: tuple[str, str | None] | None = None

    # -- typed accessors ----------------------------------------------------------------

    @property
    def evtui(self) -> EvtuiApp:
        app = self.app
        assert isinstance(app, EvtuiApp)
        return app

    @property
    def search(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def search_message(self) -> SearchMessage:
        return self.query_one(SearchMessage)

    @property
    def switcher(self) -> ProfileSwitcher:
        return self.query_one(ProfileSwitcher)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def history_panel(self) -> HistoryPanel:
        return self.query_one(HistoryPanel)

    @property
    def watch_status(self) -> WatchStatus:
        return self.query_one(WatchStatus)

    @property
    def adapter(self) -> Adapter:
        return self.evtui.pool.get(self.profile_name)

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Classes set before the children mount cost nothing; set after, each one restyles the screen.
        width, height = self.app.size
        self.update_classes(self._size_classes(width, height), update=False)
        self.set_class(not self.evtui.state_file.state.history_visible, "-history-hidden", update=False)
        yield Static(f"Terminal too small: evtui needs {MIN_WIDTH}x{MIN_HEIGHT}.", id="too-small")
        with Vertical(id="main"):
            with Horizontal(id="top"):
                switcher = ProfileSwitcher()
                switcher.compact = width < COMPACT
                yield switcher
                yield SearchBar()
            yield SearchMessage(id="search-message")
            yield WatchStatus(id="watch-status")
            with Horizontal(id="body"):
                panel, detail = self._history_layout()
                yield DetailPane().set_styles(f"display: {'block' if detail else 'none'};")
                yield HistoryPanel(self.evtui.history, self.evtui.clock).set_styles(
                    f"display: {'block' if panel else 'none'};"
                )
        yield FitFooter(compact=width < FOOTER_COMPACT)

    def on_mount(self) -> None:
        self.search.input.focus()
        if self._initial_id:
            self.search.input.value = self._initial_id
        if self.evtui.config_file is None:
            self._start()
        else:
            # Paint now from the file's facts; validation and the adapter's import come right after.
            self._show_unvalidated(self.profile_name)
            self.set_timer(AFTER_FIRST_FRAME, self._prepare)

    def _start(self) -> None:
        self.apply_profile(self.profile_name)
        if self._initial_id:
            self.lookup_id(self._initial_id)
        elif self._pending_lookup is not None:
            self.lookup_id(*self._pending_lookup)
        self._pending_lookup = None
        self.call_after_refresh(self._warm_up)

    def _show_unvalidated(self, name: str) -> None:
        file = self.evtui.config_file
        assert file is not None
        table = file.profile_tables.get(name, {})
        adapter = str(table.get("adapter", "?"))
        environment = table.get("environment")
        if environment not in ("demo", "test", "production"):
            url = next((v for k, v in table.items() if k.endswith("_url") and isinstance(v, str)), None)
            environment = judge_environment(url) if url else ""  # the adapter's default URL decides, soon
        self.switcher.info = ProfileInfo(name, adapter, environment, adapter)
        self.search_message.show_hint(f"Id on {name} · Enter looks it up · F2 another provider")
        self.detail.update_welcome(
            welcome_text(record_title="record", id_hint="", examples=(), profile=name, provider=adapter)
        )

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _prepare(self) -> None:
        """Validate the config and import the profile's adapter, off the UI thread, after the first frame."""
        app = self.evtui
        try:
            app.config
            adapter = app.pool.get(self.profile_name)
        except EvtuiError as exc:
            app.call_from_thread(app.fail_config, exc)
            return
        except Exception as exc:  # a bug: still leave cleanly, and say how to see more
            app.call_from_thread(
                app.fail_config,
                EvtuiError(f"could not start: {type(exc).__name__}", hint="run with EVTUI_DEBUG=1 for the traceback"),
            )
            if os.environ.get("EVTUI_DEBUG"):
                raise
            return
        try:
            adapter.client
        except Exception:  # the lookup meets it again, and explains it
            pass
        app.call_from_thread(self._prepared)

    def _prepared(self) -> None:
        app = self.evtui
        app.ready = True
        app.apply_keymap()
        for warning in app.config.warnings:
            self.notify(visible(warning), severity="warning", timeout=15, markup=False)
        self._start()

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        """After the first frame: what the first lookup would otherwise wait for (the HTTP client)."""
        try:
            self.adapter.client
        except Exception:  # the lookup will meet it again, and explain it
            pass

    def on_resize(self, event: Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    @staticmethod
    def _size_classes(width: int, height: int) -> dict[str, bool]:
        wide = width >= WIDE
        classes = {
            "-too-small": width < MIN_WIDTH or height < MIN_HEIGHT,
            "-wide": wide,
            "-narrow": not wide,
            "-short": width < COMPACT or height < 28,
        }
        if wide:
            classes["-drawer"] = False
        return classes

    def _apply_size(self, width: int, height: int) -> None:
        self.update_classes(self._size_classes(width, height))
        self._place_history()
        self.switcher.compact = width < COMPACT
        for footer in self.query(Footer):
            footer.compact = width < FOOTER_COMPACT

    def _history_layout(self) -> tuple[bool, bool]:
        """Whether the history panel and the detail pane show, from the screen's classes."""
        if self.has_class("-wide"):
            return not self.has_class("-history-hidden"), True
        drawer = self.has_class("-drawer")
        return drawer, not drawer

    def _set_history_classes(self, **classes: bool) -> None:
        # Classes only record the state (no restyle: that would walk a big record's every
        # widget); `display` on the two panes does the showing.
        self.update_classes({"-" + name.replace("_", "-"): on for name, on in classes.items()}, update=False)
        self._place_history()

    def _place_history(self) -> None:
        panel, detail = self._history_layout()
        self.history_panel.display = panel
        self.detail.display = detail

    @property
    def history_shown(self) -> bool:
        if self.has_class("-wide"):
            return not self.has_class("-history-hidden")
        return self.has_class("-drawer")

    # -- profiles -------------------------------------------------------------------------

    def profile_infos(self) -> list[ProfileInfo]:
        infos = []
        for name, profile in self.evtui.config.profiles.items():
            try:
                adapter = self.evtui.pool.get(name)
                infos.append(_info(name, adapter))
            except EvtuiError:
                infos.append(ProfileInfo(name, f"adapter {profile.adapter!r} unavailable", "production", profile.adapter))
        return infos

    def apply_profile(self, name: str) -> bool:
        """Make `name` current: switcher, placeholder, record types, recent ids, welcome."""
        try:
            adapter = self.evtui.pool.get(name)
        except EvtuiError as exc:
            self.detail.show_error(Failure.of(exc, f"profile {name}"))
            return False
        self.profile_name = name
        self.switcher.info = _info(name, adapter)
        rt = adapter.record_type()
        self.search.input.placeholder = rt.id_hint
        self.search.set_record_types([(t.title, t.name) for t in adapter.record_types])
        self.search_message.show_hint(self._bar_hint(adapter))
        self.refresh_bindings()
        welcome = welcome_text(
            record_title=rt.title,
            id_hint=rt.id_hint,
            examples=self.evtui.examples.get(name, ()),
            profile=name,
            provider=adapter.title,
        )
        self.detail.update_welcome(welcome)
        self.load_recent()
        return True

    @staticmethod
    def _bar_hint(adapter: Adapter, record_type: str | None = None) -> str:
        rt = adapter.record_type(record_type)
        types = " · F4 record type" if len(adapter.record_types) > 1 else ""
        return f"{rt.title} id on {adapter.title} · Enter looks it up · ↑↓ recent ids{types} · F2 another provider"

    @on(Select.Changed, "#record-type")
    def _record_type_changed(self, event: Select.Changed) -> None:
        """The placeholder and the hint follow the record type chosen."""
        value = event.value
        if not isinstance(value, str):
            return
        try:
            rt = self.adapter.record_type(value)
        except EvtuiError:
            return
        self.search.input.placeholder = rt.id_hint
        if not self.search_message.has_class("-error"):
            self.search_message.show_hint(self._bar_hint(self.adapter, rt.name))

    def action_cycle_record_type(self) -> None:
        chosen = self.search.cycle_record_type()
        if chosen is not None:
            title = self.adapter.record_type(chosen).title
            self.notify(visible(f"Record type: {title}"), markup=False, timeout=2)

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
        if related.record_type in self.search.record_types:
            self.search.query_one(Select).value = related.record_type
        self.search.input.value = related.record_id
        self.lookup_id(related.record_id, related.record_type, profile=profile)

    def switch_profile(self, name: str) -> None:
        if name == self.profile_name:
            return
        if self.apply_profile(name):
            self.evtui.remember_profile(name)
            self.notify(visible(f"Provider: {name} ({self.adapter.title}, {self.adapter.environment})"), markup=False, timeout=3)

    @on(ProfileSwitcher.Clicked)
    def action_switch_profile(self) -> None:
        def chosen(name: str | None) -> None:
            if name == ALL_PROFILES:
                self.action_find_anywhere()
            elif name:
                self.switch_profile(name)

        has_id = bool(self.search.input.value.strip())
        self.app.push_screen(ProfilePicker(self.profile_infos(), self.profile_name, find_anywhere=has_id), chosen)

    @work(exclusive=True, group="recent", exit_on_error=False)
    async def load_recent(self) -> None:
        ids = await self.evtui.history.recent_ids(self.profile_name)
        self.search.input.set_recent(ids)

    # -- lookups ----------------------------------------------------------------------------

    @on(SearchBar.Lookup)
    def _search_lookup(self, event: SearchBar.Lookup) -> None:
        self.lookup_id(event.raw, event.record_type)

    def lookup_id(self, raw: str, record_type: str | None = None, *, profile: str | None = None) -> bool:
        """Validate and start a lookup; an invalid id is explained under the bar, nothing is sent."""
        if not self.evtui.ready:
            self._pending_lookup = (raw, record_type)
            return True
        if profile is not None and profile != self.profile_name:
            if not self.apply_profile(profile):
                return False
        adapter = self.adapter
        try:
            rt = adapter.record_type(record_type)
            record_id = adapter.validate_id(raw, rt.name)
        except InvalidId as exc:
            self.search_message.show_invalid(exc.message, exc.hint)
            self.search.input.focus()
            return False
        self.search_message.show_hint(self._bar_hint(adapter, rt.name))
        self.stop_watch()
        self.watch_status.clear()
        if self.search.input.value != record_id:
            # Show the cleaned id: the user sees what was actually sent.
            self.search.input.value = record_id
        self._lookup_seq += 1
        self._last_target = (adapter.profile, rt.name, record_id)
        self._lookup_context = f"{rt.title.lower()} {record_id} on {adapter.profile} ({adapter.title})"
        self.detail.show_loading(self._lookup_context)
        self._lookup_worker = self._run_lookup(adapter, record_id, rt.name, self._lookup_seq)
        return True

    def _progress_reporter(self, seq: int) -> Callable[[Progress], None]:
        """The callback `evtui.progress` calls from inside the adapter.

        Lookups run in async workers, i.e. on the app's event loop: the callback
        may touch widgets directly. Should an adapter ever report from a thread,
        the update is handed to the loop instead."""

        def show(progress: Progress) -> None:
            if seq == self._lookup_seq and self.detail.mode == "loading":
                self.detail.show_progress(progress.message, progress.wait)

        def callback(progress: Progress) -> None:
            if threading.get_ident() == self.app._thread_id:
                show(progress)
            else:
                self.app.call_from_thread(show, progress)

        return callback

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _run_lookup(self, adapter: Adapter, record_id: str, record_type: str, seq: int) -> None:
        from evtui.lookup import lookup  # the adapters' imports wait until needed
        try:
            with reporting(self._progress_reporter(seq)):
                record = await lookup(adapter, record_id, record_type, history=self.evtui.history.recorder())
        except EvtuiError as exc:
            if seq == self._lookup_seq:
                self.detail.show_error(Failure.of(exc, self._lookup_context))
                self.refresh_bindings()
                self.search.input.focus()
            self._history_changed()
            return
        if seq != self._lookup_seq:
            return  # a newer lookup (or a cancel) came after this one
        await self.show_record(record, adapter)
        self._history_changed()

    async def show_record(self, record: Record, adapter: Adapter, cached_at: float | None = None) -> None:
        view = await self.detail.show_record(Shown(record, adapter.title, cached_at), now=self.evtui.clock())
        self.refresh_bindings()
        self.call_after_refresh(view.focus_content)

    def _history_changed(self) -> None:
        self._reload_history_after_writes()

    @work(exclusive=True, group="history-sync", exit_on_error=False)
    async def _reload_history_after_writes(self) -> None:
        await self.evtui.history.settled()
        self.history_panel.reload()
        self.load_recent()

    @on(HistoryPanel.Loaded)
    async def _history_loaded(self, event: HistoryPanel.Loaded) -> None:
        if not self._notice_shown:
            self._notice_shown = True
            notice = await self.evtui.history.notice()
            if notice:
                self.notify(visible(notice), severity="warning", timeout=15, markup=False)

    def cancel_lookup(self) -> bool:
        worker = self._lookup_worker
        if worker is None or worker.is_finished or self.detail.mode != "loading":
            return False
        self._lookup_seq += 1
        self.workers.cancel_group(self, "lookup")
        self.detail.restore()
        self.notify(visible(f"Cancelled: {self._lookup_context}"), markup=False, timeout=3)
        self.search.input.focus()
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place unexpected worker errors end up: a panel, never a dead app."""
        if event.state != WorkerState.ERROR:
            return
        worker = event.worker
        error = worker.error
        if error is None:
            return
        self.log.error(f"worker {worker.name!r} failed", error)
        if worker.group == "lookup" and worker is not self._lookup_worker:
            return  # an old lookup: its failure no longer matters
        context = self._lookup_context if worker.group == "lookup" else f"background task {worker.name}"
        self.detail.show_error(Failure.of(error, context))

    # -- watching -----------------------------------------------------------------------------

    @property
    def watching(self) -> bool:
        worker = self._watch_worker
        return worker is not None and not worker.is_finished

    def action_toggle_watch(self) -> None:
        if self.stop_watch("Stopped watching."):
            return
        shown = self.detail.shown
        if shown is None or self.detail.mode != "record":
            return
        self.start_watch(shown.record)

    def start_watch(self, record: Record) -> None:
        """Fetch the shown record every watch_interval seconds until it is final or stopped."""
        adapter = self.evtui.pool.get(record.profile)
        self._watch_seq += 1
        interval = self.evtui.config.settings.watch_interval
        self.watch_status.start(f"{record.record_type} {record.record_id} every {interval:g} s")
        self._watch_worker = self._run_watch(adapter, record, self._watch_seq)
        self.refresh_bindings()

    def stop_watch(self, why: str = "") -> bool:
        """Stop watching (a new lookup, Escape, w); True when there was something to stop."""
        if not self.watching:
            return False
        self._watch_seq += 1
        self.workers.cancel_group(self, "watch")
        self.watch_status.stopped(why)
        if why:
            self.notify(why, timeout=2)
        self.refresh_bindings()
        return True

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def _run_watch(self, adapter: Adapter, first: Record, seq: int) -> None:
        from evtui.watch import watch  # the adapters' imports wait until needed
        interval = self.evtui.config.settings.watch_interval
        fetches: list[list[ChangeRow]] = []
        cached_at = None
        try:
            async for event in watch(
                adapter, first.record_id, first.record_type, interval=interval, history=self.evtui.history.recorder(), first=first
            ):
                if seq != self._watch_seq:
                    return
                if event.record is first:
                    # What is on screen already: add the (empty) Changes tab, say when the first fetch comes.
                    await self._show_watched(first, adapter, frozenset(), fetches, cached_at=self.detail.shown.cached_at if self.detail.shown else None)
                    self.watch_status.waiting(event.next_in)
                elif event.record is not None:
                    fetches.append(rows_of(event.record, event.changes, self.evtui.clock()))
                    changed = frozenset(c.path for c in event.changes)
                    await self._show_watched(event.record, adapter, changed, fetches, cached_at=cached_at)
                    self.watch_status.fetched(len(event.changes), event.next_in)
                elif event.error is not None:
                    self.watch_status.failed(f"{event.error.title}; backing off", event.next_in)
                if event.final:
                    why = f"Watch ended: {event.final}."
                    self.watch_status.stopped(why)
                    self.notify(visible(why), markup=False, timeout=5)
                    self._history_changed()  # watch() keeps the final answer in history
                    break
        except EvtuiError as exc:
            if seq == self._watch_seq:
                self.watch_status.stopped(f"Watch ended: {exc.title}: {exc.message}")
        finally:
            if seq == self._watch_seq:
                self.call_later(self.refresh_bindings)

    async def _show_watched(
        self, record: Record, adapter: Adapter, changed: frozenset[str], fetches: list[list[ChangeRow]], *, cached_at: float | None
    ) -> None:
        focused_inside = self.detail.has_focus_within
        section = changes_section(fetches, empty="watching: each fetch that changes a value adds its lines here")
        view = await self.detail.show_record(
            Shown(record, adapter.title, cached_at, changed=changed, changes=section), now=self.evtui.clock()
        )
        self.refresh_bindings()
        if focused_inside:
            self.call_after_refresh(view.focus_content)

    # -- diff ------------------------------------------------------------------------------------

    def action_diff(self) -> None:
        """The shown copy against a fresh fetch, field by field."""
        shown = self.detail.shown
        if shown is None:
            return
        self.stop_watch()
        self.watch_status.clear()
        when = shown.cached_at if shown.cached_at is not None else shown.record.fetched_at
        self.start_diff(shown.record, when)

    @on(HistoryPanel.DiffRequested)
    def _diff_entry(self, event: HistoryPanel.DiffRequested) -> None:
        self._lookup_worker = self._diff_from_history(event.entry)

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _diff_from_history(self, entry: HistoryEntry) -> None:
        from evtui.tui.records import record_from_cache  # the adapters' imports wait until needed
        if entry.profile not in self.evtui.config.profiles or entry.outcome != "found":
            self.notify("Only a found record of a configured profile can be compared.", severity="warning", timeout=4)
            return
        cached = await self.evtui.history.cached(entry.key)
        if cached is None:
            self.notify("No cached copy of this entry to compare with (history keeps the last answer only when cache_responses is on).", severity="warning", timeout=5)
            return
        if entry.profile != self.profile_name and not self.apply_profile(entry.profile):
            return
        self._set_history_classes(drawer=False)
        body, fetched_at = cached
        try:
            old = await record_from_cache(self.adapter, entry.record_type, entry.record_id, body, fetched_at)
        except (ValueError, EvtuiError) as exc:
            self.notify(visible(f"The cached copy cannot be read: {exc}"), severity="warning", markup=False)
            return
        self.search.input.value = entry.record_id
        self.start_diff(old, fetched_at)

    def start_diff(self, old: Record, when: float) -> None:
        adapter = self.evtui.pool.get(old.profile)
        self._lookup_seq += 1
        self._last_target = (old.profile, old.record_type, old.record_id)
        self._lookup_context = f"{old.record_type} {old.record_id} on {old.profile} ({adapter.title}), to compare"
        self.detail.show_loading(self._lookup_context)
        self._lookup_worker = self._run_diff(adapter, old, when, self._lookup_seq)

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _run_diff(self, adapter: Adapter, old: Record, when: float, seq: int) -> None:
        from evtui.lookup import lookup  # the adapters' imports wait until needed
        try:
            with reporting(self._progress_reporter(seq)):
                fresh = await lookup(adapter, old.record_id, old.record_type, history=self.evtui.history.recorder())
        except EvtuiError as exc:
            if seq == self._lookup_seq:
                self.detail.show_error(Failure.of(exc, self._lookup_context))
                self.refresh_bindings()
            self._history_changed()
            return
        if seq != self._lookup_seq:
            return
        changes = diff(old.document, fresh.document, first=adapter.status_paths(old.record_type))
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(when))
        rows = rows_of(fresh, changes, self.evtui.clock())
        section = changes_section([rows], title=f"Changes since {stamp}", empty=f"nothing changed since the copy of {stamp}")
        section = dataclasses.replace(section, title="Changes")
        if section.tables:
            section = dataclasses.replace(section, tables=(dataclasses.replace(section.tables[0], title=f"Since the copy of {stamp}"),))
        view = await self.detail.show_record(
            Shown(fresh, adapter.title, changed=frozenset(c.path for c in changes), changes=section),
            now=self.evtui.clock(),
            tab=f"tab-{CHANGES_KEY}",
        )
        self.refresh_bindings()
        n = len(changes)
        self.notify(f"{n} change{'s' if n != 1 else ''} since {stamp}" if n else f"No change since {stamp}", timeout=4)
        self.call_after_refresh(view.focus_content)
        self._history_changed()

    # -- export and pager ---------------------------------------------------------------------

    def action_export(self) -> None:
        shown = self.detail.shown
        if shown is None:
            return
        record = shown.record

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if path.exists():
                question = safe(f"{path} exists. Replace it with this record ({human_size(len(record.raw))})?")

                def confirmed(yes: bool | None) -> None:
                    if yes:
                        self._save(record, path)
                    else:
                        self.notify("Not saved: the existing file is unchanged.", timeout=3)

                self.app.push_screen(ConfirmScreen(question), confirmed)
                return
            self._save(record, path)

        self.app.push_screen(ExportScreen(record, human_size(len(record.raw))), chosen)

    @work(thread=True, group="export", exit_on_error=False)
    def _save(self, record: Record, path: Path) -> None:
        try:
            write_bytes(path, record.raw)
        except OSError as exc:
            self.app.call_from_thread(
                self.notify, visible(f"Could not save to {path}: {exc.strerror or exc}"), severity="error", markup=False, timeout=8
            )
            return
        self.app.call_from_thread(self.notify, visible(f"Saved {human_size(len(record.raw))} to {path}"), markup=False, timeout=6)

    def action_pager(self) -> None:
        shown = self.detail.shown
        if shown is not None:
            self._page(shown.record)

    @work(exclusive=True, group="pager", exit_on_error=False)
    async def _page(self, record: Record) -> None:
        await page_json(self.app, record)
        self.refresh()

    # -- find anywhere --------------------------------------------------------------------------

    def action_find_anywhere(self) -> None:
        from evtui.find import candidates  # the adapters' imports wait until needed
        """The id in the bar, looked up on every profile whose id rules fit it."""
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
        self.watch_status.clear()
        self._lookup_seq += 1
        self._last_target = None
        names = ", ".join(a.profile for a, _ in pairs)
        self._lookup_context = f"{raw.strip()} on every profile it fits ({names})"
        self.detail.show_loading(self._lookup_context)
        self._lookup_worker = self._run_find(raw, self._lookup_seq)

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _run_find(self, raw: str, seq: int) -> None:
        from evtui.find import find_anywhere, not_found_anywhere  # the adapters' imports wait until needed
        try:
            attempts = await find_anywhere(self.evtui.pool, raw, history=self.evtui.history.recorder())
        except EvtuiError as exc:
            if seq == self._lookup_seq:
                self.detail.show_error(Failure.of(exc, self._lookup_context))
            return
        finally:
            self._history_changed()
        if seq != self._lookup_seq:
            return
        found = [a for a in attempts if a.record is not None]
        self.found_anywhere = attempts
        if not found:
            self.detail.show_error(Failure.of(not_found_anywhere(attempts), self._lookup_context))
            self.refresh_bindings()
            return
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

    async def _show_found(self, attempt: Attempt) -> None:
        record = attempt.record
        assert record is not None
        if record.profile != self.profile_name:
            self.apply_profile(record.profile)
        if record.record_type in self.search.record_types:
            self.search.query_one(Select).value = record.record_type
        self.search.input.value = record.record_id
        self._last_target = (record.profile, record.record_type, record.record_id)
        await self.show_record(record, self.evtui.pool.get(record.profile))

    # -- history ------------------------------------------------------------------------------

    @on(HistoryPanel.Reopen)
    def _reopen(self, event: HistoryPanel.Reopen) -> None:
        self.stop_watch()
        self.watch_status.clear()
        self._lookup_worker = self.reopen(event.entry)

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def reopen(self, entry: HistoryEntry) -> None:
        from evtui.tui.records import record_from_cache  # the adapters' imports wait until needed
        """Show the cached answer at once if there is one; else look the id up again."""
        self._lookup_seq += 1
        seq = self._lookup_seq
        if entry.profile not in self.evtui.config.profiles:
            self.search.input.value = entry.record_id
            self.search.input.focus()
            self.notify(
                visible(f"Profile {entry.profile} is not configured here; the id is in the search bar."),
                severity="warning",
                markup=False,
            )
            return
        if entry.profile != self.profile_name and not self.apply_profile(entry.profile):
            return
        self.search.input.value = entry.record_id
        self._set_history_classes(drawer=False)
        adapter = self.adapter
        cached = await self.evtui.history.cached(entry.key) if entry.outcome == "found" else None
        if seq != self._lookup_seq:
            return
        if cached is None:
            self.lookup_id(entry.record_id, entry.record_type)
            return
        body, fetched_at = cached
        try:
            record = await record_from_cache(adapter, entry.record_type, entry.record_id, body, fetched_at)
        except (ValueError, EvtuiError):
            self.lookup_id(entry.record_id, entry.record_type)
            return
        self._last_target = entry.key
        await self.show_record(record, adapter, cached_at=fetched_at)

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.evtui.ready and action in ("switch_profile", "find_anywhere", "cycle_record_type"):
            return False  # for the tenth of a second until the config is validated
        if action in ("copy_id", "copy_json", "step_tab"):
            return self.detail.shown is not None
        if action == "toggle_watch":
            return self.detail.shown is not None or self.watching
        if action in ("diff", "export", "pager"):
            return self.detail.shown is not None
        if action == "cycle_record_type":
            # Only profiles with several record types have a choice (hidden otherwise).
            bars = self.query(SearchBar)
            return bool(bars) and len(bars.first().record_types) > 1
        if action == "open_related":
            shown = self.detail.shown
            return bool(shown is not None and shown.record.related)
        if action == "refresh":
            return self.detail.shown is not None or (self.detail.mode == "error" and self._last_target is not None)
        return True

    def action_back(self) -> None:
        if self.cancel_lookup():
            return
        if self.stop_watch("Stopped watching."):
            return
        if self.has_class("-drawer"):
            self._set_history_classes(drawer=False)
        self.search.input.focus()

    def action_focus_search(self) -> None:
        self._set_history_classes(drawer=False)
        self.search.input.focus()

    def action_toggle_history(self) -> None:
        if self.has_class("-wide"):
            hidden = not self.has_class("-history-hidden")
            self._set_history_classes(history_hidden=hidden)
            self._remember(history_visible=not hidden)
            if not hidden:
                self.history_panel.focus_list()
            elif self.history_panel.has_focus_within:
                self.search.input.focus()
        else:
            opening = not self.has_class("-drawer")
            self._set_history_classes(drawer=opening)
            if opening:
                self.history_panel.focus_list()
            else:
                self.search.input.focus()

    @work(thread=True, group="state", exit_on_error=False)
    def _remember(self, **changes: Any) -> None:
        """The state file is written with an fsync: never on the UI thread, where keys wait."""
        self.evtui.state_file.update(**changes)

    def action_refresh(self) -> None:
        shown = self.detail.shown
        if shown is not None:
            record = shown.record
            self.lookup_id(record.record_id, record.record_type, profile=record.profile)
        elif self._last_target is not None:
            profile, record_type, record_id = self._last_target
            self.lookup_id(record_id, record_type, profile=profile)

    def action_step_tab(self, delta: int) -> None:
        view = self.detail.record_view
        if view is not None and self.detail.mode == "record":
            view.step_tab(delta)

    def action_copy_id(self) -> None:
        shown = self.detail.shown
        if shown is None:
            return
        record = shown.record
        copy_text(self.app, record.record_id, f"{record.record_type} id {record.record_id}")

    def action_copy_value(self) -> None:
        node = self.focused
        while node is not None:
            target = getattr(node, "copy_target", None)
            if callable(target):
                found = target()
                if found is not None:
                    text, what = found
                    copy_text(self.app, text, _short(what))
                    return
            node = node.parent  # type: ignore[assignment]
        self.notify("Nothing to copy here: highlight a field, a table cell or a JSON line first.", timeout=3)

    def action_copy_json(self) -> None:
        shown = self.detail.shown
        if shown is None:
            return
        for pane in self.detail.query(RawJsonPane):
            if pane.prepared is not None:
                self._copy_json_text(pane.prepared.text)
                return
        self._prepare_and_copy(shown.record.raw)

    @work(thread=True, exclusive=True, group="copy-json", exit_on_error=False)
    def _prepare_and_copy(self, raw: bytes) -> None:
        text = prepare(raw).text
        self.app.call_from_thread(self._copy_json_text, text)

    def _copy_json_text(self, text: str) -> None:
        copy_text(self.app, text, f"{human_size(len(text.encode('utf-8')))} of JSON")

    def action_help(self) -> None:
        groups = [
            ("Anywhere (outside text boxes)", MainScreen),
            ("Search bar", SearchInput),
            ("History panel", HistoryList),
            ("Raw JSON tab", RawJsonPane),
            ("Raw JSON view", JsonView),
            ("Everywhere", EvtuiApp),
        ]
        self.app.push_screen(HelpScreen(groups))

    async def action_quit(self) -> None:
        self.app.exit()


def _info(name: str, adapter: Adapter) -> ProfileInfo:
    return ProfileInfo(name, adapter.title, adapter.environment, adapter.name, tls_off=not adapter.settings.verify_tls)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class EvtuiApp(App[int]):
    TITLE = "evtui"
    COMMANDS = App.COMMANDS | {EvtuiCommands}
    CSS = """
    Screen { background: $surface; }
    Footer { background: $panel; }
    """
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="quit_ctrl_c"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="command_palette"),
    ]

    def __init__(
        self,
        config: Config | ConfigFile,
        *,
        profile: str | None = None,
        initial_id: str | None = None,
        timeout: float | None = None,
        demo_server: DemoServer | None = None,
        clock: Callable[[], float] = time.time,
        history_store: HistoryStore | None = None,
        state_file: StateFile | None = None,
    ) -> None:
        super().__init__()
        # Motion costs bandwidth over SSH and distracts beside a log: off unless asked for.
        self.animation_level = "none"
        # A ConfigFile is validated after the first frame (`config` on first use); a Config already was.
        self.config_file = config if isinstance(config, ConfigFile) else None
        self._config: Config | None = None if isinstance(config, ConfigFile) else config
        self._config_lock = threading.Lock()
        #: The config is validated and the start profile's adapter imported: lookups can start.
        self.ready = self.config_file is None
        #: A config found bad after the first frame: `run_app` reports it and exits 2.
        self.config_error: EvtuiError | None = None
        self._timeout = timeout
        self._pool: AdapterPool | None = None
        self.clock = clock
        self.history = HistoryService(history_store if history_store is not None else self._open_history)
        self.state_file = state_file or StateFile()
        self.examples: dict[str, tuple[str, ...]] = {}
        if demo_server is not None:
            for prefix, provider in demo_server.providers.items():
                self.examples[f"demo-{prefix}"] = tuple(getattr(provider, "examples", ()))
        self._start_profile = self._choose_profile(profile)
        self._initial_id = initial_id

    @property
    def config(self) -> Config:
        """The validated config; the first use validates it (any thread; raises ConfigError)."""
        if self._config is None:
            with self._config_lock:
                if self._config is None:
                    assert self.config_file is not None
                    self._config = self.config_file.validate()
        return self._config

    @property
    def pool(self) -> AdapterPool:
        if self._pool is None:
            from evtui.pool import AdapterPool

            self._pool = AdapterPool(self.config, timeout=self._timeout)
        return self._pool

    def _open_history(self) -> HistoryStore:
        return HistoryStore.for_settings(self.config.settings.history)

    def _choose_profile(self, requested: str | None) -> str:
        """--profile, else the remembered one (not in demo runs), else the configured default."""
        if self.config_file is not None:
            # Only names here: the command line checked --profile, validation comes after the first frame.
            names, default, demo = list(self.config_file.profile_tables), self.config_file.default_profile, False
            if requested:
                return requested
        else:
            if requested:
                return self.config.profile(requested).name
            names, default, demo = list(self.config.profiles), self.config.settings.default_profile, self.config.demo
        remembered = self.state_file.state.last_profile
        if not demo and remembered in names:
            return remembered  # type: ignore[return-value]
        if default in names:
            return default  # type: ignore[return-value]
        return names[0]

    def remember_profile(self, name: str) -> None:
        if not self.config.demo:
            self.state_file.update(last_profile=name)

    def on_mount(self) -> None:
        if self.config_file is None:
            self.apply_keymap()
        self.push_screen(MainScreen(profile=self._start_profile, initial_id=self._initial_id))

    def apply_keymap(self) -> None:
        keymap = self.config.settings.keymap
        if keymap:
            self.set_keymap(dict(keymap))

    def fail_config(self, error: EvtuiError) -> None:
        """The config turned out bad after the first frame: leave, and say why on the terminal."""
        self.config_error = error
        self.exit(return_code=error.exit_code)

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("no main screen")

    async def on_unmount(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
        self.history.close()

    def get_system_commands(self, screen: Screen) -> Any:
        # The system "Quit"/"Keys" duplicate ours; keep theme and screenshot.
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Screenshot"):
                yield command


def run_app(
    config: Config | ConfigFile,
    *,
    profile: str | None = None,
    initial_id: str | None = None,
    timeout: float | None = None,
    demo_server: DemoServer | None = None,
) -> int:
    """Run the TUI until the user quits; the exit code for the shell."""
    app = EvtuiApp(config, profile=profile, initial_id=initial_id, timeout=timeout, demo_server=demo_server)
    app.run()
    if app.config_error is not None:
        raise app.config_error
    if app.state_file.error:
        print(f"evtui: {app.state_file.error}", file=sys.stderr)
    return app.return_code or 0


__all__ = ["EvtuiApp", "MainScreen", "run_app"]
