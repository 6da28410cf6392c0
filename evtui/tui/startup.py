"""Start-up: the first frame painted from the config file's facts, the start profile made ready
(validated alone, its adapter imported, its client made) after it, or before it for `evtui ID`;
the rest of the config validated once the first answer is on screen.

A mixin of `MainScreen`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work

from evtui.environment import judge_environment
from evtui.textsafe import visible
from evtui.tui import AFTER_FIRST_FRAME
from evtui.tui.detail import welcome_text
from evtui.tui.switcher import ProfileInfo

if TYPE_CHECKING:
    from evtui.tui.screen import MainScreen

    _Base = MainScreen
else:
    _Base = object

#: Seconds a first answer may take before the rest of the config is validated beside it.
VALIDATE_BESIDE_AFTER = 1.0


class StartUp(_Base):
    def start_up(self) -> None:
        """On mount: the bar focused (with the launch id), then the start profile made ready."""
        self.search.input.focus()
        if self._initial_id:
            self.search.input.value = self._initial_id
        if self.evtui.config_file is None:
            self._start()
            self.call_after_refresh(self._warm_up)
            return
        self._show_unvalidated(self.profile_name)
        if self._initial_id:
            # `evtui ID`: its answer is all the person waits for. The start profile is made
            # ready here, before the first frame, not on a thread beside the frames after it.
            self._preparing = True
            if self.evtui.prepare_start():
                self._prepared()
        else:
            # Paint now from the file's facts; validation and the adapter's import come right after.
            self.set_timer(AFTER_FIRST_FRAME, self.prepare)

    def _start(self) -> None:
        self.apply_profile(self.profile_name)
        if self._initial_type:
            self.show_type(self._initial_type)
        if self._initial_id:
            self.lookup_id(self._initial_id, self._initial_type)
        elif self._pending_lookup is not None:
            self.lookup_id(*self._pending_lookup)
        self._pending_lookup = None

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

    def prepare(self) -> None:
        """Start preparing the start profile (once): after the first frame, or at once for a lookup."""
        if not self._preparing:
            self._preparing = True
            self._prepare()

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _prepare(self) -> None:
        """Validate the start profile and import its adapter, off the UI thread."""
        self.evtui.prepare_config(self._prepared)

    def _prepared(self) -> None:
        app = self.evtui
        app.ready = True
        for problem in app.apply_keymap():
            self.notify(visible(problem), severity="warning", timeout=15, markup=False)
        self._start()
        self._validate_after_lookup()

    @work(exit_on_error=False, group="warm-up")
    async def _validate_after_lookup(self) -> None:
        """The rest of the config is validated once the first answer is on screen, not in its way;
        or while a slow answer is awaited (the wait costs no CPU), so F2 is not held up by it."""
        worker = self.lookups.worker
        if worker is not None:
            try:
                await asyncio.wait_for(asyncio.shield(worker.wait()), timeout=VALIDATE_BESIDE_AFTER)
            except Exception:  # failed, cancelled or still waiting: the config is checked all the same
                pass
        self._validate()

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _validate(self) -> None:
        self.evtui.validate_config(self._validated)

    def _validated(self) -> None:
        app = self.evtui
        app.validated = True
        for warning in app.config.warnings:
            self.notify(visible(warning), severity="warning", timeout=15, markup=False)
        self.refresh_bindings()

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        """A config validated before the app: after the first frame, what the first lookup would
        otherwise wait for (its client, what httpx imports on its first request, the record view)."""
        self.evtui.prepare_start()
