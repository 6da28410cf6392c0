"""The main screen: the bar, the switcher, the detail pane, the history panel.

`MainScreen` routes: keys and messages come in and go to its mixins, one job
each: `keyboard.py` (keys, paste, Esc and the back stack), `startup.py` (the
start profile made ready, the config validated after the first answer), `profiles.py`,
`flows.py` (what puts a record on screen, all through one `LookupSlot`), `diff_flow.py`,
`watch_flow.py` and `actions.py` (copy, save, page, tabs, help). Layout state
(narrow, history shown, drawer open) lives in reactives; the CSS classes
follow from them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import Reactive, reactive
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Select, Static
from textual.worker import Worker, WorkerState

from evtui.textsafe import visible
from evtui.tui.actions import RecordActions
from evtui.tui.backstack import BackStack
from evtui.tui.detail import DetailPane
from evtui.tui.diff_flow import DiffFlow
from evtui.tui.errors import Failure
from evtui.tui.flows import Flows
from evtui.tui.footer import FitFooter
from evtui.tui.frame_hold import FrameHold
from evtui.tui.history_panel import HistoryPanel
from evtui.tui.keyboard import SCREEN_BINDINGS, KeyboardRouting
from evtui.tui.lookups import LOADING_DELAY, LookupSlot
from evtui.tui.profiles import Profiles
from evtui.tui.search import SearchBar, SearchMessage
from evtui.tui.startup import StartUp
from evtui.tui.switcher import ProfileSwitcher
from evtui.tui.watch_flow import WatchFlow
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

class MainScreen(KeyboardRouting, StartUp, Profiles, Flows, DiffFlow, WatchFlow, RecordActions, Screen):
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

    BINDINGS = SCREEN_BINDINGS

    #: Narrower than WIDE: the history panel is a drawer over the detail.
    narrow: reactive[bool] = reactive(False, init=False)
    #: Wide layout: the history panel shows beside the detail (remembered in the state file).
    history_visible: reactive[bool] = reactive(True, init=False)
    #: Narrow layout: the history drawer is open.
    drawer_open: reactive[bool] = reactive(False, init=False)
    #: Textual's, without its repaint of the whole screen at each focus move (every lookup, F3):
    #: the widgets whose look follows the focus restyle and repaint themselves.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(
        self, *, profile: str, initial_id: str | None, initial_type: str | None = None, since: datetime | None = None
    ) -> None:
        super().__init__()
        self.profile_name = profile
        self._initial_id = initial_id
        self._initial_type = initial_type
        #: `--since`: how far back scanning adapters (OCPI) look, for every lookup.
        self.since = since
        #: How far back the last lookup scanned, when it was told (`since`); None: the adapter's window.
        self.scan_since: datetime | None = since
        self.lookups = LookupSlot(self)
        self.watcher = LookupSlot(self, group="watch")
        self.back_stack = BackStack()
        self.frames = FrameHold(self)
        self._notice_shown = False
        #: The last find-anywhere's attempts (where the id was tried and how it went).
        self.found_anywhere: list[Attempt] = []
        #: Enter pressed before the config was validated: looked up once it is.
        self._pending_lookup: tuple[str, str | None] | None = None
        self._parts: dict[type[Widget], Widget] = {}
        self._preparing = False

    # -- typed accessors ----------------------------------------------------------------

    @property
    def evtui(self) -> EvtuiApp:
        return self.app  # type: ignore[return-value]

    @property
    def search(self) -> SearchBar:
        return self._part(SearchBar)  # type: ignore[return-value]

    @property
    def search_message(self) -> SearchMessage:
        return self._part(SearchMessage)  # type: ignore[return-value]

    @property
    def switcher(self) -> ProfileSwitcher:
        return self._part(ProfileSwitcher)  # type: ignore[return-value]

    @property
    def detail(self) -> DetailPane:
        return self._part(DetailPane)  # type: ignore[return-value]

    @property
    def history_panel(self) -> HistoryPanel:
        return self._part(HistoryPanel)  # type: ignore[return-value]

    @property
    def watch_status(self) -> WatchStatus:
        return self._part(WatchStatus)  # type: ignore[return-value]

    def _part(self, kind: type[Widget]) -> Widget:
        """The one widget of `kind` the screen composed, found once: binding checks ask for them
        on every footer refresh, and a DOM query per ask cost milliseconds beside a big record."""
        part = self._parts.get(kind)
        if part is None or not part.is_attached:
            part = self._parts[kind] = self.query_one(kind)
        return part

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

    # -- start-up (startup.py) --------------------------------------------------------------

    def on_mount(self) -> None:
        self.start_up()

    @work(thread=True, group="state", exit_on_error=False)
    def _remember(self, **changes: Any) -> None:
        """The state file is written with an fsync: never on the UI thread, where keys wait."""
        self.evtui.state_file.update(**changes)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.evtui.validated and action in ("switch_profile", "find_anywhere"):
            return False  # for the tenth of a second until the whole config is validated
        if not self.evtui.ready and action == "cycle_record_type":
            return False  # until the start profile's adapter (its record types) is there
        # The narrow history drawer covers the record: its keys wait until the record shows again.
        shown = self.detail.shown if not self.drawer_open else None
        if action in ("copy_id", "copy_json", "step_tab", "tab_list", "diff", "export", "pager"):
            return shown is not None
        if action == "toggle_watch":
            return shown is not None or self.watching
        if action == "cycle_record_type":
            # Only profiles with several record types have a choice (hidden otherwise).
            try:
                return len(self.search.record_types) > 1
            except NoMatches:  # asked before the bar is composed
                return False
        if action == "open_related":
            return bool(shown is not None and shown.record.related)
        if action == "scan_back":
            failure = self.detail.failure
            return self.detail.mode == "error" and failure is not None and failure.kind == "not_found" and self.scan_window_days() is not None
        if action == "refresh":
            return shown is not None or (self.detail.mode == "error" and self.lookups.last_target is not None)
        return True

    # -- messages ---------------------------------------------------------------------------

    @on(Select.Changed, "#record-type")
    def _record_type_changed(self, event: Select.Changed) -> None:
        self.record_type_chosen(event.value)

    @on(ProfileSwitcher.Clicked)
    def _switcher_clicked(self) -> None:
        self.action_switch_profile()

    @on(SearchBar.Lookup)
    def _search_lookup(self, event: SearchBar.Lookup) -> None:
        if self.lookup_id(event.raw, event.record_type) and self.search.input.has_focus:
            # Typed while the answer is on its way, the next id replaces this one (not appended).
            bar = self.search.input
            bar.select_everything(paint=False)  # drawn with the answer's frame, or the loading view's
            self.set_timer(LOADING_DELAY, bar.paint_selection, name="paint-selection")

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
        """A lookup queued its history writes: the list shows them now, in the answer's frame, and
        is read back once they are written (a repaint only if the store lists something else)."""
        written = self.evtui.history.take_written()
        if written:
            self.history_panel.show_written(written)
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
