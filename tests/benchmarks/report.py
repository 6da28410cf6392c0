"""The benchmark table: medians per measure for the floor, the view floor and evtui, with targets."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess

COLS, ROWS = 120, 34  # the terminal every app runs in
HISTORY_SIZES = (10_000, 100_000)
RSS_FIRST = 10  # lookups after which the soak first reads VmRSS: memory is flat if the last reading is within 10 % of it
KEY_LIMIT = 0.1  # every key answered within 100 ms
#: (results key, what) of the lookups whose keys are probed during and after (measures/probes.py)
PROBED = (("f3_first", "the first answer"), ("f3_second", "lookup 2"),
          ("f3_warm", "a warm lookup"), ("f3_launch", "`evtui ID`'s answer"))
#: counts summed over the run, named below the table
COUNTS = {"first_enter_lost": "first Enter at first paint not taken (the id entered again; the time still from the first Enter)",
          "probed_first_enter_lost": "keys: Enter at first paint with F3 pressed after it, no answer in 20 s (left out)",
          "lookup_retries": "lookups whose Enter met an empty bar (keystroke lost under load; sent again)",
          "tab_unread": "tab keys (] / [) that changed nothing on screen within 10 s (left out)",
          "probe_unread": "F3 probes whose effect did not show within 5 s (left out)",
          "probe_overtaken": "F3 probes sent during a lookup whose effect had not shown when the answer did (left out)"}


def med(values: list[float] | None) -> float | None:
    return statistics.median(values) if values else None


def fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "s":
        return f"{v * 1000:.0f} ms" if v < 10 else f"{v:.1f} s"
    if unit == "MB":
        return f"{v:.1f} MB"
    if unit == "%":
        return f"{v:.2f} %"
    if unit == "x":
        return f"{v:.3f}x"
    return f"{v:.3g}"


def table(results: dict[str, dict[str, list[float]]], lookups: int = 200) -> tuple[str, int]:
    def r(key: str, app: str) -> float | None:
        return med(results.get(key, {}).get(app))

    #: (label, floor, view floor, evtui, unit, target, met, ratio)
    rows: list[tuple[str, float | None, float | None, float | None, str, str, bool | None, float | None]] = []

    def ratio_row(label: str, key: str, unit: str, limit: float | None, floor_key: str | None = None, against: str = "floor") -> None:
        f, v, e = r(floor_key or key, "floor"), r(floor_key or key, "view"), r(key, "evtui")
        base = v if against == "view" else f
        ratio = e / base if (e is not None and base) else None
        ok = None if (limit is None or ratio is None) else ratio <= limit
        target = f"≤ {limit:g}x {'the view floor' if against == 'view' else ''}".rstrip() if limit else ""
        if not limit and against == "view":
            label += " · ratio to the view floor"
        rows.append((label, f, v, e, unit, target, ok, ratio))

    def abs_row(label: str, key: str, unit: str, limit: float | None, *, floor: bool = True, sign: str = "<") -> None:
        f = r(key, "floor") if floor else None
        v = r(key, "view") if floor else None
        e = r(key, "evtui")
        ok = None if (limit is None or e is None) else (e < limit if sign == "<" else e <= limit)
        ratio = e / f if (e is not None and f and unit != "x") else None
        shown = f"{limit * 1000:.0f} ms" if unit == "s" else f"{limit:g}{unit}" if unit == "x" else f"{limit:g} {unit}" if limit is not None else ""
        rows.append((label, f, v, e, unit, f"{sign} {shown}" if limit is not None else "", ok, ratio))

    def key_rows(label: str, key: str) -> None:
        abs_row(f"{label}, median", f"{key}_median", "s", KEY_LIMIT)
        abs_row(f"{label}, max", f"{key}_max", "s", KEY_LIMIT)

    ratio_row("first paint (launch → hint on screen)", "first_paint", "s", 1.25)
    ratio_row("first answer: id pasted and Enter sent at first paint → answer", "first_answer", "s", 1.25, against="view")
    ratio_row("  the same, against the one-line floor", "first_answer", "s", None)
    ratio_row("  its CPU (the app's, paste → answer)", "first_answer_cpu", "s", None, against="view")
    ratio_row("`evtui ID`: launch → answer (floor: --id=ID)", "launch_answer", "s", 1.5)
    ratio_row("  its CPU (the process's, launch → answer)", "launch_answer_cpu", "s", None)
    ratio_row("lookup 2 (the second of a fresh app): Enter → answer", "lookup2", "s", None, against="view")
    ratio_row("  its CPU", "lookup2_cpu", "s", None, against="view")
    ratio_row("warm lookup: Enter → answer (soak median, from lookup 3)", "enter_warm", "s", 1.0, against="view")
    ratio_row("  the same, against the one-line floor", "enter_warm", "s", 1.5)
    ratio_row("  its CPU (soak mean per lookup)", "warm_cpu", "s", None, against="view")
    for key, what in PROBED:
        key_rows(f"F3 while {what} is on its way", f"{key}_during")
        key_rows(f"F3 in the 0.5 s after {what} shows", f"{key}_after")
    abs_row("5 MB record: Enter → usable (overview on screen)", "large_usable", "s", 1.0)
    key_rows("5 MB record: F3 while it loads", "large_keys_during")
    key_rows("5 MB record: F3 after it shows (2 s)", "large_keys_after")
    ratio_row("5 MB record: RSS with it open", "large_rss", "MB", 1.3)
    key_rows("F3 (history) with a typical record shown", "f3_record")
    key_rows("tab switch (] / [) with a typical record shown", "tab")
    key_rows("palette open (ctrl+p) with a typical record shown", "palette")
    for n in HISTORY_SIZES:
        ratio_row(f"first paint + history list, {n:,} entries", f"h{n}_startup", "s", 1.25, floor_key="first_paint")
        e, base = r(f"h{n}_startup", "evtui"), r("h0_startup", "evtui")
        extra = (e - base) if (e is not None and base is not None) else None
        limit = 0.05 if n == 10_000 else None
        rows.append((f"  start-up added by {n:,} entries (vs empty history)", None, None, extra, "s",
                     "< 50 ms" if limit else "", (extra < limit) if (limit and extra is not None) else None, None))
        abs_row(f"history filter keystroke → list changes, {n:,}, median", f"h{n}_filter_median", "s", 0.1, floor=False, sign="≤")
        abs_row(f"history filter keystroke → list changes, {n:,}, max", f"h{n}_filter_max", "s", 0.1, floor=False, sign="≤")
    ratio_row("RSS idle", "rss_idle", "MB", 1.3)
    ratio_row(f"RSS after {lookups} lookups", "rss_after", "MB", 1.3)
    abs_row("RSS growth over the lookups", "rss_delta", "MB", None)
    abs_row(f"RSS after {lookups} lookups ÷ RSS after {RSS_FIRST}", "rss_last_over_first", "x", 1.1, sign="≤")
    abs_row("idle CPU over 5 s (% of one core)", "cpu_idle", "%", 1.0)

    out = ["| measure | floor | view floor | evtui | ratio | target | met? |", "|---|---:|---:|---:|---:|---|:---:|"]
    missed = 0
    for label, f, v, e, unit, target, ok, ratio in rows:
        mark = ("no data" if target else "") if ok is None else ("yes" if ok else "**NO**")
        missed += ok is False
        out.append(f"| {label} | {fmt(f, unit)} | {fmt(v, unit)} | {fmt(e, unit)} | {f'{ratio:.2f}x' if ratio else '—'} | {target} | {mark} |")
    for key, what in COUNTS.items():
        counts = {app: len(v) for app, v in results.get(key, {}).items() if v}
        if counts:
            out.append(f"\n{what}: " + ", ".join(f"{app} {n}" for app, n in counts.items()))
    return "\n".join(out), missed


def facts(runs: int, lookups: int) -> str:
    import textual

    try:
        import httpx

        httpx_v = httpx.__version__
    except Exception:
        httpx_v = "?"
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    tmux_v = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
    return (
        f"Machine: {os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; textual {textual.__version__}; httpx {httpx_v}; {tmux_v}; "
        f"terminal {COLS}x{ROWS} (TERM=xterm-256color); medians of {runs} runs; {lookups} lookups in the soak."
    )


