"""`evtui check`: look up a list of ids and check each one's price (the work is in
`evtui.check`, the output in `evtui.check_output`)."""

from __future__ import annotations

import argparse
import asyncio

from evtui.cli.runtime import runtime


def run_check(args: argparse.Namespace) -> int:
    from evtui.check_output import run

    args.source = args.source or args.stdin
    with runtime(args) as (config, _server):
        return asyncio.run(run(args, config))
