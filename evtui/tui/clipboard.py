"""Copying over SSH and tmux: OSC 52, and tmux's own buffer.

The users sit on a jump host in tmux: the only clipboard that matters is the
one of the terminal on their own machine, which OSC 52 reaches through SSH.
`App.copy_to_clipboard` sends OSC 52 (and keeps the text in `app.clipboard`).
With tmux's default `set-clipboard external` tmux drops an application's OSC 52,
but `tmux load-buffer -w -` makes tmux itself set its buffer and send OSC 52 to
the outer terminal, so inside tmux that is run too (and the DCS-wrapped OSC 52
for `allow-passthrough on`). No path can be confirmed (a terminal never answers
an OSC 52), so the toast says which path the text took rather than "Copied" alone.

What is copied is the text as the screen shows it: control and reordering
characters escaped, so a pasted value can never run a command in a shell.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from typing import TYPE_CHECKING

from evtui.textsafe import json_visible, visible

if TYPE_CHECKING:
    from textual.app import App

#: tmux answers from a local socket in milliseconds; a hung server must not freeze the app for long.
TMUX_TIMEOUT = 2.0


def osc52(text: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"\x1b]52;c;{payload}\a"


def tmux_passthrough(sequence: str) -> str:
    """Wrap an escape sequence so tmux hands it to the outer terminal unchanged."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def as_shown(text: str) -> str:
    """The text with nothing a terminal or shell would act on.

    A JSON document keeps its newlines (its layout: a JSON string cannot hold a
    raw one) and gets `\\uXXXX` escapes, which mean the same characters, so it
    still parses as the same document. Anything else is one value: every control
    character, newline included, becomes the escape the screen shows."""
    if "\n" in text and text.lstrip()[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            return json_visible(text)
    return visible(text)


def tmux_load_buffer(text: str) -> str | None:
    """Put the text in tmux's buffer and, with `-w`, the outer clipboard. None when it worked, else why not."""
    data = text.encode("utf-8")
    try:
        done = subprocess.run(["tmux", "load-buffer", "-w", "-"], input=data, capture_output=True, timeout=TMUX_TIMEOUT)
    except FileNotFoundError:
        return "tmux is not on PATH"
    except (OSError, subprocess.SubprocessError) as exc:
        return type(exc).__name__
    if done.returncode == 0:
        return None
    return visible(done.stderr.decode("utf-8", errors="replace").strip() or f"exit status {done.returncode}")


def copy_text(app: App, text: str, what: str) -> str:
    """Copy the text as shown, toast which path it took and return that toast; never raises."""
    text = as_shown(text)
    what = visible(what)
    try:
        app.copy_to_clipboard(text)
        driver = app._driver
        in_tmux = bool(os.environ.get("TMUX"))
        if in_tmux and driver is not None:
            driver.write(tmux_passthrough(osc52(text)))
    except Exception as exc:  # no terminal, closed pipe: copying is never worth a crash
        message = f"Could not copy {what}: {type(exc).__name__}"
        app.notify(message, severity="warning", markup=False)
        return message
    if not in_tmux:
        message = f"Copied {what}: sent to the terminal (OSC 52)"
    else:
        failed = tmux_load_buffer(text)
        if failed is None:
            message = f"Copied {what}: tmux buffer and clipboard (tmux load-buffer -w)"
        else:
            # The OSC 52 sent from inside tmux only gets out with set-clipboard on or allow-passthrough on.
            message = (
                f"Not copied: tmux load-buffer failed ({failed}). OSC 52 was sent, but tmux passes it on"
                " only with set-clipboard on or allow-passthrough on."
            )
            app.notify(message, severity="warning", markup=False, timeout=6)
            return message
    app.notify(message, markup=False, timeout=3)
    return message
