"""Diff, export, pager and find anywhere in the TUI (issue 7)."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path

from evtui.tui.export import ConfirmScreen, ExportScreen
from evtui.tui.pickers import ChoicePicker
from evtui.tui.raw_json import prepare
from evtui.tui.watching import CHANGES_KEY
from tests.test_tui import _env, look_up, make_app, rendered_text, server, settle, until  # noqa: F401
from tests.test_tui_watch import fast_config


# -- diff ------------------------------------------------------------------------------------


async def test_d_compares_the_shown_copy_with_a_fresh_fetch(server):
    app = make_app(server, fast_config(server))
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main
        await look_up(app, pilot, "Live0000001")  # CREATED; the next fetch is WAITING_TO_START
        await pilot.press("f8")
        await until(pilot, lambda: main.detail.shown is not None and main.detail.shown.changes is not None, "diff shown")
        await settle(app, pilot)
        shown = main.detail.shown
        assert shown.record.document["sessionStatus"] == "WAITING_TO_START"
        rows = shown.changes.tables[0].rows
        assert (rows[0][1], rows[0][3]) == ("Status", "sessionStatus")  # label first, path last
        assert "CREATED" in rows[0][2] and "WAITING_TO_START" in rows[0][2]
        assert main.detail.record_view.tabs.active == f"tab-{CHANGES_KEY}"
        assert "sessionStatus" in shown.changed


async def test_d_on_a_history_entry_compares_its_cached_copy(server):
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        await until(pilot, lambda: bool(main.history_panel.list.entries), "history entry")
        await pilot.press("f3")  # to the list; F8 there diffs the entry's cached copy
        await until(pilot, lambda: main.history_panel.list.has_focus, "the list focused")
        await pilot.press("f8")
        await until(pilot, lambda: main.detail.shown is not None and main.detail.shown.changes is not None, "diff shown")
        await settle(app, pilot)
        assert main.detail.shown.changes.tables == ()
        assert "nothing changed" in rendered_text(main.detail.record_view.query(f"#tab-{CHANGES_KEY} FieldList").first())
        assert server.counts["corpay.session"] == 2


# -- export ----------------------------------------------------------------------------------


async def test_export_saves_the_exact_bytes_and_never_overwrites_silently(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "O9UXK+YI5Q6i0/FoI4qHwcA==")
        raw = main.detail.shown.record.raw
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen), "export dialog")
        field = app.screen.query_one("#export-path")
        assert field.value == "./session-O9UXK_YI5Q6i0_FoI4qHwcA.json"
        await pilot.press("enter")
        target = tmp_path / "session-O9UXK_YI5Q6i0_FoI4qHwcA.json"
        await until(pilot, lambda: target.exists(), "file written")
        await settle(app, pilot)
        assert target.read_bytes() == raw
        assert any(str(target) in str(n.message) for n in app._notifications)
        # Again: the file exists, so a confirmation comes; "n" keeps the old file.
        target.write_bytes(b"keep me")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen), "export dialog")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirmation")
        await pilot.press("n")
        await settle(app, pilot)
        assert target.read_bytes() == b"keep me"
        # And "y" replaces it.
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen), "export dialog")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirmation")
        await pilot.press("y")
        await until(pilot, lambda: target.read_bytes() == raw, "overwritten")


async def test_export_to_a_missing_directory_is_refused_in_the_dialog(server, tmp_path):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await look_up(app, pilot, "AAdmD55q8Vz")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen), "export dialog")
        app.screen.query_one("#export-path").value = str(tmp_path / "nope" / "x.json")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "No such directory" in rendered_text(app.screen.query_one("#export-error"))
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)


# -- pager ----------------------------------------------------------------------------------


def pager_script(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "paged.json"
    script = tmp_path / "pager.sh"
    script.write_text(f'#!/bin/sh\ncp "$1" "{out}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, out


async def test_pager_gets_the_pretty_json_and_the_app_resumes(server, tmp_path, monkeypatch):
    script, out = pager_script(tmp_path)
    monkeypatch.setenv("PAGER", str(script))
    app = make_app(server)
    suspended: list[bool] = []

    @contextmanager
    def fake_suspend():
        # The headless test driver cannot suspend (textual raises SuspendNotSupported):
        # stand in for the terminal hand-over and check the pager runs inside it.
        suspended.append(True)
        yield

    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await look_up(app, pilot, "AAdmD55q8Vz")
        record = main.detail.shown.record
        monkeypatch.setattr(app, "suspend", fake_suspend)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: out.exists(), "pager ran")
        await settle(app, pilot)
        assert suspended == [True]
        assert out.read_text(encoding="utf-8").rstrip("\n") == prepare(record.raw).text
        temp_files = [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("evtui-AAdmD55q8Vz-*.json")]
        assert temp_files == [], "the temp file is removed"
        assert app.is_running and main.detail.mode == "record"


async def test_pager_without_suspend_support_says_so(server, tmp_path, monkeypatch):
    script, out = pager_script(tmp_path)
    monkeypatch.setenv("PAGER", str(script))
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await look_up(app, pilot, "AAdmD55q8Vz")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: any("cannot hand over" in str(n.message) for n in app._notifications), "notice")
        assert not out.exists()
        assert app.is_running


# -- find anywhere -----------------------------------------------------------------------------


async def test_find_anywhere_tries_every_fitting_profile(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        main.search.input.value = "12345678"
        await pilot.press("f6")
        await until(pilot, lambda: main.detail.mode in ("record", "error") or isinstance(app.screen, ChoicePicker), "find result")
        await settle(app, pilot)
        tried = {a.profile for a in main.found_anywhere}
        assert "demo-spirii" in tried and len(tried) >= 2
        if isinstance(app.screen, ChoicePicker):
            await pilot.press("enter")
            await until(pilot, lambda: main.detail.mode == "record", "record")
        assert main.detail.shown.record.record_id == "12345678"
        assert main.profile_name == main.detail.shown.record.profile


async def test_find_anywhere_not_found_names_every_profile(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        main.search.input.value = "Missing0001"
        await pilot.press("f6")
        await until(pilot, lambda: main.detail.mode == "error", "panel")
        panel = main.detail.query_one("ErrorPanel")
        await until(pilot, lambda: "Found on none" in rendered_text(panel), "panel drawn")
        text = " ".join(rendered_text(panel).split())
        assert "Found on none of the profiles tried" in text and "demo-corpay" in text


async def test_the_picker_offers_all_profiles_for_the_id_in_the_bar(server):
    from evtui.tui.switcher import ProfilePicker

    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        main.search.input.value = "12345678"
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, ProfilePicker), "picker")
        assert "All profiles" in rendered_text(app.screen.query_one("#picker-list"))
        await pilot.press("end", "enter")
        await until(pilot, lambda: bool(main.found_anywhere), "find anywhere ran")
        assert {a.profile for a in main.found_anywhere} >= {"demo-spirii"}
        await until(pilot, lambda: main.detail.mode == "record" or isinstance(app.screen, ChoicePicker), "result shown")
        await settle(app, pilot)
