"""Adapters: one module per provider, found through the `evtui.adapters` entry-point group.

The built-in adapters register in pyproject.toml exactly as a third-party
package would, so discovery has a single path.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from evtui.errors import ConfigError

if TYPE_CHECKING:
    from evtui.adapters.base import Adapter

GROUP = "evtui.adapters"


@cache
def available() -> dict[str, object]:
    """Adapter name -> its entry point (not yet imported: start-up stays fast)."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def load(name: str) -> type[Adapter]:
    from evtui.adapters.base import Adapter

    eps = available()
    if name not in eps:
        known = ", ".join(sorted(eps)) or "none installed"
        raise ConfigError(f"unknown adapter {name!r} (known: {known})", field="adapter")
    try:
        cls = eps[name].load()  # type: ignore[attr-defined]
    except Exception as exc:  # a broken third-party package must not crash evtui
        raise ConfigError(f"adapter {name!r} failed to load: {type(exc).__name__}: {exc}", field="adapter") from None
    if not (isinstance(cls, type) and issubclass(cls, Adapter)):
        raise ConfigError(f"entry point {name!r} is not an evtui Adapter subclass", field="adapter")
    return cls
