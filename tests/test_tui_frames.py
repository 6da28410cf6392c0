"""Work per frame, counted (not timed): a record's field rows are laid out once per width,
and F3 back to a width already drawn lays none out again."""

from __future__ import annotations

from collections import Counter

import pytest

from evtui.tui import field_rows as fields
from evtui.tui.fields import FieldList
from evtui.tui.footer import FitFooter
from tests.test_tui import _env, look_up, make_app, server, settle, until  # noqa: F401


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each field (by label and value) was laid out at a width."""
    counted: Counter[str] = Counter()
    lay_out = fields.field_lines

    def counting(field, label_width, width, **kwargs):
        counted[f"{field.label}={field.value}"] += 1
        return lay_out(field, label_width, width, **kwargs)

    monkeypatch.setattr(fields, "field_lines", counting)
    return counted


def test_a_row_is_laid_out_as_the_rich_grid_lays_it_out():
    """The row layout without the grid: the same lines, cells and styles as `field_renderable`'s
    grid, for long, wide, flagged, noted, changed and empty fields, at narrow and wide widths."""
    from rich.console import Console
    from rich.segment import Segment

    from evtui.record import Field

    console = Console(width=200, color_system="truecolor", force_terminal=True)
    cases = [
        Field("Energy", "12.5 kWh", note="from the meter"),
        Field("A label longer than any label width", "value"),
        Field("k", "x" * 300),
        Field("wide", "日本語テキスト" * 12, flag="unknown", note="a note " * 10),
        Field("control", "a\x1b[31mred\u202e", flag="invalid"),
        Field("", ""),
        Field("empty", "", flag="missing"),
        Field("words", "lorem ipsum dolor sit amet " * 8, flag="derived"),
    ]
    for width in range(8, 130, 7):
        options = console.options.update(highlight=False, width=width, height=None)
        for field in cases:
            for label_width in (8, 24):
                for changed in (False, True):
                    grid = console.render(fields.field_renderable(field, label_width, changed=changed), options)
                    expected = [list(Segment.simplify(line)) for line in Segment.split_and_crop_lines(grid, width, include_new_lines=False, pad=False)]
                    lines = fields.field_lines(field, label_width, width, changed=changed, console=console, options=options)
                    assert [list(strip.simplify()) for strip in lines] == expected, (width, label_width, changed, field)


async def test_field_rows_are_laid_out_once_per_record_and_width(server, layouts):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        overview = main.detail.query(FieldList).first()
        first = {f"{f.label}={f.value}" for f in overview.fields}
        assert first and set(layouts) == first
        assert max(layouts.values()) == 1, "focus, highlight and height reuse the one layout"

        # F3 focuses the history panel shown beside the record, F3 again hides it: the
        # record is wider, laid out once more at that width; shown and hidden again, nothing new.
        await pilot.press("f3")
        await until(pilot, lambda: main.history_panel.has_focus_within, "the history panel focused")
        await pilot.press("f3")
        await until(pilot, lambda: not main.history_panel.display, "the history panel hidden")
        await settle(app, pilot)
        assert set(layouts) == first and set(layouts.values()) == {2}
        await pilot.press("f3")
        await until(pilot, lambda: main.history_panel.display, "the history panel shown")
        await settle(app, pilot)
        await pilot.press("f3")
        await until(pilot, lambda: not main.history_panel.display, "the history panel hidden again")
        await settle(app, pilot)
        assert set(layouts.values()) == {2}, "widths drawn before come from what was laid out"

        # The next record of the kind, in the same widgets: its rows once each, but for the rows
        # it shows as the first did (the same label, value, note and badge), already laid out.
        before = Counter(layouts)
        await look_up(app, pilot, "Q2hhcmdlUGFpZDE")
        assert main.detail.shown.record.record_id == "Q2hhcmdlUGFpZDE"
        second = {f"{f.label}={f.value}" for f in main.detail.query(FieldList).first().fields}
        added = layouts - before
        assert set(added) == second - first
        assert max(added.values()) == 1

        # Either record looked up again (a warm lookup, a refresh): nothing laid out again.
        before = Counter(layouts)
        await look_up(app, pilot, "AAdmD55q8Vz")
        await look_up(app, pilot, "Q2hhcmdlUGFpZDE")
        assert layouts == before


async def test_what_lives_as_long_as_the_app_is_out_of_the_collectors_reach(server):
    """Each gen-2 collection walked every module, widget and config object: a fifth to a third
    of a warm lookup's CPU. Frozen once the first record shows; given back when the app ends."""
    import gc

    gc.unfreeze()
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        assert gc.get_freeze_count() == 0
        await look_up(app, pilot, "AAdmD55q8Vz")
        await until(pilot, lambda: gc.get_freeze_count() > 0, "the long-lived objects frozen")
        frozen = gc.get_freeze_count()
        await look_up(app, pilot, "Q2hhcmdlUGFpZDE")
        # Frozen objects freed by refcount leave the count; none are added by a later lookup.
        assert gc.get_freeze_count() <= frozen, "frozen once: later lookups' objects stay collectable"
    assert gc.get_freeze_count() == 0


