"""The inspector as a person types it: keys only, from wherever the focus really is,
and what is on the screen checked. (Issue 12's keyboard model.)"""

from __future__ import annotations

from textual import events

from evtui.tui.fields import FieldList, SafeTable
from tests.test_tui_large import hold_present
from tests.test_tui import _env, make_app, rendered_text, server, settle, switch_profile_by_keys, until  # noqa: F401


def header(app) -> str:
    return rendered_text(app.main.detail.query_one("#record-header"))


def shown_id(app) -> str | None:
    shown = app.main.detail.shown
    return shown.record.record_id if shown is not None else None


async def type_id(app, pilot, record_id: str) -> None:
    """Type an id and Enter, as a person does: no focus key first."""
    await pilot.press(*record_id, "enter")
    await until(pilot, lambda: shown_id(app) == record_id or app.main.detail.mode == "error", f"the answer for {record_id}")
    await settle(app, pilot)


async def test_three_ids_typed_one_after_another_each_show_their_record(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        # A, J and Q: J copied the JSON and q quit, before; now they start ids.
        for record_id in ("AAdmD55q8Vz", "JPYsess0042", "Q2hhcmdlUGFpZDE"):
            await type_id(app, pilot, record_id)
            assert shown_id(app) == record_id
            assert f"session {record_id}" in header(app)
            assert isinstance(app.focused, FieldList), "the record has the focus after each lookup"
        assert app.is_running
        assert not app._notifications or not any("Copied" in str(n.message) for n in app._notifications), "no shortcut fired"


async def test_an_id_typed_as_evtui_starts_is_looked_up_though_its_enter_came_as_a_line_feed(server):
    """Typed before the terminal leaves cooked mode, Enter arrives as LF (ctrl+j): still a lookup."""
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press(*"AAdmD55q8Vz", "ctrl+j")
        await until(pilot, lambda: shown_id(app) == "AAdmD55q8Vz", "the record looked up")
        assert "session AAdmD55q8Vz" in header(app)
        assert not any("Copied" in str(n.message) for n in app._notifications), "no shortcut fired"


async def test_enter_and_f3_in_one_burst_look_the_id_up_and_open_history(server):
    """A terminal hands keys typed together over in one read: the Enter is queued to the bar, then
    F3 (a priority key) moves the focus before the bar reads it. The Enter still looks the id up."""
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press(*"AAdmD55q8Vz")
        # As the driver does with one read of "\r\x1bOR": both posted before either is handled.
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("f3", None))
        await until(pilot, lambda: shown_id(app) == "AAdmD55q8Vz", "the record looked up")
        assert "session AAdmD55q8Vz" in header(app)
        assert app.main.history_visible, "F3 opened the history"


async def test_ids_of_three_providers_after_profile_switches_at_60x24(server):
    app = make_app(server)
    async with app.run_test(size=(60, 24)) as pilot:
        for profile, record_id in (("demo-corpay", "O9UXK+YI5Q6i0/FoI4qHwcA=="), ("demo-spirii", "52000120"), ("demo-ocpi", "CPO-SES-4712")):
            if app.main.profile_name != profile:
                await switch_profile_by_keys(app, pilot, profile)
            await type_id(app, pilot, record_id)
            assert shown_id(app) == record_id, (profile, record_id)
            assert app.main.search.input.value == record_id
            # At 60 columns the id is not cut in the bar.
            bar = app.main.search.input
            assert bar.region.width - 2 > len(record_id), (record_id, bar.region.width)


