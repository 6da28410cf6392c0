"""`evtui profiles`, `evtui info` and `evtui config init|path`: what is configured
and where, and a starter config file."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from evtui import __version__
from evtui.cli.runtime import runtime
from evtui.errors import ConfigError

if TYPE_CHECKING:
    from evtui.config.schema import Config


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


def run_profiles(args: argparse.Namespace) -> int:
    from evtui.render_text import columns

    with runtime(args) as (config, _server):
        print("\n".join(columns(_profile_rows(config))))
        if config.path:
            print(f"\n(* default)  from {config.path}")
    return 0


def run_info(args: argparse.Namespace) -> int:
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


def run_config(args: argparse.Namespace) -> int:
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
