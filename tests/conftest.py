"""Shared fixtures: the demo provider server over real HTTP, and a private config dir."""

from __future__ import annotations

import os
from collections import Counter
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Decoded timestamps show local time beside UTC: fix the zone so expectations hold anywhere.
os.environ["TZ"] = "UTC"
time.tzset()

from evtui.demo.server import DemoServer  # noqa: E402
from tests.secret_sweep import SecretSweep  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(SecretSweep(), "secret-sweep")


@pytest.fixture(autouse=True)
def _fresh_redactor() -> Iterator[None]:
    """Each test starts with no remembered secrets: the redactor is process-wide, and a
    short secret one test resolved ("nope") would be masked in the next test's messages."""
    from evtui import redact

    redact.forget_all()
    yield
    redact.forget_all()


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EVTUI_CONFIG_DIR pointed at an empty private directory (config and history)."""
    path = tmp_path / "evtui-config"
    monkeypatch.setenv("EVTUI_CONFIG_DIR", str(path))
    return path


@pytest.fixture
def demo_server() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


@pytest.fixture
def screen_layouts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Layouts of the screen (every widget placed again, "layout") and scroll-only ones ("scroll"),
    counted: for tests that pin work per frame without timing it."""
    from textual.screen import Screen

    counted: Counter[str] = Counter()
    lay_out = Screen._refresh_layout

    def counting(self, size=None, scroll=False):
        counted["scroll" if scroll else "layout"] += 1
        return lay_out(self, size, scroll)

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    return counted
