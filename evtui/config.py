"""config.toml: profiles and settings; where evtui keeps its files.

The config file is the user's: evtui reads it and never rewrites it. Settings
changed in the UI go to a separate state file (see `evtui.state`).
"""

from __future__ import annotations

import copy
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evtui.errors import ConfigError

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


@dataclass
class Profile:
    name: str
    adapter: str
    settings: Any  # the adapter's AdapterSettings subclass


def _default_settings() -> Any:
    from evtui.settings import Settings

    return Settings()


@dataclass
class Config:
    path: Path | None
    exists: bool
    settings: Any = field(default_factory=_default_settings)  # evtui.settings.Settings
    profiles: dict[str, Profile] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    demo: bool = False

    def profile(self, name: str | None = None) -> Profile:
        """The named profile, else the default, else the only one."""
        if name is None:
            name = self.settings.default_profile
            if name is None:
                if len(self.profiles) == 1:
                    return next(iter(self.profiles.values()))
                if not self.profiles:
                    raise ConfigError(self.missing_message(), hint="Run `evtui config init`, or try `evtui --demo`.")
                raise ConfigError(
                    "several profiles and no default_profile: pick one with --profile",
                    file=str(self.path),
                    hint="Profiles: " + ", ".join(self.profiles),
                )
        try:
            return self.profiles[name]
        except KeyError:
            known = ", ".join(self.profiles) or "none"
            raise ConfigError(
                f"no profile named {name!r} (profiles: {known})",
                file=str(self.path) if self.path else None,
                hint="`evtui profiles` lists them.",
            ) from None

    def missing_message(self) -> str:
        return f"no profiles configured; evtui reads them from {self.path}"


def load_config(path: Path | None = None) -> Config:
    """Read and validate config.toml; a missing default file is an empty config."""
    return read_config(path).validate()


@dataclass
class ConfigFile:
    """config.toml as read, not yet validated: enough for a first frame, without pydantic.

    Validation imports pydantic and every configured adapter (a tenth of a second or
    more); the TUI paints first and validates right after.
    """

    path: Path
    exists: bool
    data: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> Config:
        if not self.exists:
            return Config(path=self.path, exists=False)
        return config_from_data(copy.deepcopy(self.data), self.path)

    @property
    def profile_tables(self) -> dict[str, dict[str, Any]]:
        profiles = self.data.get("profiles")
        if not isinstance(profiles, dict):
            return {}
        return {name: table for name, table in profiles.items() if isinstance(table, dict)}

    @property
    def default_profile(self) -> str | None:
        name = self.data.get("default_profile")
        return name if isinstance(name, str) else None


def read_config(path: Path | None = None) -> ConfigFile:
    """Read config.toml (TOML only); a missing default file is an empty config."""
    explicit = path is not None
    path = (path or default_config_path()).expanduser()
    if not path.exists():
        if explicit:
            raise ConfigError("config file does not exist", file=str(path))
        return ConfigFile(path=path, exists=False)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read: {exc.__class__.__name__}: {getattr(exc, 'strerror', '') or exc}", file=str(path)) from None
    return ConfigFile(path=path, exists=True, data=data)


def config_from_data(data: dict[str, Any], path: Path | None) -> Config:
    """Validate a parsed config.toml (this is where pydantic and the adapters get imported)."""
    from evtui.settings import validate

    return validate(data, path)


def _readable_by_others(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH))


STARTER = """\
# evtui configuration: one [profiles.NAME] table per provider account.
# Secrets may be written as
#   "env:NAME"          read from the environment variable NAME when needed
#   "cmd:COMMAND"       the command's output, e.g. "cmd:pass show corpay/uat"
#   a literal string    only if this file stays private (chmod 600)
# Secrets are never taken on the command line.

# The profile used when --profile is not given.
default_profile = "corpay-uat"

# Seconds to wait for a connection or an answer.
# timeout = 10

# Largest response accepted, in MB.
# max_body_mb = 20

# Seconds between fetches when watching a record.
# watch_interval = 5

[profiles.corpay-uat]
adapter = "corpay"
base_url = "https://apigwuat.corpay.com"
client_id = "your-client-id"
client_secret = "env:CORPAY_CLIENT_SECRET"
# token_url = "https://apigwuat.corpay.com/keycloak/realms/longship/protocol/openid-connect/token"
# environment = "test"     # badge: demo, test or production (judged from the URL if unset)

# [profiles.spirii]
# adapter = "spirii"
# base_url = "https://api.spirii.com"    # sandbox: https://sandbox.api.spirii.com
# api_key = "cmd:pass show spirii/api-key"

# [history]
# max_entries = 10000
# cache_responses = true

# Remap keys by binding id, e.g.
# [keymap]
# toggle_history = "f12"
"""


def write_starter(path: Path) -> None:
    """Write the commented starter file, private from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(STARTER)
