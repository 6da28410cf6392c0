"""`v` hands the pretty JSON to $PAGER (issue 12, item 10): a missing or failing pager
gives an error toast and the app comes back; unset means less -R or a built-in view.

The headless test driver cannot suspend, so `App.suspend` is replaced by one that,
like Textual's, resumes only when its block ends normally: a pager failure that
escaped the block would leave it "suspended" here as it leaves a real terminal blank.
"""

from __future__ import annotations

import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from evtui.tui.pager import DEFAULT_PAGER, PlainPager, pager_command
from evtui.tui.raw_json import prepare
from tests.test_tui import _env, make_app, rendered_text, server, settle, until  # noqa: F401


class Terminal:
    """Stands in for the terminal hand-over: counts suspends and the resumes that followed."""

    def __init__(self) -> None:
        self.suspended = 0
        self.resumed = 0

    @contextmanager
    def suspend(self) -> Iterator[None]:
        self.suspended += 1
        yield  # no try/finally, as in textual.app.App.suspend
        self.resumed += 1


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_record_and_page(app, pilot, terminal: Terminal | None, monkeypatch) -> None:
    await pilot.press(*"AAdmD55q8Vz", "enter")
    await until(pilot, lambda: app.main.detail.mode == "record", "record shown")
    await settle(app, pilot)
    if terminal is not None:
        monkeypatch.setattr(app, "suspend", terminal.suspend)
    await pilot.press("ctrl+e")
    await settle(app, pilot)


async def test_a_missing_pager_says_so_and_never_hands_over_the_screen(server, monkeypatch, tmp_path):
    monkeypatch.setenv("PAGER", str(tmp_path / "no-such-pager"))
    terminal = Terminal()
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await open_record_and_page(app, pilot, terminal, monkeypatch)
        await until(pilot, lambda: any("no such program" in t for t in toasts(app)), "error toast")
        assert terminal.suspended == 0
        assert app.is_running and app.main.detail.mode == "record"


async def test_a_failing_pager_gives_an_error_and_the_app_comes_back(server, monkeypatch):
    monkeypatch.setenv("PAGER", "sh -c 'exit 3'")
    terminal = Terminal()
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await open_record_and_page(app, pilot, terminal, monkeypatch)
        await until(pilot, lambda: any("exited with status 3" in t for t in toasts(app)), "error toast")
        assert (terminal.suspended, terminal.resumed) == (1, 1)
        assert app.is_running and app.main.detail.mode == "record"
        assert not list(Path(tempfile.gettempdir()).glob("evtui-AAdmD55q8Vz-*.json")), "the temp file is removed"


async def test_a_pager_that_cannot_be_executed_still_resumes(server, monkeypatch, tmp_path):
    broken = tmp_path / "broken-pager"
    broken.write_bytes(b"\x7fELF not really")  # executable bit, but no program the kernel can run
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGER", str(broken))
    terminal = Terminal()
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await open_record_and_page(app, pilot, terminal, monkeypatch)
        await until(pilot, lambda: any("Could not run" in t for t in toasts(app)), "error toast")
        assert (terminal.suspended, terminal.resumed) == (1, 1)
        assert app.is_running


async def test_a_working_pager_gets_the_json_as_the_raw_tab_shows_it(server, monkeypatch, tmp_path):
    out = tmp_path / "paged.json"
    monkeypatch.setenv("PAGER", f"sh -c 'cat \"$1\" > {out}' pager")
    terminal = Terminal()
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await open_record_and_page(app, pilot, terminal, monkeypatch)
        await until(pilot, lambda: out.exists(), "pager ran")
        record = app.main.detail.shown.record
        assert out.read_text(encoding="utf-8") == "\n".join(prepare(record.raw).lines) + "\n"
        assert (terminal.suspended, terminal.resumed) == (1, 1)
        assert not [t for t in toasts(app) if "pager" in t.lower()], "no error after a pager that worked"


async def test_no_pager_and_no_less_shows_the_built_in_view(server, monkeypatch, tmp_path):
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no less to be found
    terminal = Terminal()
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await open_record_and_page(app, pilot, terminal, monkeypatch)
        await until(pilot, lambda: isinstance(app.screen, PlainPager), "built-in view")
        await pilot.pause()
        assert terminal.suspended == 0
        shown = rendered_text(app.screen.query_one("#pager-text"))
        assert '"sessionId": "AAdmD55q8Vz"' in shown
        await pilot.press("q")
        await until(pilot, lambda: not isinstance(app.screen, PlainPager), "closed")
        assert app.main.detail.mode == "record"


def test_unset_pager_means_less_minus_r(monkeypatch, tmp_path):
    monkeypatch.delenv("PAGER", raising=False)
    less = tmp_path / "less"
    less.write_text("#!/bin/sh\n")
    less.chmod(0o700)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pager_command() == DEFAULT_PAGER == ["less", "-R"]
    monkeypatch.setenv("PAGER", "most -s")
    assert pager_command() == ["most", "-s"]
    monkeypatch.setenv("PAGER", "less 'unbalanced")
    with pytest.raises(ValueError):
        pager_command()
