"""A third-party adapter, registered the way a pip-installed package registers it.

The example of docs/adapters.md (tests/fixtures/acme_evtui) is laid out in a
temporary directory as an installed distribution: the package plus an
`acme_evtui-0.1.dist-info/` with METADATA and entry_points.txt. evtui must find
it through the `evtui.adapters` entry point alone (nothing here imports it),
then look records up through it from the CLI (a real process) and the TUI.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from evtui import adapters
from evtui.config.schema import config_from_data
from evtui.errors import ConfigError
from evtui.pool import AdapterPool

FIXTURE = Path(__file__).parent / "fixtures" / "acme_evtui"
CHARGE = "ch_7Hq2LmX9aP4s"
REBILLED = "ch_Rb1lled00042"


def _fake_acme() -> ModuleType:
    """The example's tiny server, loaded from its file (it does not import the adapter)."""
    spec = importlib.util.spec_from_file_location("fake_acme_for_evtui_tests", FIXTURE / "tests" / "fake_acme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fake_acme = _fake_acme()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory laid out like site-packages after `pip install acme-evtui`."""
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(FIXTURE / "acme_evtui", site / "acme_evtui", ignore=shutil.ignore_patterns("__pycache__"))
    dist = site / "acme_evtui-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-evtui\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[evtui.adapters]\nacme = acme_evtui:AcmeAdapter\n")
    return site


def _forget_acme() -> None:
    for name in [m for m in sys.modules if m == "acme_evtui" or m.startswith("acme_evtui.")]:
        del sys.modules[name]
    adapters.available.cache_clear()


@pytest.fixture
def registered(site: Path) -> Iterator[Path]:
    """The distribution on sys.path for this process; gone again afterwards."""
    _forget_acme()
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    try:
        yield site
    finally:
        sys.path.remove(str(site))
        importlib.invalidate_caches()
        _forget_acme()


@pytest.fixture
def acme() -> Iterator[Any]:
    with fake_acme.FakeAcme() as server:
        yield server


def acme_profile(server: Any, api_key: str = "env:ACME_API_KEY") -> dict[str, Any]:
    return {"adapter": "acme", "base_url": server.base_url, "api_key": api_key}


# -- discovery through the entry point -------------------------------------------------


def test_without_the_distribution_acme_is_unknown() -> None:
    adapters.available.cache_clear()
    assert "acme" not in adapters.available()
    with pytest.raises(ConfigError, match="unknown adapter 'acme'"):
        adapters.load("acme")


def test_the_entry_point_is_found_and_loaded_lazily(registered: Path) -> None:
    found = adapters.available()
    assert {"acme", "corpay", "spirii"} <= set(found)
    assert "acme_evtui" not in sys.modules, "discovery must not import the package"
    cls = adapters.load("acme")
    assert (cls.name, cls.title) == ("acme", "Acme Charge")
    assert [rt.name for rt in cls.record_types] == ["charge"]
    # Loaded from the registered distribution, not from the fixture directory.
    assert Path(sys.modules["acme_evtui"].__file__).is_relative_to(registered)


