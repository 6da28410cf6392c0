"""`evtui history`: list or clear the lookup history."""

from __future__ import annotations

import argparse
import sys

from evtui.cli.runtime import open_history
from evtui.errors import UsageError


def run_history(args: argparse.Namespace) -> int:
    """`evtui history [--json] [--profile P] [--limit N]`, `evtui history clear [--profile P] [--yes]`."""
    import time

    from evtui.config.file import load_config

    config = load_config(args.config)
    for warning in config.warnings:
        print(f"evtui: warning: {warning}", file=sys.stderr)
    history = open_history(config)
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
