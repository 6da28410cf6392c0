"""The search bar's record type, as a person sees it: keys only, what is on the screen checked."""

from __future__ import annotations

from textual.widgets import Select

from tests.test_tui import make_app, server, switch_profile_by_keys, until  # noqa: F401


def record_type_shown(app) -> list[str]:
    """What the screen shows in the record type's columns of the bar's three rows, blank rows left out
    (a label wrapped onto the row below shows as a second row)."""
    select = app.main.search.query_one(Select)
    rows = [strip.text for strip in app.screen._compositor.render_strips()]
    bar = app.main.search.region
    cut = [rows[y][select.region.x:select.region.right].rstrip() for y in range(bar.y, bar.bottom)]
    return [row for row in cut if row.strip()]


async def test_the_record_type_is_readable_at_60x24_and_titled_when_wide(server):
    app = make_app(server)
    async with app.run_test(size=(60, 24)) as pilot:
        await switch_profile_by_keys(app, pilot, "demo-ampeco")
        # The name --type takes, on one row with its arrow: not "Charging" over "session".
        await until(pilot, lambda: record_type_shown(app) == ["session  ▼"], "the type's name at 60 columns")
        bar, select = app.main.search.input, app.main.search.query_one(Select)
        assert select.region.right <= 60 and bar.region.width > 20, (bar.region, select.region)
        await pilot.press("f4")
        await until(pilot, lambda: record_type_shown(app) == ["cdr      ▼"], "F4: the next type, as wide as the longest")
        await switch_profile_by_keys(app, pilot, "demo-spirii")
        await until(pilot, lambda: record_type_shown(app) == ["transaction    ▼"], "spirii's first type")
        await pilot.press("f4")
        await until(pilot, lambda: record_type_shown(app) == ["charge-record  ▼"], "the longest name fits")
        await pilot.resize_terminal(120, 34)
        await until(pilot, lambda: record_type_shown(app)[0].startswith("Charge record"), "wide: the title, same type")
        assert app.main.search.record_type == "charge-record"
        await pilot.resize_terminal(60, 24)
        await until(pilot, lambda: record_type_shown(app) == ["charge-record  ▼"], "narrow again: the name")
