"""The main screen: the bar, the switcher, the detail pane, the history panel.

`MainScreen` routes: keys and messages come in, and go to the flows
(`flows.py`: what puts a record on screen, all through one `LookupSlot`)
and the record actions (`actions.py`). Layout state (narrow, history shown,
drawer open) lives in reactives; the CSS classes follow from them.

The keyboard model (README "Keys"): a printable key that nothing where the
focus is binds goes to the id bar, which takes the focus and the character,
so the next id can be typed straight after a lookup. Record keys are F-keys
and ctrl chords, which no id starts with; a paste outside a text box lands in
the bar. Esc cancels, stops a watch, or goes back (the back stack), else to
the bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key, Paste, Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, Static
from textual.worker import Worker, WorkerState

from evtui.environment import judge_environment
from evtui.errors import EvtuiError
from evtui.textsafe import visible
from evtui.tui import AFTER_FIRST_FRAME
from evtui.tui.actions import RecordActions
from evtui.tui.backstack import BackStack
from evtui.tui.detail import DetailPane, welcome_text
from evtui.tui.errors import Failure
from evtui.tui.flows import Flows
from evtui.tui.footer import FitFooter
from evtui.tui.history_panel import HistoryPanel
from evtui.tui.lookups import LookupSlot
from evtui.tui.search import SearchBar, SearchMessage
from evtui.tui.switcher import ALL_PROFILES, ProfileInfo, ProfilePicker, ProfileSwitcher
from evtui.tui.watching import WatchStatus

if TYPE_CHECKING:
    from evtui.adapters.base import Adapter
    from evtui.find import Attempt
    from evtui.tui.app import EvtuiApp

#: Below this the layout cannot work; a note says so instead.
MIN_WIDTH, MIN_HEIGHT = 50, 15
#: From this width the history panel sits beside the detail.
WIDE = 100
#: Below this the switcher drops the adapter title.
COMPACT = 72
#: Below this the footer drops its padding to fit more keys.
FOOTER_COMPACT = 110

#: Every key of the screen. Letters and digits are left to typing ids.
BINDINGS = [
    Binding("escape,backspace,minus", "back", "Back", id="back", show=False),
    Binding("ctrl+l,slash", "focus_search", "Search", id="focus_search", show=False),
    Binding("f2,ctrl+t", "switch_profile", "Provider", id="switch_profile"),
    Binding("f3", "toggle_history", "History", id="toggle_history"),
    Binding("f4", "cycle_record_type", "Type", id="record_type"),
    Binding("f5,ctrl+r", "refresh", "Refresh", id="refresh"),
    Binding("f9,ctrl+o", "open_related", "Related", id="open_related"),
    Binding("f7", "toggle_watch", "Watch", id="toggle_watch"),
    Binding("f8", "diff", "Diff", id="diff"),
    Binding("ctrl+y", "copy_id", "Copy id", id="copy_id"),
    Binding("ctrl+x", "copy_value", "Copy", id="copy_value"),
    Binding("ctrl+j", "copy_json", "JSON", id="copy_json"),
    Binding("ctrl+s", "export", "Save", id="export"),
    Binding("ctrl+e", "pager", "Pager", id="pager"),
    Binding("f6", "find_anywhere", "All profiles", id="find_anywhere"),
    Binding("right_square_bracket", "step_tab(1)", "Next tab", id="next_tab", show=False),
    Binding("left_square_bracket", "step_tab(-1)", "Previous tab", id="prev_tab", show=False),
    Binding("ctrl+g", "tab_list", "Tabs", id="tab_list"),
    Binding("question_mark,f1", "help", "Keys", id="help"),
]


class MainScreen(Flows, RecordActions, Screen):
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

    BINDINGS = BINDINGS

    #: Narrower than WIDE: the history panel is a drawer over the detail.
    narrow: reactive[bool] = reactive(False, init=False)
    #: Wide layout: the history panel shows beside the detail (remembered in the state file).
    history_visible: reactive[bool] = reactive(True, init=False)
    #: Narrow layout: the history drawer is open.
    drawer_open: reactive[bool] = reactive(False, init=False)

    def __init__(self, *, profile: str, initial_id: str | None) -> None:
        super().__init__()
        self.profile_name = profile
        self._initial_id = initial_id
        self.lookups = LookupSlot(self)
        self.watcher = LookupSlot(self, group="watch")
        self.back_stack = BackStack()
        self._notice_shown = False
        #: The last find-anywhere's attempts (where the id was tried and how it went).
        self.found_anywhere: list[Attempt] = []
        #: Enter pressed before the config was validated: looked up once it is.
        self._pending_lookup: tuple[str, str | None] | None = None

    # -- typed accessors ----------------------------------------------------------------

    @property
    def evtui(self) -> EvtuiApp:
        return self.app  # type: ignore[return-value]

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
        width, height = self.app.size
        # Reactives set before the children mount restyle nothing; their watchers wait for mount.
        self.set_reactive(MainScreen.narrow, width < WIDE)
        self.set_reactive(MainScreen.history_visible, self.evtui.state_file.state.history_visible)
        self.update_classes(self._size_classes(width, height), update=False)
        self.set_class(not self.history_visible, "-history-hidden", update=False)
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

    def _size_classes(self, width: int, height: int) -> dict[str, bool]:
        return {
            "-too-small": width < MIN_WIDTH or height < MIN_HEIGHT,
            "-wide": width >= WIDE,
            "-narrow": width < WIDE,
            "-short": width < COMPACT or height < 28,
        }

    def on_resize(self, event: Resize) -> None:
        width, height = event.size.width, event.size.height
        # Classes only record the state (update=False: no restyle walking a big record);
        # `display` on the two panes does the showing.
        self.update_classes(self._size_classes(width, height))
        self.narrow = width < WIDE
        self.switcher.compact = width < COMPACT
        self.search.compact = width < COMPACT
        for footer in self.query(Footer):
            footer.compact = width < FOOTER_COMPACT

    def watch_narrow(self, narrow: bool) -> None:
        if not narrow:
            self.drawer_open = False
        self._place_history()

    def watch_history_visible(self, visible_: bool) -> None:
        self.set_class(not visible_, "-history-hidden", update=False)
        self._place_history()

    def watch_drawer_open(self, open_: bool) -> None:
        self.set_class(open_, "-drawer", update=False)
        self._place_history()

    def _history_layout(self) -> tuple[bool, bool]:
        """Whether the history panel and the detail pane show."""
        if not self.narrow:
            return self.history_visible, True
        return self.drawer_open, not self.drawer_open

    def _place_history(self) -> None:
        panel, detail = self._history_layout()
        self.history_panel.display = panel
        self.detail.display = detail

    @property
    def history_shown(self) -> bool:
        return self._history_layout()[0]

    # -- start-up -------------------------------------------------------------------------

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
        self.evtui.prepare_config(self.profile_name, self._prepared)

    def _prepared(self) -> None:
        app = self.evtui
        app.ready = True
        for problem in app.apply_keymap():
            self.notify(visible(problem), severity="warning", timeout=15, markup=False)
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

    # -- profiles -------------------------------------------------------------------------

    def profile_infos(self) -> list[ProfileInfo]:
        infos = []
        for name, profile in self.evtui.config.profiles.items():
            try:
                infos.append(_info(name, self.evtui.pool.get(name)))
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

    # -- keys -------------------------------------------------------------------------------

    def focus_bar(self, text: str | None = None) -> None:
        """The id bar takes the focus (and, given `text`, holds just that: the start of a new id)."""
        self.drawer_open = False
        bar = self.search.input
        if text is not None:
            bar.start_with(text)
        else:
            bar.select_everything()  # typing replaces the id shown; → keeps it to edit
        # At once, not after a refresh as `focus()` does: the next key of a fast typist goes here.
        self.set_focus(bar)

    def on_key(self, event: Key) -> None:
        """A printable key nothing here binds: the start of the next id.

        A text box handles its own printable keys, so one that arrives here came from
        elsewhere. Keys typed fast are queued to the widget that had the focus when they
        came: those after the first arrive while the bar has the focus already, and are
        the rest of the id (even `-` or `/`, which are keys elsewhere)."""
        if not event.is_printable or not event.character:
            return
        bar = self.search.input
        if self.focused is bar:
            event.stop()
            event.prevent_default()
            bar.insert_text_at_cursor(event.character)
            return
        if isinstance(self.focused, Input) or event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        self.focus_bar(event.character)

    def on_paste(self, event: Paste) -> None:
        """A paste outside a text box is an id: the bar takes it, in place of what it held."""
        if isinstance(self.focused, Input):
            return
        event.stop()
        self.focus_bar(event.text.strip())

    def action_back(self) -> None:
        if self.lookups.cancel():
            self.focus_bar()
            return
        if self.stop_watch("Stopped watching."):
            return
        if self.drawer_open or self.history_panel.has_focus_within:
            self.focus_bar()
            return
        if self.go_back():
            return
        self.focus_bar()

    def push_back(self) -> None:
        view = self.detail.record_view
        if view is not None and self.detail.shown is not None:
            self.back_stack.push(view.shown, view.place())

    def go_back(self) -> bool:
        """The record before the last one opened from it, with its tab and place."""
        entry = self.back_stack.pop()
        if entry is None:
            return False
        shown, place = entry
        record = shown.record
        if record.profile != self.profile_name and not self.apply_profile(record.profile):
            return False
        self.lookups.cancel(say=False)
        self.show_type(record.record_type)
        self.search.input.value = record.record_id

        async def show() -> None:
            view = await self.detail.show_record(shown, now=self.evtui.clock(), tab=place.tab)
            self.refresh_bindings()

            def settle() -> None:
                view.focus_content()
                view.go_to(place)

            self.call_after_refresh(settle)

        self.run_worker(show(), group="lookup", exclusive=True, exit_on_error=False)
        self.notify(visible(f"Back to {record.record_type} {record.record_id}"), markup=False, timeout=2)
        return True

    def action_focus_search(self) -> None:
        self.focus_bar()

    def action_toggle_history(self) -> None:
        if not self.narrow:
            if not self.history_visible:
                self.history_visible = True
                self._remember(history_visible=True)
                self.history_panel.focus_list()
            elif not self.history_panel.has_focus_within:
                self.history_panel.focus_list()  # shown but elsewhere: go there first
            else:
                self.history_visible = False
                self._remember(history_visible=False)
                self.focus_bar()
        elif not self.drawer_open:
            self.drawer_open = True
            self.history_panel.focus_list()
        else:
            self.focus_bar()

    @work(thread=True, group="state", exit_on_error=False)
    def _remember(self, **changes: Any) -> None:
        """The state file is written with an fsync: never on the UI thread, where keys wait."""
        self.evtui.state_file.update(**changes)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.evtui.ready and action in ("switch_profile", "find_anywhere", "cycle_record_type"):
            return False  # for the tenth of a second until the config is validated
        shown = self.detail.shown
        if action in ("copy_id", "copy_json", "step_tab", "tab_list", "diff", "export", "pager"):
            return shown is not None
        if action == "toggle_watch":
            return shown is not None or self.watching
        if action == "cycle_record_type":
            # Only profiles with several record types have a choice (hidden otherwise).
            bars = self.query(SearchBar)
            return bool(bars) and len(bars.first().record_types) > 1
        if action == "open_related":
            return bool(shown is not None and shown.record.related)
        if action == "refresh":
            return shown is not None or (self.detail.mode == "error" and self.lookups.last_target is not None)
        return True

    # -- messages ---------------------------------------------------------------------------

    @on(SearchBar.Lookup)
    def _search_lookup(self, event: SearchBar.Lookup) -> None:
        self.lookup_id(event.raw, event.record_type)

    @on(HistoryPanel.Reopen)
    def _reopen(self, event: HistoryPanel.Reopen) -> None:
        self.reopen(event.entry)

    @on(HistoryPanel.DiffRequested)
    def _diff_entry(self, event: HistoryPanel.DiffRequested) -> None:
        self.diff_entry(event.entry)

    @on(HistoryPanel.Loaded)
    async def _history_loaded(self, event: HistoryPanel.Loaded) -> None:
        if not self._notice_shown:
            self._notice_shown = True
            notice = await self.evtui.history.notice()
            if notice:
                self.notify(visible(notice), severity="warning", timeout=15, markup=False)

    def history_changed(self) -> None:
        self._reload_history_after_writes()

    @work(exclusive=True, group="history-sync", exit_on_error=False)
    async def _reload_history_after_writes(self) -> None:
        await self.evtui.history.settled()
        self.history_panel.reload()
        self.load_recent()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place unexpected worker errors end up: a panel, never a dead app."""
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        worker = event.worker
        self.log.error(f"worker {worker.name!r} failed", worker.error)
        if self.lookups.worker_failed(worker) or self.watcher.worker_failed(worker):
            return
        self.detail.show_error(Failure.of(worker.error, f"background task {worker.name}"))


def _info(name: str, adapter: Adapter) -> ProfileInfo:
    return ProfileInfo(name, adapter.title, adapter.environment, adapter.name, tls_off=not adapter.settings.verify_tls)
