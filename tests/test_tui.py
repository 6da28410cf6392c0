"""Pilot tests of the TUI against the real demo server over HTTP.

No sleeps: every wait is for a condition, bounded by a number of pauses.
History lives in a temporary EVTUI_CONFIG_DIR.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual import events
from textual.widgets import Input
from textual.worker import WorkerCancelled

from evtui.config.schema import config_from_data
from evtui.demo.server import DemoServer, demo_config
from evtui.state import load_state
from evtui.tui.app import EvtuiApp, MainScreen
from evtui.tui.clipboard import osc52, tmux_passthrough
from evtui.tui.fields import FieldList
from evtui.tui.raw_json import RawJsonPane
from evtui.tui.switcher import ProfilePicker, ProfileSwitcher

HOSTILE_SITE = "[bold red]x[/] \x1b[31m [@click=app.quit]q[/] \u202eevil"


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("EVTUI_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("TMUX", raising=False)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer() as s:
        yield s


def make_app(server: DemoServer, config: Any = None, **kwargs: Any) -> EvtuiApp:
    return EvtuiApp(config or demo_config(server), demo_server=server, **kwargs)


async def until(pilot, condition: Callable[[], bool], what: str, tries: int = 400) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"timed out waiting for: {what}")


async def _workers_done(app: EvtuiApp) -> None:
    """Every worker finished. One cancelled meanwhile is done too: an exclusive worker replaced by
    the next (the history's reload at start-up by the reload after the first lookup's writes) made
    Textual's wait raise WorkerCancelled, when the answer came soon enough to overlap them."""
    for _ in range(100):
        running = [worker for worker in app.workers if not worker.is_cancelled]
        if not running:
            return
        try:
            await app.workers.wait_for_complete(running)
            return
        except WorkerCancelled:
            continue


async def settle(app: EvtuiApp, pilot) -> None:
    await _workers_done(app)
    await pilot.pause()
    await _workers_done(app)
    await pilot.pause()


async def look_up(app: EvtuiApp, pilot, raw: str) -> MainScreen:
    """As typed: ctrl+l (the bar, its text selected) from wherever the focus is, the id, Enter."""
    main = app.main
    await pilot.press("ctrl+l", *raw, "enter")
    await until(pilot, lambda: main.detail.mode in ("record", "error") or main.search_message.has_class("-error"), f"lookup of {raw}")
    await settle(app, pilot)
    return main


async def switch_profile_by_keys(app: EvtuiApp, pilot, name: str) -> None:
    """F2, then ↑/↓ to the profile in the picker, Enter."""
    from evtui.tui.switcher import ProfilePicker

    await pilot.press("f2")
    await until(pilot, lambda: isinstance(app.screen, ProfilePicker), "the profile picker")
    names = [p.name for p in app.screen.profiles]
    step = names.index(name) - names.index(app.main.profile_name)
    await pilot.press(*(["down"] * step if step > 0 else ["up"] * -step), "enter")
    await until(pilot, lambda: app.main.profile_name == name, f"profile {name}")


async def highlight_entry(pilot, history, record_id: str) -> None:
    """F3 to the history list (shown beside the record), then ↓ from the top to the entry."""
    if not history.list.has_focus:
        await pilot.press("f3")
        await until(pilot, lambda: history.list.has_focus, "the history list focused")
    await pilot.press("home", *["down"] * [e.record_id for e in history.list.entries].index(record_id))
    assert history.list.current.record_id == record_id


def rendered_text(widget) -> str:
    """What a widget puts on the screen, as plain text (its visible lines)."""
    region = widget.region
    return "\n".join(strip.text for strip in widget.render_lines(region.reset_offset))


# -- lookup -----------------------------------------------------------------------


