"""config.toml's schema and its validation: pydantic, and the configured adapters.

Kept apart from `evtui.config` so that reading the file and finding a profile's
name costs no pydantic import (the TUI paints before it validates).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evtui.config import Config, Profile, _readable_by_others
from evtui.errors import ConfigError


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


def validate(data: dict[str, Any], path: Path | None) -> Config:
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
