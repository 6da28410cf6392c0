"""Copying over SSH: OSC 52, and tmux's passthrough form of it.

The users sit on a jump host in tmux: the only clipboard that matters is the
one of the terminal on their own machine, which OSC 52 reaches through SSH.
`App.copy_to_clipboard` sends OSC 52 (and keeps the text in `app.clipboard`).
tmux forwards OSC 52 itself only with `set-clipboard on`; with
`allow-passthrough on` it forwards a DCS-wrapped copy verbatim, so inside
tmux both are sent: whichever the user's tmux allows gets through.
"""

from __future__ import annotations

import base64
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App


def osc52(text: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"\x1b]52;c;{payload}\a"


def tmux_passthrough(sequence: str) -> str:
    """Wrap an escape sequence so tmux hands it to the outer terminal unchanged."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def copy_text(app: App, text: str, what: str) -> bool:
    """Copy and say so ("Copied session id AAdmD55q8Vz"); never raises."""
    from evtui.textsafe import visible

    try:
        app.copy_to_clipboard(text)
        driver = app._driver
        if os.environ.get("TMUX") and driver is not None:
            driver.write(tmux_passthrough(osc52(text)))
    except Exception as exc:  # no terminal, closed pipe: copying is never worth a crash
        app.notify(f"Could not copy {what}: {type(exc).__name__}", severity="warning", markup=False)
        return False
    app.notify(visible(f"Copied {what}"), markup=False, timeout=3)
    return True
