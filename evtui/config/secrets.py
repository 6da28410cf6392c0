"""Secrets named in config: a literal, `env:NAME` or `cmd:COMMAND`.

A `Secret` holds the reference, not the value; the value is resolved when a
request needs it and kept in memory only. Its repr never shows a literal, so a
settings model can be printed or logged safely.
"""

from __future__ import annotations

import os
import subprocess
from typing import Any

from pydantic_core import core_schema

from evtui import redact
from evtui.errors import ConfigError


class Secret:
    __slots__ = ("_ref", "_value", "_where")

    def __init__(self, ref: str) -> None:
        self._ref = ref
        self._value: str | None = None
        # (profile, field) for error messages; set by the config loader.
        self._where: tuple[str | None, str | None] = (None, None)

    @property
    def source(self) -> str:
        """How the secret is given, safe to show: `env:NAME`, `cmd`, or `literal`."""
        if self._ref.startswith("env:"):
            return self._ref
        if self._ref.startswith("cmd:"):
            return "cmd"
        return "literal"

    @property
    def is_literal(self) -> bool:
        return self.source == "literal"

    def located(self, profile: str | None, field: str | None) -> Secret:
        self._where = (profile, field)
        return self

    def reveal(self) -> str:
        """The secret's value; resolved once per process, never written anywhere."""
        if self._value is None:
            self._value = self._resolve()
            redact.remember(self._value)
        return self._value

    def _resolve(self) -> str:
        profile, field = self._where
        if self._ref.startswith("env:"):
            name = self._ref[4:]
            value = os.environ.get(name)
            if not value:
                raise ConfigError(
                    f"environment variable {name} is not set or empty",
                    profile=profile,
                    field=field,
                    hint=f"export {name}=... in the shell that runs evtui",
                )
            return value
        if self._ref.startswith("cmd:"):
            command = self._ref[4:]
            try:
                done = subprocess.run(
                    command,
                    shell=True,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=60,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise ConfigError(
                    f"secret command could not run ({type(exc).__name__})", profile=profile, field=field
                ) from None
            # The command's output is the secret: never quote it in the error.
            if done.returncode != 0:
                raise ConfigError(
                    f"secret command exited with status {done.returncode}",
                    profile=profile,
                    field=field,
                    hint="run the command by hand to see what it needs (an unlocked password store?)",
                )
            value = done.stdout.decode("utf-8", errors="replace").rstrip("\r\n")
            if not value:
                raise ConfigError("secret command printed nothing", profile=profile, field=field)
            return value
        return self._ref

    def __repr__(self) -> str:
        return f"Secret({self.source})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._ref == self._ref

    def __hash__(self) -> int:
        return hash(self._ref)

    @classmethod
    def __get_pydantic_core_schema__(cls, _source: Any, _handler: Any) -> core_schema.CoreSchema:
        def validate(value: Any) -> Secret:
            if isinstance(value, Secret):
                return value
            if not isinstance(value, str) or not value:
                raise ValueError("must be a non-empty string: a literal, env:NAME or cmd:COMMAND")
            if value in ("env:", "cmd:"):
                raise ValueError("names no variable or command")
            return cls(value)

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda s: repr(s)),
        )
