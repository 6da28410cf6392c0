"""The back stack: records the user left by opening another from them.

Opening a related record, a history entry or a find-anywhere hit pushes the
record on screen with its place (tab, highlighted row, scroll); Esc, Backspace
or `-` pops it. Bounded: a long session of hops keeps the last few only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evtui.tui.detail import Place, Shown

#: Records kept; older ones are dropped (each holds its whole document).
DEPTH = 20


class BackStack:
    def __init__(self, depth: int = DEPTH) -> None:
        self.depth = depth
        self._entries: list[tuple[Shown, Place]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def push(self, shown: Shown, place: Place) -> None:
        top = self._entries[-1][0].record if self._entries else None
        if top is not None and (top.profile, top.record_type, top.record_id) == (
            shown.record.profile, shown.record.record_type, shown.record.record_id
        ):
            self._entries[-1] = (shown, place)  # the same record again: one entry, its latest place
        else:
            self._entries.append((shown, place))
        del self._entries[: -self.depth]

    def pop(self) -> tuple[Shown, Place] | None:
        return self._entries.pop() if self._entries else None
