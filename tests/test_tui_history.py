"""The history panel at scale (issue 8): a page at a time, the cap said, SQLite off the UI thread."""

from __future__ import annotations

import sqlite3
import threading
import time

import evtui.tui.history_panel as history_panel
from evtui.config.paths import history_path
from evtui.history import HistoryStore
from tests.test_tui import _env, make_app, rendered_text, server, until  # noqa: F401


def seed(n: int) -> list[str]:
    """n lookups, one a minute apart, ids e00..; returns the ids newest first."""
    store = HistoryStore(history_path())
    now = time.time()
    for i in range(n):
        store.record(profile="demo-corpay", adapter="corpay", record_type="session", record_id=f"e{i:02d}",
                     outcome="found", summary="odd" if i % 2 else "even", when=now - (n - i) * 60)
    store.close()
    return [f"e{i:02d}" for i in reversed(range(n))]


def listed(panel) -> list[str]:
    return [e.record_id for e in panel.list.entries]


def cap_line(panel) -> str:
    more = panel.query_one("#history-more")
    return rendered_text(more).strip() if panel.has_class("-capped") and more.region.height else ""


async def test_a_capped_list_says_so_and_walking_to_its_end_loads_the_next_page(server, monkeypatch):
    monkeypatch.setattr(history_panel, "PAGE", 5)
    ids = seed(12)
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        panel = app.main.history_panel
        await until(pilot, lambda: listed(panel) == ids[:5], "the first page")
        await until(pilot, lambda: cap_line(panel) == "showing 5 of 12 · type to filter", "the cap said")
        # Walking down the list: at its last entry the next page comes, and the place is kept.
        await pilot.press("f3")  # the panel shows beside the (empty) detail: F3 goes there
        await until(pilot, lambda: panel.list.has_focus, "the list focused")
        for _ in range(4):
            await pilot.press("down")
        await until(pilot, lambda: listed(panel) == ids[:10], "the second page")
        assert panel.list.current.record_id == ids[4]
        assert cap_line(panel) == "showing 10 of 12 · type to filter"
        await pilot.press("end")
        await until(pilot, lambda: listed(panel) == ids, "the rest")
        await until(pilot, lambda: cap_line(panel) == "", "no cap once everything is listed")
        assert panel.list.current.record_id == ids[9]


async def test_scrolling_to_the_end_loads_more_without_moving_the_view(server, monkeypatch):
    monkeypatch.setattr(history_panel, "PAGE", 20)
    ids = seed(30)
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        panel = app.main.history_panel
        await until(pilot, lambda: listed(panel) == ids[:20], "the first page")
        await until(pilot, lambda: panel.list.max_scroll_y > 0, "the list overflows")
        panel.list.scroll_end(animate=False, immediate=True)
        await until(pilot, lambda: listed(panel) == ids, "scrolled to the end: the next page")
        assert panel.list.scroll_y > 0, "the view stayed where the user scrolled"


async def test_a_capped_filter_says_there_are_more_matches_and_a_new_filter_starts_at_one_page(server, monkeypatch):
    monkeypatch.setattr(history_panel, "PAGE", 3)
    ids = seed(12)
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        panel = app.main.history_panel
        await until(pilot, lambda: listed(panel) == ids[:3], "the first page")
        await pilot.press("f3")
        await until(pilot, lambda: panel.list.has_focus, "the list focused")
        await pilot.press("end")
        await until(pilot, lambda: len(listed(panel)) == 6, "a second page")
        await pilot.press(*"odd")  # typed on the list: into the filter
        odd = [i for i in ids if int(i[1:]) % 2]
        await until(pilot, lambda: listed(panel) == odd[:3], "one page of matches")
        assert cap_line(panel) == "first 3 matches · type more to narrow"
        await pilot.press(*" e11")
        await until(pilot, lambda: listed(panel) == ["e11"], "narrowed")
        await until(pilot, lambda: cap_line(panel) == "", "not capped")


async def test_an_entry_is_drawn_in_two_lines_cut_to_the_panel(server):
    store = HistoryStore(history_path())
    long_id = "L" * 60
    store.record(profile="demo-corpay", adapter="corpay", record_type="session", record_id=long_id,
                 outcome="not_found", summary="", when=time.time() - 2 * 3600)
    store.set_pinned(("demo-corpay", "session", long_id))
    store.close()
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        panel = app.main.history_panel
        await until(pilot, lambda: bool(panel.list.entries), "the entry")
        await pilot.pause()
        first, second = rendered_text(panel.list).splitlines()[:2]
        width = panel.list.scrollable_content_region.width
        assert len(first) == len(second) == width
        assert first.startswith(" ★ LLL") and first.rstrip().endswith("… 2 h"), first
        assert second.strip() == "✗ demo-corpay · not_found", second


async def test_the_store_is_never_opened_on_the_ui_thread(server, monkeypatch):
    seed(3)
    opened: list[str] = []
    connect = sqlite3.connect

    def spy(*args, **kwargs):
        opened.append(threading.current_thread().name)
        return connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", spy)
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        panel = app.main.history_panel
        await until(pilot, lambda: len(panel.list.entries) == 3, "the entries")
        await until(pilot, lambda: app.main.search.input.recent[:1] == ["e02"], "the recent ids")
    assert opened, "the history was read"
    assert threading.main_thread().name not in opened, opened


async def test_the_first_frame_does_not_wait_for_the_history(server, monkeypatch):
    """A slow history (a busy disk, another evtui holding the lock) shows the app, then the list."""
    seed(3)
    gate = threading.Event()
    entries = HistoryStore.entries

    def slow(self, *args, **kwargs):
        gate.wait(10)
        return entries(self, *args, **kwargs)

    monkeypatch.setattr(HistoryStore, "entries", slow)
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await until(pilot, lambda: "Enter looks it up" in rendered_text(main.search_message), "first paint")
        await pilot.press(*"AAd")
        assert main.search.input.value == "AAd", "keys are answered meanwhile"
        assert not main.history_panel.list.entries
        gate.set()
        await until(pilot, lambda: len(main.history_panel.list.entries) == 3, "the list, a moment later")


def test_failed_rows_stay_readable_without_colour(monkeypatch):
    """NO_COLOR: Textual greys every colour, and red became dark grey on dark grey; bold stays."""
    from evtui.history import HistoryEntry

    entry = HistoryEntry(profile="demo-corpay", adapter="corpay", record_type="session", record_id="Missing0001",
                         first_seen=0.0, last_seen=0.0, outcome="not_found", summary="Not found", count=1, pinned=False)
    for no_color in ("1", ""):
        monkeypatch.setenv("NO_COLOR", no_color)
        second = history_panel.entry_content(entry, 60.0, 40).split("\n")[1]
        spans = [(second.plain[s.start:s.end], str(s.style)) for s in second.spans]
        words = [style for text, style in spans if "Not found" in text or "✗" in text]
        assert words, spans
        if no_color:
            assert all("red" not in style and "bold" in style for style in words), spans
        else:
            assert all("red" in style for style in words), spans
