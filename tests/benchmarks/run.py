"""evtui against the floor, through a real terminal: start-up, answers, a 5 MB record, history, memory.

    .venv/bin/python -m tests.benchmarks [--runs N | --quick] [--out FILE] [--lookups N]
    .venv/bin/python tests/benchmarks/run.py ...      (the same)

One demo server (`python -m evtui.demo.server PORT`) in its own process serves
both apps for the whole run. Each app runs in a detached 120x34 tmux terminal
on a private tmux server, with a fresh EVTUI_CONFIG_DIR per launch. The floor
(floor.py) is a bare Textual app doing the same HTTP and showing one line; the
equivalent-view floor (view_floor.py, "view") does the same HTTP and shows the
widget structure evtui shows for the record (header, tabs, an overview list of
evtui's row count, side panel, footer), updated in place.
Every time is from a key (or the launch) to the capture of the screen that shows
its effect, polled every few ms; medians over the runs (default 5, --quick 2).

Measured, per run:
- first paint: launch -> "Enter looks it up" on screen (evtui: the bar's hint);
- Enter -> answer, corpay session AAdmD55q8Vz, first lookup of a fresh app
  (token + GET), and warm (token cached) as the median of the soak's lookups;
- 5 MB record (OCPI /ocpi/large/, CPO-SES-DEPOT-LONG): Enter -> overview on
  screen; meanwhile F3 (show/hide the history panel; the floor has the same
  key on a one-line panel) is sent every 100 ms (evtui: after one F3 that
  focuses the shown panel, so each next F3 hides or shows it; not a sample), each after the last one showed,
  and its latency is taken while the record loads and for 2 s after;
- history of 10,000 / 100,000 entries (evtui only): launch -> hint and the
  newest entry on screen, against an empty history; then a filter keystroke
  (F3 focuses the list; a character typed on it goes to the filter, then
  Backspace / a character alternately) -> the top of the list changes;
- memory: VmRSS idle (2 s after first paint), after N lookups (default 200,
  two ids alternately), the delta, and VmRSS after 50 lookups over after 10
  (flat memory: within 10 %); idle CPU: utime+stime over 5 s of idle;
- F3 with a record open (after the soak's lookups): 10 toggles, each from the
  key to the panel shown / gone (evtui: after the one F3 that focuses it).
The one-line floor and evtui run every measure; the view floor runs the fresh
and warm lookups and the soak (its target: evtui's warm lookup ≤ 1.0x it).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

if __package__ in (None, ""):  # run as a script: make `tests.benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.report import COLS, HISTORY_SIZES, ROWS, RSS_AT, facts, table  # noqa: E402
from tests.benchmarks.term import Term, TmuxServer  # noqa: E402

PY = sys.executable
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

TYPICAL = "AAdmD55q8Vz"
OTHER = "Q2hhcmdlUGFpZDE"  # the soak alternates the two
LARGE = "CPO-SES-DEPOT-LONG"
OCPI_TOKEN = "demo-ocpi-token-c-7f3a91"  # evtui/demo/ocpi.py TOKEN
HINT = "Enter looks it up"  # on the first screen of both apps
EMPTY_BAR = "No id given."  # evtui's answer to Enter on an empty bar
HISTORY_FOCUS = "Pin/unpin"  # in evtui's footer while its history list has the focus


# -- the three apps ---------------------------------------------------------------------------


@dataclass
class AppSpec:
    name: str
    history_marker: str  # visible when the history (or the floor's panel) is shown
    bar_focus: str = ""  # in the footer while the search bar has the focus

    def command(self, profile: str, root: str, view_shape: str) -> list[str]:
        if self.name == "view":
            return [PY, str(HERE / "view_floor.py"), "corpay", f"{root}/corpay", view_shape]
        if self.name == "floor":
            if profile == "corpay":
                return [PY, str(HERE / "floor.py"), "corpay", f"{root}/corpay"]
            return [PY, str(HERE / "floor.py"), "ocpi", f"{root}/ocpi/large/versions", OCPI_TOKEN]
        evtui = Path(PY).with_name("evtui")
        return ([str(evtui)] if evtui.exists() else [PY, "-m", "evtui"]) + ["--profile", profile]

    def answer(self, record_id: str, profile: str = "corpay") -> list[str]:
        if self.name == "floor":
            return [f" {record_id}", "answer: "]
        return [f"session {record_id}  {profile} ·"]  # the record header (the loading line says "session X on ...")


FLOOR = AppSpec("floor", "filter: floor panel")
VIEW = AppSpec("view", "filter: floor panel")  # answers with evtui's header line: "session ID  corpay ·"
EVTUI = AppSpec("evtui", "filter: id, profile, summary", bar_focus="Look up")


# -- config dirs, the demo server, history stores ---------------------------------------------


def write_config(directory: Path, root: str, *, max_entries: int | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = f"""default_profile = "corpay"

