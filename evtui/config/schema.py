"""config.toml's schema and its validation: settings models (`evtui.config.model`), and the configured adapters.

Kept apart from `evtui.config.file` so that reading the file and finding a
profile's name costs no adapter import (the TUI paints before it validates).
This module imports nothing of `file`: the dependency runs one way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evtui.config import checks
from evtui.config.model import Setting, SettingsInvalid, SettingsModel
from evtui.errors import ConfigError


def _positive(high: int, unit: str) -> Any:
    """A finite number above 0 and at most `high`: nan, inf, 0 and negatives are typos, not settings."""

    def check(value: float) -> float:  # an int for whole-number settings
        if not (math.isfinite(value) and 0 < value <= high):
            raise ValueError(f"must be a number above 0 and at most {high:,} ({unit})")
        return value

    return check


# Numbers are strict: TOML has real numbers, so "10" (a string) or true is a mistake worth naming.


class HistorySettings(SettingsModel):
    #: Entries kept; the oldest unpinned ones are pruned beyond it.
    max_entries: int = Setting(10_000, strict=True, check=_positive(10_000_000, "entries"))
    #: Keep each entry's last response so it re-opens offline.
    cache_responses: bool = True
    #: Total size of cached responses, in MB.
    cache_max_mb: float = Setting(200.0, strict=True, check=_positive(10_240, "MB"))


class Settings(SettingsModel):
    """The top level of config.toml, profiles aside."""

    default_profile: str | None = None
    timeout: float = Setting(10.0, strict=True, check=_positive(3600, "seconds"))
    max_body_mb: float = Setting(20.0, strict=True, check=_positive(1024, "MB"))
    #: Seconds between fetches when watching a record (TUI `w`, `evtui watch`).
    watch_interval: float = Setting(5.0, strict=True, check=_positive(86_400, "seconds"))
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


def config_from_data(data: dict[str, Any], path: Path | None) -> Config:
    """Validate a parsed config.toml (this is where the adapters get imported)."""
    file = str(path) if path else None
    settings, raw_profiles = _settings(data, file)
    profiles = {name: _profile(name, table, file) for name, table in raw_profiles.items()}
    config = Config(path=path, exists=True, settings=settings, profiles=profiles)
    if settings.default_profile is not None and settings.default_profile not in profiles:
        raise ConfigError(
            f"names profile {settings.default_profile!r}, which is not defined (profiles: {', '.join(profiles) or 'none'})",
            file=file,
            field="default_profile",
        )
    config.warnings += checks.warnings(path, {name: p.settings for name, p in profiles.items()})
    return config


def start_config(data: dict[str, Any], path: Path | None, profile: str) -> Config:
    """The settings and the one profile a first lookup needs, validated (no other adapter imported).

    A Config of that profile alone, without warnings: `config_from_data` checks the whole
    file after, and its first error is the one to report (this one may not be the first)."""
    file = str(path) if path else None
    settings, raw_profiles = _settings(data, file)
    if profile not in raw_profiles:
        return config_from_data(data, path)  # says what is wrong, as it always has
    return Config(path=path, exists=True, settings=settings, profiles={profile: _profile(profile, raw_profiles[profile], file)})


def _settings(data: dict[str, Any], file: str | None) -> tuple[Settings, dict[str, Any]]:
    """The top-level settings, validated, and the [profiles] tables as read."""
    data = dict(data)
    raw_profiles = data.pop("profiles", {})
    try:
        settings = Settings.model_validate(data)
    except SettingsInvalid as exc:
        err = exc.errors()[0]
        raise ConfigError(_msg(err), file=file, field=_loc(err["loc"])) from None
    if not isinstance(raw_profiles, dict):
        raise ConfigError("must be a table of [profiles.NAME] tables", file=file, field="profiles")
    return settings, raw_profiles


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
    except SettingsInvalid as exc:
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
