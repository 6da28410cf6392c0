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

import sys
import time
from typing import TYPE_CHECKING, Any, Callable

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from evtui.adapters.base import Adapter
from evtui.errors import EvtuiError, InvalidId
from evtui.history import HistoryEntry, HistoryStore
from evtui.lookup import lookup
from evtui.pool import AdapterPool
from evtui.record import Record
from evtui.state import StateFile
from evtui.textsafe import visible
from evtui.tui.clipboard import copy_text
from evtui.tui.commands import EvtuiCommands
from evtui.tui.detail import DetailPane, Shown, welcome_text
from evtui.tui.errors import Failure
from evtui.tui.help import HelpScreen
from evtui.tui.history_panel import HistoryList, HistoryPanel
from evtui.tui.history_service import HistoryService
from evtui.tui.raw_json import JsonView, RawJsonPane, prepare
from evtui.tui.records import record_from_cache
from evtui.tui.search import SearchBar, SearchInput, SearchMessage
from evtui.tui.switcher import ProfileInfo, ProfilePicker, ProfileSwitcher
from evtui.tui.text import human_size

if TYPE_CHECKING:
    from evtui.config import Config
    from evtui.demo.server import DemoServer

#: Below this the layout cannot work; a note says so instead.
MIN_WIDTH, MIN_HEIGHT = 50, 15
#: From this width the history panel sits beside the detail.
WIDE = 100
#: Below this the switcher drops the adapter title.
COMPACT = 72


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
    /* Wide: history beside the detail unless hidden. */
    MainScreen.-wide.-history-hidden HistoryPanel { display: none; }
    /* Narrow: history is a drawer that replaces the detail while open. */
    MainScreen.-narrow HistoryPanel { display: none; }
    MainScreen.-narrow.-drawer HistoryPanel { display: block; width: 1fr; border-left: none; }
    MainScreen.-narrow.-drawer DetailPane { display: none; }
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
    def adapter(self) -> Adapter:
        return self.evtui.pool.get(self.profile_name)

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(f"Terminal too small: evtui needs {MIN_WIDTH}x{MIN_HEIGHT}.", id="too-small")
        with Vertical(id="main"):
            with Horizontal(id="top"):
                yield ProfileSwitcher()
                yield SearchBar()
            yield SearchMessage(id="search-message")
            with Horizontal(id="body"):
                yield DetailPane()
                yield HistoryPanel(self.evtui.history, self.evtui.clock)
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(not self.evtui.state_file.state.history_visible, "-history-hidden")
        self._apply_size(self.app.size.width, self.app.size.height)
        self.apply_profile(self.profile_name)
        self.search.input.focus()
        if self._initial_id:
            self.search.input.value = self._initial_id
            self.lookup_id(self._initial_id)

    def on_resize(self, event: Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")
        wide = width >= WIDE
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-narrow")
        if wide:
            self.remove_class("-drawer")
        self.switcher.compact = width < COMPACT
        self.set_class(width < COMPACT or height < 28, "-short")
        # Below ~110 columns the footer drops its padding to fit more keys.
        for footer in self.query(Footer):
            footer.compact = width < 110

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
                infos.append(ProfileInfo(name, adapter.title, adapter.environment, profile.adapter))
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
        self.switcher.info = ProfileInfo(name, adapter.title, adapter.environment, adapter.name)
        rt = adapter.record_type()
        self.search.input.placeholder = rt.id_hint
        self.search.set_record_types([(t.title, t.name) for t in adapter.record_types])
        self.search_message.show_hint(self._bar_hint(adapter))
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
    def _bar_hint(adapter: Adapter) -> str:
        rt = adapter.record_type()
        return f"{rt.title} id on {adapter.title} · Enter looks it up · ↑↓ recent ids · F2 another provider"

    def switch_profile(self, name: str) -> None:
        if name == self.profile_name:
            return
        if self.apply_profile(name):
            self.evtui.remember_profile(name)
            self.notify(visible(f"Provider: {name} ({self.adapter.title}, {self.adapter.environment})"), markup=False, timeout=3)

    @on(ProfileSwitcher.Clicked)
    def action_switch_profile(self) -> None:
        def chosen(name: str | None) -> None:
            if name:
                self.switch_profile(name)

        self.app.push_screen(ProfilePicker(self.profile_infos(), self.profile_name), chosen)

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
        self.search_message.show_hint(self._bar_hint(adapter))
        if self.search.input.value != record_id:
            # Show the cleaned id: the user sees what was actually sent.
            self.search.input.value = record_id
        self._lookup_seq += 1
        self._last_target = (adapter.profile, rt.name, record_id)
        self._lookup_context = f"{rt.title.lower()} {record_id} on {adapter.profile} ({adapter.title})"
        self.detail.show_loading(self._lookup_context)
        self._lookup_worker = self._run_lookup(adapter, record_id, rt.name, self._lookup_seq)
        return True

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def _run_lookup(self, adapter: Adapter, record_id: str, record_type: str, seq: int) -> None:
        try:
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

    # -- history ------------------------------------------------------------------------------

    @on(HistoryPanel.Reopen)
    def _reopen(self, event: HistoryPanel.Reopen) -> None:
        self._lookup_worker = self.reopen(event.entry)

    @work(exclusive=True, group="lookup", exit_on_error=False)
    async def reopen(self, entry: HistoryEntry) -> None:
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
        self.remove_class("-drawer")
        adapter = self.adapter
        cached = await self.evtui.history.cached(entry.key) if entry.outcome == "found" else None
        if seq != self._lookup_seq:
            return
        if cached is None:
            self.lookup_id(entry.record_id, entry.record_type)
            return
        body, fetched_at = cached
        try:
            record = record_from_cache(adapter, entry.record_type, entry.record_id, body, fetched_at)
        except (ValueError, EvtuiError):
            self.lookup_id(entry.record_id, entry.record_type)
            return
        self._last_target = entry.key
        await self.show_record(record, adapter, cached_at=fetched_at)

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy_id", "copy_json", "step_tab"):
            return self.detail.shown is not None
        if action == "refresh":
            return self.detail.shown is not None or (self.detail.mode == "error" and self._last_target is not None)
        return True

    def action_back(self) -> None:
        if self.cancel_lookup():
            return
        if self.has_class("-drawer"):
            self.remove_class("-drawer")
        self.search.input.focus()

    def action_focus_search(self) -> None:
        self.remove_class("-drawer")
        self.search.input.focus()

    def action_toggle_history(self) -> None:
        if self.has_class("-wide"):
            hidden = not self.has_class("-history-hidden")
            self.set_class(hidden, "-history-hidden")
            self.evtui.state_file.update(history_visible=not hidden)
            if not hidden:
                self.history_panel.focus_list()
            elif self.history_panel.has_focus_within:
                self.search.input.focus()
        else:
            opening = not self.has_class("-drawer")
            self.set_class(opening, "-drawer")
            if opening:
                self.history_panel.focus_list()
            else:
                self.search.input.focus()

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
        config: Config,
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
        self.config = config
        self.clock = clock
        self.pool = AdapterPool(config, timeout=timeout)
        self.history = HistoryService(history_store or _history_store(config))
        self.state_file = state_file or StateFile()
        self.examples: dict[str, tuple[str, ...]] = {}
        if demo_server is not None:
            for prefix, provider in demo_server.providers.items():
                self.examples[f"demo-{prefix}"] = tuple(getattr(provider, "examples", ()))
        self._start_profile = self._choose_profile(profile)
        self._initial_id = initial_id

    def _choose_profile(self, requested: str | None) -> str:
        """--profile, else the remembered one (not in demo runs), else the configured default."""
        profiles = self.config.profiles
        if requested:
            return self.config.profile(requested).name
        remembered = self.state_file.state.last_profile
        if not self.config.demo and remembered in profiles:
            return remembered  # type: ignore[return-value]
        try:
            return self.config.profile(None).name
        except EvtuiError:
            return next(iter(profiles))

    def remember_profile(self, name: str) -> None:
        if not self.config.demo:
            self.state_file.update(last_profile=name)

    def on_mount(self) -> None:
        keymap = self.config.settings.keymap
        if keymap:
            self.set_keymap(dict(keymap))
        self.push_screen(MainScreen(profile=self._start_profile, initial_id=self._initial_id))

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("no main screen")

    async def on_unmount(self) -> None:
        await self.pool.aclose()
        self.history.close()

    def get_system_commands(self, screen: Screen) -> Any:
        # The system "Quit"/"Keys" duplicate ours; keep theme and screenshot.
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Screenshot"):
                yield command


def _history_store(config: Config) -> HistoryStore:
    return HistoryStore.for_settings(config.settings.history)


def run_app(
    config: Config,
    *,
    profile: str | None = None,
    initial_id: str | None = None,
    timeout: float | None = None,
    demo_server: DemoServer | None = None,
) -> int:
    """Run the TUI until the user quits; the exit code for the shell."""
    app = EvtuiApp(config, profile=profile, initial_id=initial_id, timeout=timeout, demo_server=demo_server)
    app.run()
    if app.state_file.error:
        print(f"evtui: {app.state_file.error}", file=sys.stderr)
    return app.return_code or 0


__all__ = ["EvtuiApp", "MainScreen", "run_app"]