async def test_lookup_through_the_registered_adapter(registered: Path, acme: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_API_KEY", fake_acme.API_KEY)
    config = config_from_data({"profiles": {"acme": acme_profile(acme)}}, None)
    async with AdapterPool(config) as pool:
        adapter = pool.get("acme")
        record = await adapter.fetch(CHARGE)
        rebilled = await adapter.fetch(REBILLED)
    overview = {f.label: f.value for f in record.overview.fields}
    assert overview["Energy"] == "42.18 kWh (42180 Wh)"
    assert overview["Cost"] == "18.97 EUR"
    assert record.summary == "completed · Acme Depot 3 · 18.97 EUR"
    assert record.exchange is not None and record.exchange.url == f"{acme.base_url}/charges/{CHARGE}"
    assert [(r.record_type, r.record_id) for r in rebilled.related] == [("charge", CHARGE)]
    assert acme.paths == [f"/charges/{CHARGE}", f"/charges/{REBILLED}"]


# -- the command line, in a real process -------------------------------------------------------


def run(site: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(x for x in (str(site), os.environ.get("PYTHONPATH", "")) if x)
    return subprocess.run(
        [sys.executable, "-m", "evtui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
    )


def write_config(tmp_path: Path, acme: Any) -> Path:
    path = tmp_path / "acme.toml"
    path.write_text(
        f'[profiles.acme]\nadapter = "acme"\nbase_url = "{acme.base_url}"\napi_key = "env:ACME_API_KEY"\n'
    )
    path.chmod(0o600)
    return path


KEY = {"ACME_API_KEY": fake_acme.API_KEY}


def test_cli_get_decodes_the_record(site: Path, acme: Any, tmp_path: Path, config_dir: Path) -> None:
    config = write_config(tmp_path, acme)
    result = run(site, "get", "--config", str(config), CHARGE, env=KEY)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith(f"Acme Charge · charge {CHARGE} · profile acme (demo)\n")
    assert "  Energy     42.18 kWh (42180 Wh)  sent in Wh\n" in out
    assert "  Cost       18.97 EUR  sent in minor units\n" in out
    assert "  Status     completed  charging finished and was billed\n" in out
    assert "\n    2026-11-20 08:30:00 UTC  19.87 kWh (19870 Wh)\n" in out
    assert fake_acme.API_KEY not in out
    assert acme.paths == [f"/charges/{CHARGE}"]


def test_cli_get_json_is_the_document(site: Path, acme: Any, tmp_path: Path, config_dir: Path) -> None:
    config = write_config(tmp_path, acme)
    result = run(site, "get", "--config", str(config), "--json", REBILLED, CHARGE, env=KEY)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line) for line in lines] == [fake_acme.CHARGES[REBILLED], fake_acme.CHARGES[CHARGE]]
    assert list(json.loads(lines[0])) == list(fake_acme.CHARGES[REBILLED])


def test_cli_errors_come_from_evtui(site: Path, acme: Any, tmp_path: Path, config_dir: Path) -> None:
    config = write_config(tmp_path, acme)
    invalid = run(site, "get", "--config", str(config), "7Hq2LmX9aP4s", env=KEY)
    assert invalid.returncode == 2
    assert "is not a valid Acme Charge charge id: Acme charge ids start with ch_" in invalid.stderr
    assert acme.paths == [], "an invalid id is never sent"
    missing = run(site, "get", "--config", str(config), "ch_0000000000", env=KEY)
    assert missing.returncode == 3
    assert "Acme Charge has no charge 'ch_0000000000' (HTTP 404: no charge ch_0000000000)" in missing.stderr
    wrong = run(site, "get", "--config", str(config), CHARGE, env={"ACME_API_KEY": "not-the-key"})
    assert wrong.returncode == 4
    assert "not-the-key" not in wrong.stderr and "api_key" in wrong.stderr
    unset = run(site, "get", "--config", str(config), CHARGE, env={"ACME_API_KEY": ""})
    assert unset.returncode == 2 and "ACME_API_KEY" in unset.stderr
    for r in (invalid, missing, wrong, unset):
        assert "Traceback" not in r.stderr


def test_cli_lists_the_adapter_and_its_profile(site: Path, acme: Any, tmp_path: Path, config_dir: Path) -> None:
    config = write_config(tmp_path, acme)
    profiles = run(site, "profiles", "--config", str(config))
    assert profiles.returncode == 0, profiles.stderr
    assert "acme" in profiles.stdout and "api_key from env:ACME_API_KEY" in profiles.stdout
    info = run(site, "info", "--config", str(config))
    assert info.returncode == 0, info.stderr
    adapters_line = next(line for line in info.stdout.splitlines() if line.startswith("adapters"))
    assert "acme" in [name.strip(",") for name in adapters_line.split()[1:]]
    # Without the distribution on the path, the same config names an unknown adapter.
    bare = subprocess.run(
        [sys.executable, "-m", "evtui", "get", "--config", str(config), CHARGE],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert bare.returncode == 2 and "unknown adapter 'acme'" in bare.stderr


def test_cli_watch_stops_when_the_charge_is_final(site: Path, acme: Any, tmp_path: Path, config_dir: Path) -> None:
    config = write_config(tmp_path, acme)
    result = run(site, "watch", "--config", str(config), CHARGE, env=KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("final: status completed is final")
    assert acme.paths == [f"/charges/{CHARGE}"]


# -- the TUI -------------------------------------------------------------------------------------


async def until(pilot: Any, condition: Callable[[], bool], what: str, tries: int = 500) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"timed out waiting for: {what}")


def rendered_text(widget: Any) -> str:
    return "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


async def test_tui_lookup_through_the_registered_adapter(
    registered: Path, acme: Any, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evtui.tui.app import EvtuiApp
    from evtui.tui.fields import FieldList

    monkeypatch.setenv("ACME_API_KEY", fake_acme.API_KEY)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    config = config_from_data({"profiles": {"acme": acme_profile(acme)}}, None)
    app = EvtuiApp(config)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        assert app.focused is main.search.input
        await pilot.press(*CHARGE)
        assert main.search.input.value == CHARGE
        await pilot.press("enter")
        await until(pilot, lambda: main.detail.mode in ("record", "error"), "the lookup")
        assert main.detail.mode == "record", rendered_text(main.detail.query_one("ErrorPanel"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert main.detail.shown.record.record_id == CHARGE
        overview = rendered_text(main.detail.query(FieldList).first())
        assert "42.18 kWh (42180 Wh)" in overview
        assert "18.97 EUR" in overview
        assert "Acme Depot 3" in overview
        tabs = [p.id for p in main.detail.record_view.tabs.query("TabPane")]
        assert tabs == ["tab-overview", "tab-meter", "tab-raw", "tab-http"]
    assert acme.paths == [f"/charges/{CHARGE}"]


# -- the example's own tests, as its author runs them ------------------------------------------


def test_the_examples_own_test_suite_passes(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "acme-evtui"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1", "TZ": "UTC"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout


# -- the guide quotes the example as it is -------------------------------------------------------


GUIDE = Path(__file__).parent.parent / "docs" / "adapters.md"


def quoted_blocks() -> list[tuple[str, str]]:
    """(file, text) of every fenced block in the guide whose first line names an example file."""
    blocks: list[tuple[str, str]] = []
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("```") and len(lines[i]) > 3 and i + 1 < len(lines):
            header = lines[i + 1].strip()
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            if header.startswith("# ") and (FIXTURE / header[2:]).is_file():
                blocks.append((header[2:], "\n".join(lines[i + 2 : end])))
            i = end
        i += 1
    return blocks


def test_the_guide_quotes_the_example_verbatim() -> None:
    blocks = quoted_blocks()
    quoted_files = {name for name, _ in blocks}
    assert {"acme_evtui/__init__.py", "pyproject.toml", "tests/fake_acme.py", "tests/test_acme.py"} <= quoted_files
    for name, text in blocks:
        source = (FIXTURE / name).read_text(encoding="utf-8")
        # "# ..." lines mark elisions: every piece between them is in the file as written.
        pieces = [piece.strip("\n") for piece in text.split("\n# ...\n")]
        for piece in pieces:
            assert piece and piece in source, f"docs/adapters.md quotes lines that are not in {name}:\n{piece}"


def test_the_guide_names_what_the_tests_check() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert '[project.entry-points."evtui.adapters"]\nacme = "acme_evtui:AcmeAdapter"' in text
    assert "tests/fixtures/acme_evtui/" in text
    assert "X-API-Key" in text and "GET {base_url}/charges/{id}" in text


# -- the contract: one module to import from -----------------------------------------------------


def test_the_example_imports_evtui_only_through_the_public_module() -> None:
    import ast

    source = (FIXTURE / "acme_evtui" / "__init__.py").read_text(encoding="utf-8")
    evtui_imports = sorted(
        {
            node.module or ""
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "evtui"
        }
        | {
            alias.name
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Import)
            for alias in node.names
            if alias.name.split(".")[0] == "evtui"
        }
    )
    assert evtui_imports == ["evtui.adapters.api"]


def test_the_public_module_holds_what_the_guide_names() -> None:
    from evtui.adapters import api

    text = GUIDE.read_text(encoding="utf-8")
    named = ("Adapter", "AdapterSettings", "Presenter", "ProviderModel", "RecordType", "Related", "Secret", "Section", "Table",
             "Found", "Field", "Chart", "LazyRows", "CredentialsRejected", "MalformedResponse", "ProviderError", "NotFound",
             "decode", "derived", "decoded", "leftover_fields", "shown_paths", "with_others", "summary", "sent_value",
             "yes_no", "major_money", "minor_money", "make_client")
    for name in named:
        assert f"`{name}" in text or f" {name}," in text or f"    {name},\n" in text, f"the guide does not name {name}"
        assert name in api.__all__ and hasattr(api, name), name
    assert sorted(api.__all__) == sorted(set(api.__all__))
