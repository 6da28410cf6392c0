"""The evtui app: config, adapters, history and state for the one screen, `MainScreen`.

`run_app` is what `evtui [--demo] [--profile P] [ID]` calls. The screen and
what it does live in the sibling modules: `screen.py` (routing, layout, keys),
`flows.py` (what puts a record on screen), `lookups.py` (one lookup at a time),
`actions.py` (copy, save, page, tabs, help).
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from evtui.config.file import ConfigFile
from evtui.errors import EvtuiError
from evtui.history import HistoryStore
from evtui.state import StateFile
from evtui.transport.tls import load_beside, verifies_by_default
from evtui.tui.commands import EvtuiCommands
from evtui.tui.history_service import HistoryService
from evtui.tui.key_order import KeyOrder
from evtui.tui.screen import MainScreen

if TYPE_CHECKING:
    from evtui.config.schema import Config, Settings
    from evtui.demo.server import DemoServer
    from evtui.pool import AdapterPool

T = TypeVar("T")


class EvtuiApp(App[int]):
    TITLE = "evtui"
    COMMANDS = App.COMMANDS | {EvtuiCommands}
    CSS = """
    Screen { background: $surface; }
    Footer { background: $panel; }
    """
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="quit_ctrl_c"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="command_palette"),
    ]

    def __init__(
        self,
        config: Config | ConfigFile,
        *,
        profile: str | None = None,
        initial_id: str | None = None,
        initial_type: str | None = None,
        since: datetime | None = None,
        timeout: float | None = None,
        demo_server: DemoServer | None = None,
        clock: Callable[[], float] = time.time,
        history_store: HistoryStore | None = None,
        state_file: StateFile | None = None,
    ) -> None:
        super().__init__()
        # Motion costs bandwidth over SSH and distracts beside a log: off unless asked for.
        self.animation_level = "none"
        # A ConfigFile is validated after the first frame: the start profile first, alone
        # (`prepare_config`), the whole file after the first answer (`config` on first use).
        # A Config already was.
        self.config_file = config if isinstance(config, ConfigFile) else None
        self._config: Config | None = None if isinstance(config, ConfigFile) else config
        #: The settings and the start profile alone, validated before the whole file is.
        self._start_config: Config | None = None
        self._config_lock = threading.RLock()
        #: The start profile is validated and its adapter imported: lookups can start.
        self.ready = self.config_file is None
        #: The whole config is validated: the other profiles can be used, its warnings were shown.
        self.validated = self.config_file is None
        #: A config found bad after the first frame: `run_app` reports it and exits 2.
        self.config_error: EvtuiError | None = None
        self._timeout = timeout
        self._pool: AdapterPool | None = None
        self.clock = clock
        self.history = HistoryService(history_store if history_store is not None else self._open_history)
        self.state_file = state_file or StateFile()
        self.examples: dict[str, tuple[str, ...]] = {}
        if demo_server is not None:
            from evtui.demo.server import demo_profiles

            self.examples = {name: examples for name, (_, examples) in demo_profiles(demo_server).items()}
        self._start_profile = self._choose_profile(profile)
        self._initial_id = initial_id
        self._initial_type = initial_type
        self._since = since
        self.key_order = KeyOrder(self)

    async def on_event(self, event: events.Event) -> None:
        # Keys take effect in the order typed (key_order.py): one may wait for those before it.
        if self.key_order.holds(event):
            return
        await super().on_event(event)

    @property
    def config(self) -> Config:
        """The whole config, validated; the first use validates it (any thread; raises ConfigError)."""
        if self._config is None:
            with self._config_lock:
                if self._config is None:
                    assert self.config_file is not None
                    self._config = self.config_file.validate()
                    if self._pool is not None:
                        self._pool.config = self._config  # its adapters so far stay
        return self._config

    @property
    def start_config(self) -> Config:
        """The settings and the start profile alone, validated on first use (any thread; raises
        ConfigError, the error the whole file's validation reports); the whole config once it is."""
        if self._config is None and self._start_config is None:
            with self._config_lock:
                if self._config is None and self._start_config is None:
                    assert self.config_file is not None
                    self._start_config = self.config_file.validate_start(self._start_profile)
        return self._config or self._start_config  # type: ignore[return-value]

    @property
    def settings(self) -> Settings:
        """The top-level settings: validated with the start profile, before the whole file is."""
        return self.start_config.settings

    @property
    def pool(self) -> AdapterPool:
        if self._pool is None:
            from evtui.pool import AdapterPool

            with self._config_lock:
                if self._pool is None:
                    config = self.start_config
                    whole = None if config is self._config else (lambda: self.config)
                    self._pool = AdapterPool(config, timeout=self._timeout, whole=whole)
        return self._pool

    def _open_history(self) -> HistoryStore:
        return HistoryStore.for_settings(self.settings.history)

    def _choose_profile(self, requested: str | None) -> str:
        """--profile, else the remembered one (not in demo runs), else the configured default."""
        if self.config_file is not None:
            # Only names here: the command line checked --profile, validation comes after the first frame.
            names, default, demo = list(self.config_file.profile_tables), self.config_file.default_profile, self.config_file.demo
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
        if not (self.config_file.demo if self.config_file is not None else self.config.demo):
            self.state_file.update(last_profile=name)

    def on_mount(self) -> None:
        self.push_screen(
            MainScreen(profile=self._start_profile, initial_id=self._initial_id, initial_type=self._initial_type, since=self._since)
        )
        if self.config_file is None:
            for problem in self.apply_keymap():
                self.notify(problem, severity="warning", timeout=15, markup=False)

    def binding_ids(self) -> set[str]:
        """Every binding id `[keymap]` can name: the app's, the screens' and the widgets'."""
        from evtui.tui.keys import binding_ids

        return binding_ids(type(self))

    def apply_keymap(self) -> list[str]:
        """Apply `[keymap]`; what it names that no binding has, as problems to show."""
        keymap = self.settings.keymap
        if not keymap:
            return []
        known = self.binding_ids()
        unknown = sorted(k for k in keymap if k not in known)
        self.set_keymap({k: v for k, v in keymap.items() if k in known})
        return [
            f"config [keymap]: no key has the id {name!r}; the ids are listed in the key help (F1)" for name in unknown
        ]

    def prepare_config(self, then: Callable[[], None]) -> None:
        """On a thread: `prepare_start`, then `then` on the UI thread."""
        if self.prepare_start():
            self.call_from_thread(then)

    def prepare_start(self) -> bool:
        """Validate the settings and the start profile alone, import its adapter, make its client
        and import what its first request would; False if the config is bad (the app leaves with
        the reason). The rest of the config waits for `validate_config`. Any thread: the UI's
        for `evtui ID`, whose answer is all the person waits for."""
        self._load_ca_bundle_beside()
        adapter = self._or_fail(lambda: self.pool.get(self._start_profile))
        if adapter is None:
            return False
        from evtui.transport.client import warm_up
        from evtui.tui.detail import import_record_view

        try:
            adapter.client
        except Exception:  # the lookup meets it again, and explains it
            pass
        # Here, not beside the first lookup: on two shared cores a thread importing beside it slows it.
        warm_up()
        import_record_view()
        return True

    def _load_ca_bundle_beside(self) -> None:
        """The start profile's SSL context, made on a thread of its own (the command line started it
        at launch) while this one imports the adapter. Not for a profile that makes its own
        (`ca_bundle`) or verifies nothing."""
        if self.config_file is not None and verifies_by_default(self.config_file.profile_tables.get(self._start_profile, {})):
            load_beside()

    def validate_config(self, then: Callable[[], None]) -> None:
        """On a thread: validate the whole config; then `then` on the UI thread."""
        if self._or_fail(lambda: self.config) is not None:
            self.call_from_thread(then)

    def _or_fail(self, step: Callable[[], T]) -> T | None:
        """`step()`; if it fails, the app leaves with the reason (None). Any thread."""
        try:
            return step()
        except EvtuiError as exc:
            self._on_ui_thread(self.fail_config, exc)
        except Exception as exc:  # a bug: still leave cleanly, and say how to see more
            self._on_ui_thread(
                self.fail_config,
                EvtuiError(f"could not start: {type(exc).__name__}", hint="run with EVTUI_DEBUG=1 for the traceback"),
            )
            if os.environ.get("EVTUI_DEBUG"):
                raise
        return None

    def _on_ui_thread(self, callback: Callable[..., Any], *args: Any) -> None:
        if threading.get_ident() == self._thread_id:
            callback(*args)
        else:
            self.call_from_thread(callback, *args)

    def fail_config(self, error: EvtuiError) -> None:
        """The config turned out bad after the first frame: leave, and say why on the terminal.

        The rest of the file is checked beside an answer that is slow to come; should it be bad,
        that answer still shows first, as it does when it comes before the check is done."""
        try:
            awaited = self.main.lookups.worker
        except LookupError:  # no screen yet
            awaited = None
        if awaited is not None and not awaited.is_finished:
            self.run_worker(self._fail_after(awaited, error), group="config-error", exit_on_error=False)
            return
        self.config_error = error
        self.exit(return_code=error.exit_code)

    async def _fail_after(self, awaited: Worker[Any], error: EvtuiError) -> None:
        while awaited.state == WorkerState.PENDING:  # started, its task not yet running
            await asyncio.sleep(0)
        try:
            await awaited.wait()
        except Exception:  # failed or cancelled: its panel is shown, the config error follows
            pass
        self.fail_config(error)

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
    initial_type: str | None = None,
    since: datetime | None = None,
    timeout: float | None = None,
    demo_server: DemoServer | None = None,
) -> int:
    """Run the TUI until the user quits; the exit code for the shell.

    `initial_type` and `since` are `evtui [ID]`'s --type and --since, as for `evtui get`."""
    app = EvtuiApp(
        config, profile=profile, initial_id=initial_id, initial_type=initial_type, since=since, timeout=timeout, demo_server=demo_server
    )
    app.run()
    if app.config_error is not None:
        raise app.config_error
    if app.state_file.error:
        print(f"evtui: {app.state_file.error}", file=sys.stderr)
    return app.return_code or 0


__all__ = ["EvtuiApp", "MainScreen", "run_app"]
