"""`evtui check` as a person or a script sees it: a progress bar, a line per id,
JSON lines or CSV, and the summary. The batch itself is `evtui.check`.

Every provider text (verdicts name breakdown lines, errors quote bodies) and
every id from the input passes through `evtui.textsafe` before it is written.
The summary goes to stdout, or to stderr with `--json`/`--csv` so that stdout
holds only the rows.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from evtui.check import FOUND, NOT_FOUND, Checked, Summary, check_ids, price_of, read_ids, summarise
from evtui.errors import UsageError
from evtui.pricing import DIFFERS, as_json
from evtui.pricing.verdict import money
from evtui.textsafe import json_visible, visible

if TYPE_CHECKING:
    from evtui.config.schema import Config

CSV_COLUMNS = (
    "id", "outcome", "price", "verdict", "reasons", "currency",
    "provider_excl_vat", "provider_incl_vat", "computed_excl_vat", "computed_incl_vat",
    "difference_excl_vat", "difference_incl_vat", "findings", "error",
)
#: Spreadsheets run a cell that starts with one of these as a formula: text cells get a ' first.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_OUTCOME_WORDS = {FOUND: "found", NOT_FOUND: "not found"}


def read_source(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).expanduser().read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read {path!r}: {exc.strerror or exc}") from None


def row(done: Checked) -> dict[str, Any]:
    """One id's result as JSON-ready data: amounts as decimal strings."""
    provider, computed = price_of(done.price)
    verdict = done.price.verdict if done.price is not None else None
    return {
        "id": done.record_id,
        "outcome": done.outcome,
        "price": verdict.outcome if verdict else None,
        "verdict": verdict.text if verdict else None,
        "reasons": list(verdict.reasons) if verdict else [],
        "currency": done.price.currency if done.price is not None else None,
        "provider_total": as_json(provider),
        "computed_total": as_json(computed),
        "difference": as_json(verdict.difference) if verdict else None,
        "findings": done.findings,
        "error": done.error.message if done.error is not None else None,
        "error_kind": done.error.kind if done.error is not None else None,
    }


def csv_cells(data: dict[str, Any]) -> list[str]:
    def amount(key: str, side: str) -> str:
        value = data[key]
        return "" if not value or value.get(side) is None else value[side]

    def text(value: Any) -> str:
        s = "" if value is None else str(value)
        return "'" + s if s.startswith(_FORMULA) else s

    return [
        data["id"], data["outcome"], data["price"] or "", text(data["verdict"]), text("; ".join(data["reasons"])),
        data["currency"] or "",
        amount("provider_total", "excl_vat"), amount("provider_total", "incl_vat"),
        amount("computed_total", "excl_vat"), amount("computed_total", "incl_vat"),
        amount("difference", "excl_vat"), amount("difference", "incl_vat"),
        text("; ".join(data["findings"])), text(data["error"]),
    ]


def human_line(done: Checked, width: int) -> str:
    words = _OUTCOME_WORDS.get(done.outcome, "failed")
    if done.price is not None:
        detail = done.price.verdict.text
        if done.price.verdict.reasons and done.price.verdict.outcome == DIFFERS:  # a cannot-check's text says why
            detail += " — " + "; ".join(done.price.verdict.reasons)
    elif done.error is not None:
        detail = done.error.message
    else:
        detail = "no price to check on this record type"
    if done.findings:
        detail += f"  [{len(done.findings)} finding(s): {'; '.join(done.findings[:3])}{'; …' if len(done.findings) > 3 else ''}]"
    return f"{visible(done.record_id).ljust(width)}  {words.ljust(9)}  {visible(detail)}"


def summary_lines(summary: Summary) -> list[str]:
    from evtui.render_text import columns

    spread = ", ".join(money(total, currency, sign=True) for currency, total in sorted(summary.difference.items()))
    rows = [
        ("found", str(summary.found)),
        ("not found", str(summary.not_found)),
        ("failed", str(summary.failed)),
        ("records with findings", str(summary.with_findings)),
        ("price matches", str(summary.matches)),
        ("price differs", f"{summary.differs}" + (f"  (in total {spread})" if spread else "")),
        ("cannot check", str(summary.cannot_check)),
    ]
    if summary.not_priced:
        rows.append(("no price on the type", str(summary.not_priced)))
    return ["Summary", *("  " + line for line in columns(rows))]


class Progress:
    """One line on a terminal's stderr, redrawn as ids finish; nothing when stderr is not a terminal."""

    WIDTH = 24

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.shown = stream.isatty() and total > 0
        self.done = self.found = self.missing = self.failed = 0

    def add(self, done: Checked) -> None:
        self.done += 1
        self.found += done.outcome == FOUND
        self.missing += done.outcome == NOT_FOUND
        self.failed += done.outcome not in (FOUND, NOT_FOUND)

    def draw(self) -> None:
        if not self.shown:
            return
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        text = f"[{bar}] {self.done}/{self.total}  found {self.found}, not found {self.missing}, failed {self.failed}"
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


async def run(args: Any, config: Config) -> int:
    """The `evtui check` command over a running config (`--demo` already started)."""
    from evtui.history import HistoryStore
    from evtui.pool import AdapterPool

    ids = read_ids(read_source(args.source), args.column)
    if not ids:
        raise UsageError("no ids to check (blank lines and # comments are skipped)")
    history = HistoryStore.for_settings(config.settings.history)
    out = sys.stdout
    fmt = "json" if args.json else "csv" if args.csv else "human"
    on_terminal = out.isatty()
    progress = Progress(len(ids), sys.stderr)
    width = min(max(len(visible(i)) for i in ids), 40)
    writer = csv.writer(out, lineterminator="\n") if fmt == "csv" else None
    ready: dict[int, Checked] = {}
    written = [0]

    def write(done: Checked) -> None:
        if fmt == "human":
            out.write(human_line(done, width) + "\n")
        elif fmt == "json":
            line = json.dumps(row(done), ensure_ascii=False)
            out.write((json_visible(line) if on_terminal else line) + "\n")
        else:
            assert writer is not None
            cells = csv_cells(row(done))
            writer.writerow([visible(c) for c in cells] if on_terminal else cells)

    def finished(done: Checked) -> None:
        # Rows in input order: each is written once every id before it is done.
        progress.add(done)
        ready[done.index] = done
        progress.clear()
        while written[0] in ready:
            write(ready.pop(written[0]))
            written[0] += 1
        out.flush()
        progress.draw()

    try:
        async with AdapterPool(config, timeout=args.timeout) as pool:
            adapter = pool.get(args.profile)
            record_type = adapter.record_type(args.type).name
            if writer is not None:
                writer.writerow(CSV_COLUMNS)
            progress.draw()
            results = await check_ids(
                adapter, ids, record_type, history=history, concurrency=args.concurrency, on_done=finished
            )
    finally:
        progress.clear()
        history.close()
    summary = summarise(results)
    if fmt == "human":
        out.write("\n")
    print("\n".join(summary_lines(summary)), file=sys.stderr if fmt != "human" else out)
    if history.notice:
        print(f"evtui: {visible(history.notice)}", file=sys.stderr)
    return summary.exit_code
