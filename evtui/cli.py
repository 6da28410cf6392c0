"""The command line: `evtui [ID]` opens the TUI; `get`, `history`, `profiles`,
`info` and `config init` are scriptable commands over the same core.

Imports of the TUI and of the adapters are deferred so that `evtui get` and
`evtui --help` start fast.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from evtui import __version__
from evtui.errors import ConfigError, EvtuiError, UsageError, exit_code_for

if TYPE_CHECKING:
    from evtui.config.schema import Config
    from evtui.demo.server import DemoServer
    from evtui.history import HistoryStore

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


def _first_positional(argv: Sequence[str]) -> str | None:
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if _first_positional(argv) in COMMANDS:
            args = command_parser().parse_args(argv)
        else:
            args = tui_parser().parse_args(argv)
            args.command = "tui"
        return _dispatch(args)
    except EvtuiError as exc:
        _fail(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `evtui history | head`: the reader left; not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _fail(exc: EvtuiError, prefix: str = "") -> None:
    from evtui.textsafe import visible

    hint = f" ({exc.hint})" if exc.hint else ""
    print(f"evtui: {prefix}{visible(exc.message)}{visible(hint)}", file=sys.stderr)


@contextmanager
def _runtime(args: argparse.Namespace, *, need_profiles: bool = True) -> Iterator[tuple[Config, DemoServer | None]]:
    """The config to use, with the demo server running for --demo."""
    from evtui.config.file import load_config

    user = load_config(args.config)
    if not getattr(args, "demo", False):
        for warning in user.warnings:
            print(f"evtui: warning: {warning}", file=sys.stderr)
        if need_profiles and not user.profiles:
            raise ConfigError(
                f"no profiles configured yet; evtui reads them from {user.path}",
                hint="run `evtui config init` to create a commented starter file, or try `evtui --demo`",
            )
        yield user, None
        return
    from evtui.demo.server import DemoServer, demo_config

    with DemoServer() as server:
        config = demo_config(server)
        config.settings = config.settings.model_copy(
            update={k: getattr(user.settings, k) for k in ("timeout", "max_body_mb", "watch_interval", "keymap", "history")}
        )
        yield config, server


def _history(config: Config) -> HistoryStore:
    from evtui.history import HistoryStore

    return HistoryStore.for_settings(config.settings.history)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "tui":
        return _tui(args)
    if args.command == "get":
        return _get(args)
    if args.command == "check":
        return _check(args)
    if args.command == "watch":
        return _watch(args)
    if args.command == "history":
        return _history_cmd(args)
    if args.command == "profiles":
        return _profiles(args)
    if args.command == "info":
        return _info(args)
    if args.command == "config":
        return _config_cmd(args)
    raise UsageError(f"unknown command {args.command!r}")


# -- evtui (the TUI) ------------------------------------------------------------


def _tui(args: argparse.Namespace) -> int:
    from evtui.config.file import read_config

    if args.demo:
        from evtui.demo.server import DemoServer, demo_file

        user = read_config(args.config)
        with DemoServer() as server:
            # As a config.toml is: painted first, the start profile validated alone, the rest after.
            file = demo_file(server, user)
            if args.profile and args.profile not in file.profile_tables:
                raise ConfigError(
                    f"no profile named {args.profile!r} (profiles: {', '.join(file.profile_tables)})",
                    hint="`evtui profiles` lists them.",
                )
            from evtui.tui.app import run_app

            return run_app(
                file, profile=args.profile, initial_id=args.id, initial_type=args.type, since=args.since,
                timeout=args.timeout, demo_server=server,
            )

    # Validation (pydantic, the adapters) waits until after the first frame; a bad config still
    # ends in the same one-line message and exit 2, once the screen is put away.
    file = read_config(args.config)
    profiles = file.profile_tables
    if not profiles and not file.data.get("profiles"):
        raise ConfigError(
            f"no profiles configured yet; evtui reads them from {file.path}",
            hint="run `evtui config init` to create a commented starter file, or try `evtui --demo`",
        )
    if args.profile and args.profile not in profiles:
        raise ConfigError(
            f"no profile named {args.profile!r} (profiles: {', '.join(profiles) or 'none'})",
            file=str(file.path),
            hint="`evtui profiles` lists them.",
        )
    if not profiles:
        file.validate()  # says what is wrong with [profiles]
    from evtui.tui.app import run_app

    return run_app(file, profile=args.profile, initial_id=args.id, initial_type=args.type, since=args.since, timeout=args.timeout)


# -- evtui get ------------------------------------------------------------------


def _get(args: argparse.Namespace) -> int:
    with _runtime(args) as (config, _server):
        return asyncio.run(_get_async(args, config))


async def _get_async(args: argparse.Namespace, config: Config) -> int:
    from evtui.adapters.running import gather_bounded
    from evtui.errors import InvalidId
    from evtui.lookup import lookup
    from evtui.pool import AdapterPool
    from evtui.render_text import Style, render_record, use_color

    history = _history(config)
    failures: list[EvtuiError] = []
    if args.anywhere:
        if args.profile:
            raise UsageError("--anywhere looks on every profile; leave out --profile")
        return await _get_anywhere(args, config, history)
    async with AdapterPool(config, timeout=args.timeout) as pool:
        adapter = pool.get(args.profile)
        record_type = adapter.record_type(args.type).name
        # Validate every id first: an invalid one is reported and nothing is sent for it.
        valid: list[str | None] = []
        for raw in args.ids:
            try:
                valid.append(adapter.validate_id(raw, record_type))
            except InvalidId as exc:
                _fail(exc)
                failures.append(exc)
                valid.append(None)
        jobs = [lookup(adapter, rid, record_type, history=history, since=args.since) for rid in valid if rid is not None]
        results = iter(await gather_bounded(jobs, limit=4))
        style = Style(use_color(sys.stdout))
        first = True
        for rid in valid:
            if rid is None:
                continue
            result = next(results)
            if isinstance(result, EvtuiError):
                _fail(result, prefix=f"{rid}: ")
                failures.append(result)
                continue
            if isinstance(result, BaseException):
                raise result
            if args.verbose:
                _print_exchange(result)
            if args.json:
                _print_json(result.compact_json())
            else:
                if not first:
                    print()
                print(render_record(result, title=adapter.title, environment=adapter.environment, style=style, since=args.since, demo=config.demo))
            first = False
            sys.stdout.flush()
    history.close()  # before the notice: closing may have something to say
    if history.notice:
        print(f"evtui: {history.notice}", file=sys.stderr)
    return exit_code_for(failures)


def _print_json(document: str) -> None:
    """A provider document on one line: exactly as sent into a pipe or file; on a terminal
    its C1, bidi and other invisible characters escaped inside strings (still the same JSON)."""
    if sys.stdout.isatty():
        from evtui.textsafe import json_visible

        print(json_visible(document))
        return
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (tests, embedding)
        print(document)
        return
    # UTF-8 bytes whatever the locale's encoding: a Latin-1 locale must not fail on "東京".
    sys.stdout.flush()
    out.write(document.encode("utf-8") + b"\n")


def _print_exchange(record: Any) -> None:
    from evtui.textsafe import visible

    ex = record.exchange
    if ex is None:
        return
    print(f"evtui: {record.record_id}: {ex.method} {visible(ex.url)} -> HTTP {ex.status} in {ex.elapsed_ms:.0f} ms", file=sys.stderr)
    for note in ex.notes:
        print(f"evtui: {record.record_id}:   {visible(note)}", file=sys.stderr)


async def _get_anywhere(args: argparse.Namespace, config: Config, history: HistoryStore) -> int:
    from evtui.find import find_anywhere, not_found_anywhere
    from evtui.pool import AdapterPool
    from evtui.render_text import Style, render_record, use_color

    failures: list[EvtuiError] = []
    style = Style(use_color(sys.stdout))
    async with AdapterPool(config, timeout=args.timeout) as pool:
        for raw in args.ids:
            try:
                attempts = await find_anywhere(pool, raw, history=history)
            except EvtuiError as exc:
                _fail(exc)
                failures.append(exc)
                continue
            found = [a for a in attempts if a.record is not None]
            if not found:
                error = not_found_anywhere(attempts)
                _fail(error, prefix=f"{raw.strip()}: ")
                failures.append(error)
                continue
            for a in found:
                assert a.record is not None
                if args.json:
                    _print_json(a.record.compact_json())
                else:
                    adapter = pool.get(a.profile)
                    print(f"Found on profile {a.profile} ({adapter.title}, {a.record_type}).", file=sys.stderr)
                    print(render_record(a.record, title=adapter.title, environment=adapter.environment, style=style, demo=config.demo))
    history.close()
    if history.notice:
        print(f"evtui: {history.notice}", file=sys.stderr)
    return exit_code_for(failures)


# -- evtui check ------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    from evtui.check_output import run

    args.source = args.source or args.stdin
    with _runtime(args) as (config, _server):
        return asyncio.run(run(args, config))


# -- evtui watch ------------------------------------------------------------------


def _watch(args: argparse.Namespace) -> int:
    with _runtime(args) as (config, _server):
        try:
            return asyncio.run(_watch_async(args, config))
        except KeyboardInterrupt:
            print(file=sys.stdout)
            return 0


async def _watch_async(args: argparse.Namespace, config: Config) -> int:
    import time

    from evtui.pool import AdapterPool
    from evtui.render_text import Style, use_color
    from evtui.textsafe import visible
    from evtui.watch import watch

    style = Style(use_color(sys.stdout))
    history = _history(config)

    def line(text: str) -> None:
        print(f"{style.dim(time.strftime('%H:%M:%S'))}  {text}", flush=True)

    try:
        async with AdapterPool(config, timeout=args.timeout) as pool:
            adapter = pool.get(args.profile)
            status_paths: tuple[str, ...] = ()
            interval = args.interval or config.settings.watch_interval
            async for event in watch(adapter, args.id, args.type, interval=interval, history=history):
                if event.error is not None:
                    line(style.bad(f"error: {visible(event.error.message)}") + f"  next try in {event.next_in:g} s")
                    continue
                record = event.record
                assert record is not None
                if not status_paths:
                    status_paths = adapter.status_paths(record.record_type)
                    line(
                        style.heading(f"{visible(record.record_id)}  {visible(record.summary)}")
                        + style.dim(f"  ({adapter.title}, profile {visible(adapter.profile)}; every {interval:g} s, Ctrl-C stops)")
                    )
                for change in event.changes:
                    # Label first (what a person reads), the path last (what to grep the JSON for).
                    name = visible(change.label or change.path)
                    if change.path in status_paths:
                        name = style.heading(name)
                    where = f"  {style.dim(visible(change.path))}" if change.label else ""
                    line(f"{name}  {style.dim(visible(change.old))} → {visible(change.new)}{where}")
                if event.final:
                    line(f"final: {visible(event.final)}")
                    return 0
    finally:
        history.close()
    return 0


# -- evtui history ----------------------------------------------------------------


def _history_cmd(args: argparse.Namespace) -> int:
    """`evtui history [--json] [--profile P] [--limit N]`, `evtui history clear [--profile P] [--yes]`."""
    import time

    from evtui.config.file import load_config

    config = load_config(args.config)
    for warning in config.warnings:
        print(f"evtui: warning: {warning}", file=sys.stderr)
    history = _history(config)
    try:
        if args.action == "clear":
            what = f"the history of profile {args.profile!r}" if args.profile else "all history"
            if not args.yes:
                if not sys.stdin.isatty():
                    raise UsageError("history clear needs --yes when not run from a terminal")
                try:
                    answer = input(f"Clear {what} in {history.path}? [y/N] ")
                except EOFError:
                    answer = ""
                if answer.strip().lower() not in ("y", "yes"):
                    print("Nothing cleared.")
                    return 0
            history.clear(profile=args.profile)
            if not history.enabled:
                return 5  # the notice (below) says why
            print(f"Cleared {what}.")
            return 0
        entries = history.entries(profile=args.profile, limit=args.limit)
        if args.json:
            for line in history.to_jsonl(entries):
                print(line)
        elif not entries:
            print(f"No lookups yet ({history.path})." if not args.profile else f"No lookups for profile {args.profile!r}.")
        else:
            from evtui.decode import age
            from evtui.render_text import columns

            now = time.time()
            rows = [("WHEN", "PROFILE", "TYPE", "ID", "OUTCOME", "COUNT", "SUMMARY")]
            rows += [
                (
                    age(now - e.last_seen) + " ago", e.profile, e.record_type, e.record_id, e.outcome, str(e.count),
                    ("📌 " if e.pinned else "") + e.summary,
                )
                for e in entries
            ]
            print("\n".join(columns(rows)))
        sys.stdout.flush()
        return 0
    finally:
        history.close()
        if history.notice:
            print(f"evtui: {history.notice}", file=sys.stderr)


# -- evtui profiles / info / config --------------------------------------------------


def _profile_rows(config: Config) -> list[tuple[str, ...]]:
    from evtui import adapters
    from evtui.environment import judge_environment

    rows = [("", "PROFILE", "ADAPTER", "ENVIRONMENT", "BASE URL", "CREDENTIALS")]
    for name, profile in config.profiles.items():
        settings = profile.settings
        env = settings.environment or judge_environment(settings.base_url)
        creds = ", ".join(f"{k} from {s.source}" for k, s in settings.secrets().items())
        default = "*" if name == config.settings.default_profile else ""
        rows.append((default, name, profile.adapter, env, settings.base_url, creds))
    del adapters
    return rows


def _profiles(args: argparse.Namespace) -> int:
    from evtui.render_text import columns

    with _runtime(args) as (config, _server):
        print("\n".join(columns(_profile_rows(config))))
        if config.path:
            print(f"\n(* default)  from {config.path}")
    return 0


def _info(args: argparse.Namespace) -> int:
    import platform

    from evtui import adapters
    from evtui.config.file import load_config
    from evtui.config.paths import config_dir, history_path, state_path
    from evtui.render_text import columns

    config = load_config(args.config)
    for warning in config.warnings:
        print(f"evtui: warning: {warning}", file=sys.stderr)
    try:
        from importlib.metadata import version

        textual_version = version("textual")
    except Exception:  # pragma: no cover
        textual_version = "?"
    from rich.console import Console

    console = Console()
    size = os.get_terminal_size() if sys.stdout.isatty() else None
    rows = [
        ("evtui", __version__),
        ("python", platform.python_version()),
        ("textual", textual_version),
        ("config dir", str(config_dir()) + ("  (EVTUI_CONFIG_DIR)" if os.environ.get("EVTUI_CONFIG_DIR") else "")),
        ("config file", f"{config.path}" + ("" if config.exists else "  (not created yet: evtui config init)")),
        ("history", str(history_path())),
        ("state", str(state_path())),
        ("adapters", ", ".join(sorted(adapters.available()))),
        ("profiles", ", ".join(config.profiles) or "none"),
        ("default profile", config.settings.default_profile or "-"),
        ("TERM", os.environ.get("TERM", "(unset)")),
        ("COLORTERM", os.environ.get("COLORTERM", "(unset)")),
        ("colour system", str(console.color_system or "none") + ("  (NO_COLOR set)" if os.environ.get("NO_COLOR") else "")),
        ("tmux", "yes (clipboard copies are wrapped for tmux)" if os.environ.get("TMUX") else "no"),
        ("ssh", "yes" if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY") else "no"),
        ("terminal size", f"{size.columns}x{size.lines}" if size else "not a terminal"),
        ("encoding", sys.stdout.encoding or "?"),
    ]
    print("\n".join(columns(rows)))
    return 0


def _config_cmd(args: argparse.Namespace) -> int:
    from evtui.config.paths import default_config_path
    from evtui.config.starter import write_starter

    path = (args.config or default_config_path()).expanduser()
    if args.action == "path":
        print(path)
        return 0
    if path.exists():
        raise ConfigError("already exists; evtui never overwrites your config", file=str(path), hint="edit it, or delete it first")
    write_starter(path)
    print(f"Wrote a starter config to {path} (readable only by you).")
    print("Edit the profile's client_id and secret, then: evtui profiles")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())




__all__ = ["main"]
