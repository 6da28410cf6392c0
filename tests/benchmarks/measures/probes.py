"""Keys pressed while a lookup runs and after it shows, as a person does while waiting: how long each takes to show.

The probe key is F3. On the floors it shows/hides a one-line panel. On evtui it
shows and focuses the history panel, or, pressed inside it, hides it; so the
effect each F3 should have is read from the screen just before it is sent, and
its latency is from the key to the first capture showing that effect. A record
that shows while a key is on its way may move evtui's focus into it, which
changes what that F3 does: such a key is not a sample unless its expected
effect still shows within a second.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.benchmarks.apps import EVTUI, HISTORY_FOCUS, AppSpec, row
from tests.benchmarks.bench import Bench
from tests.benchmarks.report import ROWS
from tests.benchmarks.term import POLL, Term


@dataclass
class Probed:
    t_answer: float  # the capture that first showed the answer
    during: list[float] = field(default_factory=list)  # keys sent before the answer showed
    after: list[float] = field(default_factory=list)  # keys sent after it

    def add_to(self, bench: Bench, app: AppSpec, key: str) -> None:
        """`key`_during_max / _during_median / _after_max / _after_median, those that have samples."""
        for when, samples in (("during", self.during), ("after", self.after)):
            if samples:
                bench.add(app.name, f"{key}_{when}_max", max(samples))
                bench.add(app.name, f"{key}_{when}_median", statistics.median(samples))


def f3_effect(app: AppSpec, screen: str) -> Callable[[str], bool]:
    """What the screen shows once an F3 sent now has been handled."""
    shown = app.history_marker in screen
    if app is EVTUI:
        footer = row(screen, ROWS - 1)
        if shown and HISTORY_FOCUS in footer:
            return lambda s: app.history_marker not in s
        # Shown elsewhere: the focus moves into the panel, which the footer's keys show (the bar's
        # "Look up" gone, the list's "Pin/unpin" come once it has an entry highlighted). Pressed in
        # the panel's filter box, F3 hides it.
        return lambda s: (app.history_marker in s) != shown or (
            row(s, ROWS - 1) != footer and app.bar_focus not in row(s, ROWS - 1))
    return lambda s: (app.history_marker in s) != shown


def probe_f3(
    term: Term,
    bench: Bench,
    app: AppSpec,
    t_start: float,
    answered: Callable[[str], bool],
    *,
    after: float = 0.5,
    cadence: float = 0.1,
    timeout: float = 60.0,
) -> Probed:
    """F3 from `t_start` on, each `cadence` after the last one sent (and once its effect showed),
    until `after` seconds past the first capture where `answered` holds. TimeoutError if no
    answer shows within `timeout`."""
    t_answer: float | None = None

    def see(screen: str) -> str:
        nonlocal t_answer
        if t_answer is None and answered(screen):
            t_answer = time.perf_counter()
        return screen

    during: list[float] = []
    settled: list[float] = []
    next_send = t_start
    while t_answer is None or time.perf_counter() < t_answer + after:
        if t_answer is None and time.perf_counter() - t_start > timeout:
            raise TimeoutError(f"no answer {timeout:.0f} s after the lookup began; screen:\n{term.screen()}")
        screen = see(term.screen())
        while time.perf_counter() < next_send:  # the cadence, watching for the answer meanwhile
            time.sleep(POLL)
            screen = see(term.screen())
        if t_answer is not None and time.perf_counter() >= t_answer + after:
            break
        effect = f3_effect(app, screen)
        answered_before = t_answer is not None
        t_key = term.keys("F3")
        next_send = t_key + cadence
        try:
            t, shown = term.wait(test=lambda s: effect(see(s)) or (not answered_before and t_answer is not None),
                                 timeout=5, what="F3 answered")
        except TimeoutError:
            bench.add(app.name, "probe_unread", 1)
            term.settle()
            continue
        if not answered_before and t_answer is not None:
            # The answer showed while the key was on its way: it moves evtui's focus, which
            # changes both what this F3 does and the footer that shows it. Not a sample; counted
            # if its effect had not shown by then.
            if not effect(shown):
                bench.add(app.name, "probe_overtaken", 1)
            term.settle()
            continue
        (settled if answered_before else during).append(t - t_key)
    assert t_answer is not None
    return Probed(t_answer, during, settled)
