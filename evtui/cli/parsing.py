"""The command line's grammar: `evtui [ID]` (the inspector) and `evtui COMMAND ...`,
and the checks on option values that make a bad one a usage error (exit 2)."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from evtui import __version__
from evtui.errors import UsageError

COMMANDS = ("get", "check", "watch", "history", "profiles", "info", "config")
_VALUE_OPTIONS = {"--profile", "-p", "--config", "--timeout", "--type", "-t", "--limit", "-n", "--since", "--interval",
                  "--concurrency", "--from", "--column"}


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-p", "--profile", help="the profile to use (default: default_profile in config.toml)")
    parser.add_argument("--config", type=Path, metavar="FILE", help="read this config file instead of the default")
    parser.add_argument("--demo", action="store_true", help="use the built-in demo providers (no config, no network)")
    parser.add_argument("--timeout", type=_positive_float, metavar="S", help="deadline in seconds for each request: connect, headers and body (default 10)")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError("must be a number of seconds more than 0")
    if value > 86_400:
        raise argparse.ArgumentTypeError("must be a day (86400 seconds) or less")
    return value


#: How far back `--since Nd` may reach: a century holds every charging record there is.
_MAX_SINCE_DAYS = 36_500
#: `history --limit` beyond this is no listing a person reads (and SQLite takes 63 bits at most).
_MAX_LIMIT = 1_000_000_000


def _since(text: str) -> datetime:
    from datetime import timedelta, timezone

    from evtui.decode import parse_timestamp

    if text.endswith("d") and text[:-1].isascii() and text[:-1].isdigit():
        days = text[:-1].lstrip("0") or "0"
        if len(days) > 6 or int(days) > _MAX_SINCE_DAYS:  # length first: int() refuses 4,300 digits
            raise argparse.ArgumentTypeError(f"{_shown(text)} is too far back (at most {_MAX_SINCE_DAYS}d)")
        return datetime.now(timezone.utc) - timedelta(days=int(days))
    when = parse_timestamp(text if "T" in text else text + "T00:00:00Z")
    if when is None:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is neither a date (2026-10-01) nor a number of days (45d)")
    return when


def _since_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since",
        type=_since,
        metavar="WHEN",
        help="how far back adapters that scan lists (OCPI) look: a date (2026-10-01) or days (45d)",
    )


def _positive_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not text.strip("0"):
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a positive whole number")
    digits = text.lstrip("0")
    if len(digits) > 10 or int(digits) > _MAX_LIMIT:  # length first: int() refuses 4,300 digits
        raise argparse.ArgumentTypeError(f"{_shown(text)} is more than {_MAX_LIMIT}")
    return int(digits)


def _concurrency(text: str) -> int:
    from evtui.check import MAX_CONCURRENCY

    value = _positive_int(text)
    if value > MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"at most {MAX_CONCURRENCY} lookups at once")
    return value


def _shown(text: str) -> str:
    """An argument quoted in a usage error: the start of it, when it is long."""
    return repr(text if len(text) <= 24 else text[:24] + "…")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2, one line, no traceback
        self.print_usage(sys.stderr)
        raise UsageError(message)


def tui_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="evtui",
        description="Inspect EV-charging records. Without a command, opens the inspector.",
        epilog="Commands: get, check, history, profiles, info, config init  (evtui COMMAND --help)",
    )
    _common(p)
    p.add_argument("--version", action="version", version=f"evtui {__version__}")
    p.add_argument("-t", "--type", help="record type of ID (default: the adapter's first)")
    _since_option(p)
    p.add_argument("id", nargs="?", help="look this id up at once")
    return p


def command_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="evtui")
    p.add_argument("--version", action="version", version=f"evtui {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    get = sub.add_parser("get", help="fetch records and print them", description="Fetch records by id and print them decoded.")
    _common(get)
    get.add_argument("--json", action="store_true", help="print each provider document as received, one per line")
    get.add_argument("-t", "--type", help="record type (default: the adapter's first)")
    _since_option(get)
    get.add_argument(
        "-v", "--verbose", action="store_true", help="also print each HTTP exchange (URL, status, time, retries, pages) to stderr"
    )
    get.add_argument(
        "-a", "--anywhere", action="store_true", help="look each id up on every profile whose id rules fit it"
    )
    get.add_argument("ids", nargs="+", metavar="ID")

    check = sub.add_parser(
        "check",
        help="look up a list of ids and check each one's price",
        description="Look up every id in a file (one per line, or a CSV column) and check its price; "
        "ends with a summary. Exit 0: all found and none differs; 6: a price differs or a record has findings.",
    )
    _common(check)
    check.add_argument("-t", "--type", help="record type (default: the adapter's first)")
    check.add_argument("--concurrency", type=_concurrency, default=4, metavar="N", help="lookups at once (default 4)")
    check.add_argument("--column", metavar="NAME", help="the CSV column holding the ids (default: id, session_id, cdr_id, ...)")
    formats = check.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="one JSON object per id: outcome, verdict, totals, findings, error")
    formats.add_argument("--csv", action="store_true", help="the same as CSV, with a header")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="source", metavar="FILE", help="read the ids from FILE (- for stdin)")
    source.add_argument("stdin", nargs="?", choices=["-"], default=None, metavar="-", help="read the ids from stdin")

    watch = sub.add_parser(
        "watch",
        help="print each change of a record until it settles",
        description="Fetch a record every few seconds and print one line per changed field, "
        "until it reaches a final state (exit 0) or Ctrl-C.",
    )
    _common(watch)
    watch.add_argument("--interval", type=_positive_float, metavar="S", help="seconds between fetches (default: watch_interval, 5)")
    watch.add_argument("-t", "--type", help="record type (default: the adapter's first)")
    watch.add_argument("id", metavar="ID")

    hist = sub.add_parser(
        "history",
        help="list or clear the lookup history",
        description="List the ids looked up, pinned first, then newest first; or clear them.",
    )
    _common(hist)
    hist.add_argument("action", nargs="?", choices=["list", "clear"], default="list",
                      help="list (default) or clear; with --profile, only that profile's entries")
    hist.add_argument("--json", action="store_true",
                      help="one JSON object per line: profile, adapter, type, id, looked_up_at, outcome, summary, count, ...")
    hist.add_argument("-n", "--limit", type=_positive_int, default=None, help="show at most N entries")
    hist.add_argument("--yes", action="store_true", help="clear without asking")

    prof = sub.add_parser("profiles", help="list the configured profiles (never secrets)")
    _common(prof)

    info = sub.add_parser("info", help="version, paths, profiles and terminal facts")
    _common(info)

    cfg = sub.add_parser("config", help="create or locate the config file")
    _common(cfg)
    cfg.add_argument("action", choices=["init", "path"])
    return p


def first_positional(argv: Sequence[str]) -> str | None:
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--":
            return None
        if token.startswith("-"):
            skip = token in _VALUE_OPTIONS
            continue
        return token
    return None
