"""The terminal UI (textual). Nothing outside this package imports textual.

`evtui.tui.app.run_app` is the entry point the CLI calls.
"""

#: Seconds after mounting before start-up work begins on threads (validation, imports,
#: SQLite). The first frame is written to the terminal by Textual's writer thread; a thread
#: busy importing competes with it for the GIL and delayed the frame by 50-100 ms on 2 CPUs.
AFTER_FIRST_FRAME = 0.1


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
