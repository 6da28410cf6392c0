"""The footer: one line of the keys that fit, drawn again only when they change, laying nothing out."""

from __future__ import annotations

from evtui.tui.footer import FitFooter
from tests.test_tui import _env, look_up, make_app, rendered_text, server, settle, until  # noqa: F401


async def test_the_footer_shows_what_a_fresh_plan_would(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        footer = app.main.query_one(FitFooter)

        def shown() -> list[tuple[str, str, bool]]:
            return [(k.action, k.description, k.disabled) for k in footer.keys]

        def planned() -> list[tuple[str, str, bool]]:
            return [(k.action, k.description, k.disabled) for k in footer._plan()]

        states = []
        for rid in ("AAdmD55q8Vz", "Missing0001", "Q2hhcmdlUGFpZDE"):
            await look_up(app, pilot, rid)
            await until(pilot, lambda: shown() == planned(), f"footer after {rid}")
            states.append(shown())
            line = rendered_text(footer)
            assert all(description in line for _, description, _ in states[-1])
        assert any(action == "copy_id" for action, _, _ in states[0]), "a record offers its keys"
        assert not any(action == "copy_id" for action, _, _ in states[1]), "an error panel does not"
        assert states[0] == states[2]


async def test_keys_changing_with_the_focus_lay_nothing_out(server, screen_layouts):
    """Bar and record show other keys: the one footer line is drawn again, the screen not laid out."""
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        footer = app.main.query_one(FitFooter)
        await look_up(app, pilot, "AAdmD55q8Vz")
        await settle(app, pilot)
        in_record = rendered_text(footer)
        assert "Look up" not in in_record
        screen_layouts.clear()
        await pilot.press("ctrl+l")  # the bar: "Look up" comes, the record's copy key goes
        await until(pilot, lambda: "Look up" in rendered_text(footer), "the bar's footer")
        await settle(app, pilot)
        assert screen_layouts["layout"] == 0, "the footer is one line whatever keys it shows"


async def test_a_key_in_the_footer_is_pressed_by_clicking_it(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        footer = main.query_one(FitFooter)
        await until(pilot, lambda: "History" in rendered_text(footer), "the footer drawn")
        assert not main.history_panel.has_focus_within
        x = rendered_text(footer).index("History")
        await pilot.click(FitFooter, offset=(x, 0))
        # F3's doing: the history list beside the record takes the focus.
        await until(pilot, lambda: main.history_panel.has_focus_within, "F3 by a click")
