"""The 5 MB OCPI record (CPO-SES-DEPOT-LONG): Enter -> overview on screen, with F3 every 100 ms
while it loads and for 2 s after; RSS with it open."""

from __future__ import annotations

from tests.benchmarks.apps import HINT, LARGE, AppSpec
from tests.benchmarks.bench import Bench
from tests.benchmarks.measures.probes import probe_f3


def large(bench: Bench, app: AppSpec) -> None:
    # A few history entries, so F3 always focuses evtui's list (its keys in the footer show it).
    term = bench.launch(app, "ocpi", bench.fresh_dir(history=bench.small_history))
    usable = app.answer(LARGE, "ocpi")
    try:
        term.wait([HINT, app.history_marker], what="first paint")
        t_enter, _ = bench.enter_id(term, app, LARGE)
        probed = probe_f3(term, bench, app, t_enter + 0.1, lambda s: all(u in s for u in usable), after=2.0,
                          timeout=120)
        bench.add(app.name, "large_usable", probed.t_answer - t_enter)
        probed.add_to(bench, app, "large_keys")
        bench.add(app.name, "large_rss", term.rss_kib() / 1024)
    finally:
        term.close()
