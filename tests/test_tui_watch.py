"""Watching a record in the TUI (issue 7): `w`, the status line, highlights, the Changes tab."""

from __future__ import annotations

from typing import Any

from evtui.demo.server import DemoServer, demo_config
from evtui.tui.fields import FieldList
from evtui.tui.watching import CHANGES_KEY
from tests.test_tui import _env, look_up, make_app, rendered_text, server, settle, until  # noqa: F401


def fast_config(server: DemoServer, interval: float = 0.05) -> Any:
    config = demo_config(server)
    config.settings = config.settings.model_copy(update={"watch_interval": interval})
    return config


async def test_watch_follows_a_live_session_until_it_is_final(server):
    app = make_app(server, fast_config(server))
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main
        await look_up(app, pilot, "Live0000001")
        assert main.detail.shown.record.document["sessionStatus"] == "CREATED"
        await pilot.press("f7")
        assert main.watcher.worker is not None
        await until(pilot, lambda: main.watcher.worker.is_finished, "the watch ends by itself", tries=2000)
        await settle(app, pilot)
        record = main.detail.shown.record
        assert record.document["sessionStatus"] == "COMPLETE"
        assert "WATCH ENDED" in main.watch_status.plain and "COMPLETE is final" in main.watch_status.plain
        # The Changes tab holds every status transition, in order, status path first per fetch.
        changes = main.detail.shown.changes
        assert changes is not None and changes.tables
        rows = changes.tables[0].rows
        # Label first, decoded values, the path last.
        status = [change for _, label, change, path in rows if path == "sessionStatus" and label == "Status"]
        assert status == [  # newest first
            "STOPPED → COMPLETE",
            "WAITING_TO_STOP → STOPPED",
            "STARTED → WAITING_TO_STOP",
            "WAITING_TO_START → STARTED",
            "CREATED → WAITING_TO_START",
        ]
        assert ("Total price", "0.62 EUR → 2.81 EUR", "price.minorInclVat") in [row[1:] for row in rows]
        # The last fetch's status change comes before its other changes.
        assert rows[0][3] == "sessionStatus"
        view = main.detail.record_view
        view.tabs.active = f"tab-{CHANGES_KEY}"
        table = view.query_one(f"#tab-{CHANGES_KEY} SafeTable")
        await until(pilot, lambda: "STOPPED → COMPLETE" in rendered_text(table), "the newest change on top")
        header = " ".join(rendered_text(table).split("\n")[0].split())
        assert header.startswith("Time Field Was → now"), header
        assert changes.tables[0].columns == ("Time", "Field", "Was → now", "Path")
        # The last fetch's changed fields are highlighted in the overview.
        overview = view.query(FieldList).first()
        assert any(f.path == "sessionStatus" for f in overview.changed)
        view.tabs.active = "tab-overview"
        await pilot.pause()
        assert "changed" in rendered_text(view.query(FieldList).first())


async def test_watch_shows_next_fetch_and_escape_stops_it(server):
    app = make_app(server, fast_config(server, interval=30))
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "Live0000001")
        await pilot.press("f7")
        await until(pilot, lambda: "next in" in main.watch_status.plain, "next-in indicator")
        assert "next in 30 s" in main.watch_status.plain or "next in 29 s" in main.watch_status.plain
        assert main.detail.record_view.tabs.query(f"#tab-{CHANGES_KEY}"), "the Changes tab appears while watching"
        await pilot.press("escape")
        assert not main.watching
        await settle(app, pilot)
        assert server.counts.get("corpay.session") == 1, "no fetch after stopping"


async def test_a_new_lookup_stops_watching(server):
    app = make_app(server, fast_config(server, interval=30))
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "Live0000001")
        await pilot.press("f7")
        await until(pilot, lambda: main.watching, "watching")
        await look_up(app, pilot, "AAdmD55q8Vz")
        assert not main.watching
        assert not main.watch_status.has_class("-active")


async def test_watching_a_final_record_ends_at_once(server):
    app = make_app(server, fast_config(server))
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await pilot.press("f7")
        await until(pilot, lambda: "WATCH ENDED" in main.watch_status.plain, "ended")
        assert "COMPLETE is final" in main.watch_status.plain
        assert server.counts.get("corpay.session") == 1


async def test_watch_shows_errors_backs_off_and_goes_on(server, monkeypatch):
    import evtui.watch as watch_module
    from evtui.errors import Timeout

    real = watch_module.lookup
    calls = {"n": 0}

    async def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise Timeout("no answer in time", hint="")
        return await real(*args, **kwargs)

    monkeypatch.setattr(watch_module, "lookup", flaky)
    app = make_app(server, fast_config(server))
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "Live0000001")
        failures: list[tuple[str, float]] = []
        real_failed = main.watch_status.failed

        def spy(message: str, next_in: float) -> None:
            failures.append((message, next_in))
            real_failed(message, next_in)

        main.watch_status.failed = spy  # type: ignore[method-assign]
        await pilot.press("f7")
        await until(pilot, lambda: main.watcher.worker is not None and main.watcher.worker.is_finished, "watch ends", tries=2000)
        assert failures == [("Timed out; backing off", 0.1)], "the interval doubled after the error"
        assert main.detail.shown.record.document["sessionStatus"] == "COMPLETE"


def ticking(app) -> list[tuple[Any, Any]]:
    """(node, timer) for every timer that is running: not stopped, finished or paused."""
    nodes = [app]
    for screen in app.screen_stack:
        nodes += [screen, *screen.walk_children(with_self=False)]
    return [
        (node, timer)
        for node in nodes
        for timer in list(node._timers)
        if timer._task is not None and not timer._task.done() and timer._active.is_set()
    ]


async def test_idle_app_runs_no_timer_but_the_cursor_blink_and_watching_ticks_only_while_on(server):
    from textual.widgets import Input, LoadingIndicator

    from evtui.tui.detail import DetailPane
    from evtui.tui.watching import WatchStatus

    app = make_app(server, fast_config(server, interval=30))
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await settle(app, pilot)
        at_start = [node for node, _ in ticking(app)]
        assert all(isinstance(node, Input) and node.has_focus for node in at_start), at_start
        await look_up(app, pilot, "Live0000001")
        # Idle: every timer is a wake-up of the process (a spinner out of sight redrew 16 times a second).
        idle = [node for node, _ in ticking(app)]
        assert all(isinstance(node, Input) and node.has_focus for node in idle), idle
        main.search.input.value = "AAdmD55q8Vz"
        main.lookup_id("AAdmD55q8Vz")
        assert main.detail.mode == "loading"
        # The loading view waits a moment (a warm answer comes first), then its spinner turns.
        assert any(isinstance(node, (LoadingIndicator, DetailPane)) for node, _ in ticking(app)), "loading view on its way"
        await until(pilot, lambda: main.detail.mode == "record", "record")
        await settle(app, pilot)
        assert not any(isinstance(node, LoadingIndicator) for node, _ in ticking(app))
        await look_up(app, pilot, "Live0000001")
        await pilot.press("f7")
        await until(pilot, lambda: "next in" in main.watch_status.plain, "watching")
        assert any(isinstance(node, WatchStatus) for node, _ in ticking(app)), "the countdown ticks while watching"
        await pilot.press("escape")
        assert not main.watching
        assert not any(isinstance(node, WatchStatus) for node, _ in ticking(app)), "and stops with the watch"
