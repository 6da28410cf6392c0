"""Reading a record's pretty JSON in `$PAGER` (`v`), with the app suspended.

The text is the Raw JSON tab's (control and bidi characters made visible: a
pager passes bytes to the terminal), written to a private temp file off the UI
thread and removed afterwards. `$PAGER` unset means `less -R`; with no `less`
either, or a terminal that cannot be handed over, a plain built-in view shows
the same text.

Textual's `App.suspend` resumes the screen only when its block ends normally:
an exception inside it leaves the terminal blank and in cooked mode. So the
program is looked up before suspending, and nothing raised by running it
leaves the block; every failure becomes an error toast once the app is back.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from typing import TYPE_CHECKING

from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from evtui.record import Record
from evtui.textsafe import visible
from evtui.tui.raw_json import prepare
from evtui.tui.text import safe

if TYPE_CHECKING:
    from textual.app import App

#: `-R` so a pager that colours (less with LESSOPEN) still does; the text itself holds no escapes.
DEFAULT_PAGER = ["less", "-R"]


def pager_command() -> list[str] | None:
    """`$PAGER` split as a shell would, `less -R` when it is unset, None when neither exists.

    Raises ValueError for a `$PAGER` with unbalanced quotes."""
    configured = os.environ.get("PAGER", "").strip()
    if configured:
        return shlex.split(configured)
    return DEFAULT_PAGER if shutil.which(DEFAULT_PAGER[0]) else None


def write_temp_json(text: str, record: Record) -> str:
    """The text in a private temp file for the pager; the caller deletes it."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", record.record_id)[:40]
    fd, path = tempfile.mkstemp(prefix=f"evtui-{stem}-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        if not text.endswith("\n"):
            out.write("\n")
    return path


def run_pager(command: list[str]) -> str | None:
    """Run it to the end; None when it exited 0, else what went wrong. Never raises."""
    try:
        process = subprocess.Popen(command)
    except OSError as exc:
        return f"Could not run {visible(command[0])}: {exc.strerror or exc}"
    while True:
        try:
            status = process.wait()
            break
        except KeyboardInterrupt:
            continue  # Ctrl-C reaches the whole foreground group; in less it only stops a search
    if status == 0:
        return None
    how = f"was stopped by signal {-status}" if status < 0 else f"exited with status {status}"
    return f"The pager {visible(command[0])} {how}"


async def page_json(app: App, record: Record) -> None:
    """`v`: the record's pretty JSON in `$PAGER`; whatever happens the app comes back, saying what failed."""
    prepared = await asyncio.to_thread(prepare, record.raw)
    text = "\n".join(prepared.lines)
    title = f"{record.record_type} {record.record_id}"
    try:
        command = pager_command()
    except ValueError as exc:
        app.notify(visible(f"$PAGER cannot be read ({exc}); set it to a command such as less -R."), severity="error", markup=False)
        return
    if command is None:
        app.push_screen(PlainPager(title, text))
        return
    if shutil.which(command[0]) is None:
        app.notify(
            visible(f"Could not run {command[0]}: no such program. Set $PAGER to a pager that exists, or unset it for less."),
            severity="error",
            markup=False,
            timeout=8,
        )
        return
    path = await asyncio.to_thread(write_temp_json, text, record)
    try:
        try:
            with app.suspend():
                failed = run_pager(command + [path])
        except SuspendNotSupported:
            app.notify("This terminal cannot hand over the screen: the JSON is shown here instead.", severity="warning")
            app.push_screen(PlainPager(title, text))
            return
    finally:
        await asyncio.to_thread(_unlink, path)
    if failed:
        app.notify(f"{failed}. Set $PAGER to another pager, or unset it for less.", severity="error", markup=False, timeout=8)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class PlainPager(ModalScreen[None]):
    """The built-in fallback: the text, read-only and scrollable; Esc or q closes."""

    DEFAULT_CSS = """
    PlainPager { background: $background; }
    PlainPager > Vertical { height: 1fr; }
    PlainPager #pager-title { height: 1; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    PlainPager TextArea { height: 1fr; border: none; }
    """

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="pager_close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(f"{self.title_text} · pretty JSON · Esc or q closes"), id="pager-title")
            yield TextArea(self.text, read_only=True, show_line_numbers=True, id="pager-text")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
