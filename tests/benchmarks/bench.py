"""What every measure shares: the results, fresh config dirs, launching an app, entering an id as a person does."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.apps import EMPTY_BAR, EVTUI, HINT, HISTORY_FOCUS, REPO, AppSpec, row, write_config
from tests.benchmarks.report import COLS, ROWS
from tests.benchmarks.term import Term, TmuxServer


#: How every app's empty search bar begins: its placeholder (the floors' and evtui's before its
#: config is read: "session id"; evtui's for a profile's record type: "A session id such as ...").
PLACEHOLDERS = ("session id", "A session id")


def bar_text(screen: str) -> str:
    """What the search bar shows: the text inside the last box on its row (evtui's switcher box
    comes first, a record-type select may follow it), without the padding and the cursor."""
    line = row(screen, 1)
    if "▊" not in line:
        return ""
    return line.rsplit("▊", 1)[1].split("▎", 1)[0].strip()


def bar_cleared(text: str) -> bool:
    """The bar holds nothing: it shows its placeholder (the hint and the "No id given." line are
    other rows; a placeholder can hold an example id, so "the id in the row" is no test of typing)."""
    return text.startswith(PLACEHOLDERS)


@dataclass
class Bench:
    server: TmuxServer
    root: str
    tmp: Path
    lookups: int
    view_shape: str = ""
    #: A store of a few entries, for the runs that probe with F3: evtui's footer shows the history
    #: list's keys (HISTORY_FOCUS) when F3 has focused it, which an empty list has none of.
    small_history: Path | None = None
    results: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    _n: int = 0

    def add(self, app: str, key: str, value: float | list[float]) -> None:
        bucket = self.results.setdefault(key, {}).setdefault(app, [])
        bucket.extend(value if isinstance(value, list) else [value])

    def fresh_dir(self, *, history: Path | None = None, max_entries: int | None = None) -> Path:
        self._n += 1
        d = write_config(self.tmp / f"cfg{self._n}", self.root, max_entries=max_entries)
        if history is not None:
            shutil.copy(history, d / "history.sqlite3")
            os.sync()  # the copy's writeback (200 MB at 100,000 entries) must not land in the start-up time
        return d

    def launch(self, app: AppSpec, profile: str = "corpay", config_dir: Path | None = None, record_id: str = "") -> Term:
        # Bytecode caching on, as for anyone who has not set PYTHONDONTWRITEBYTECODE (CI images often do):
        # otherwise every launch of the editable install recompiles evtui's sources.
        env = {"EVTUI_CONFIG_DIR": str(config_dir or self.fresh_dir()), "PYTHONDONTWRITEBYTECODE": ""}
        cmd = app.command(profile, self.root, self.view_shape, record_id)
        return Term(self.server, cmd, cols=COLS, rows=ROWS, env=env, cwd=str(REPO))

    def enter_id(self, term: Term, app: AppSpec, record_id: str) -> tuple[float, float]:
        """Focus and clear the bar, type the id, wait for its echo on the bar's row, press Enter.
        Returns (the time Enter was sent, the app's CPU seconds just before).

        Ctrl+L gives evtui's bar the focus (after a lookup the record has it); the floors'
        bar always has it. Letters are never evtui's shortcuts, so the id is typed as a
        person types it. A retry covers a keystroke lost under load."""
        for _ in range(5):
            term.keys("C-l")
            if app.bar_focus:
                term.wait(test=lambda s: app.bar_focus in row(s, ROWS - 1), timeout=10, what="the bar focused")
            term.keys("End", "C-u")
            try:
                term.wait(test=lambda s: bar_cleared(bar_text(s)), timeout=2.0, what="the bar cleared")
                term.type(record_id)
                term.wait(test=lambda s: bar_text(s) == record_id, timeout=2.0, what=f"{record_id} in the bar")
            except TimeoutError:
                continue
            cpu = term.cpu_seconds()
            return term.keys("Enter"), cpu
        raise TimeoutError(f"could not put {record_id} in the search bar")

    def enter_at_first_paint(self, term: Term, app: AppSpec, record_id: str) -> tuple[float, float, float]:
        """A person's first lookup: the id pasted the moment the hint shows, Enter at once (not after
        the id echoes). Returns (first paint, the time Enter was sent, the app's CPU seconds just before the paste)."""
        t_paint, _ = term.wait([HINT], what="first paint")
        cpu = term.cpu_seconds()
        term.paste(record_id)
        return t_paint, term.keys("Enter"), cpu

    def answered(self, term: Term, app: AppSpec, record_id: str, *, profile: str = "corpay") -> float:
        """Waits for the answer to an Enter sent at first paint. An app not ready for it (evtui once
        emptied its bar as its config became ready: "No id given.", or the paste went nowhere)
        has the id entered again, as the person would; the time stays the first Enter's, and
        the miss is counted (first_enter_lost)."""
        answer = app.answer(record_id, profile)
        try:
            t, s = term.wait(test=lambda s: all(a in s for a in answer) or EMPTY_BAR in s, timeout=15, what="answer")
            if EMPTY_BAR not in s:
                return t
        except TimeoutError:
            pass
        self.add(app.name, "first_enter_lost", 1)
        self.enter_id(term, app, record_id)
        t, _ = term.wait(answer, what="answer after the id was entered again")
        return t

    def focus_history(self, term: Term, app: AppSpec, seen: Callable[[str], object] = lambda s: None) -> None:
        """evtui: F3 takes the focus to the history panel (showing it if hidden); F3 from inside
        it then hides it, and F3 again shows and focuses it. So after this one press every F3
        shows or hides, as on the floors, whose F3 always toggles their panel (nothing to do)."""
        if app is not EVTUI:
            return
        for _ in range(5):  # a record that arrives meanwhile takes the focus into it: press again
            term.keys("F3")
            try:
                # `seen` looks at every screen meanwhile.
                term.wait([app.history_marker], test=lambda s: seen(s) is None and HISTORY_FOCUS in row(s, ROWS - 1),
                          timeout=10, what="the history panel shown and focused")
            except TimeoutError:
                continue
            if HISTORY_FOCUS in row(term.settle(), ROWS - 1):
                return
        raise TimeoutError("F3 did not focus the history panel")

    def lookup(self, term: Term, app: AppSpec, record_id: str, what: str, retries: int = 3) -> tuple[float, float]:
        """One lookup through the bar: (Enter -> answer on screen, the app's CPU seconds across it).
        An Enter that met an empty bar (a keystroke lost under load) is sent again, and counted."""
        for attempt in range(retries):
            t_enter, c0 = self.enter_id(term, app, record_id)
            try:
                t, _ = term.wait(app.answer(record_id), timeout=15, what=what)
                return t - t_enter, term.cpu_seconds() - c0
            except TimeoutError:
                self.add(app.name, "lookup_retries", 1)
                if attempt == retries - 1:
                    raise
        raise AssertionError("unreachable")

