"""The benchmark table: medians per measure for the floor, the view floor and evtui, with targets."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess

COLS, ROWS = 120, 34  # the terminal every app runs in
HISTORY_SIZES = (10_000, 100_000)
RSS_AT = (10, 50)  # lookups after which the soak reads VmRSS: memory is flat if the second is within 10 %


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


def table(results: dict[str, dict[str, list[float]]]) -> tuple[str, int]:
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
        rows.append((label, f, v, e, unit, target, ok, ratio))

    def abs_row(label: str, key: str, unit: str, limit: float | None, *, floor: bool = True, sign: str = "<") -> None:
        f = r(key, "floor") if floor else None
        v = r(key, "view") if floor else None
        e = r(key, "evtui")
        ok = None if (limit is None or e is None) else (e < limit if sign == "<" else e <= limit)
        ratio = e / f if (e is not None and f and unit != "x") else None
        shown = f"{limit * 1000:.0f} ms" if unit == "s" else f"{limit:g}{unit}" if unit == "x" else f"{limit:g} {unit}" if limit is not None else ""
        rows.append((label, f, v, e, unit, f"{sign} {shown}" if limit is not None else "", ok, ratio))

    ratio_row("first paint (launch → hint on screen)", "first_paint", "s", 1.25)
    ratio_row("Enter → answer, typical record (fresh app: token + GET)", "enter_cold", "s", 1.5)
    ratio_row("Enter → answer, typical record (warm: token cached; median of soak)", "enter_warm", "s", 1.5)
    ratio_row("  the same, against the equivalent-view floor", "enter_warm", "s", 1.0, against="view")
    abs_row("5 MB record: Enter → usable (overview on screen)", "large_usable", "s", 1.0)
    abs_row("5 MB record: key (F3) answered while loading, max", "large_keys_loading_max", "s", 0.1, sign="≤")
    abs_row("5 MB record: key (F3) answered while loading, median", "large_keys_loading_median", "s", 0.1, sign="≤")
    abs_row("5 MB record: key (F3) answered after, max", "large_keys_after_max", "s", 0.1, sign="≤")
    abs_row("5 MB record: key (F3) answered after, median", "large_keys_after_median", "s", 0.1, sign="≤")
    ratio_row("5 MB record: RSS with it open", "large_rss", "MB", 1.3)
    abs_row("F3 (history) with a typical record open, median", "f3_record_median", "s", 0.1)
    abs_row("F3 (history) with a typical record open, max", "f3_record_max", "s", 0.1)
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
    ratio_row("RSS after the lookups", "rss_after", "MB", 1.3)
    abs_row("RSS growth over the lookups", "rss_delta", "MB", None)
    abs_row(f"RSS after {RSS_AT[1]} lookups ÷ RSS after {RSS_AT[0]}", "rss_50_over_10", "x", 1.1, sign="≤")
    abs_row("idle CPU over 5 s (% of one core)", "cpu_idle", "%", 1.0)

    out = ["| measure | floor | view floor | evtui | ratio | target | met? |", "|---|---:|---:|---:|---:|---|:---:|"]
    missed = 0
    for label, f, v, e, unit, target, ok, ratio in rows:
        mark = "" if ok is None else ("yes" if ok else "**NO**")
        missed += ok is False
        out.append(f"| {label} | {fmt(f, unit)} | {fmt(v, unit)} | {fmt(e, unit)} | {f'{ratio:.2f}x' if ratio else '—'} | {target} | {mark} |")
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


