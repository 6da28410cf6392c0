"""Warnings about a config that is valid but risky: said on every run, never fatal.

Each names what is at risk and what to do (the chmod to run).
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any


def warnings(path: Path | None, profiles: dict[str, Any]) -> list[str]:
    """Warnings for a validated config; `profiles` maps each name to its AdapterSettings."""
    found = []
    for name, settings in profiles.items():
        if not settings.verify_tls:
            found.append(f"profile {name!r} turns TLS verification off: anyone on the network path can read and alter its answers")
    if path is not None:
        found += _file_warnings(path, profiles)
    return found


def _file_warnings(path: Path, profiles: dict[str, Any]) -> list[str]:
    found = []
    literal = [f"{name}.{key}" for name, s in profiles.items() for key, secret in s.secrets().items() if secret.is_literal]
    mode = _mode(path)
    if literal and mode is not None and mode & (stat.S_IRGRP | stat.S_IROTH):
        found.append(f"{path} holds literal secrets ({', '.join(literal)}) and is readable by other users: run  chmod 600 {path}")
    return found


def _mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode
    except OSError:
        return None
