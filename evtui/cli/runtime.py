"""What every command shares: one-line errors, the config (or the demo) to run
with, and the history store."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from evtui.errors import ConfigError, EvtuiError

if TYPE_CHECKING:
    from evtui.config.schema import Config
    from evtui.demo.server import DemoServer
    from evtui.history import HistoryStore


def fail(exc: EvtuiError, prefix: str = "") -> None:
    from evtui.textsafe import visible

    hint = f" ({exc.hint})" if exc.hint else ""
    print(f"evtui: {prefix}{visible(exc.message)}{visible(hint)}", file=sys.stderr)


@contextmanager
def runtime(args: argparse.Namespace, *, need_profiles: bool = True) -> Iterator[tuple[Config, DemoServer | None]]:
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


def open_history(config: Config) -> HistoryStore:
    from evtui.history import HistoryStore

    return HistoryStore.for_settings(config.settings.history)
