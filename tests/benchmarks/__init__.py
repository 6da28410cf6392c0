"""Start-up, latency and memory benchmarks of the real evtui TUI against a bare Textual floor.

    .venv/bin/python -m tests.benchmarks [--runs N | --quick] [--out FILE]

See run.py for what is measured. Not collected by pytest (conftest.py).
"""
