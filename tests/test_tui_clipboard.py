"""Copy over tmux (issue 12, item 8): tmux's own buffer, a toast that names the path, text as shown."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App

from evtui.tui.clipboard import as_shown, copy_text
from tests.test_tui import HOSTILE_SITE, _env, make_app, server, settle, until  # noqa: F401

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def private_tmux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A tmux server of this test's own (its own socket), named as if the app ran inside it."""
    socket = tmp_path / "tmux.sock"
    subprocess.run(["tmux", "-S", str(socket), "new-session", "-d", "-s", "t12s-clip", "sleep 60"], check=True)
    pid = subprocess.run(["tmux", "-S", str(socket), "display", "-p", "#{pid}"], capture_output=True, text=True, check=True)
    monkeypatch.setenv("TMUX", f"{socket},{pid.stdout.strip()},0")
    try:
        yield socket
    finally:
        subprocess.run(["tmux", "-S", str(socket), "kill-server"], capture_output=True)


def tmux_buffer(socket: Path) -> str:
    shown = subprocess.run(["tmux", "-S", str(socket), "show-buffer"], capture_output=True, text=True)
    return shown.stdout if shown.returncode == 0 else ""


def toasts(app: App) -> list[str]:
    return [str(n.message) for n in app._notifications]


@needs_tmux
async def test_inside_tmux_the_text_reaches_tmux_and_the_toast_says_so(private_tmux: Path):
    app = App()
    async with app.run_test() as pilot:
        said = copy_text(app, "AAdmD55q8Vz", "session id AAdmD55q8Vz")
        await pilot.pause()
        assert tmux_buffer(private_tmux) == "AAdmD55q8Vz"
        assert said == "Copied session id AAdmD55q8Vz: tmux buffer and clipboard (tmux load-buffer -w)"
        assert said in toasts(app)
        assert app.clipboard == "AAdmD55q8Vz"


async def test_inside_tmux_without_a_tmux_command_the_toast_says_not_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TMUX", f"{tmp_path / 'no-server'},1,0")
    monkeypatch.setenv("PATH", str(tmp_path))  # no tmux binary to be found
    app = App()
    async with app.run_test() as pilot:
        said = copy_text(app, "AAdmD55q8Vz", "session id AAdmD55q8Vz")
        await pilot.pause()
        assert said.startswith("Not copied: tmux load-buffer failed (tmux is not on PATH)")
        assert "set-clipboard on" in said and "Copied" not in said
        assert said in toasts(app)


@needs_tmux
async def test_inside_tmux_with_its_server_gone_the_toast_says_not_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TMUX", f"{tmp_path / 'no-server'},1,0")
    app = App()
    async with app.run_test():
        said = copy_text(app, "x", "the value")
        assert said.startswith("Not copied: tmux load-buffer failed (")
        assert "\x1b" not in said


async def test_outside_tmux_the_toast_names_osc52():
    app = App()
    async with app.run_test() as pilot:
        said = copy_text(app, "12345", "cdr id 12345")
        await pilot.pause()
        assert said == "Copied cdr id 12345: sent to the terminal (OSC 52)"
        assert app.clipboard == "12345"


def test_a_value_is_copied_escaped_so_a_paste_cannot_run_anything():
    assert as_shown("foo\nrm -rf ~") == "foo\\nrm -rf ~"
    assert as_shown("\x1b[31mred\u202e") == "\\x1b[31mred\\u202e"
    assert as_shown("Zuidas") == "Zuidas"
    assert as_shown("[1,\n2") == "[1,\\n2"  # not JSON: one value


def test_a_json_document_keeps_its_lines_and_still_parses_the_same():
    document = {"site": "a\u202eb\x85c", "list": [1, 2]}
    text = json.dumps(document, indent=2, ensure_ascii=False)
    copied = as_shown(text)
    assert copied.count("\n") == text.count("\n")
    assert "\u202e" not in copied and "\x85" not in copied and "\\u202e" in copied
    assert json.loads(copied) == document


async def test_copying_a_hostile_field_copies_what_the_screen_shows(server):
    corpay = server.providers["corpay"]
    hostile = json.loads(json.dumps(corpay.sessions["AAdmD55q8Vz"]))
    hostile["sessionId"] = "Hostile0001"
    hostile["site"] = HOSTILE_SITE
    corpay.sessions["Hostile0001"] = hostile
    app = make_app(server)
    async with app.run_test(size=(140, 34)) as pilot:
        await pilot.press(*"Hostile0001", "enter")
        await until(pilot, lambda: app.main.detail.mode == "record", "record shown")
        await settle(app, pilot)
        # Session id, Status, Start, End, Duration, Energy, Total price, Balance, Site.
        await pilot.press(*["down"] * 8, "ctrl+x")
        await until(pilot, lambda: app.clipboard != "", "copied")
        assert app.clipboard == "[bold red]x[/] \\x1b[31m [@click=app.quit]q[/] \\u202eevil"
        assert not any(ch in app.clipboard for ch in "\x1b\u202e")
        assert any("sent to the terminal (OSC 52)" in t for t in toasts(app))
        assert os.environ.get("TMUX") is None


@needs_tmux
async def test_copying_the_id_inside_tmux_puts_the_id_in_tmux_and_says_so(server, private_tmux: Path):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press(*"AAdmD55q8Vz", "enter")
        await until(pilot, lambda: app.main.detail.mode == "record", "record shown")
        await settle(app, pilot)
        await pilot.press("ctrl+y")
        await until(pilot, lambda: tmux_buffer(private_tmux) == "AAdmD55q8Vz", "in tmux's buffer")
        assert "Copied session id AAdmD55q8Vz: tmux buffer and clipboard (tmux load-buffer -w)" in toasts(app)
