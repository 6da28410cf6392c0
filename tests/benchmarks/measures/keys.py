"""F3 pressed during and after each kind of lookup: the first (Enter at first paint), lookup 2, warm ones.

Apart from the timed lookups (typical, soak), whose times the probes would disturb."""

from __future__ import annotations

from tests.benchmarks.apps import OTHER, TYPICAL, AppSpec
from tests.benchmarks.bench import Bench
from tests.benchmarks.measures.probes import probe_f3

WARM = 4  # probed warm lookups per app and run


def keys(bench: Bench, app: AppSpec) -> None:
    term = bench.launch(app, config_dir=bench.fresh_dir(history=bench.small_history))
    try:
        def answered(record_id: str):
            return lambda s: all(a in s for a in app.answer(record_id))

        _, t_enter, _ = bench.enter_at_first_paint(term, app, TYPICAL)
        try:
            probe_f3(term, bench, app, t_enter, answered(TYPICAL), timeout=20).add_to(bench, app, "f3_first")
        except TimeoutError:  # the first Enter was not taken: its keys are no sample
            bench.add(app.name, "probed_first_enter_lost", 1)
        for i in range(1 + WARM):
            rid = OTHER if i % 2 == 0 else TYPICAL
            t_enter, _ = bench.enter_id(term, app, rid)
            probe_f3(term, bench, app, t_enter, answered(rid)).add_to(bench, app, "f3_second" if i == 0 else "f3_warm")
    finally:
        term.close()
