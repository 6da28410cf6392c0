"""History of 10,000 / 100,000 entries (evtui only): launch -> hint and the newest entry on screen,
against an empty history; then filter keystrokes -> the top of the list changes."""

from __future__ import annotations

import statistics
from pathlib import Path

from tests.benchmarks.apps import EVTUI, HINT, filter_text, top_entry
from tests.benchmarks.bench import Bench


def history(bench: Bench, size: int, store: Path | None, info: dict[str, str] | None, keystrokes: int = 6) -> None:
    d = bench.fresh_dir(history=store, max_entries=max(size, 10_000))
    term = bench.launch(EVTUI, "corpay", d)
    key = f"h{size}"
    try:
        marker = info["newest"] if info else "No lookups yet."
        t, _ = term.wait([HINT, marker], what=f"history of {size} shown")
        bench.add("evtui", f"{key}_startup", t - term.t0)
        if not info:
            return
        # F3 takes the focus to the list (its keys in the footer); a printable key typed on
        # the list goes to the filter box, which keeps the focus for the keys after it.
        bench.focus_history(term, EVTUI)
        term.wait([info["newest"]], what="the newest entry listed")
        times = []
        for i in range(keystrokes):
            before = top_entry(term.screen())
            if i % 2 == 0:
                t_key = term.type(info["char"])
            else:
                t_key = term.keys("BSpace")
            t, s = term.wait(test=lambda s: top_entry(s) != before, timeout=30, what="the list changed")
            times.append(t - t_key)
            if i == 0 and filter_text(s) != info["char"]:
                raise RuntimeError(f"the keystroke did not go to the filter box:\n{s}")
        bench.add("evtui", f"{key}_filter_median", statistics.median(times))
        bench.add("evtui", f"{key}_filter_max", max(times))
    finally:
        term.close()