async def test_f3_resizing_the_record_lays_the_screen_out_no_more_than_textual_must(server, screen_layouts):
    """Hiding the history panel widens the record: one layout for the new sizes, one more that
    Textual makes for the containers whose size changed. The field list drawn at its new width
    used to ask for a third (its virtual size, found while drawing, set as a layout change)."""
    counted = screen_layouts
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await pilot.press("f3")
        await until(pilot, lambda: main.history_panel.has_focus_within, "the history panel focused")
        await settle(app, pilot)
        counted.clear()
        await pilot.press("f3")
        await until(pilot, lambda: not main.history_panel.display, "the history panel hidden")
        await settle(app, pilot)
        assert 1 <= counted["layout"] <= 2, counted
        assert main.detail.query(FieldList).first().virtual_size.width > 0


async def test_a_warm_lookup_draws_the_record_whole_first_then_its_history_row_and_keys(server, monkeypatch):
    """Enter draws nothing of its own. The answer's first frame holds the record whole (header,
    tabs, fields) and nothing else the answer changes: the history row and the keys the focus
    brings come in the frame after it, and nothing of the answer is drawn after that (the list
    read back from the store, the same, repaints nothing)."""
    from textual.screen import Screen

    frames: list[tuple[bool, bool, str | None, bool]] = []
    draw = Screen._compositor_refresh
    armed = False

    def counting(self):
        if not armed:
            return draw(self)
        main = self.app.main
        entries = main.history_panel.list.entries
        bar_keys = "Look up" in [k.description for k in main.query_one(FitFooter).keys]
        result = draw(self)
        screen = "\n".join(strip.text for strip in self._compositor.render_strips())
        frames.append((
            "session AAdmD55q8Vz  demo-corpay" in screen,
            "Energy        18.432 kWh (18432 Wh)" in screen,
            entries[0].record_id if entries else None,
            bar_keys,
        ))
        return result

    monkeypatch.setattr(Screen, "_compositor_refresh", counting)
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await look_up(app, pilot, "AAdmD55q8Vz")
        await look_up(app, pilot, "Q2hhcmdlUGFpZDE")
        await pilot.press("ctrl+l", *"AAdmD55q8Vz")
        await settle(app, pilot)
        armed = True
        await pilot.press("enter")
        await until(pilot, lambda: len(frames) >= 2, "two frames")
        await settle(app, pilot)
        assert frames == [
            (True, True, "Q2hhcmdlUGFpZDE", True),  # the record whole; the list and the keys as they were
            (True, True, "AAdmD55q8Vz", False),  # its entry on top, the record's keys (the bar's Enter gone)
        ], frames


def _looks(widget) -> tuple[dict, dict]:
    """A widget's CSS rules and its component classes' rules, as matched."""
    return dict(widget.styles.base._rules), {name: dict(s.base._rules) for name, s in widget._component_styles.items()}


