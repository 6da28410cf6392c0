"""The config package: how its modules depend on each other, range checks and warnings."""

from __future__ import annotations

import json
import subprocess
import sys


def _imported_after(statement: str, names: tuple[str, ...]) -> list[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(m for m in {names!r} if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_reading_the_file_costs_no_pydantic():
    assert _imported_after("import evtui.config.file, evtui.config.paths", ("pydantic", "evtui.config.schema")) == []


def test_the_schema_does_not_import_the_reader():
    # The dependency runs one way (file -> schema, when validating): no import circle.
    loaded = _imported_after("import evtui.config.schema", ("evtui.config.file", "evtui.config.starter"))
    assert loaded == []
