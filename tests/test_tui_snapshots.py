"""Snapshot tests of the three layouts with a record shown.

Deterministic: TZ=UTC, the demo's fixed timestamps, history ages coarse
("just now", "5 min") and seeded relative to the real clock, no animation.
Update the baselines with `pytest tests/test_tui_snapshots.py --snapshot-update`
after looking at the report.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from evtui.config.paths import history_path
from evtui.demo.server import DemoServer, demo_config
from evtui.history import HistoryStore
from evtui.tui.app import EvtuiApp


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("EVTUI_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer() as s:
        yield s


def seeded_app(server: DemoServer) -> EvtuiApp:
    # Older lookups, at ages that read the same however long the test takes.
    store = HistoryStore(history_path())
    now = time.time()
    store.record(profile="demo-corpay", adapter="corpay", record_type="session", record_id="JPYsess0042",
                 outcome="found", summary="COMPLETE · Shibuya Stream · ¥1,650", when=now - 3 * 3600 - 30)
    store.record(profile="demo-corpay", adapter="corpay", record_type="session", record_id="Missing0001",
                 outcome="not_found", summary="Not found", when=now - 2 * 86400 - 30)
    store.close()
    return EvtuiApp(demo_config(server), demo_server=server)


def blink_off(app: EvtuiApp) -> None:
    """A blinking cursor is on or off depending on when the picture is taken: keep it on."""
    from textual.widgets import Input

    for box in app.screen.query(Input):
        box.cursor_blink = False


async def _show_record(pilot) -> None:
    app = pilot.app
    main = app.main
    blink_off(app)
    await pilot.press(*"StopFail001", "enter")
    for _ in range(500):
        if main.detail.mode == "record":
            break
        await pilot.pause(0.01)
    assert main.detail.mode == "record"
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_wide_120x34(server, snap_compare):
    assert snap_compare(seeded_app(server), terminal_size=(120, 34), run_before=_show_record)


def test_80x24(server, snap_compare):
    assert snap_compare(seeded_app(server), terminal_size=(80, 24), run_before=_show_record)


def test_split_pane_60x24(server, snap_compare):
    assert snap_compare(seeded_app(server), terminal_size=(60, 24), run_before=_show_record)


def test_error_panel_80x24(server, snap_compare):
    async def run_before(pilot) -> None:
        main = pilot.app.main
        blink_off(pilot.app)
        await pilot.press(*"Missing0001", "enter")
        for _ in range(500):
            if main.detail.mode == "error":
                break
            await pilot.pause(0.01)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(seeded_app(server), terminal_size=(80, 24), run_before=run_before)
