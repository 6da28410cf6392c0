"""Find anywhere in the TUI (issue 12, item 6): every record type is tried, only hits reach history."""

from __future__ import annotations

from tests.test_tui import _env, make_app, rendered_text, server, settle, until  # noqa: F401


async def test_f6_finds_the_demo_cdr_and_history_gets_only_the_hit(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        # The CDR is the OCPI profile's second record type; corpay and the OCPI session miss.
        await pilot.press(*"12345", "f6")
        await until(pilot, lambda: main.detail.mode in ("record", "error"), "find result")
        await settle(app, pilot)
        shown = main.detail.shown.record
        assert (shown.profile, shown.record_type, shown.record_id) == ("demo-ocpi", "cdr", "12345")
        await until(pilot, lambda: bool(main.history_panel.list.entries), "history refreshed")
        await main.evtui.history.settled()
        await settle(app, pilot)
        entries = main.history_panel.list.entries
        assert [(e.profile, e.record_type, e.record_id, e.outcome) for e in entries] == [("demo-ocpi", "cdr", "12345", "found")]
        assert "✗" not in rendered_text(main.history_panel)
