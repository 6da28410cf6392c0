"""The command line: `evtui [ID]` opens the TUI; `get`, `check`, `watch`, `history`,
`profiles`, `info` and `config init` are scriptable commands over the same core.

One module per command group (`tui`, `records`, `check`, `history`, `config`), the
grammar in `parsing`, what they share in `runtime`. Each command's module, and the
TUI and the adapters, are imported only when that command runs, so that `evtui get`
and `evtui --help` start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from evtui.cli.parsing import COMMANDS, command_parser, first_positional, tui_parser
from evtui.cli.runtime import fail
from evtui.errors import EvtuiError, UsageError


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if first_positional(argv) in COMMANDS:
            args = command_parser().parse_args(argv)
        else:
            args = tui_parser().parse_args(argv)
            args.command = "tui"
        return _dispatch(args)
    except EvtuiError as exc:
        fail(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `evtui history | head`: the reader left; not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "tui":
        from evtui.cli.tui import run_tui

        return run_tui(args)
    if args.command == "get":
        from evtui.cli.records import run_get

        return run_get(args)
    if args.command == "check":
        from evtui.cli.check import run_check

        return run_check(args)
    if args.command == "watch":
        from evtui.cli.records import run_watch

        return run_watch(args)
    if args.command == "history":
        from evtui.cli.history import run_history

        return run_history(args)
    if args.command == "profiles":
        from evtui.cli.config import run_profiles

        return run_profiles(args)
    if args.command == "info":
        from evtui.cli.config import run_info

        return run_info(args)
    if args.command == "config":
        from evtui.cli.config import run_config

        return run_config(args)
    raise UsageError(f"unknown command {args.command!r}")


__all__ = ["main", "tui_parser", "command_parser"]