async def test_every_demo_example_id_typed_after_a_lookup_lands_in_the_bar(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        for ids in app.examples.values():
            for record_id in ids:
                assert not isinstance(app.focused, type(app.main.search.input)), "the focus is on the record"
                await pilot.press(*record_id)
                assert app.main.search.input.value == record_id, record_id
                assert app.screen is app.main, f"a shortcut opened a screen while typing {record_id}"
                await pilot.press("tab")  # a person leaves the bar with Tab, onto the record again
                await until(pilot, lambda: not isinstance(app.focused, type(app.main.search.input)), "focus off the bar")
        assert shown_id(app) == "AAdmD55q8Vz"


async def test_a_paste_after_a_lookup_lands_in_the_bar(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        assert isinstance(app.focused, FieldList)
        app.post_message(events.Paste("  JPYsess0042 "))  # what a terminal sends for a paste
        await until(pilot, lambda: app.main.search.input.has_focus, "the bar has the paste")
        assert app.main.search.input.value == "JPYsess0042"
        await pilot.press("enter")
        await until(pilot, lambda: shown_id(app) == "JPYsess0042", "the pasted id's record")


async def test_history_filters_by_typing_and_enter_reopens_then_esc_goes_back(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        for record_id in ("AAdmD55q8Vz", "JPYsess0042", "StopFail001"):
            await type_id(app, pilot, record_id)
        history = app.main.history_panel
        await until(pilot, lambda: len(history.list.entries) == 3, "three entries")
        await pilot.press("f3")  # shown beside the record: F3 goes there
        assert history.list.has_focus
        await pilot.press(*"JPY")
        await until(pilot, lambda: [e.record_id for e in history.list.entries] == ["JPYsess0042"], "filtered")
        assert history.filter_input.value == "JPY"
        assert "JPYsess0042" in rendered_text(history.list)
        await pilot.press("enter")
        await until(pilot, lambda: shown_id(app) == "JPYsess0042", "re-opened")
        assert "cached" in header(app)
        await settle(app, pilot)
        await pilot.press("escape")  # the focus: on the record; Esc: back to the one before
        await until(pilot, lambda: shown_id(app) == "StopFail001", "back to the record before")
        await pilot.press("escape")  # nothing more to go back to: the bar
        assert app.main.search.input.has_focus
        # After a re-open the next id is typed as ever (the bar's id is selected: typing replaces it).
        await pilot.press("f3", "enter")  # the list, its top entry
        await until(pilot, lambda: "cached" in header(app), "re-opened again")
        await type_id(app, pilot, "Q2hhcmdlUGFpZDE")
        assert shown_id(app) == "Q2hhcmdlUGFpZDE"


async def test_history_entry_keys_stay_reachable(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        history = app.main.history_panel
        await until(pilot, lambda: len(history.list.entries) == 1, "one entry")
        await pilot.press("f3")
        await pilot.press("ctrl+k")
        await until(pilot, lambda: history.list.entries and history.list.entries[0].pinned, "pinned")
        await pilot.press("slash")
        assert history.filter_input.has_focus
        await pilot.press("down", "delete")
        await until(pilot, lambda: not history.list.entries, "deleted")


async def test_esc_after_opening_a_related_record_returns_with_its_tab(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await switch_profile_by_keys(app, pilot, "demo-spirii")
        await type_id(app, pilot, "12345678")
        await pilot.press("right_square_bracket")
        view = app.main.detail.record_view
        tab = view.tabs.active
        assert tab != "tab-overview"
        await pilot.press("f9")
        await until(pilot, lambda: app.main.detail.shown is not None and app.main.detail.shown.record.record_type != "transaction", "related")
        await settle(app, pilot)
        await pilot.press("escape")
        await until(pilot, lambda: app.main.detail.shown is not None and app.main.detail.shown.record.record_type == "transaction", "back")
        await settle(app, pilot)
        assert shown_id(app) == "12345678"
        assert app.main.detail.record_view.tabs.active == tab, "the tab it was left on"
        assert app.main.search.input.value == "12345678"


async def test_refresh_keeps_the_record_on_screen_marked(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        focused = app.focused
        adapter = app.main.adapter
        building, release = hold_present(adapter)
        try:
            await pilot.press("f5")
            await until(pilot, building.is_set, "the refresh in flight")
            await pilot.pause()
            assert "refreshing" in header(app)
            assert "AAdmD55q8Vz" in rendered_text(app.main.detail.query(FieldList).first())
            assert app.focused is focused, "the focus stays where it was"
        finally:
            release.set()
        await until(pilot, lambda: "refreshing" not in header(app), "refreshed")
        assert shown_id(app) == "AAdmD55q8Vz"


async def test_a_table_below_the_fields_is_reached_by_keys_at_60x24(server):
    app = make_app(server)
    async with app.run_test(size=(60, 24)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        for _ in range(3):
            await pilot.press("right_square_bracket")  # Overview, Charging, Charger, Payment
        view = app.main.detail.record_view
        assert view.tabs.active == "tab-payment"
        table = view.query_one("#tab-payment").query_one(SafeTable)
        screen_region = app.screen.region
        assert not table.region.overlaps(screen_region) or table.region.bottom > screen_region.bottom, "below the fold at first"
        for _ in range(12):
            await pilot.press("down")
        await pilot.pause()
        assert app.focused is table, "Down past the last field goes into the table"
        title = [w for w in view.query("#tab-payment .table-title")][0]
        assert "Transactions" in rendered_text(title)
        assert table.region.height > 0 and screen_region.contains_region(table.region.intersection(screen_region))
        assert table.region.y < screen_region.bottom - 1, "the table is on screen"


async def test_an_ocpi_miss_offers_to_scan_further_back_and_f10_finds_it(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await switch_profile_by_keys(app, pilot, "demo-ocpi")
        await type_id(app, pilot, "CPO-SES-0815")  # 45 days back; the window is 30
        assert app.main.detail.mode == "error"
        panel = " ".join(line.strip("│ ") for line in rendered_text(app.main.detail.query_one("ErrorPanel")).splitlines())
        assert "F10: scan further back (60 days instead of 30)" in " ".join(panel.split()), panel
        await pilot.press("f10")
        await until(pilot, lambda: shown_id(app) == "CPO-SES-0815", "found over 60 days")
        assert any("60 days back" in str(n.message) for n in app._notifications)


async def test_the_inspector_takes_type_and_since_like_get(server):
    from datetime import datetime, timedelta, timezone

    from evtui.cli import tui_parser

    args = tui_parser().parse_args(["--type", "session", "--since", "50d", "CPO-SES-0815"])
    assert args.type == "session" and args.id == "CPO-SES-0815"
    assert datetime.now(timezone.utc) - args.since > timedelta(days=49)
    app = make_app(server, profile="demo-ocpi", initial_id=args.id, initial_type=args.type, since=args.since)
    async with app.run_test(size=(120, 34)) as pilot:
        await until(pilot, lambda: shown_id(app) == "CPO-SES-0815", "found with --since 50d")
    cdr = make_app(server, profile="demo-ocpi", initial_id="12345", initial_type="cdr")
    async with cdr.run_test(size=(120, 34)) as pilot:
        await until(pilot, lambda: shown_id(cdr) == "12345", "the CDR")
        assert cdr.main.detail.shown.record.record_type == "cdr"
        assert cdr.main.search.record_type == "cdr"


def test_the_readme_key_table_names_every_key_the_app_binds():
    """Each key of the screen, the history list and Raw JSON is in the README's key text, and the
    README names no record key the app does not bind (the letters that were keys are gone)."""
    from pathlib import Path

    from evtui.tui.history_panel import HistoryList
    from evtui.tui.keyboard import SCREEN_BINDINGS
    from evtui.tui.raw_json import JsonView, RawJsonPane

    readme = Path(__file__).resolve().parent.parent.joinpath("README.md").read_text()
    keys_text = readme[readme.index("## The inspector"):readme.index("## History")]
    shown = {"right_square_bracket": "]", "left_square_bracket": "[", "question_mark": "?", "slash": "/", "minus": "-",
             "backspace": "Backspace", "escape": "Esc", "delete": "Delete", "pageup": "PgUp", "pagedown": "PgDn",
             "home": "Home", "end": "End", "up": "↑", "down": "↓"}
    bindings = [*SCREEN_BINDINGS, *HistoryList.BINDINGS, *RawJsonPane.BINDINGS, *JsonView.BINDINGS]
    missing = []
    for binding in bindings:
        for key in binding.key.split(","):
            if key in ("left", "right"):
                continue  # sideways scrolling of long JSON lines
            word = shown.get(key) or (key.upper() if key.startswith("f") and key[1:].isdigit() else key)
            if f"`{word}`" not in keys_text and f" {word} " not in keys_text and f" {word}," not in keys_text and f"{word} |" not in keys_text:
                missing.append((binding.id or binding.action, key, word))
    assert not missing, missing
    for old in ("| y, c, J |", "| r |", "| w |", "| o |", "| e, v |", "| h, F3 |"):
        assert old not in keys_text, old


async def test_an_unknown_keymap_id_is_reported_by_name(server):
    from evtui.demo.server import demo_config

    config = demo_config(server)
    config.settings = config.settings.model_copy(update={"keymap": {"toggle_histroy": "f12", "refresh": "f11"}})
    app = make_app(server, config)
    async with app.run_test(size=(120, 34)) as pilot:
        await until(pilot, lambda: any("toggle_histroy" in str(n.message) for n in app._notifications), "the typo reported")
        assert not any("'refresh'" in str(n.message) for n in app._notifications), "a real id is not reported"
        await type_id(app, pilot, "AAdmD55q8Vz")
        await pilot.press("f11")  # the remap of a real id works
        await until(pilot, lambda: "refreshing" in header(app) or app.main.lookups.busy or server.counts["corpay.session"] >= 2, "f11 refreshes")


async def test_at_60x24_the_cached_badge_is_never_cut_and_tabs_can_be_listed(server):
    app = make_app(server)
    async with app.run_test(size=(60, 24)) as pilot:
        await switch_profile_by_keys(app, pilot, "demo-spirii")
        await type_id(app, pilot, "52000118")
        await type_id(app, pilot, "41999003")
        await pilot.press("f3")  # the drawer, on its list
        await until(pilot, lambda: app.main.history_panel.list.has_focus, "the drawer's list")
        await pilot.press("down", "enter")  # the older one, from the cache
        await until(pilot, lambda: shown_id(app) == "52000118", "re-opened")
        await settle(app, pilot)
        line = header(app).splitlines()[0]
        assert "cached, just now old · F5 " in line, line  # the end of the line (where) may be cut; the badge is not
        # More tabs than the width shows: ctrl+g lists them all.
        await pilot.press("ctrl+g")
        await until(pilot, lambda: type(app.screen).__name__ == "ChoicePicker", "the tab list")
        listed = rendered_text(app.screen.query_one("#choice-list"))
        for title in ("Overview", "Roaming", "Raw JSON", "HTTP"):
            assert title in listed, (title, listed)
        await pilot.press("end", "enter")
        await until(pilot, lambda: app.main.detail.record_view.tabs.active == "tab-http", "the last tab")


async def test_a_long_error_panel_scrolls_by_keys_in_a_short_pane(server):
    app = make_app(server)
    async with app.run_test(size=(60, 16)) as pilot:
        await type_id(app, pilot, "Missing0001")
        panel = app.main.detail.query_one("ErrorPanel")
        scroller = app.main.detail.query_one("#error")
        await until(pilot, lambda: scroller.max_scroll_y > 0, "a panel taller than the pane")
        assert app.main.search.input.has_focus
        await pilot.press("tab")  # from the bar onto the panel
        await until(pilot, lambda: app.focused is scroller, "the panel focused")
        await pilot.press("end")
        await until(pilot, lambda: scroller.scroll_y == scroller.max_scroll_y, "scrolled to its end")
        assert "F6: look" in rendered_text(panel).replace("\n", " ")


async def test_a_watch_fetch_in_flight_marks_the_record_it_keeps(server):
    from tests.test_tui_watch import fast_config

    app = make_app(server, fast_config(server))
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "Live0000001")
        building, release = hold_present(app.main.adapter)
        try:
            await pilot.press("f7")
            await until(pilot, building.is_set, "a watch fetch in flight")
            await until(pilot, lambda: "refreshing" in header(app), "the mark")
            assert shown_id(app) == "Live0000001", "the record stays on screen"
        finally:
            release.set()
        await until(pilot, lambda: not app.main.watching, "the watch ends", tries=2000)
        await settle(app, pilot)
        assert "refreshing" not in header(app)


async def test_keys_arriving_in_one_burst_go_where_the_focus_went(server):
    """What tmux send-keys and a fast typist give: every key queued before the first is handled.
    The keys are posted to the app as the terminal driver posts them, all at once."""
    app = make_app(server)
    async with app.run_test(size=(60, 24)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        await type_id(app, pilot, "JPYsess0042")

        def burst(*keys: tuple[str, str | None]) -> None:
            for key, character in keys:
                app.post_message(events.Key(key, character))

        burst(("f3", None), ("A", "A"), ("A", "A"), ("d", "d"))  # the drawer, and a filter typed at once
        history = app.main.history_panel
        await until(pilot, lambda: history.filter_input.value == "AAd", "the filter got every key")
        assert app.main.search.input.value == "JPYsess0042", "nothing went to the bar"
        await until(pilot, lambda: [e.record_id for e in history.list.entries] == ["AAdmD55q8Vz"], "filtered")
        burst(("enter", None))
        await until(pilot, lambda: shown_id(app) == "AAdmD55q8Vz", "re-opened")
        await settle(app, pilot)
        burst(*[(c if c != "-" else "minus", c) for c in "CPO-SES-4711"])  # on the record: the bar, whole
        await until(pilot, lambda: app.main.search.input.value == "CPO-SES-4711", "the whole id in the bar")
        assert shown_id(app) == "AAdmD55q8Vz", "- went into the id, not back"
