"""Warnings about a config that is valid but risky: said on every run, never fatal.

Each names what is at risk and what to do (the chmod to run, the scheme to use).
"""

from __future__ import annotations

import ipaddress
import stat
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def warnings(path: Path | None, profiles: dict[str, Any]) -> list[str]:
    """Warnings for a validated config; `profiles` maps each name to its AdapterSettings."""
    found = []
    for name, settings in profiles.items():
        if not settings.verify_tls:
            found.append(f"profile {name!r} turns TLS verification off: anyone on the network path can read and alter its answers")
        if settings.secrets():
            for host in _plain_http_hosts(settings):
                found.append(
                    f"profile {name!r} sends its credentials over plain http:// to {host}: "
                    "anyone on the network path can read them; use https://"
                )
    if path is not None:
        found += _file_warnings(path, profiles)
    return found


def _plain_http_hosts(settings: Any) -> list[str]:
    """Hosts other than this machine that a profile's URL settings reach over plain http."""
    hosts = []
    for field_name in type(settings).model_fields:
        value = getattr(settings, field_name)
        if not (field_name.endswith("url") and isinstance(value, str)):
            continue
        try:
            parts = urlsplit(value.strip())
            host = parts.hostname
        except ValueError:
            continue  # not a URL: the adapter's own validation says so
        if parts.scheme.lower() == "http" and host and not is_loopback(host) and host not in hosts:
            hosts.append(host)
    return hosts


def is_loopback(host: str) -> bool:
    """True for a host name or address that never leaves this machine."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _file_warnings(path: Path, profiles: dict[str, Any]) -> list[str]:
    found = []
    literal = [f"{name}.{key}" for name, s in profiles.items() for key, secret in s.secrets().items() if secret.is_literal]
    mode = _mode(path)
    if literal and mode is not None and mode & (stat.S_IRGRP | stat.S_IROTH):
        found.append(f"{path} holds literal secrets ({', '.join(literal)}) and is readable by other users: run  chmod 600 {path}")
    # Whoever can change the file can make evtui run any `cmd:` command, or send the
    # credentials elsewhere; whoever can write its directory can replace it.
    if mode is not None and mode & (stat.S_IWGRP | stat.S_IWOTH):
        found.append(f"{path} can be changed by other users, and evtui runs the commands it names: run  chmod go-w {path}")
    directory = path.parent
    dir_mode = _mode(directory)
    # A sticky directory (like /tmp) lets no one else rename or delete the file.
    if dir_mode is not None and dir_mode & (stat.S_IWGRP | stat.S_IWOTH) and not dir_mode & stat.S_ISVTX:
        found.append(
            f"{directory} can be changed by other users, who could replace {path.name} in it: run  chmod go-w {directory}"
        )
    return found


def _mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode
    except OSError:
        return None
