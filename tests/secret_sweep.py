"""After the whole suite: no test secret anywhere evtui writes or prints.

Every secret a test or the demo uses is found by name (a module-level
`...SECRET = "..."`, `...API_KEY = "..."`, `...TOKEN = "..."` in the demo and
the tests). At the end of the session this plugin looks for each of them, and
its base64 form, in what evtui left behind: every file under the session's
temporary directory except the config files tests write on purpose (history
databases with their WAL and journals, state, exports, screenshots), the
screenshots and snapshots in the repository, and everything pytest captured
from every test (stdout, stderr, logs, failure reports). One hit fails the run.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_NAMED = re.compile(r'^\s*[A-Z_]*(?:SECRET|API_KEY|TOKEN)[A-Z_]*\s*=\s*"([^"\n]{6,})"', re.M)
#: Files a test writes a literal secret into on purpose (the config it hands evtui).
_EXPECTED_HOLDERS = (".toml", ".env")


def _secrets() -> set[bytes]:
    found: set[bytes] = set()
    for path in [*(ROOT / "evtui" / "demo").glob("*.py"), *(ROOT / "tests").rglob("*.py")]:
        for value in _NAMED.findall(path.read_text(encoding="utf-8")):
            raw = value.encode()
            found |= {raw, base64.b64encode(raw)}
    return found


class SecretSweep:
    def __init__(self) -> None:
        self.secrets = _secrets()
        self.hits: list[str] = []

    def _look(self, where: str, data: bytes) -> None:
        for secret in self.secrets:
            if secret in data:
                self.hits.append(f"{where}: {secret.decode()!r}")

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, text in report.sections:
            self._look(f"{report.nodeid} ({name})", text.encode("utf-8", "replace"))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if getattr(session.config, "workerinput", None) is not None or session.testscollected < 100:
            return  # a few tests picked by hand: the sweep means something only over the whole suite
        basetemp = session.config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
        places = [p for p in basetemp.rglob("*") if p.is_file() and not p.is_symlink() and p.suffix not in _EXPECTED_HOLDERS]
        places += [*(ROOT / "screenshots").glob("*.svg"), *(ROOT / "tests" / "__snapshots__").rglob("*.svg")]
        for path in places:
            if path.name == "config.toml" or path.name.endswith(".py"):
                continue
            try:
                self._look(str(path), path.read_bytes())
            except OSError:
                continue
        if self.hits:
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line("secret sweep: test secrets found where evtui wrote or printed:", red=True)
                for hit in self.hits[:50]:
                    reporter.write_line(f"  {hit}", red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
