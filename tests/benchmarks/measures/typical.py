"""A fresh app as a person meets it: first paint, the first answer with Enter pressed at first paint,
lookup 2 (the second lookup of that app), then keys with the record shown: tab switch, palette, F3."""

from __future__ import annotations

import re
import statistics

from tests.benchmarks.apps import EVTUI, HISTORY_FOCUS, OTHER, TYPICAL, AppSpec, row
from tests.benchmarks.bench import Bench
from tests.benchmarks.report import ROWS
from tests.benchmarks.term import Term

PALETTE = "Search for commands"  # Textual's command palette input, on every app


def typical(bench: Bench, app: AppSpec) -> None:
    term = bench.launch(app)
    try:
        t_paint, t_enter, c0 = bench.enter_at_first_paint(term, app, TYPICAL)
        bench.add(app.name, "first_paint", t_paint - term.t0)
        t = bench.answered(term, app, TYPICAL)
        bench.add(app.name, "first_answer", t - t_enter)
        bench.add(app.name, "first_answer_cpu", term.cpu_seconds() - c0)
        wall, cpu = bench.lookup(term, app, OTHER, "lookup 2")
        bench.add(app.name, "lookup2", wall)
        bench.add(app.name, "lookup2_cpu", cpu)
        if app is EVTUI:
            tab_switches(bench, term, app)
        palette_opens(bench, term, app)
        f3_toggles(bench, term, app)
    finally:
        term.close()


def record_area(screen: str) -> list[str]:
    """The rows under the tab bar, left of the side panel: what a tab switch changes."""
    return [line.split("▊")[0] for line in screen.split("\n")[8 : ROWS - 1]]


def footer_keys(screen: str) -> list[str]:
    """The footer's key labels ("Look up", "Pin/unpin", ...): they tell where the focus is."""
    return [label.split(" ", 1)[-1] for label in re.split(r"\s{2,}", row(screen, ROWS - 1).strip())]


def tab_switches(bench: Bench, term: Term, app: AppSpec, presses: int = 6) -> None:
    """] and [ (next / previous tab) alternately, each from the key to the tab's content shown."""
    # evtui moves the focus from the bar into a record once it shows; a ] typed before that goes to the bar.
    term.wait(test=lambda s: not ({app.bar_focus, HISTORY_FOCUS} & set(footer_keys(s))), timeout=10,
              what="the record focused")
    times = []
    for i in range(presses):
        before = record_area(term.settle())
        t_key = term.keys("]" if i % 2 == 0 else "[")
        try:
            t, _ = term.wait(test=lambda s: record_area(s) != before, timeout=10, what="the tab switched")
        except TimeoutError:  # counted, not timed: the next press goes on from wherever this one left it
            bench.add(app.name, "tab_unread", 1)
            continue
        times.append(t - t_key)
    if times:
        bench.add(app.name, "tab_median", statistics.median(times))
        bench.add(app.name, "tab_max", max(times))


def palette_opens(bench: Bench, term: Term, app: AppSpec, opens: int = 3) -> None:
    """ctrl+p -> the command palette on screen; Esc closes it (not timed)."""
    times = []
    for _ in range(opens):
        term.settle()
        t_key = term.keys("C-p")
        t, _ = term.wait([PALETTE], timeout=10, what="the palette open")
        times.append(t - t_key)
        term.keys("Escape")
        term.wait(absent=[PALETTE], timeout=10, what="the palette closed")
    bench.add(app.name, "palette_median", statistics.median(times))
    bench.add(app.name, "palette_max", max(times))


def f3_toggles(bench: Bench, term: Term, app: AppSpec, toggles: int = 10) -> None:
    """F3 shows/hides the history (the floors' panel) while the last lookup's record is on screen."""
    term.settle()
    bench.focus_history(term, app)
    shown = app.history_marker in term.screen()
    times = []
    for _ in range(toggles):
        want = not shown
        t_key = term.keys("F3")
        t, _ = term.wait(test=lambda s: (app.history_marker in s) == want, timeout=10, what="F3 reflected")
        times.append(t - t_key)
        shown = want
    bench.add(app.name, "f3_record_median", statistics.median(times))
    bench.add(app.name, "f3_record_max", max(times))
