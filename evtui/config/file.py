"""Reading config.toml, without validating it: enough for a first frame, without pydantic."""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from evtui.config.paths import default_config_path
from evtui.errors import ConfigError

if TYPE_CHECKING:
    from evtui.config.schema import Config


@dataclass
class ConfigFile:
    """config.toml as read, not yet validated.

    Validation imports pydantic and every configured adapter (a tenth of a second or
    more); the TUI paints first, then validates the profile it starts on (`validate_start`)
    and the whole file (`validate`) once its first answer is on screen.
    """

    path: Path
    exists: bool
    data: dict[str, Any] = field(default_factory=dict)
    #: The built-in demo's profiles (`evtui --demo`): the last profile used is not remembered.
    demo: ClassVar[bool] = False

    def validate(self) -> Config:
        # Imported here, not at the top: this module is what the first frame needs.
        from evtui.config.schema import Config, config_from_data

        if not self.exists:
            return Config(path=self.path, exists=False)
        return config_from_data(copy.deepcopy(self.data), self.path)

    def validate_start(self, profile: str) -> Config:
        """The settings and `profile` alone, validated: what a first lookup on it needs.

        The rest waits for `validate`. When these are bad, the whole file is validated
        here, so the error raised is the one `validate` reports (the first in the file)."""
        from evtui.config.schema import Config, start_config

        if not self.exists:
            return Config(path=self.path, exists=False)
        try:
            return start_config(copy.deepcopy(self.data), self.path, profile)
        except ConfigError:
            self.validate()
            raise

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


def load_config(path: Path | None = None) -> Config:
    """Read and validate config.toml; a missing default file is an empty config."""
    return read_config(path).validate()
