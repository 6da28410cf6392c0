"""Big records in the TUI (issue 8): built off the event loop, tabs laid out when opened,
long tables listed by their ends. No sleeps and no clocks: every wait is for a condition."""

from __future__ import annotations

import threading

import pytest
from textual.app import App, ComposeResult

from evtui.record import Section, Table
from evtui.tui.detail import LazyPane
from evtui.tui.fields import EDGE_ROWS, SafeTable, SectionView
from tests.test_tui import (  # noqa: F401
    _env, highlight_entry, look_up, make_app, rendered_text, server, settle, switch_profile_by_keys, until,
)

def hold_present(adapter) -> tuple[threading.Event, threading.Event]:
    """Make the adapter's `present` (run on a thread) wait: `building` is set when it starts,
    it goes on when `release` is set. A build on the event loop would hold every key until then."""
    building, release = threading.Event(), threading.Event()
    present = adapter.present

    def slow_present(*args, **kwargs):
        building.set()
        release.wait(timeout=10)
        return present(*args, **kwargs)

    adapter.present = slow_present
    return building, release



@pytest.mark.parametrize(("profile", "record_id"), [("demo-ocpi", "CPO-SES-4711"), ("demo-corpay", "AAdmD55q8Vz")])
async def test_keys_are_answered_while_a_record_is_built(server, profile, record_id):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        if profile != main.profile_name:
            await switch_profile_by_keys(app, pilot, profile)
        adapter = main.adapter
        building, release = hold_present(adapter)
        try:
            await pilot.press(*record_id, "enter")
            await until(pilot, building.is_set, "the record being built")
            await pilot.press("f3")  # the panel shows: F3 takes the focus there
            await until(pilot, lambda: main.history_panel.has_focus_within, "F3 answered while building")
            assert main.detail.mode == "loading" and not release.is_set()
        finally:
            release.set()
        await until(pilot, lambda: main.detail.mode == "record", "the record")
        await settle(app, pilot)  # the view's tabs are still being mounted: not mid-way at exit
        assert main.detail.shown.record.record_id == record_id


async def test_keys_are_answered_while_a_cached_record_is_rebuilt(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await look_up(app, pilot, "JPYsess0042")
        history = main.history_panel
        await until(pilot, lambda: len(history.list.entries) == 2, "two entries")
        adapter = main.adapter
        building, release = hold_present(adapter)
        try:
            await highlight_entry(pilot, history, "AAdmD55q8Vz")
            await pilot.press("enter")
            await until(pilot, building.is_set, "the cached copy being rebuilt")
            await pilot.press("f3")  # the focus is in the panel: F3 hides it
            await until(pilot, lambda: main.has_class("-history-hidden"), "F3 answered while rebuilding")
            assert main.detail.shown.record.record_id == "JPYsess0042"
        finally:
            release.set()
        await until(pilot, lambda: main.detail.shown.record.record_id == "AAdmD55q8Vz", "the cached copy")
        await settle(app, pilot)  # the view's tabs are still being mounted: not mid-way at exit
        assert main.detail.shown.cached_at is not None


async def test_a_tab_is_laid_out_when_first_shown(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        main.switch_profile("demo-ocpi")
        await look_up(app, pilot, "CPO-SES-4711")
        view = main.detail.record_view
        charging = view.query_one("#tab-charging", LazyPane)
        assert view.query("#tab-overview SectionView"), "the first tab is laid out at once"
        assert not charging.children, "the others wait until they are shown"
        view.tabs.active = "tab-charging"
        # Laid out within the switch: code that switches tabs finds the content at once.
        assert charging.query(SafeTable)
        await pilot.pause()
        assert "Charging periods" in "\n".join(rendered_text(w) for w in charging.query(".table-title"))
        await pilot.press("right_square_bracket")  # the next tab, by key: laid out and focused
        await until(pilot, lambda: view.tabs.active == "tab-cost", "the next tab")
        await until(pilot, lambda: app.focused is not None and view.query_one("#tab-cost").query(type(app.focused)), "focus in the tab")
        assert not view.query_one("#tab-http", LazyPane).children


class _TableApp(App[None]):
    def __init__(self, section: Section) -> None:
        super().__init__()
        self.section = section

    def compose(self) -> ComposeResult:
        yield SectionView(self.section)


async def test_a_long_table_lists_its_ends_and_says_which_rows_it_leaves_out():
    rows = tuple((f"row {i}", str(i)) for i in range(1, 1235))
    app = _TableApp(Section("s", "S", tables=(Table("Periods", ("Name", "N"), rows),)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(SafeTable)
        assert table.row_count == 2 * EDGE_ROWS + 1
        said = rendered_text(app.query_one(".table-hidden"))
        first, last = EDGE_ROWS + 1, 1234 - EDGE_ROWS
        assert f"rows {first}–{last:,} ({last - first + 1:,} of 1,234)" in said and "Raw JSON" in said
        # `c` copies what the cursor is on: a listed row is itself, the gap is nothing.
        table.cursor_coordinate = (EDGE_ROWS - 1, 0)
        assert table.copy_target() == (f"row {EDGE_ROWS}", f"Name: row {EDGE_ROWS}")
        table.cursor_coordinate = (EDGE_ROWS, 1)
        assert table.copy_target() is None
        table.cursor_coordinate = (EDGE_ROWS + 1, 1)
        assert table.copy_target() == (str(last + 1), f"N: {last + 1}")
        table.cursor_coordinate = (2 * EDGE_ROWS, 0)
        assert table.copy_target() == ("row 1234", "Name: row 1234")


async def test_a_short_table_lists_every_row():
    rows = tuple((f"row {i}",) for i in range(250))
    app = _TableApp(Section("s", "S", tables=(Table("Periods", ("Name",), rows),)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.query_one(SafeTable).row_count == 250
        assert not app.query(".table-hidden")
