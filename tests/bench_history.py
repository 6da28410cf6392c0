"""Benchmark of the history store (not collected by pytest).

    .venv/bin/python tests/bench_history.py [--sizes 10000,100000] [--no-bodies] [--dir DIR]

Fills a store per size with realistic entries (ids, profiles, one-line
summaries and ~1 KB cached bodies), then prints:

- open + first page: a new HistoryStore and entries(limit=200), in this process
  (median of 7), and in a fresh Python that also imports evtui.history;
- a filter keystroke: entries(query=q, limit=200) with the store open, for the
  prefixes of an id being typed, summary words and strings that match nothing
  (the worst case: every entry is examined); median and worst;
- record(): a new id at the cap, so every write also prunes (median, p95).

Targets (issue 4): start-up adds under 50 ms at 10,000 entries; a filter
keystroke under 20 ms at 100,000.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evtui.history import HistoryStore, _Attempt

PROFILES = ["corpay-uat", "corpay-prod", "spirii", "spirii-sandbox"]
STATUSES = ["COMPLETE", "STARTED", "STOPPED", "FAILED", "STOP_FAILED", "WAITING_TO_START"]
SITES = ["Drive_API_Test1", "Aker Brygge", "Zuidas", "Shibuya Stream", "Al Hamra", "Potsdamer Platz"]
CURRENCIES = ["EUR", "NOK", "JPY", "KWD", "SEK"]
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def fake_id(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(11, 24)))


def fake_attempt(rng: random.Random, when: float, *, bodies: bool) -> _Attempt:
    rid = fake_id(rng)
    profile = rng.choice(PROFILES)
    if rng.random() < 0.1:
        outcome, summary, body = rng.choice(["not_found", "timeout", "provider_error"]), "Not found", None
    else:
        amount = f"{rng.randint(0, 9999) / 100:.2f} {rng.choice(CURRENCIES)}"
        summary = f"{rng.choice(STATUSES)} · {rng.choice(SITES)} · {amount}"
        if rng.random() < 0.3:
            summary += f" · balance {amount} outstanding"
        outcome = "found"
        body = None
        if bodies:
            doc = {"sessionId": rid, "sessionStatus": summary.split(" ")[0], "site": "x", "pad": "y" * rng.randint(600, 1400)}
            body = json.dumps(doc).encode()
    return _Attempt(profile, profile.split("-")[0], "session", rid, outcome, summary, body, when)


def fill(path: Path, n: int, *, bodies: bool) -> tuple[str, float]:
    """n entries in one transaction (record() per entry would time fsyncs, not the store); a known id."""
    rng = random.Random(n)
    store = HistoryStore(path, max_entries=n)
    base = time.time() - n
    t0 = time.perf_counter()
    attempts = [fake_attempt(rng, base + i, bodies=bodies) for i in range(n)]
    store._pending = attempts  # the store's own batch writer: same SQL and triggers as record()
    store._run(store._write, None, write=True)
    for a in attempts[:: max(1, n // 20)]:
        store.set_pinned((a.profile, a.record_type, a.record_id))
    store.close()
    return attempts[n // 2].record_id, time.perf_counter() - t0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def bench(path: Path, n: int, known_id: str) -> dict[str, float]:
    out: dict[str, float] = {}
    # open + first page, in process
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        store = HistoryStore(path, max_entries=n)
        page = store.entries(limit=200)
        runs.append(time.perf_counter() - t0)
        store.close()
        assert len(page) == 200, len(page)
    out["open_first_page"] = statistics.median(runs)
    # ... and in a fresh interpreter, import included
    code = (
        "import time, sys; t0 = time.perf_counter(); from pathlib import Path; from evtui.history import HistoryStore; "
        "s = HistoryStore(Path(sys.argv[1])); p = s.entries(limit=200); print(time.perf_counter() - t0)"
    )
    fresh = [float(subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout) for _ in range(5)]
    out["open_first_page_fresh_process"] = statistics.median(fresh)

    # filter keystrokes
    store = HistoryStore(path, max_entries=n)
    store.entries(limit=200)
    typed = [known_id[:i] for i in range(1, len(known_id) + 1)]
    words = ["berlin", "zuidas", "debt", "outstanding", "nok", "spirii", "stop_failed", "not found"]
    nothing = ["zzqzzq", "xyzzy-none", "§", "§§", "Ω-none", "no such id here"]
    times: dict[str, list[float]] = {"typed": [], "words": [], "nothing": []}
    for group, queries in (("typed", typed), ("words", words), ("nothing", nothing)):
        for q in queries:
            t0 = time.perf_counter()
            hits = store.entries(query=q, limit=200)
            times[group].append(time.perf_counter() - t0)
            if group == "typed" and q == known_id:
                assert any(e.record_id == known_id for e in hits), "the typed id must be found"
            if group == "nothing":
                assert not hits
    every = times["typed"] + times["words"] + times["nothing"]
    out["filter_median"] = statistics.median(every)
    out["filter_worst"] = max(every)
    out["filter_nothing_median"] = statistics.median(times["nothing"])
    # with a profile as well
    t0 = time.perf_counter()
    store.entries(profile="spirii", query="zzqzzq", limit=200)
    out["filter_profile_nothing"] = time.perf_counter() - t0

    # record(): new ids at the cap, so each write prunes one
    rng = random.Random(7)
    rec = []
    for _ in range(200):
        a = fake_attempt(rng, time.time(), bodies=True)
        t0 = time.perf_counter()
        store.record(profile=a.profile, adapter=a.adapter, record_type=a.record_type, record_id=a.record_id,
                     outcome=a.outcome, summary=a.summary, body=a.body)
        rec.append(time.perf_counter() - t0)
    rec.sort()
    out["record_median"] = statistics.median(rec)
    out["record_p95"] = rec[int(len(rec) * 0.95)]
    assert store.notice is None, store.notice
    store.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--no-bodies", action="store_true", help="fill without cached response bodies")
    parser.add_argument("--dir", type=Path, help="where to put the stores (default: a temporary directory)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"history-{n}.sqlite3"
            known_id, filled = fill(path, n, bodies=not args.no_bodies)
            size_mb = path.stat().st_size / 1e6
            r = bench(path, n, known_id)
            print(f"{n:>7,} entries  (file {size_mb:.1f} MB, filled in {filled:.1f} s)")
            print(f"  open + first page (200)   {ms(r['open_first_page'])}   fresh process incl. import {ms(r['open_first_page_fresh_process'])}")
            print(f"  filter keystroke          {ms(r['filter_median'])} median   {ms(r['filter_worst'])} worst   "
                  f"{ms(r['filter_nothing_median'])} no-match median   {ms(r['filter_profile_nothing'])} profile+no-match")
            print(f"  record() at the cap       {ms(r['record_median'])} median   {ms(r['record_p95'])} p95")
            ok_open = n > 10_000 or r["open_first_page"] < 0.050
            ok_filter = r["filter_worst"] < 0.020
            print(f"  targets: start-up < 50 ms {'ok' if ok_open else 'MISSED'}   filter < 20 ms {'ok' if ok_filter else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
