"""The footer keeps its key widgets and rewrites them as bindings change."""

from __future__ import annotations

from tests.test_tui import _env, server, until  # noqa: F401


async def test_the_footer_rewritten_in_place_shows_what_a_fresh_one_would(server):
    from textual.widgets._footer import FooterKey

    from evtui.tui.footer import FitFooter
    from tests.test_tui import look_up, make_app

    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        footer = app.main.query_one(FitFooter)

        def shown() -> list[tuple[str, str, bool]]:
            return [(k.action, k.description, k._disabled) for k in footer.query_children(FooterKey) if k.display]

        def planned() -> list[tuple[str, str, bool]]:
            return [(k.action, k.description, k.disabled) for k in footer._plan()]

        states = []
        for rid in ("AAdmD55q8Vz", "Missing0001", "Q2hhcmdlUGFpZDE"):
            await look_up(app, pilot, rid)
            await until(pilot, lambda: shown() == planned(), f"footer after {rid}")
            states.append(shown())
        assert any(action == "copy_id" for action, _, _ in states[0]), "a record offers its keys"
        assert not any(action == "copy_id" for action, _, _ in states[1]), "an error panel does not"
        assert states[0] == states[2]


async def test_footer_keys_keep_their_widgets_when_the_focus_moves(server):
    """Bar and record show mostly the same keys: each keeps its widget (not redrawn), in the planned order."""
    from textual.widgets._footer import FooterKey

    from evtui.tui.footer import FitFooter
    from tests.test_tui import look_up, make_app

    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        footer = app.main.query_one(FitFooter)

        def shown() -> dict[tuple[str, str], FooterKey]:
            """(action, description) -> the widget showing it, as of now (widgets are rewritten in place)."""
            return {(k.action, k.description): k for k in footer.query_children(FooterKey) if k.display}

        def in_order() -> bool:
            return [k.action for k in footer.query_children(FooterKey) if k.display] == [k.action for k in footer._plan()]

        await look_up(app, pilot, "AAdmD55q8Vz")
        await until(pilot, in_order, "the footer of the record")
        in_record = shown()
        await pilot.press("ctrl+l")  # the bar: "Look up" comes, the record's copy key goes
        await until(pilot, lambda: set(shown()) != set(in_record), "the bar's footer")
        await until(pilot, in_order, "the bar's footer in order")
        in_bar = shown()
        kept = set(in_bar) & set(in_record)
        assert len(kept) >= 5
        assert all(in_bar[key] is in_record[key] for key in kept)
