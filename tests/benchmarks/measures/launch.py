"""`evtui ID`: launch -> the answer on screen, against the floor given the id on its command line
(launch, token, GET, one line); then again with F3 pressed from first paint on."""

from __future__ import annotations

from tests.benchmarks.apps import HINT, TYPICAL, AppSpec
from tests.benchmarks.bench import Bench
from tests.benchmarks.measures.probes import probe_f3


def launch(bench: Bench, app: AppSpec) -> None:
    answer = app.answer(TYPICAL)
    term = bench.launch(app, record_id=TYPICAL)
    try:
        t, _ = term.wait(answer, what="the answer to the id given at launch")
        bench.add(app.name, "launch_answer", t - term.t0)
        bench.add(app.name, "launch_answer_cpu", term.cpu_seconds())  # the whole process so far
    finally:
        term.close()
    term = bench.launch(app, config_dir=bench.fresh_dir(history=bench.small_history), record_id=TYPICAL)
    try:
        t_paint, _ = term.wait([HINT], what="first paint")
        probe_f3(term, bench, app, t_paint, lambda s: all(a in s for a in answer)).add_to(bench, app, "f3_launch")
    finally:
        term.close()
