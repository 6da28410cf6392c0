"""Adapters: one module per provider, registered in the `evtui.adapters` entry-point group.

The built-in adapters register in pyproject.toml exactly as a third-party
package would. Scanning every installed distribution for entry points costs
tens of milliseconds before the first lookup, so the built-ins are also named
in `BUILTIN`, which a test holds equal to evtui's own entry points: a name
found there is imported at once, any other name is looked up in the entry
points (scanned once, when first needed).
"""

from __future__ import annotations

from functools import cache
import importlib
from typing import TYPE_CHECKING

from evtui.errors import ConfigError

if TYPE_CHECKING:
    from evtui.adapters.base import Adapter

GROUP = "evtui.adapters"

#: evtui's own entry points (pyproject.toml), name -> "module:Class".
BUILTIN = {
    "corpay": "evtui.adapters.corpay.adapter:CorpayAdapter",
    "spirii": "evtui.adapters.spirii.adapter:SpiriiAdapter",
    "ocpi": "evtui.adapters.ocpi.adapter:OcpiAdapter",
    "ampeco": "evtui.adapters.ampeco:AmpecoAdapter",
    "monta": "evtui.adapters.monta.adapter:MontaAdapter",
}


@cache
def available() -> dict[str, str]:
    """Adapter name -> where its class is, "module:Class" (a scan of the installed distributions;
    nothing imported). The built-ins win over a third-party entry point of the same name."""
    from importlib.metadata import entry_points  # itself a tenth of a second of imports (email, zipfile)

    return {ep.name: ep.value for ep in entry_points(group=GROUP)} | BUILTIN


def _attribute(target: str) -> object:
    """What "module:Class" names, imported (an entry point's value, as `EntryPoint.load` reads it)."""
    module_name, _, qualname = target.partition(":")
    found: object = importlib.import_module(module_name.strip())
    for part in qualname.strip().split(".") if qualname.strip() else ():
        found = getattr(found, part)
    return found


def load(name: str) -> type[Adapter]:
    from evtui.adapters.base import Adapter

    target = BUILTIN.get(name) or available().get(name)
    if target is None:
        known = ", ".join(sorted(available())) or "none installed"
        raise ConfigError(f"unknown adapter {name!r} (known: {known})", field="adapter")
    try:
        cls = _attribute(target)
    except Exception as exc:  # a broken third-party package must not crash evtui
        raise ConfigError(f"adapter {name!r} failed to load: {type(exc).__name__}: {exc}", field="adapter") from None
    if not (isinstance(cls, type) and issubclass(cls, Adapter)):
        raise ConfigError(f"entry point {name!r} is not an evtui Adapter subclass", field="adapter")
    return cls
