"""Sections as aligned text for the CLI: plain when not on a terminal.

Every string from a provider or an adapter passes through `visible`, so no
control sequence in a record can reach the terminal.
"""

from __future__ import annotations

import math
import os
import shlex
import shutil
from collections.abc import Iterable
from datetime import datetime, timezone

from evtui.record import Record, Section, Table
from evtui.textsafe import visible


class Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def heading(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def warn(self, text: str) -> str:
        return self._wrap("33", text)

    def bad(self, text: str) -> str:
        return self._wrap("31", text)


def use_color(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def render_record(
    record: Record, *, title: str, environment: str, style: Style, since: datetime | None = None, demo: bool = False
) -> str:
    """`since` and `demo`: how this record was looked up, carried into the related commands."""
    head = f"{title} · {record.record_type} {visible(record.record_id)} · profile {visible(record.profile)} ({environment})"
    lines = [style.heading(head)]
    for sec in record.sections:
        lines.append("")
        lines.extend(render_section(sec, style))
    if record.related:
        lines.append("")
        lines.append(style.heading("── Related " + "─" * 69))
        for rel in record.related:
            lines.append(f"  {visible(rel.title)}  {style.dim(related_command(record.profile, rel.record_type, rel.record_id, since=since, demo=demo))}")
    return "\n".join(lines)


def related_command(profile: str, record_type: str, record_id: str, *, since: datetime | None = None, demo: bool = False) -> str:
    """The `evtui get` that finds a related record: on the same profile and, when the lookup
    reached back with --since, as far back (a related record lies in the same period).
    Quoted for a POSIX shell: an id is provider data and may hold `;` or `$(`."""
    words = ["evtui", "get", *(["--demo"] if demo else []), "--profile", profile]
    if since is not None:
        words += ["--since", since.astimezone(timezone.utc).strftime("%Y-%m-%d")]
    words += ["--type", record_type, record_id]
    return visible(" ".join(shlex.quote(w) for w in words))


def render_section(sec: Section, style: Style) -> list[str]:
    width = shutil.get_terminal_size((100, 24)).columns
    lines = [style.heading(f"── {visible(sec.title)} " + "─" * max(0, min(width, 80) - len(sec.title) - 4))]
    if sec.fields:
        label_w = min(28, max(len(visible(f.label)) for f in sec.fields))
        for f in sec.fields:
            value = visible(f.value)
            extra = []
            if f.flag:
                extra.append(style.warn(f"[{f.flag}]"))
            if f.note:
                extra.append(style.dim(visible(f.note)))
            lines.append(f"  {visible(f.label):<{label_w}}  {value}" + ("  " + " ".join(extra) if extra else ""))
    for table in sec.tables:
        lines.append("")
        lines.extend(render_table(table, style))
    for chart in sec.charts:
        values = [v for _, v in chart.points]
        if values:
            lines.append("")
            lines.append(
                f"  {style.heading(visible(chart.title))}  {sparkline(values)}  "
                + style.dim(f"min {min(values):g} · max {max(values):g} {visible(chart.unit)} · {len(values)} points")
                + (style.warn(f"  [{chart.left_out} left out: not finite or out of range]") if chart.left_out else "")
            )
        elif chart.left_out:
            lines.append("")
            lines.append(f"  {style.heading(visible(chart.title))}  " + style.warn(f"[all {chart.left_out} points left out: not finite or out of range]"))
    return lines


_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], width: int = 40) -> str:
    """Values squeezed into `width` block characters (bucket maxima), for a glance.

    Non-finite values are skipped (a Chart has dropped them already; this takes any list).
    """
    values = [v for v in values if math.isfinite(v)]
    if not values:
        return ""
    if len(values) > width:
        size = len(values) / width
        values = [max(values[int(i * size) : max(int((i + 1) * size), int(i * size) + 1)]) for i in range(width)]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    top = len(_BARS) - 1
    if not math.isfinite(span):  # -1e308 .. 1e308: the span overflows, scale in halves
        return "".join(_BARS[min(top, max(0, int((v / 2 - low / 2) / (high / 2 - low / 2) * top)))] for v in values)
    return "".join(_BARS[min(top, max(0, int((v - low) / span * top)))] for v in values)


def render_table(table: Table, style: Style) -> list[str]:
    lines = [f"  {style.heading(visible(table.title))}"]
    if not table.rows:
        lines.append(f"    {style.dim(visible(table.note or 'none'))}")
        return lines
    cells = [[visible(c) for c in row] for row in table.rows]
    header = [visible(c) for c in table.columns]
    widths = [max(len(r[i]) if i < len(r) else 0 for r in [header, *cells]) for i in range(len(header))]
    lines.append("    " + style.dim("  ".join(h.ljust(w) for h, w in zip(header, widths))))
    for row in cells:
        lines.append("    " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    if table.note:
        lines.append(f"    {style.dim(visible(table.note))}")
    return lines


def columns(rows: Iterable[Iterable[str]]) -> list[str]:
    """Left-aligned columns for simple listings (profiles, history)."""
    grid = [[visible(c) for c in r] for r in rows]
    if not grid:
        return []
    widths = [max(len(r[i]) for r in grid) for i in range(len(grid[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in grid]
