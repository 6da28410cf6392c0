"""The terminal UI (textual). Nothing outside this package imports textual.

`evtui.tui.app.run_app` is the entry point the CLI calls.
"""

import sys

#: Seconds after mounting before start-up work begins on threads (validation, imports,
#: SQLite). The first frame is written to the terminal by Textual's writer thread; a thread
#: busy importing competes with it for the GIL and delayed the frame by 50-100 ms on 2 CPUs.
AFTER_FIRST_FRAME = 0.1

#: Seconds a thread holds the GIL before one waiting for it takes its turn, once start-up is
#: over (Python's default, 0.005, until then). See `frames_written_at_once`.
SWITCH_INTERVAL = 0.0005


def frames_written_at_once() -> None:
    """Textual hands each frame to its writer thread. With the UI thread busy after a frame (an
    answer's history row, the focus, validation starting), the writer waited for the GIL the
    whole default switch interval: a warm answer reached the terminal 5-6 ms after it was drawn
    (tmux timeline of 8 lookups). At 0.5 ms it is written at once, and keys (the input thread)
    are read as soon. Not during start-up: there the threads importing and reading the CA
    bundle took turns with the UI thread ten times as often, and the first answer came later."""
    sys.setswitchinterval(SWITCH_INTERVAL)


class Bound:
    """`func(*args)` as a callback for call_later / call_next with no arguments of its own.

    Given arguments, Textual wraps the callback in a new functools.partial and, running it,
    reads that partial's signature (inspect.signature, 20-30 µs) to count what to pass: a
    key's step through the focus chain (key_order.py) paid it at every node. This callable
    says it takes none, once for all."""

    __slots__ = ("func", "args")
    #: What Textual's count_parameters reads before it inspects a callable.
    _param_count = 0

    def __init__(self, func, *args) -> None:  # type: ignore[no-untyped-def]
        self.func, self.args = func, args

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.func(*self.args)