[profiles.corpay]
adapter = "corpay"
base_url = "{root}/corpay"
client_id = "evtui-demo"
client_secret = "demo-client-secret"

[profiles.ocpi]
adapter = "ocpi"
versions_url = "{root}/ocpi/large/versions"
token = "{OCPI_TOKEN}"
"""
    if max_entries:
        text += f"\n[history]\nmax_entries = {max_entries}\n"
    path = directory / "config.toml"
    path.write_text(text)
    path.chmod(0o600)
    return directory


def view_shape(root: str) -> str:
    """For the view floor: each soak id's tabs and overview row count, from evtui's own presentation."""
    import asyncio

    from evtui.config.schema import config_from_data
    from evtui.lookup import lookup
    from evtui.pool import AdapterPool

    profile = {"adapter": "corpay", "base_url": f"{root}/corpay", "client_id": "evtui-demo", "client_secret": "demo-client-secret"}

    async def shapes() -> dict[str, tuple[list[str], int]]:
        async with AdapterPool(config_from_data({"profiles": {"corpay": profile}}, None)) as pool:
            out = {}
            for rid in (TYPICAL, OTHER):
                record = await lookup(pool.get("corpay"), rid)
                overview = record.overview
                out[rid] = ([s.title for s in record.sections] + ["Raw JSON", "HTTP"], len(overview.fields) if overview else 0)
            return out

    return json.dumps(asyncio.run(shapes()))


def start_server() -> tuple[subprocess.Popen[str], str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [PY, "-m", "evtui.demo.server", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=str(REPO),
    )
    assert proc.stdout is not None
    root = None
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.match(r"corpay: (http://\S+)/corpay", line.strip())
        if m:
            root = m.group(1)
            break
    if root is None:
        proc.kill()
        raise RuntimeError("the demo server did not start")
    # Build the 5 MB session once (the demo makes it on first request), so no run pays for it.
    import base64

    import httpx

    auth = {"Authorization": "Token " + base64.b64encode(OCPI_TOKEN.encode()).decode()}
    r = httpx.get(f"{root}/ocpi/large/2.2.1/sessions", headers=auth, timeout=60)
    r.raise_for_status()
    return proc, root


def fill_history(path: Path, n: int) -> dict[str, str]:
    """n entries written in one transaction with the store's own writer (as tests/bench_history.py does).
    Returns the newest id and a filter character that the newest entry does not hold."""
    from evtui.history import HistoryStore, _Attempt

    rng = random.Random(n)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    profiles = ["corpay", "corpay-prod", "ocpi", "spirii"]
    statuses = ["COMPLETE", "STARTED", "STOPPED", "FAILED", "ACTIVE"]
    sites = ["Drive_API_Test1", "Aker Brygge", "Zuidas", "Shibuya Stream", "Al Hamra", "Potsdamer Platz"]
    base = time.time() - n - 60
    attempts = []
    for i in range(n):
        rid = "".join(rng.choice(alphabet) for _ in range(rng.randint(11, 20)))
        profile = rng.choice(profiles)
        summary = f"{rng.choice(statuses)} · {rng.choice(sites)} · {rng.randint(0, 9999) / 100:.2f} EUR"
        body = json.dumps({"sessionId": rid, "summary": summary, "pad": "y" * rng.randint(600, 1400)}).encode()
        attempts.append(_Attempt(profile, profile.split("-")[0], "session", rid, "found", summary, body, base + i))
    store = HistoryStore(path, max_entries=n)
    store._pending = attempts
    store._run(store._write, None, write=True)
    store.close()
    newest = attempts[-1]
    hay = f"{newest.record_id} {newest.profile} {newest.summary}".casefold()
    char = next(c for c in "kmwz5678gfvbt" if c not in hay)
    return {"newest": newest.record_id, "char": char}


# -- measurements ---------------------------------------------------------------------------


@dataclass
class Bench:
    server: TmuxServer
    root: str
    tmp: Path
    lookups: int
    view_shape: str = ""
    small_history: Path | None = None  # a store of a few entries, for the large record's runs
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

    def launch(self, app: AppSpec, profile: str, config_dir: Path) -> Term:
        # Bytecode caching on, as for anyone who has not set PYTHONDONTWRITEBYTECODE (CI images often do):
        # otherwise every launch of the editable install recompiles evtui's sources.
        env = {"EVTUI_CONFIG_DIR": str(config_dir), "PYTHONDONTWRITEBYTECODE": ""}
        return Term(self.server, app.command(profile, self.root, self.view_shape), cols=COLS, rows=ROWS, env=env, cwd=str(REPO))

    def enter_id(self, term: Term, app: AppSpec, record_id: str) -> float:
        """Focus and clear the bar, type the id, wait for its echo on the bar's row; returns the time Enter was sent.

        Ctrl+L gives evtui's bar the focus (after a lookup the record has it); the floors'
        bar always has it. Letters are never evtui's shortcuts, so the id is typed as a
        person types it. A retry covers a keystroke lost under load."""
        for _ in range(5):
            term.keys("C-l")
            if app.bar_focus:
                term.wait(test=lambda s: app.bar_focus in _row(s, ROWS - 1), timeout=10, what="the bar focused")
            term.keys("End", "C-u")
            try:
                term.wait(test=lambda s: "session id" in _row(s, 1), timeout=2.0, what="the bar cleared")
                term.type(record_id)
                term.wait(test=lambda s: record_id in _row(s, 1) and "session id" not in _row(s, 1),
                          timeout=2.0, what=f"{record_id} in the bar")
            except TimeoutError:
                continue
            return term.keys("Enter")
        raise TimeoutError(f"could not put {record_id} in the search bar")

    def focus_history(self, term: Term, app: AppSpec, seen: Callable[[str], object] = lambda s: None) -> None:
        """evtui: F3 takes the focus to the history panel (showing it if hidden); F3 from inside
        it then hides it, and F3 again shows and focuses it. So after this one press every F3
        shows or hides, as on the floors, whose F3 always toggles their panel (nothing to do)."""
        if app is not EVTUI:
            return
        for _ in range(5):  # a record that arrives meanwhile takes the focus into it: press again
            term.keys("F3")
            try:
                # `seen` looks at every screen meanwhile (the large record's arrival must not be missed).
                term.wait([app.history_marker], test=lambda s: seen(s) is None and HISTORY_FOCUS in _row(s, ROWS - 1),
                          timeout=10, what="the history panel shown and focused")
            except TimeoutError:
                continue
            if HISTORY_FOCUS in _row(term.settle(), ROWS - 1):
                return
        raise TimeoutError("F3 did not focus the history panel")

    # first paint + first lookup in a fresh app
    def typical(self, app: AppSpec) -> None:
        term = self.launch(app, "corpay", self.fresh_dir())
        try:
            t, _ = term.wait([HINT], what="first paint")
            self.add(app.name, "first_paint", t - term.t0)
            for attempt in range(3):
                t_enter = self.enter_id(term, app, TYPICAL)
                # A fresh evtui may empty the bar once, as its config becomes ready: Enter then
                # says "No id given." and the id is entered again.
                t, s = term.wait(test=lambda s: all(a in s for a in app.answer(TYPICAL)) or EMPTY_BAR in s, what="answer")
                if EMPTY_BAR not in s:
                    break
                if attempt == 2:
                    raise TimeoutError("Enter kept meeting an empty bar")
            self.add(app.name, "enter_cold", t - t_enter)
        finally:
            term.close()

    # idle memory and CPU, then N lookups
    def soak(self, app: AppSpec) -> None:
        term = self.launch(app, "corpay", self.fresh_dir())
        try:
            term.wait([HINT], what="first paint")
            time.sleep(2.0)  # settle: history loaded, first frame flushed
            self.add(app.name, "rss_idle", term.rss_kib() / 1024)
            c0, w0 = term.cpu_seconds(), time.perf_counter()
            time.sleep(5.0)  # the idle CPU window: nothing sent, nothing expected
            c1, w1 = term.cpu_seconds(), time.perf_counter()
            self.add(app.name, "cpu_idle", 100 * (c1 - c0) / (w1 - w0))
            warm = []
            rss_at: dict[int, float] = {}
            for i in range(self.lookups):
                rid = TYPICAL if i % 2 == 0 else OTHER
                for attempt in range(3):  # an Enter that met an empty bar (a lost keystroke) is sent again
                    t_enter = self.enter_id(term, app, rid)
                    try:
                        t, _ = term.wait(app.answer(rid), timeout=15, what=f"answer {i}")
                        break
                    except TimeoutError:
                        self.add(app.name, "soak_retries", 1)
                        if attempt == 2:
                            raise
                if i >= 2:
                    warm.append(t - t_enter)
                if i + 1 in RSS_AT:
                    rss_at[i + 1] = term.rss_kib() / 1024
            self.add(app.name, "enter_warm", statistics.median(warm))
            if len(rss_at) == len(RSS_AT):
                self.add(app.name, "rss_50_over_10", rss_at[RSS_AT[1]] / rss_at[RSS_AT[0]])
            time.sleep(1.0)
            self.add(app.name, "rss_after", term.rss_kib() / 1024)
            self.add(app.name, "rss_delta", self.results["rss_after"][app.name][-1] - self.results["rss_idle"][app.name][-1])
            self.toggles_with_a_record_open(term, app)
        finally:
            term.close()

    def toggles_with_a_record_open(self, term: Term, app: AppSpec, toggles: int = 10) -> None:
        """F3 shows/hides the history (the floors' panel) while the last lookup's record is on screen."""
        term.settle()
        self.focus_history(term, app)
        shown = app.history_marker in term.screen()
        times = []
        for _ in range(toggles):
            want = not shown
            t_key = term.keys("F3")
            t, _ = term.wait(test=lambda s: (app.history_marker in s) == want, timeout=10, what="F3 reflected")
            times.append(t - t_key)
            shown = want
        self.add(app.name, "f3_record_median", statistics.median(times))
        self.add(app.name, "f3_record_max", max(times))

    # the 5 MB record, with F3 probes every 100 ms
    def large(self, app: AppSpec, after: float = 2.0) -> None:
        # A few history entries, so F3 always focuses evtui's list (its keys in the footer show it).
        term = self.launch(app, "ocpi", self.fresh_dir(history=self.small_history))
        usable = app.answer(LARGE, "ocpi")
        try:
            term.wait([HINT, app.history_marker], what="first paint")
            t_enter = self.enter_id(term, app, LARGE)
            shown = True
            loading: list[float] = []
            settled: list[float] = []
            t_usable: float | None = None
            after_arrival = False  # the screen has settled once since the record arrived
            lost = 0  # probes that met a focus just moved into the record

            def arrived(s: str) -> None:
                nonlocal t_usable
                if t_usable is None and all(u in s for u in usable):
                    t_usable = time.perf_counter()

            next_send = t_enter + 0.1
            while t_usable is None or time.perf_counter() < t_usable + after:
                while time.perf_counter() < next_send:  # the cadence, watching for the record meanwhile
                    if t_usable is None:
                        arrived(term.screen())
                    time.sleep(0.003)
                if t_usable is not None and not after_arrival:
                    # evtui moves the focus into the record it shows: let that happen before the next probe.
                    term.settle(quiet=0.3)
                    after_arrival = True
                if app is EVTUI and shown and HISTORY_FOCUS not in _row(term.screen(), ROWS - 1):
                    # F3 on a shown, unfocused panel focuses it: not a sample (the floors have no such press).
                    self.focus_history(term, app, arrived)
                arrived_before = t_usable is not None
                t_key = term.keys("F3")
                next_send = t_key + 0.1
                want = not shown

                def reflected(s: str) -> bool:
                    arrived(s)
                    return (app.history_marker in s) == want or (not arrived_before and t_usable is not None)

                try:
                    t, _ = term.wait(test=reflected, timeout=10, what="F3 reflected")
                except TimeoutError:
                    if app is not EVTUI or not shown or (lost := lost + 1) > 3:
                        raise
                    # The focus was taken into the record just before the key: F3 focused the panel
                    # instead of hiding it. Not a sample.
                    continue
                if not arrived_before and t_usable is not None:
                    # The record arrived while this key was on its way (and may have moved the focus): not a sample.
                    shown = app.history_marker in term.settle()
                    after_arrival = True
                    continue
                shown = want
                (loading if t_usable is None or t_key < t_usable else settled).append(t - t_key)
                if time.perf_counter() - t_enter > 120:
                    raise TimeoutError("the large record did not open in 120 s")
            self.add(app.name, "large_usable", t_usable - t_enter)
            if loading:
                self.add(app.name, "large_keys_loading_max", max(loading))
                self.add(app.name, "large_keys_loading_median", statistics.median(loading))
            self.add(app.name, "large_keys_after_max", max(settled))
            self.add(app.name, "large_keys_after_median", statistics.median(settled))
            self.add(app.name, "large_rss", term.rss_kib() / 1024)
        finally:
            term.close()

    # history start-up and filter keystrokes (evtui only)
    def history(self, size: int, store: Path | None, info: dict[str, str] | None, keystrokes: int = 6) -> None:
        d = self.fresh_dir(history=store, max_entries=max(size, 10_000))
        term = self.launch(EVTUI, "corpay", d)
        key = f"h{size}"
        try:
            marker = info["newest"] if info else "No lookups yet."
            t, _ = term.wait([HINT, marker], what=f"history of {size} shown")
            self.add("evtui", f"{key}_startup", t - term.t0)
            if not info:
                return
            # F3 takes the focus to the list (its keys in the footer); a printable key typed on
            # the list goes to the filter box, which keeps the focus for the keys after it.
            self.focus_history(term, EVTUI)
            term.wait([info["newest"]], what="the newest entry listed")
            times = []
            for i in range(keystrokes):
                before = _top_entry(term.screen())
                if i % 2 == 0:
                    t_key = term.type(info["char"])
                else:
                    t_key = term.keys("BSpace")
                t, s = term.wait(test=lambda s: _top_entry(s) != before, timeout=30, what="the list changed")
                times.append(t - t_key)
                if i == 0 and _filter_text(s) != info["char"]:
                    raise RuntimeError(f"the keystroke did not go to the filter box:\n{s}")
            self.add("evtui", f"{key}_filter_median", statistics.median(times))
            self.add("evtui", f"{key}_filter_max", max(times))
        finally:
            term.close()


def _row(screen: str, i: int) -> str:
    lines = screen.split("\n")
    return lines[i] if i < len(lines) else ""


def _panel_rows(screen: str) -> list[str]:
    """The history panel's text, row by row (right of its border), from its title down."""
    rows = [line.rsplit("▊", 1)[1].strip() if "▊" in line else "" for line in screen.split("\n")]
    for i, r in enumerate(rows):
        if r.startswith("History"):
            return rows[i:]
    return []


def _filter_text(screen: str) -> str:
    rows = _panel_rows(screen)
    return rows[1] if len(rows) > 1 else ""


def _top_entry(screen: str) -> str:
    rows = _panel_rows(screen)
    if len(rows) < 4:
        return ""
    first = rows[2].split()
    return (first[0] if first else "") + "|" + rows[3]


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
    p.add_argument("--only", default="typical,large,soak,history",
                   help="comma-separated subset of: typical,large,soak,history")
    a = p.parse_args(argv)
    runs = 2 if a.quick else a.runs
    only = set(a.only.split(","))
    if shutil.which("tmux") is None:
        print("tmux is needed: apt-get install tmux", file=sys.stderr)
        return 2

    import signal

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
        if "large" in only:
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
            print(f"run {run + 1}/{runs} ({time.time() - started:.0f} s)", file=sys.stderr)
            steps: list[tuple[str, Any] | None] = []
            for app in apps:
                steps += [(f"typical {app.name}", lambda app=app: bench.typical(app)) if "typical" in only else None,
                          (f"large {app.name}", lambda app=app: bench.large(app)) if "large" in only and app is not VIEW else None,
                          (f"soak {app.name}", lambda app=app: bench.soak(app)) if "soak" in only else None]
            if "history" in only:
                steps.append(("history 0", lambda: bench.history(0, None, None)))
                steps += [(f"history {n}", lambda n=n: bench.history(n, *stores[n])) for n in HISTORY_SIZES]
            for step in steps:
                if step is None:
                    continue
                try:
                    step[1]()
                except Exception as exc:  # one failed measure must not lose the run: note it, go on
                    failures.append(f"run {run + 1}, {step[0]}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                    print(f"FAILED {failures[-1]}", file=sys.stderr)
        text, missed = table(bench.results)
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
