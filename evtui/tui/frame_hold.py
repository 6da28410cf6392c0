"""The record of an answer in one frame: the screen's next frame waits until the record's widgets
have handed over what showing it set off.

Textual draws a frame as soon as the screen is idle with something to draw, then keeps a 60 Hz
beat (a frame drawn after a pause puts the next one 17 to 33 ms off). Each widget hands its
change to the screen when it next goes idle. Drawn at the first of them, the header could come
in one frame and the fields a beat later.

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
            screen = self.screen
            screen.app._end_batch()
            if screen.is_current and not screen.app._batch_count:
                # Drawn now: the record's widgets have handed over their changes (see `hold`).
                # Left to the screen's update timer, the frame waited for that task's next turn.
                screen._on_timer_update()
            else:
                screen.check_idle()
            after, self._after = self._after, []
            for callback in after:
                self.screen.call_after_refresh(callback)
