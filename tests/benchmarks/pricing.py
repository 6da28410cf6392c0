"""The price check on a CDR of 14,000 charging periods, against a floor and the target.

    .venv/bin/python -m tests.benchmarks.pricing [--runs N]

The CDR (built here, ours) is a week of one-minute periods at a depot charger:
ENERGY, TIME and MAX_POWER per period, parking every tenth one, under a tariff
with a start fee, day/night energy (station-local times), a power tier,
weekday/weekend parking hours and step sizes: every restriction kind the engine
splits or tests per period. Measured, as the median of the runs, from the
parsed JSON dict to the PriceCheck (`evtui.pricing.check_price`):
- floor: reading every period the cheapest way (timestamps, Decimal volumes);
- evtui, matches: the provider's totals are right (no other reading computed);
- evtui, differs: a wrong total_cost, so every explaining reading is computed too.
Each is shown as CPU time of this process (time.process_time) and wall time; the
target, < 0.5 s each (issue 15), is judged on CPU time: the check is pure CPU
in one thread, and on a shared machine the wall clock also measures the
neighbours. No terminal: not part of `python -m tests.benchmarks`, which drives
apps through tmux.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `evtui` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from evtui.decode import parse_timestamp, to_decimal  # noqa: E402
from evtui.pricing import MATCHES, check_price  # noqa: E402

PERIODS = 14_000
TARGET = 0.5  # seconds
ZONE = "Europe/Berlin"


def _pc(kind: str, price: float, step: int, vat: float = 19.0) -> dict[str, Any]:
    return {"type": kind, "price": price, "vat": vat, "step_size": step}


TARIFF = {
    "country_code": "DE", "party_id": "EVT", "id": "DEPOT", "currency": "EUR",
    "last_updated": "2024-01-01T00:00:00Z",
    "elements": [
        {"price_components": [_pc("FLAT", 1.00, 1)]},
        {"price_components": [_pc("ENERGY", 0.22, 1)], "restrictions": {"start_time": "22:00", "end_time": "06:00"}},
        {"price_components": [_pc("ENERGY", 0.45, 1)], "restrictions": {"min_power": 50}},
        {"price_components": [_pc("ENERGY", 0.35, 100), _pc("TIME", 0.60, 60)]},
        {"price_components": [_pc("PARKING_TIME", 6.00, 300)],
         "restrictions": {"start_time": "08:00", "end_time": "20:00",
                          "day_of_week": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]}},
        {"price_components": [_pc("PARKING_TIME", 3.00, 300)], "restrictions": {"day_of_week": ["SATURDAY"]}},
    ],
}


def build_cdr() -> dict[str, Any]:
    start = datetime(2024, 6, 3, 6, 30, tzinfo=timezone.utc)
    periods = []
    for i in range(PERIODS):
        at = start + timedelta(minutes=i)
        if i % 10 == 9:
            dims = [{"type": "PARKING_TIME", "volume": round(1 / 60, 6)}]
        else:
            power = 11.0 if (i // 90) % 2 else 75.0
            dims = [{"type": "ENERGY", "volume": round(power / 60, 4)}, {"type": "TIME", "volume": round(1 / 60, 6)},
                    {"type": "MAX_POWER", "volume": power}]
        periods.append({"start_date_time": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "dimensions": dims, "tariff_id": "DEPOT"})
    end = start + timedelta(minutes=PERIODS)
    record = {
        "country_code": "DE", "party_id": "EVT", "id": "CDR-BENCH-14000", "currency": "EUR",
        "start_date_time": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "end_date_time": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tariffs": [TARIFF], "charging_periods": periods, "total_energy": 0, "total_time": PERIODS / 60,
        "last_updated": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    # A JSON round trip: the engine gets what json.loads gives, as from the wire.
    return json.loads(json.dumps(record))


def floor(record: dict[str, Any]) -> Decimal:
    total = Decimal(0)
    for period in record["charging_periods"]:
        parse_timestamp(period["start_date_time"])
        for dim in period["dimensions"]:
            total += to_decimal(dim["volume"]) or 0
    return total


def timed(fn: Any, runs: int) -> tuple[float, float]:
    """Median CPU time and median wall time over the runs."""
    cpu, wall = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
    return statistics.median(cpu), statistics.median(wall)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.benchmarks.pricing", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="runs per measure; medians shown (default 5)")
    a = p.parse_args(argv)
    record = build_cdr()
    first = check_price(record, time_zone=ZONE)
    matching = dict(record, total_cost={"excl_vat": float(first.total.excl_vat), "incl_vat": float(first.total.incl_vat)})
    differing = dict(record, total_cost={"excl_vat": float(first.total.excl_vat) + 5, "incl_vat": float(first.total.incl_vat) + 5})
    if check_price(matching, time_zone=ZONE).verdict.outcome != MATCHES:
        print("the benchmark CDR does not match its own total: the measure would be wrong", file=sys.stderr)
        return 1
    base = timed(lambda: floor(record), a.runs)
    rows = [
        ("floor: read 14,000 periods", base, None),
        ("price check, 14,000 periods, total matches", timed(lambda: check_price(matching, time_zone=ZONE), a.runs), TARGET),
        ("price check, 14,000 periods, total differs (explained)", timed(lambda: check_price(differing, time_zone=ZONE), a.runs), TARGET),
    ]
    print(f"{len(first.lines):,} lines, {len(first.warnings)} warning(s); medians of {a.runs} runs\n")
    print("| measure | CPU | wall | CPU x floor | target (CPU) | met? |\n|---|---:|---:|---:|---|:---:|")
    missed = 0
    for label, (cpu, wall), target in rows:
        ok = None if target is None else cpu < target
        missed += ok is False
        mark = "" if ok is None else "yes" if ok else "**NO**"
        shown = f"< {target * 1000:.0f} ms" if target else ""
        print(f"| {label} | {cpu * 1000:.0f} ms | {wall * 1000:.0f} ms | {cpu / base[0]:.1f}x | {shown} | {mark} |")
    print(f"\n{missed} target(s) missed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
