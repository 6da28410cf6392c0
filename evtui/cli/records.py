"""`evtui get` (fetch records once and print them) and `evtui watch` (fetch one
until it settles, printing each change)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from evtui.cli.runtime import fail, open_history, runtime
from evtui.errors import EvtuiError, UsageError, exit_code_for

if TYPE_CHECKING:
    from evtui.config.schema import Config
    from evtui.history import HistoryStore


def run_get(args: argparse.Namespace) -> int:
    with runtime(args) as (config, _server):
        return asyncio.run(_get_async(args, config))


async def _get_async(args: argparse.Namespace, config: Config) -> int:
    from evtui.adapters.running import gather_bounded
    from evtui.errors import InvalidId
    from evtui.lookup import lookup
    from evtui.pool import AdapterPool
    from evtui.render_text import Style, render_record, use_color

    history = open_history(config)
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
                fail(exc)
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
                fail(result, prefix=f"{rid}: ")
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
                fail(exc)
                failures.append(exc)
                continue
            found = [a for a in attempts if a.record is not None]
            if not found:
                error = not_found_anywhere(attempts)
                fail(error, prefix=f"{raw.strip()}: ")
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


# -- evtui watch ------------------------------------------------------------------


def run_watch(args: argparse.Namespace) -> int:
    with runtime(args) as (config, _server):
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
    history = open_history(config)

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
