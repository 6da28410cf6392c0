"""The terminal UI (textual). Nothing outside this package imports textual.

`evtui.tui.app.run_app` is the entry point the CLI calls.
"""

#: Seconds after mounting before start-up work begins on threads (validation, imports,
#: SQLite). The first frame is written to the terminal by Textual's writer thread; a thread
#: busy importing competes with it for the GIL and delayed the frame by 50-100 ms on 2 CPUs.
AFTER_FIRST_FRAME = 0.1
