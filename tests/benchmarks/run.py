"""evtui against the floors, through a real terminal: what a person feels, from launch to the keys after an answer.

    .venv/bin/python -m tests.benchmarks [--runs N | --quick] [--out FILE] [--lookups N] [--only NAMES]
    .venv/bin/python tests/benchmarks/run.py ...      (the same)

One demo server (`python -m evtui.demo.server PORT`) in its own process serves
every app for the whole run. Each app runs in a detached 120x34 tmux terminal
on a private tmux server, with a fresh EVTUI_CONFIG_DIR per launch. The floor
(floor.py) is a bare Textual app doing the same HTTP and showing one line; the
equivalent-view floor (view_floor.py, "view") does the same HTTP and shows the
widget structure evtui shows for the record (header, tabs, an overview list of
evtui's row count, side panel, footer), updated in place.
Every time is from a key (or the launch) to the capture of the screen that shows
its effect, polled every few ms; medians over the runs (default 5, --quick 2).
CPU is utime+stime of the app's process (10 ms ticks) across the same span.

The measures (`--only` takes their names; the apps each runs on):
- typical (all three; measures/typical.py): first paint (launch -> "Enter looks
  it up"); the first answer: corpay session AAdmD55q8Vz pasted the moment the
  hint shows and Enter sent at once (not after the id echoes) -> the answer,
  with its CPU; lookup 2 (the second id, typed, in the same app) and its CPU;
  then, with that record shown, ] / [ (evtui's tab keys), ctrl+p (the palette
  open) and 10 F3 toggles (evtui: after one F3 that focuses the history panel);
- launch (floor, evtui; measures/launch.py): `evtui ID` launch -> answer (the
  floor given --id=ID does the same: launch, token, GET, one line) and the
  process's CPU by then; again with F3 probes from first paint on;
- keys (all three; measures/keys.py): F3 every 100 ms from the moment Enter is
  sent, during each lookup and for 0.5 s after it shows (measures/probes.py),
  for the first answer, lookup 2 and 4 warm lookups, in an app of its own so
  the timed lookups are not disturbed;
- large (floor, evtui; measures/large.py): the 5 MB OCPI record
  (CPO-SES-DEPOT-LONG), Enter -> overview on screen, F3 probes while it loads
  and for 2 s after, RSS with it open;
- soak (all three; measures/soak.py): VmRSS idle (2 s after first paint), idle
  CPU over 5 s, then N lookups (default 200, two ids alternately): the warm
  answer (median from lookup 3 on), its CPU (mean), VmRSS after 10 and after N;
- history (evtui; measures/history.py): 10,000 / 100,000 entries, launch ->
  hint and the newest entry, against an empty history; filter keystrokes.
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tests.benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.apps import EVTUI, FLOOR, REPO, VIEW, AppSpec, fill_history, start_server, view_shape  # noqa: E402
from tests.benchmarks.bench import Bench  # noqa: E402
from tests.benchmarks.measures.history import history  # noqa: E402
from tests.benchmarks.measures.keys import keys  # noqa: E402
from tests.benchmarks.measures.large import large  # noqa: E402
from tests.benchmarks.measures.launch import launch  # noqa: E402
from tests.benchmarks.measures.soak import soak  # noqa: E402
from tests.benchmarks.measures.typical import typical  # noqa: E402
from tests.benchmarks.report import HISTORY_SIZES, facts, table  # noqa: E402
from tests.benchmarks.term import TmuxServer  # noqa: E402

#: name -> (the measure, the apps it runs on); history is evtui's alone and takes its stores.
MEASURES: dict[str, tuple[Callable[[Bench, AppSpec], None], tuple[AppSpec, ...]]] = {
    "typical": (typical, (FLOOR, VIEW, EVTUI)),
    "launch": (launch, (FLOOR, EVTUI)),
    "keys": (keys, (FLOOR, VIEW, EVTUI)),
    "large": (large, (FLOOR, EVTUI)),
    "soak": (soak, (FLOOR, VIEW, EVTUI)),
}
NAMES = [*MEASURES, "history"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="runs per measure; the table shows medians (default 5)")
    p.add_argument("--quick", action="store_true", help="2 runs")
    p.add_argument("--lookups", type=int, default=200, help="lookups in the memory soak (default 200)")
    p.add_argument("--out", type=Path, help="also write the table (markdown) to this file")
    p.add_argument("--raw", type=Path, help="write every sample as JSON to this file")
    p.add_argument("--tmux-prefix", default="evtui-bench-",
                   help="start of the private tmux server's and its sessions' names (default evtui-bench-)")
    p.add_argument("--only", default=",".join(NAMES), help=f"comma-separated subset of: {','.join(NAMES)}")
    p.add_argument("--apps", default="floor,view,evtui", help="comma-separated subset of: floor,view,evtui")
    a = p.parse_args(argv)
    runs = 2 if a.quick else a.runs
    only = set(a.only.split(","))
    if only - set(NAMES):
        p.error(f"--only: unknown {', '.join(sorted(only - set(NAMES)))}; known: {', '.join(NAMES)}")
    if shutil.which("tmux") is None:
        print("tmux is needed: apt-get install tmux", file=sys.stderr)
        return 2

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up (finally) when stopped with kill
    server = TmuxServer(a.tmux_prefix)
    proc = None
    tmp = Path(tempfile.mkdtemp(prefix="evtui-bench-"))
    started = time.time()
    try:
        # What `pip install` does for an installed package; the first launch must not pay for it.
        compileall.compile_dir(str(REPO / "evtui"), quiet=1)
        proc, root = start_server()
        bench = Bench(server, root, tmp, a.lookups, view_shape=view_shape(root))
        stores: dict[int, tuple[Path, dict[str, str]]] = {}
        bench.small_history = tmp / "history-10.sqlite3"
        fill_history(bench.small_history, 10)
        if "history" in only:
            for n in HISTORY_SIZES:
                path = tmp / f"history-{n}.sqlite3"
                t = time.perf_counter()
                stores[n] = (path, fill_history(path, n))
                print(f"filled a history of {n:,} entries in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        failures: list[str] = []
        for run in range(runs):
            apps = [FLOOR, VIEW, EVTUI][run % 3:] + [FLOOR, VIEW, EVTUI][: run % 3]  # no app always first
            apps = [app for app in apps if app.name in a.apps.split(",")]
            print(f"run {run + 1}/{runs} ({time.time() - started:.0f} s)", file=sys.stderr)
            steps: list[tuple[str, Callable[[], None]]] = []
            for app in apps:
                steps += [(f"{name} {app.name}", lambda m=measure, app=app: m(bench, app))
                          for name, (measure, on) in MEASURES.items() if name in only and app in on]
            if "history" in only:
                steps.append(("history 0", lambda: history(bench, 0, None, None)))
                steps += [(f"history {n}", lambda n=n: history(bench, n, *stores[n])) for n in HISTORY_SIZES]
            for step in steps:
                try:
                    step[1]()
                except Exception as exc:  # one failed measure must not lose the run: note it, go on
                    failures.append(f"run {run + 1}, {step[0]}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                    print(f"FAILED {failures[-1]}\n{exc}", file=sys.stderr)
        text, missed = table(bench.results, a.lookups)
        report = f"{facts(runs, a.lookups)}\n\n{text}\n\n{missed} target(s) missed. Took {time.time() - started:.0f} s.\n"
        if failures:
            report += "\nMeasures that failed (left out of the medians):\n" + "".join(f"- {f}\n" for f in failures)
        print(report)
        if a.out:
            a.out.write_text(report)
        if a.raw:
            a.raw.write_text(json.dumps(bench.results, indent=1))
        return 0
    finally:
        server.close()
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
