"""Where evtui keeps its files: the config directory and the names in it."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_NAME = "config.toml"
HISTORY_NAME = "history.sqlite3"
STATE_NAME = "state.toml"


def config_dir() -> Path:
    """EVTUI_CONFIG_DIR, else the platform's user config directory for evtui."""
    env = os.environ.get("EVTUI_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("evtui", appauthor=False))


def default_config_path() -> Path:
    return config_dir() / CONFIG_NAME


def history_path() -> Path:
    return config_dir() / HISTORY_NAME


def state_path() -> Path:
    return config_dir() / STATE_NAME
