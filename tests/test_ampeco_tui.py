"""AMPECO in the inspector as a new user meets it: --demo, F2 to its profile, ids, a related CDR, Esc back."""

from __future__ import annotations

from evtui.tui.fields import FieldList
from evtui.tui.switcher import ProfilePicker
from tests.test_tui import _env, make_app, rendered_text, server, settle, until  # noqa: F401


async def test_switch_to_ampeco_open_the_roaming_cdr_and_come_back(server):
    app = make_app(server)
    async with app.run_test(size=(98, 40)) as pilot:
        main = app.main
        assert app.focused is main.search.input
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, ProfilePicker), "picker")
        await pilot.press("down", "down", "down", "enter")
        await until(pilot, lambda: app.screen is main, "picker closed")
        assert main.profile_name == "demo-ampeco"
        assert app.focused is main.search.input
        await pilot.press(*"48222", "enter")
        await until(pilot, lambda: main.detail.mode == "record", "the session")
        await settle(app, pilot)
        overview = rendered_text(main.detail.query(FieldList).first())
        assert "48222" in overview and "OCPP Remote: stopped remotely" in overview and "9051" in overview
        await pilot.press("f9")
        await until(pilot, lambda: main.detail.shown is not None and main.detail.shown.record.record_type == "cdr", "the CDR")
        await settle(app, pilot)
        cdr_overview = rendered_text(main.detail.query(FieldList).first())
        assert "9051" in cdr_overview and "DE-ENA-CDR-5521" in cdr_overview
        tabs = [p.id for p in main.detail.record_view.tabs.query("TabPane")]
        assert "tab-ocpi-overview" in tabs and "tab-ocpi-cost" in tabs
        await pilot.press("escape")
        await until(pilot, lambda: main.detail.shown is not None and main.detail.shown.record.record_id == "48222", "back to the session")
        await settle(app, pilot)
        assert main.detail.shown.record.record_type == "session"
        assert "48222" in rendered_text(main.detail.query(FieldList).first())
