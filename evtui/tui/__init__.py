"""The terminal UI (textual). Nothing outside this package imports textual.

`evtui.tui.app.run_app` is the entry point the CLI calls.
"""