async def test_a_focus_change_restyles_from_the_styles_kept_for_that_state(server):
    """The bar and the record's fields, focused and blurred by each lookup, take the styles they
    had the last time in that state (restyle.FocusRestyle): the same as Textual's matching gives,
    and matched afresh once the stylesheet is parsed again (a theme change)."""
    from evtui.tui.search import SearchInput

    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        for record_id in ("AAdmD55q8Vz", "Q2hhcmdlUGFpZDE", "AAdmD55q8Vz"):
            await look_up(app, pilot, record_id)
        fields = main.detail.query(FieldList).first()
        bar = main.query_one(SearchInput)
        assert fields.has_focus and fields._kept_styles and bar._kept_styles, "both kept their states"

        def as_textual_matches() -> None:
            for widget in (fields, bar):
                kept = _looks(widget)
                app.stylesheet.update_nodes([widget])
                assert _looks(widget) == kept, widget

        as_textual_matches()
        await pilot.press("ctrl+l")
        await until(pilot, lambda: bar.has_focus, "the bar focused")
        as_textual_matches()

        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(app, pilot)
        await pilot.press(*"Q2hhcmdlUGFpZDE", "enter")
        await until(pilot, lambda: fields.has_focus, "the record focused")
        await settle(app, pilot)
        as_textual_matches()
        assert fields._kept_rules is app.stylesheet.rules


def _screen(app) -> list[list[tuple[str, object]]]:
    """The screen as composed now: each line's segments, text and style."""
    return [[(s.text, s.style) for s in strip] for strip in app.screen._compositor.render_strips()]


async def test_a_lookup_repaints_the_history_lines_that_show_another_entry_alone(server, monkeypatch):
    """The history with the lookup's entry on top: the lines showing the same entry in the same
    style (or blank below the last) keep what was drawn (list_lines.KeptLines.replace_options),
    and the screen is what a repaint of the whole list gives."""
    from evtui.tui.history_panel import HistoryList

    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        for record_id in ("AAdmD55q8Vz", "Q2hhcmdlUGFpZDE", "JPYsess0042"):
            await look_up(app, pilot, record_id)
        history = app.main.history_panel.list
        drawn: list[int] = []
        render_line = HistoryList.render_line

        def counting(self, y):
            drawn.append(y)
            return render_line(self, y)

        monkeypatch.setattr(HistoryList, "render_line", counting)
        # Q2hh... (second, two lines each) goes back on top: JPY... one place down, AAdm... stays third.
        await look_up(app, pilot, "Q2hhcmdlUGFpZDE")
        assert [e.record_id for e in history.entries] == ["Q2hhcmdlUGFpZDE", "JPYsess0042", "AAdmD55q8Vz"]
        assert sorted(set(drawn)) == [0, 1, 2, 3], drawn
        shown = _screen(app)
        history.refresh()
        await settle(app, pilot)
        assert _screen(app) == shown


async def test_the_fields_drawn_from_kept_lines_look_as_drawn_afresh(server):
    """The record's fields, focused and not, from the lines kept across lookups (the row's line,
    its styling for the screen): the screen is what drawing every line afresh gives."""
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        for record_id in ("AAdmD55q8Vz", "Q2hhcmdlUGFpZDE", "AAdmD55q8Vz"):
            await look_up(app, pilot, record_id)
        fields = app.main.detail.query(FieldList).first()
        await pilot.press("down", "down")  # another row highlighted, drawn from what was kept
        await settle(app, pilot)

        async def as_drawn_afresh() -> None:
            shown = _screen(app)
            fields._kept.clear()
            fields._styles_cache._styled.clear()
            fields.refresh()
            await settle(app, pilot)
            assert _screen(app) == shown

        assert fields.has_focus
        await as_drawn_afresh()
        await pilot.press("ctrl+l")
        await until(pilot, lambda: not fields.has_focus, "the bar focused")
        await settle(app, pilot)
        await as_drawn_afresh()
