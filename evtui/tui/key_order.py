"""Keys take effect in the order typed, whatever their kind, however fast they come.

The app hands a key to the widget with the focus by posting it to that widget's queue; from
there it bubbles up, a queue at a time, to the screen (which routes the printable keys nothing
binds, `KeyboardRouting.on_key`) and to the app, which runs the bindings of wherever the focus
is by then. A burst (tmux send-keys, a paste and Enter, a fast typist) is read whole before the
first of its keys has gone that way, so two things went wrong:

* A key that moves the focus when its binding runs (Esc, Tab, `/`, ↓ from the history filter)
  was followed by keys already handed to the old focus: letters typed after Esc went into the
  history filter it left.
* The keys that move the focus the screen's way (F3, ctrl+l, F2: priority bindings) ran the
  moment the app read them, so that the keys after them would go where they put the focus, but
  therefore before the keys typed before them: an id, Enter and F3 sent together from the
  record put the id into the history filter, and its Enter re-opened the top entry.

`KeyOrder` makes the app hand out a key that is not plain text only when every key before it
has been handled: after such a key (or before a priority one, which it holds) it sends a step up
the queues the keys took, behind them, and holds what the app reads meanwhile; when the step
reaches the app's own queue, the held keys are handed on, in order, to where the focus is then.
Plain text (a printable key nothing binds: typed into a text box, or the start of an id) goes
straight on, so typing costs nothing.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from textual import log
from textual.events import Event, Key, Paste

from evtui.tui import Bound

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.timer import Timer

#: Seconds between checks that a step is not stuck behind a widget that closed meanwhile (every
#: key after it would be held).
STUCK_CHECK = 0.5


class KeyOrder:
    """The app's key gate: `holds` is asked for every event the app reads."""

    def __init__(self, app: App[object]) -> None:
        self.app = app
        #: Keys and pastes read while a step is on its way, oldest first.
        self._held: deque[Key | Paste] = deque()
        #: A step is on its way: keys read now are held.
        self._waiting = False
        #: The screen when the step set out: one opened meanwhile has the keys wait for it too.
        self._screen: object = None
        #: The held key now being handed on (let through `holds`).
        self._passing: Event | None = None
        #: Where the step is queued now, and the nodes it still has to pass.
        self._at: DOMNode | None = None
        self._rest: list[DOMNode] = []
        self._stuck_check: Timer | None = None
        #: Focus-moving keys (F3, ctrl+l, F2) run so far: a lookup's answer leaves the focus where
        #: such a key pressed after its Enter put it.
        self.focus_moves = 0

    def holds(self, event: Event) -> bool:
        """True when `event`, just read by the app, waits its turn: behind a step on its way, or as
        a priority focus-moving key, which waits for the keys before it. A key handed out that is
        not plain text has the keys after it wait until it has been handled."""
        if not isinstance(event, (Key, Paste)) or event.is_forwarded or event is self._passing:
            return False  # a forwarded key was handed out before: on its way up, ahead of any step
        if self._waiting:
            self._held.append(event)
            return True
        if isinstance(event, Key):
            if self._moves_focus(event):
                self._held.append(event)
                self._wait(self._chain())
                return True
            if not self._is_text(event):
                # The step leaves once the app has handed the key out: right behind it.
                self._waiting, self._screen = True, self.app.screen
                self.app.call_next(Bound(self._send, self._chain()))
        return False

    def _moves_focus(self, key: Key) -> bool:
        moves_focus = getattr(self.app.screen, "moves_focus", None)
        return moves_focus is not None and moves_focus(key.key)

    def _is_text(self, key: Key) -> bool:
        """A printable key nothing binds where the focus is: typed into the text box there, or
        routed by the screen as the start of an id. (A bound one may do anything: `-` goes back.)"""
        return key.is_printable and key.key not in self.app.screen.active_bindings

    def _chain(self) -> list[DOMNode]:
        """Where the app hands a key now, and the nodes it bubbles up through to the app."""
        focused = self.app.focused
        return list(focused.ancestors_with_self) if focused is not None else [self.app.screen, self.app]

    def _wait(self, nodes: list[DOMNode]) -> None:
        self._waiting, self._screen = True, self.app.screen
        self._send(nodes)

    def _send(self, nodes: list[DOMNode]) -> None:
        """Queue the step on the next node, behind the keys queued there; the last step, on the
        app's own queue, hands the held keys on."""
        while len(nodes) > 1:  # the last node is the app
            node, nodes = nodes[0], nodes[1:]
            if node.call_later(Bound(self._send, nodes)):
                self._at, self._rest = node, nodes
                if self._stuck_check is None:
                    self._stuck_check = self.app.set_interval(STUCK_CHECK, self._unstick)
                return
        self._at, self._rest = None, []
        self.app.call_later(self._release)

    def _unstick(self) -> None:
        """A node closed with the step in its queue: go on from the next one."""
        node = self._at
        if node is not None and (node._closing or node._closed):
            log.warning("KeyOrder: the widget holding a step closed; going on", node)
            self._send(self._rest)

    async def _release(self) -> None:
        """On the app's queue: every key before the held ones is handled. Hand them on, in order,
        here (the app reads nothing else meanwhile, so nothing overtakes them), until one needs a
        step of its own: a focus-moving key waits for the keys handed on before it, and the keys
        after one that is not plain text wait for it. A screen opened meanwhile (F2's picker, `?`)
        has them wait until it has composed and focused."""
        if self._stuck_check is not None:
            self._stuck_check.stop()
            self._stuck_check = None
        if self.app.screen is not self._screen:
            self._wait([self.app.screen, self.app])  # behind its compose and mount
            return
        self._waiting = False
        first = True
        while self._held:
            event = self._held[0]
            moves_focus = isinstance(event, Key) and self._moves_focus(event)
            if moves_focus and not first:
                self._wait(self._chain())
                return
            self._held.popleft()
            first = False
            self.focus_moves += moves_focus
            text = isinstance(event, Paste) or (not moves_focus and self._is_text(event))
            nodes, screen = self._chain(), self.app.screen
            self._passing = event
            try:
                await self.app.on_event(event)
            finally:
                self._passing = None
            if not text:
                self._waiting, self._screen = True, screen
                self._send(nodes)
                return