async def test_lookup_shows_the_decoded_record(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        assert app.focused is main.search.input, "the search bar has focus at start"
        await look_up(app, pilot, "AAdmD55q8Vz")
        assert main.detail.mode == "record"
        record = main.detail.shown.record
        assert record.record_id == "AAdmD55q8Vz"
        overview = rendered_text(main.detail.query(FieldList).first())
        assert "AAdmD55q8Vz" in overview
        assert "COMPLETE" in overview
        assert "21.60 EUR outstanding" in overview
        assert server.counts["corpay.session"] == 1
        tabs = [p.id for p in main.detail.record_view.tabs.query("TabPane")]
        assert tabs[:4] == ["tab-overview", "tab-charging", "tab-charger", "tab-payment"]
        assert tabs[-2:] == ["tab-raw", "tab-http"]
        # Focus moved into the record so single keys work.
        assert isinstance(app.focused, FieldList)
        # And the lookup is in history.
        await until(pilot, lambda: bool(main.history_panel.list.entries), "history entry")
        assert main.history_panel.list.entries[0].record_id == "AAdmD55q8Vz"


async def test_initial_id_is_looked_up_at_once(server):
    app = make_app(server, initial_id="JPYsess0042")
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await until(pilot, lambda: main.detail.mode == "record", "initial lookup")
        assert main.detail.shown.record.record_id == "JPYsess0042"


async def test_pasted_id_loses_its_quotes_and_spaces(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        assert main.search.input.has_focus, "the bar has the focus at start"
        main.search.input.post_message(events.Paste('  "O9UXK+YI5Q6i0/FoI4qHwcA==" \n'))
        await until(pilot, lambda: "O9UXK" in main.search.input.value, "paste")
        await pilot.press("enter")
        await until(pilot, lambda: main.detail.mode == "record", "lookup")
        assert main.detail.shown.record.record_id == "O9UXK+YI5Q6i0/FoI4qHwcA=="
        assert main.search.input.value == "O9UXK+YI5Q6i0/FoI4qHwcA=="


async def test_invalid_id_is_explained_inline_and_nothing_is_sent(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        before = dict(server.counts)
        await look_up(app, pilot, "not an id!")
        assert main.search_message.has_class("-error")
        message = rendered_text(main.search_message)
        assert "not an id!" in message and "Corpay EV Drive" in message
        assert main.detail.mode == "welcome"
        assert dict(server.counts) == before
        assert app.focused is main.search.input


async def test_not_found_shows_a_panel_with_what_to_try(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await look_up(app, pilot, "Missing0001")
        assert main.detail.mode == "error"
        panel = main.detail.query_one("ErrorPanel")
        text = rendered_text(panel)
        assert "Not found (HTTP 404)" in text
        assert "Missing0001" in text
        assert "What to try" in text and "Check the id" in text
        assert app.is_running
        await until(pilot, lambda: bool(main.history_panel.list.entries), "history entry")
        assert main.history_panel.list.entries[0].outcome == "not_found"


async def test_unexpected_exception_shows_a_panel_and_the_app_lives(server, monkeypatch):
    import evtui.lookup as tui_app  # the TUI imports `lookup` from there when a lookup starts

    real_lookup = tui_app.lookup

    async def exploding(*args, **kwargs):
        raise RuntimeError("lookup exploded")

    monkeypatch.setattr(tui_app, "lookup", exploding)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        main.search.input.value = "AAdmD55q8Vz"
        await pilot.press("enter")
        await until(pilot, lambda: main.detail.mode == "error", "error panel")
        text = rendered_text(main.detail.query_one("ErrorPanel"))
        assert "Unexpected error" in text
        assert "lookup exploded" in text
        assert app.is_running
        # And the next lookup works again.
        monkeypatch.setattr(tui_app, "lookup", real_lookup)
        await look_up(app, pilot, "JPYsess0042")
        assert main.detail.mode == "record"


async def test_an_adapter_bug_shows_a_panel(server, monkeypatch):
    from evtui.adapters.corpay import CorpayAdapter

    def broken(self, *args, **kwargs):
        raise RuntimeError("presenter exploded")

    monkeypatch.setattr(CorpayAdapter, "present", broken)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        assert main.detail.mode == "error"
        assert app.is_running


# -- cancel, stale answers, timeouts ------------------------------------------------------


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP port that accepts connections and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def config_with_silent(server: DemoServer, port: int) -> Any:
    corpay = server.providers["corpay"]
    config = config_from_data(
        {
            "default_profile": "demo-corpay",
            "profiles": {
                "demo-corpay": corpay.profile(server.base_url("corpay")),
                "silent": {**corpay.profile(f"http://127.0.0.1:{port}/corpay"), "environment": "test"},
            },
        },
        None,
    )
    config.demo = True
    return config


async def test_escape_cancels_a_lookup_in_flight(server, silent_port):
    app = make_app(server, config_with_silent(server, silent_port), timeout=20)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        main.switch_profile("silent")
        main.search.input.value = "AAdmD55q8Vz"
        await pilot.press("enter")
        assert main.detail.mode == "loading"
        worker = main.lookups.worker
        await until(pilot, lambda: worker.is_running, "worker running")
        await pilot.press("escape")
        await until(pilot, lambda: worker.is_cancelled or worker.is_finished, "cancelled")
        assert worker.is_cancelled
        assert main.detail.mode == "welcome", "back to what was shown before"
        assert app.focused is main.search.input


async def test_a_new_lookup_replaces_the_one_in_flight(server, silent_port):
    app = make_app(server, config_with_silent(server, silent_port), timeout=20)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        main.switch_profile("silent")
        main.search.input.value = "AAdmD55q8Vz"
        await pilot.press("enter")
        slow = main.lookups.worker
        await until(pilot, lambda: slow.is_running, "slow lookup running")
        main.switch_profile("demo-corpay")
        await look_up(app, pilot, "JPYsess0042")
        assert slow.is_cancelled
        assert main.detail.mode == "record"
        assert main.detail.shown.record.record_id == "JPYsess0042"


async def test_a_stale_answer_never_replaces_a_newer_one(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await look_up(app, pilot, "JPYsess0042")
        gate = asyncio.Event()
        asked: list[bool] = []

        async def late(ticket) -> None:
            await gate.wait()
            asked.append(ticket.current)

        first = main.lookups.start("a slow one", late, quiet=True)
        second = main.lookups.start("a newer one", late, quiet=True)
        assert not first.current and second.current
        gate.set()
        await main.lookups.worker.wait()
        assert asked == [True], "the older lookup was cancelled; the newer one is the current one"
        assert main.detail.shown.record.record_id == "JPYsess0042"


async def test_a_silent_provider_times_out_into_a_panel(server, silent_port):
    app = make_app(server, config_with_silent(server, silent_port), timeout=0.3)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        main.switch_profile("silent")
        main.search.input.value = "AAdmD55q8Vz"
        await pilot.press("enter")
        await main.lookups.worker.wait()
        await settle(app, pilot)
        assert main.detail.mode == "error"
        text = rendered_text(main.detail.query_one("ErrorPanel"))
        assert "Timed out" in text
        assert "raise --timeout" in text


# -- profiles ---------------------------------------------------------------------------


async def test_switch_profile_by_key_keeps_the_search_text(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        main.search.input.value = "12345678"
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, ProfilePicker), "picker")
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.screen is main, "picker closed")
        assert main.profile_name == "demo-spirii"
        assert main.switcher.info.name == "demo-spirii"
        assert main.switcher.info.environment == "demo"
        assert main.search.input.value == "12345678"
        assert "demo-spirii" in rendered_text(main.switcher)


async def test_switch_profile_by_mouse(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await pilot.click(ProfileSwitcher)
        await until(pilot, lambda: isinstance(app.screen, ProfilePicker), "picker")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is main, "picker closed")
        assert main.profile_name == "demo-corpay"


async def test_command_palette_offers_profiles_recent_ids_and_copy(server):
    from evtui.tui.commands import commands_for

    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await until(pilot, lambda: "AAdmD55q8Vz" in main.search.input.recent, "recent ids")
        names = [c.name for c in commands_for(main)]
        assert "Switch to profile demo-spirii" in names
        assert "Look up AAdmD55q8Vz" in names
        assert {"Copy record id", "Copy JSON", "Copy focused value", "Toggle history panel"} <= set(names)
        switch = next(c for c in commands_for(main) if c.name == "Switch to profile demo-spirii")
        switch.callback()
        assert main.profile_name == "demo-spirii"
        # The palette itself opens with ctrl+p.
        await pilot.press("ctrl+p")
        await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "palette")


async def test_production_profile_is_marked(server):
    corpay = server.providers["corpay"]
    config = config_from_data(
        {"profiles": {"live": {**corpay.profile(server.base_url("corpay")), "environment": "production"}}}, None
    )
    app = EvtuiApp(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        switcher = app.main.switcher
        assert switcher.has_class("-production")
        assert "PRODUCTION" in rendered_text(switcher)


# -- history ---------------------------------------------------------------------------


async def test_history_reopen_shows_the_cached_answer_and_r_refreshes(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await look_up(app, pilot, "JPYsess0042")
        sent = server.counts["corpay.session"]
        history = main.history_panel
        await until(pilot, lambda: len(history.list.entries) == 2, "two entries")
        await highlight_entry(pilot, history, "AAdmD55q8Vz")
        await pilot.press("enter")
        await until(pilot, lambda: main.detail.shown and main.detail.shown.record.record_id == "AAdmD55q8Vz", "reopen")
        shown = main.detail.shown
        assert shown.cached_at is not None, "re-opened from the cache"
        assert server.counts["corpay.session"] == sent, "nothing was sent"
        assert "cached" in rendered_text(main.detail.query_one("#record-header"))
        # F5 fetches it again.
        await pilot.press("f5")
        await until(pilot, lambda: server.counts["corpay.session"] == sent + 1, "refresh sent")
        await until(pilot, lambda: main.detail.shown and main.detail.shown.cached_at is None, "fresh record")


async def test_history_reopen_switches_to_the_entry_profile(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await switch_profile_by_keys(app, pilot, "demo-spirii")
        history = main.history_panel
        await until(pilot, lambda: bool(history.list.entries), "entry")
        await highlight_entry(pilot, history, "AAdmD55q8Vz")
        await pilot.press("enter")
        await until(pilot, lambda: main.detail.mode == "record" and main.profile_name == "demo-corpay", "reopen")
        await settle(app, pilot)
        # Tabs of another kind were mounted for it: in full, before any tab id is used.
        assert main.detail.record_view.tabs.active == "tab-overview"
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: main.detail.record_view.tabs.active == "tab-charging", "the next tab")


async def test_history_filter_pin_and_delete(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        for rid in ("AAdmD55q8Vz", "JPYsess0042", "StopFail001"):
            await look_up(app, pilot, rid)
        history = main.history_panel
        await until(pilot, lambda: len(history.list.entries) == 3, "three entries")
        # Pin the oldest: it goes on top.
        await highlight_entry(pilot, history, "AAdmD55q8Vz")
        await pilot.press("ctrl+k")
        await until(pilot, lambda: history.list.entries[0].pinned, "pinned on top")
        assert history.list.entries[0].record_id == "AAdmD55q8Vz"
        # Delete the highlighted entry.
        await highlight_entry(pilot, history, "JPYsess0042")
        await pilot.press("delete")
        await until(pilot, lambda: len(history.list.entries) == 2, "deleted")
        assert "JPYsess0042" not in [e.record_id for e in history.list.entries]
        # Filter as you type, from the list.
        await pilot.press(*"stopf")
        await until(pilot, lambda: [e.record_id for e in history.list.entries] == ["StopFail001"], "filtered")


async def test_up_and_down_recall_recent_ids(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await look_up(app, pilot, "JPYsess0042")
        await until(pilot, lambda: main.search.input.recent[:2] == ["JPYsess0042", "AAdmD55q8Vz"], "recent")
        await pilot.press("slash")
        main.search.input.value = ""
        await pilot.press("up")
        assert main.search.input.value == "JPYsess0042"
        await pilot.press("up")
        assert main.search.input.value == "AAdmD55q8Vz"
        await pilot.press("down", "down")
        assert main.search.input.value == ""


# -- copy ----------------------------------------------------------------------------------


async def test_copy_id_value_and_json(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await pilot.press("ctrl+y")
        assert app.clipboard == "AAdmD55q8Vz"
        assert any("Copied session id AAdmD55q8Vz" in str(n.message) for n in app._notifications)
        # c copies the highlighted field's value.
        await pilot.press("down")  # Status
        await pilot.press("ctrl+x")
        assert app.clipboard == "COMPLETE"
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.clipboard.startswith("{"), "JSON copied")
        assert json.loads(app.clipboard) == main.detail.shown.record.document
        assert any("of JSON" in str(n.message) for n in app._notifications)


def test_tmux_passthrough_wraps_osc52():
    seq = osc52("hi")
    assert seq == "\x1b]52;c;aGk=\a"
    wrapped = tmux_passthrough(seq)
    assert wrapped == "\x1bPtmux;\x1b\x1b]52;c;aGk=\a\x1b\\"


async def test_copy_inside_tmux_writes_the_passthrough_form(server, monkeypatch):
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        written: list[str] = []
        monkeypatch.setattr(app._driver, "write", written.append)
        await look_up(app, pilot, "AAdmD55q8Vz")
        await pilot.press("ctrl+y")
        assert osc52("AAdmD55q8Vz") in written
        assert tmux_passthrough(osc52("AAdmD55q8Vz")) in written


# -- provider strings are data ---------------------------------------------------------------


async def test_hostile_provider_strings_show_literally(server):
    corpay = server.providers["corpay"]
    hostile = json.loads(json.dumps(corpay.sessions["AAdmD55q8Vz"]))
    hostile["sessionId"] = "Hostile0001"
    hostile["site"] = HOSTILE_SITE
    corpay.sessions["Hostile0001"] = hostile
    app = make_app(server)
    async with app.run_test(size=(140, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "Hostile0001")
        assert main.detail.mode == "record"
        for widget in (main.detail.query(FieldList).first(), main.detail.query_one("#record-header")):
            text = rendered_text(widget)
            assert "[bold red]x[/]" in text, text
            assert "\\x1b[31m" in text
            assert "[@click=app.quit]q[/]" in text
            assert "\\u202eevil" in text
            assert "\x1b" not in text and "\u202e" not in text
        history_line = rendered_text(main.history_panel.list)
        assert "[bol" in history_line and "\x1b" not in history_line
        assert app.is_running, "[@click=app.quit] did not quit"
        # The raw JSON view too: the escape arrives as JSON's \u001b and stays text.
        main.detail.record_view.tabs.active = "tab-raw"
        pane = main.detail.query_one(RawJsonPane)
        await until(pilot, lambda: pane.prepared is not None, "raw json")
        joined = "\n".join(pane.view.lines)
        assert "[bold red]x[/]" in joined
        assert "\x1b" not in joined and "\u202e" not in joined


# -- raw JSON ------------------------------------------------------------------------------


async def test_raw_json_tab_find_next_and_previous(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await look_up(app, pilot, "StopFail001")
        await pilot.press("ctrl+g")  # the tab list
        await until(pilot, lambda: type(app.screen).__name__ == "ChoicePicker", "tab list")
        await pilot.press("end", "up", "enter")  # Raw JSON is the one before HTTP
        pane = main.detail.query_one(RawJsonPane)
        await until(pilot, lambda: pane.prepared is not None and app.focused is pane.view, "raw JSON shown and focused")
        assert pane.prepared.lines[0] == "{"
        assert '  "sessionId": "StopFail001",' in pane.prepared.lines
        await pilot.press("slash")
        assert app.focused is pane.find_input
        await pilot.press(*"eur")
        await until(pilot, lambda: len(pane.view.matches) >= 2, "matches")
        assert pane.view.current_match == 0
        await pilot.press("enter")  # the next match, and the typing ends
        assert pane.view.current_match == 1
        assert app.focused is pane.view
        await pilot.press("N")
        assert pane.view.current_match == 0
        assert "1/" in rendered_text(pane.query_one("#find-status"))
        await pilot.press("n")
        assert pane.view.current_match == 1
        assert pane.find_input.value == "eur", "n and N typed into nothing"
        assert main.search.input.value == "StopFail001"
        await pilot.press("f")  # find again: Esc closes it, the match stays
        assert app.focused is pane.find_input
        await pilot.press("escape")
        assert app.focused is pane.view and pane.view.current_match == 1
        assert pane.view.cursor == pane.view.matches[1][0]


async def test_big_document_stays_responsive(server):
    corpay = server.providers["corpay"]
    big = json.loads(json.dumps(corpay.sessions["AAdmD55q8Vz"]))
    big["sessionId"] = "BigDoc00001"
    big["meterValues"] = [{"t": f"2026-11-20T10:{i % 60:02d}:00Z", "wh": i * 7, "note": "x" * 40} for i in range(60_000)]
    corpay.sessions["BigDoc00001"] = big
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "BigDoc00001")
        assert len(main.detail.shown.record.raw) > 5_000_000
        # While the document is prepared in its thread, the event loop keeps running:
        # a ticker on the app's loop counts its ticks while the tab is there, not yet ready.
        gaps: list[float] = []

        def preparing() -> bool | None:
            panes = main.detail.query(RawJsonPane)
            return panes.first().prepared is None if panes else None

        async def ticker() -> None:
            last = time.perf_counter()
            while preparing() is not False:
                await asyncio.sleep(0.01)
                now = time.perf_counter()
                if preparing():
                    gaps.append(now - last)
                last = now

        ticking = asyncio.create_task(ticker())
        await pilot.press("left_square_bracket", "left_square_bracket")  # Overview, back round to HTTP, Raw JSON
        await asyncio.wait_for(ticking, timeout=60)
        pane = main.detail.query_one(RawJsonPane)
        assert pane.prepared is not None
        # Done on the UI thread, the loop could not have ticked while it ran. How long
        # anything takes is the benchmark's business (tests/benchmarks), not a test's.
        assert len(gaps) > 2, "the event loop kept running while the document was prepared"
        assert len(pane.view.lines) > 300_000
        await until(pilot, lambda: app.focused is pane.view, "the document has the focus")
        await pilot.press("end")
        await pilot.pause()
        assert pane.view.cursor == len(pane.view.lines) - 1


# -- layouts ---------------------------------------------------------------------------------


async def test_too_small_terminal_says_so():
    with DemoServer() as server:
        app = make_app(server)
        async with app.run_test(size=(40, 12)) as pilot:
            await pilot.pause()
            assert app.main.has_class("-too-small")
            note = app.main.query_one("#too-small")
            assert note.region.width > 0
            assert "needs 50x15" in rendered_text(note)
            assert app.main.query_one("#main").region.width == 0


async def test_narrow_layout_history_is_a_drawer(server):
    app = make_app(server)
    async with app.run_test(size=(60, 24)) as pilot:
        main = app.main
        assert main.has_class("-narrow")
        assert not main.history_panel.display or not main.history_panel.region.width
        assert main.switcher.compact
        await look_up(app, pilot, "AAdmD55q8Vz")
        await pilot.press("f3")
        await until(pilot, lambda: main.has_class("-drawer"), "drawer")
        await until(pilot, lambda: main.history_panel.region.width > 0, "drawer shown")
        await until(pilot, lambda: bool(main.history_panel.list.entries), "entries")
        assert main.history_panel.list.has_focus, "F3 opened the drawer on its list"
        await pilot.press("enter")
        await until(pilot, lambda: not main.has_class("-drawer") and main.detail.mode == "record", "reopened")


async def test_wide_toggle_history_is_remembered(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        assert main.history_panel.region.width > 0
        main.search.input.blur()
        await pilot.press("f3")
        await until(pilot, lambda: main.history_panel.region.width == 0, "hidden")
    assert load_state().history_visible is False
    app2 = make_app(server)
    async with app2.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        assert app2.main.has_class("-history-hidden")


async def test_keymap_remaps_bindings(server):
    config = demo_config(server)
    config.settings = config.settings.model_copy(update={"keymap": {"toggle_history": "f12"}})
    app = make_app(server, config)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await pilot.press("f12")  # the focus is in the bar: the panel gets it first
        await pilot.press("f12")
        await until(pilot, lambda: main.has_class("-history-hidden"), "f12 toggled history")


async def test_last_profile_is_remembered_in_non_demo_runs(server):
    corpay = server.providers["corpay"]
    data = {
        "default_profile": "one",
        "profiles": {"one": corpay.profile(server.base_url("corpay")), "two": corpay.profile(server.base_url("corpay"))},
    }
    app = EvtuiApp(config_from_data(json.loads(json.dumps(data)), None))
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.main.profile_name == "one"
        app.main.switch_profile("two")
        await pilot.pause()
    assert load_state().last_profile == "two"
    app2 = EvtuiApp(config_from_data(json.loads(json.dumps(data)), None))
    async with app2.run_test(size=(100, 30)) as pilot:
        assert app2.main.profile_name == "two"


async def test_demo_runs_do_not_remember_the_profile(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        app.main.switch_profile("demo-spirii")
        await pilot.pause()
    assert load_state().last_profile is None


async def test_help_lists_every_key(server):
    app = make_app(server)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "help")
        text = rendered_text(app.screen.query_one("#help-table"))
        for word in ("toggle_history", "switch_profile", "copy_json", "Pin/unpin", "Delete", "Find", "Look up"):
            assert word in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "help closed")


async def test_demo_welcome_shows_example_ids(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = rendered_text(app.main.detail.query_one("#welcome"))
        assert "Try:" in text and "AAdmD55q8Vz" in text


async def test_escape_returns_to_the_search_bar(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        assert not isinstance(app.focused, Input)
        await pilot.press("escape")
        assert app.focused is main.search.input
        await pilot.press("q")  # typing, not quitting
        assert app.is_running
        assert main.search.input.value.endswith("q")


async def test_ctrl_q_quits_and_q_types(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await pilot.press("q")
        assert app.focused is main.search.input and main.search.input.value == "q", "q starts the next id"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "quit")


async def test_ctrl_c_quits_even_while_typing(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", "ctrl+c")
        await until(pilot, lambda: not app.is_running, "quit")
    assert app.return_code in (0, None)


async def test_http_tab_shows_the_exchange_without_secrets(server):
    app = make_app(server)
    async with app.run_test(size=(140, 40)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        main.detail.record_view.tabs.active = "tab-http"
        await pilot.pause()
        pane = main.detail.query_one("#tab-http")
        fields = rendered_text(pane.query_one(FieldList))
        assert "GET http://127.0.0.1" in fields and "/sessions/AAdmD55q8Vz" in fields
        assert "200" in fields and "OK" in fields
        assert "access token" in fields, "the token request is listed"
        headers = pane.query_one("SafeTable")
        cells = [str(c) for row in range(headers.row_count) for c in headers.get_row_at(row)]
        assert any("application/json" in c for c in cells)
        assert not any("Bearer" in c for c in cells)


async def test_nothing_is_written_to_state_when_nothing_changed(server, tmp_path):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await look_up(app, pilot, "AAdmD55q8Vz")
    assert not (tmp_path / "cfg" / "state.toml").exists()


def test_badges_stay_legible_without_colour(monkeypatch):
    from evtui.tui.fields import flag_badge
    from evtui.tui.switcher import env_badge

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "red" in str(env_badge("production").style)
    monkeypatch.setenv("NO_COLOR", "1")
    assert str(env_badge("production").style) == "bold reverse"
    assert str(flag_badge("deprecated").style) == "bold reverse"
    assert "PRODUCTION" in env_badge("production").plain
