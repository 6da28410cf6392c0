"""Idle memory and CPU, then N lookups (two ids alternately): the warm answer, its CPU, memory over the lookups."""

from __future__ import annotations

import statistics
import time

from tests.benchmarks.apps import HINT, OTHER, TYPICAL, AppSpec
from tests.benchmarks.bench import Bench
from tests.benchmarks.report import RSS_FIRST


def soak(bench: Bench, app: AppSpec) -> None:
    term = bench.launch(app)
    try:
        term.wait([HINT], what="first paint")
        time.sleep(2.0)  # settle: history loaded, first frame flushed
        bench.add(app.name, "rss_idle", term.rss_kib() / 1024)
        c0, w0 = term.cpu_seconds(), time.perf_counter()
        time.sleep(5.0)  # the idle CPU window: nothing sent, nothing expected
        c1, w1 = term.cpu_seconds(), time.perf_counter()
        bench.add(app.name, "cpu_idle", 100 * (c1 - c0) / (w1 - w0))
        warm: list[float] = []
        warm_cpu = 0.0
        rss_first = None
        for i in range(bench.lookups):
            wall, cpu = bench.lookup(term, app, TYPICAL if i % 2 == 0 else OTHER, f"answer {i}")
            if i >= 2:  # lookups 1 and 2 are the typical measure's
                warm.append(wall)
                warm_cpu += cpu
            if i + 1 == RSS_FIRST:
                rss_first = term.rss_kib() / 1024
        bench.add(app.name, "enter_warm", statistics.median(warm))
        # CPU ticks are 10 ms: the mean over the lookups, not a median of ticks.
        bench.add(app.name, "warm_cpu", warm_cpu / len(warm))
        time.sleep(1.0)
        rss_after = term.rss_kib() / 1024
        bench.add(app.name, "rss_after", rss_after)
        bench.add(app.name, "rss_delta", rss_after - bench.results["rss_idle"][app.name][-1])
        if rss_first:
            bench.add(app.name, "rss_last_over_first", rss_after / rss_first)
    finally:
        term.close()
