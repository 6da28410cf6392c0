"""Record types, related records and charts in the TUI (issue 6)."""

from __future__ import annotations

from textual.widgets import Sparkline

from evtui.tui.pickers import ChoicePicker
from tests.test_tui import _env, look_up, make_app, rendered_text, server, settle, until  # noqa: F401


def footer_text(app) -> str:
    from evtui.tui.footer import FitFooter

    return rendered_text(app.main.query_one(FitFooter))


async def test_record_type_key_cycles_and_the_hint_follows(server):
    app = make_app(server)
    async with app.run_test(size=(120, 30)) as pilot:
        main = app.main
        await pilot.pause()
        assert "Type" not in footer_text(app), "one record type: no key shown"
        main.switch_profile("demo-spirii")
        await pilot.pause()
        types = main.search.record_types
        assert len(types) >= 2
        assert "F4" in rendered_text(main.search_message)
        first_placeholder = main.search.input.placeholder
        await pilot.press("f4")
        await pilot.pause()
        assert main.search.record_type == types[1]
        assert main.search.input.placeholder != first_placeholder
        assert main.search.input.placeholder == main.adapter.record_type(types[1]).id_hint
        await pilot.press("f4")
        await pilot.pause()
        assert main.search.record_type == types[0]
        assert main.search.input.placeholder == first_placeholder


async def test_o_opens_the_related_record(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        main.switch_profile("demo-spirii")
        await look_up(app, pilot, "12345678")
        record = main.detail.shown.record
        assert record.record_type == "transaction" and record.related
        header = rendered_text(main.detail.query_one("#record-header"))
        assert "F9: open Charge record" in header
        assert "Related" in footer_text(app)
        await pilot.press("f9")
        await until(pilot, lambda: main.detail.shown is not None and main.detail.shown.record.record_type != "transaction", "related record")
        await settle(app, pilot)
        shown = main.detail.shown.record
        assert shown.record_type == record.related[0].record_type
        assert shown.record_id == record.related[0].record_id
        assert main.search.record_type == shown.record_type


async def test_several_related_records_offer_a_picker(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        from evtui.record import Related

        record = main.detail.shown.record
        record.related = [Related("First", "session", "JPYsess0042"), Related("Second", "session", "StopFail001")]
        main.refresh_bindings()
        await pilot.pause()
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ChoicePicker), "picker")
        assert "Second" in rendered_text(app.screen.query_one("#choice-list"))
        await pilot.press("down", "enter")
        await until(pilot, lambda: main.detail.shown is not None and main.detail.shown.record.record_id == "StopFail001", "second")


async def test_ocpi_charts_render_as_sparklines(server):
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main
        main.switch_profile("demo-ocpi")
        await look_up(app, pilot, "CPO-SES-4711")
        record = main.detail.shown.record
        section = next(s for s in record.sections if s.charts)
        view = main.detail.record_view
        view.tabs.active = f"tab-{section.key}"
        await pilot.pause()
        sparks = list(view.query(f"#tab-{section.key} Sparkline"))
        assert len(sparks) == len([c for c in section.charts if c.points])
        chart = section.charts[0]
        assert list(sparks[0].data) == [v for _, v in chart.points]
        titles = "\n".join(rendered_text(w) for w in view.query(f"#tab-{section.key} .chart-title"))
        assert chart.title in titles and "min" in titles and "max" in titles and chart.unit in titles


# -- fit ----------------------------------------------------------------------------------


async def test_footer_keys_fit_without_overlap_at_every_width(server):
    for width in (60, 80, 100, 140):
        app = make_app(server)
        async with app.run_test(size=(width, 24)) as pilot:
            main = app.main
            await look_up(app, pilot, "AAdmD55q8Vz")
            await pilot.pause()
            from evtui.tui.footer import FitFooter

            keys = main.query_one(FitFooter).keys
            assert keys, width
            texts = footer_text(app)
            assert len(texts) <= width
            # Each key whole, in order, none over another.
            at = 0
            for key in keys:
                found = texts.find(key.description, at)
                assert found >= 0, (width, key.description, texts)
                at = found + len(key.description)
            assert "Keys" in texts, "? is always in the footer"
            if width <= 80:
                assert "Quit" in texts, "how to quit is always shown"
            if width >= 140:
                assert "Pager" in texts and "Save" in texts


async def test_help_lists_the_new_keys_footer_or_not(server):
    from evtui.tui.help import HelpScreen

    app = make_app(server)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        text = rendered_text(app.screen.query_one("#help-table"))
        for binding_id in ("record_type", "open_related", "toggle_watch", "diff", "export", "pager", "find_anywhere", "diff_entry"):
            assert binding_id in text, binding_id
