"""The built-in adapters' registry (`evtui.adapters.BUILTIN`) and their entry points.

The registry lets the start profile's adapter be imported without scanning every
installed distribution; the entry points in pyproject.toml stay how adapters
register. The two must never disagree.
"""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import pytest

from evtui import adapters
from evtui.adapters.base import Adapter
from evtui.errors import ConfigError

PYPROJECT = Path(__file__).parent.parent / "pyproject.toml"


def test_the_registry_is_evtuis_entry_points() -> None:
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["entry-points"][adapters.GROUP]
    assert adapters.BUILTIN == declared
    installed = {ep.name: ep.value for ep in importlib.metadata.entry_points(group=adapters.GROUP) if ep.dist and ep.dist.name == "evtui"}
    assert adapters.BUILTIN == installed, "reinstall evtui (pip install -e .) after changing its entry points"


@pytest.mark.parametrize("name", sorted(adapters.BUILTIN))
def test_each_builtin_loads_as_the_adapter_of_its_name(name: str) -> None:
    cls = adapters.load(name)
    assert issubclass(cls, Adapter)
    assert cls.name == name


def test_a_builtin_is_found_without_scanning_the_distributions(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_scan(**_: object) -> None:
        raise AssertionError("the entry points were scanned for a built-in adapter")

    monkeypatch.setattr(importlib.metadata, "entry_points", no_scan)
    adapters.available.cache_clear()
    try:
        assert adapters.load("ocpi").name == "ocpi"
        with pytest.raises(AssertionError, match="scanned"):
            adapters.load("not-built-in")  # any other name is looked for among the entry points
    finally:
        adapters.available.cache_clear()


def test_an_unknown_name_lists_every_adapter() -> None:
    with pytest.raises(ConfigError) as caught:
        adapters.load("nope")
    assert caught.value.message.endswith(f"unknown adapter 'nope' (known: {', '.join(sorted(adapters.BUILTIN))})")
