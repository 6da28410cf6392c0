"""One frame per answer: the screen's next frame waits until what showing the answer set off is done.

Textual draws a frame as soon as the screen is idle with something to draw, then keeps a 60 Hz
beat (a frame drawn after a pause puts the next one 17 to 33 ms off). An answer changes the
history list, the record, the footer's keys and the focus; each widget hands its change to the
screen when it next goes idle, the record's list only after its focus event (a restyle). Drawn at
the first of them, the answer came in two frames, the record in the second, a beat or two later.

`hold()` suspends frames (Textual's batch) until the focused widget has handled what is queued
to it and the screen what is queued to it; a timer ends the hold whatever happens.

`after()` keeps what the person does not wait for (the history row, the focus moving into the
record and the keys it brings) out of that frame: run once it is drawn, it comes a frame later.
While frames are held Textual runs `call_after_refresh` callbacks at once (nothing to draw), so
they are queued here and handed to it when the hold ends.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from evtui.tui import Bound

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.screen import Screen

#: Longest a hold lasts, whatever is still queued (seconds).
HOLD_AT_MOST = 0.05


class FrameHold:
    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self._held = False
        self._after: list[Callable[[], Any]] = []

    def hold(self) -> None:
        """Frames wait for what is queued now and what it queues (the focus it moves)."""
        if self._held or not self.screen.is_current:
            return
        self._held = True
        screen = self.screen
        screen.app._begin_batch()
        screen.set_timer(HOLD_AT_MOST, self.release, name="frame-hold")
        screen.call_later(self._behind_focus)

    def _behind_focus(self) -> None:
        # Queued behind the focus events the answer posted; then behind what the screen has then.
        focused = self.screen.focused
        if focused is None or not focused.is_attached:
            self.screen.call_later(self.release)
        else:
            focused.call_later(Bound(self.screen.call_later, self.release))

    def after(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run `callback` once the held frame (or, with none held, the next) is drawn."""
        if self._held:
            self._after.append(partial(callback, *args))
        else:
            self.screen.call_after_refresh(callback, *args)

    def release(self) -> None:
        if self._held:
            self._held = False
            self.screen.app._end_batch()
            self.screen.check_idle()
            after, self._after = self._after, []
            for callback in after:
                self.screen.call_after_refresh(callback)
