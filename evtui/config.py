"""config.toml: profiles and settings; where evtui keeps its files.

The config file is the user's: evtui reads it and never rewrites it. Settings
changed in the UI go to a separate state file (see `evtui.state`).
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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


class HistorySettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Entries kept; the oldest unpinned ones are pruned beyond it.
    max_entries: int = 10_000
    #: Keep each entry's last response so it re-opens offline.
    cache_responses: bool = True
    #: Total size of cached responses, in MB.
    cache_max_mb: float = 200.0


class Settings(BaseModel):
    """The top level of config.toml, profiles aside."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_profile: str | None = None
    timeout: float = 10.0
    max_body_mb: float = 20.0
    #: Seconds between fetches when watching a record (TUI `w`, `evtui watch`).
    watch_interval: float = Field(default=5.0, gt=0)
    keymap: dict[str, str] = {}
    history: HistorySettings = HistorySettings()


@dataclass
class Profile:
    name: str
    adapter: str
    settings: Any  # the adapter's AdapterSettings subclass


@dataclass
class Config:
    path: Path | None
    exists: bool
    settings: Settings = field(default_factory=Settings)
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
    explicit = path is not None
    path = (path or default_config_path()).expanduser()
    if not path.exists():
        if explicit:
            raise ConfigError("config file does not exist", file=str(path))
        return Config(path=path, exists=False)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read: {exc.__class__.__name__}: {getattr(exc, 'strerror', '') or exc}", file=str(path)) from None
    return config_from_data(data, path)


def config_from_data(data: dict[str, Any], path: Path | None) -> Config:
    file = str(path) if path else None
    raw_profiles = data.pop("profiles", {})
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(_msg(err), file=file, field=_loc(err["loc"])) from None
    if not isinstance(raw_profiles, dict):
        raise ConfigError("must be a table of [profiles.NAME] tables", file=file, field="profiles")
    profiles = {}
    literal = []
    for name, table in raw_profiles.items():
        profile = _profile(name, table, file)
        profiles[name] = profile
        literal += [f"{name}.{k}" for k, s in profile.settings.secrets().items() if s.is_literal]
    config = Config(path=path, exists=True, settings=settings, profiles=profiles)
    if settings.default_profile is not None and settings.default_profile not in profiles:
        raise ConfigError(
            f"names profile {settings.default_profile!r}, which is not defined (profiles: {', '.join(profiles) or 'none'})",
            file=file,
            field="default_profile",
        )
    for name, profile in profiles.items():
        if not profile.settings.verify_tls:
            config.warnings.append(
                f"profile {name!r} turns TLS verification off: anyone on the network path can read and alter its answers"
            )
    if literal and path is not None and _readable_by_others(path):
        config.warnings.append(
            f"{path} holds literal secrets ({', '.join(literal)}) and is readable by other users: run  chmod 600 {path}"
        )
    return config


def _profile(name: str, table: Any, file: str | None) -> Profile:
    from evtui import adapters

    if not isinstance(table, dict):
        raise ConfigError("must be a table", file=file, profile=name)
    adapter_name = table.get("adapter")
    if not isinstance(adapter_name, str):
        known = ", ".join(sorted(adapters.available()))
        raise ConfigError(f"needs adapter = one of: {known}", file=file, profile=name, field="adapter")
    try:
        cls = adapters.load(adapter_name)
    except ConfigError as exc:
        raise ConfigError(exc.message.split(": ", 1)[-1], file=file, profile=name, field="adapter") from None
    try:
        settings = cls.settings_model.model_validate(table)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(_msg(err), file=file, profile=name, field=_loc(err["loc"])) from None
    for field_name, secret in settings.secrets().items():
        secret.located(name, field_name)
    return Profile(name=name, adapter=adapter_name, settings=settings)


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _msg(err: dict[str, Any]) -> str:
    kind = err.get("type")
    if kind == "extra_forbidden":
        return "is not a setting evtui knows (a typo?)"
    if kind == "missing":
        return "is required"
    # Never echo the input: it may be a secret.
    return str(err.get("msg", "is not valid")).replace("Value error, ", "")


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
# toggle_history = "f2"
"""


def write_starter(path: Path) -> None:
    """Write the commented starter file, private from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(STARTER)
