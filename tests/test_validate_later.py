"""Model validation after showing (issue 16): the record is on screen before validation ran,
its findings join Problems when ready, never on another record; `evtui get` prints them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from evtui.adapters import records
from evtui.demo.server import DemoServer, demo_config
from evtui.lookup import lookup, validate_later, validating_later
from evtui.pool import AdapterPool
from evtui.tui.fields import FieldList
from tests.test_cli import corpay_profile, no_traceback, run, write_config
from tests.test_tui import _env, make_app, rendered_text, server, settle, switch_profile_by_keys, until  # noqa: F401

#: What the Corpay model says of a field it does not describe: only validation finds it.
FINDING = "unknown field vendorNote (shown as sent)"


def with_unknown_field(server: DemoServer, session_id: str, base: str = "AAdmD55q8Vz") -> None:
    demo = server.providers["corpay"]
    demo.sessions[session_id] = dict(demo.sessions[base], sessionId=session_id, vendorNote="from the CPO's new release")


def hold_validation(
    monkeypatch: pytest.MonkeyPatch, record_id: str, record_type: str | None = None
) -> tuple[threading.Event, threading.Event]:
    """Model validation of `record_id` waits (in its worker thread) until `release` is set; `done` when it ran."""
    release, done = threading.Event(), threading.Event()
    validated = records.validated

    def held(record):
        mine = record.record_id == record_id and record_type in (None, record.record_type)
        if mine:
            release.wait(timeout=10)
        try:
            return validated(record)
        finally:
            if mine:
                done.set()

    monkeypatch.setattr(records, "validated", held)
    return release, done


def header(main) -> str:
    return rendered_text(main.detail.query_one("#record-header"))


async def test_the_record_shows_first_and_its_model_findings_join_problems(server, monkeypatch):
    with_unknown_field(server, "NewField001")
    release, done = hold_validation(monkeypatch, "NewField001")
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        try:
            await pilot.press(*"NewField001", "enter")
            await until(pilot, lambda: main.detail.mode == "record", "the record on screen")
            # On screen while validation still waits: without its finding.
            assert not done.is_set()
            assert FINDING not in main.detail.shown.record.problems
            assert "problem" not in header(main)
        finally:
            release.set()
        await until(pilot, lambda: FINDING in main.detail.shown.record.problems, "the finding joined")
        await settle(app, pilot)
        assert "⚠ 1 problem" in header(main)
        view = main.detail.record_view
        while view.tabs.active != "tab-problems":
            before = view.tabs.active
            await pilot.press("right_square_bracket")
            await until(pilot, lambda: view.tabs.active != before, "the next tab")
        await settle(app, pilot)
        await until(pilot, lambda: bool(view.tabs.get_pane("tab-problems").query(FieldList)), "the Problems tab laid out")
        assert FINDING in rendered_text(view.tabs.get_pane("tab-problems").query(FieldList).first())


async def test_a_late_finding_never_lands_on_the_next_record(server, monkeypatch):
    with_unknown_field(server, "NewField001")
    release, done = hold_validation(monkeypatch, "NewField001")
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        try:
            await pilot.press(*"NewField001", "enter")
            await until(pilot, lambda: main.detail.mode == "record", "the first record")
            await pilot.press("ctrl+l", *"AAdmD55q8Vz", "enter")
            await until(
                pilot,
                lambda: main.detail.shown is not None and main.detail.shown.record.record_id == "AAdmD55q8Vz",
                "the second record",
            )
            await settle(app, pilot)
        finally:
            release.set()
        await until(pilot, done.is_set, "the first record's validation ran")
        await settle(app, pilot)
        shown = main.detail.shown.record
        assert shown.record_id == "AAdmD55q8Vz"
        assert FINDING not in shown.problems
        assert "NewField001" not in header(main) and "problem" not in header(main)


async def test_a_record_left_before_its_validation_gets_it_when_esc_returns_to_it(server, monkeypatch):
    demo = server.providers["spirii"]
    demo.transactions["12345678"] = dict(demo.transactions["12345678"], vendorNote="from the CPO's new release")
    release, done = hold_validation(monkeypatch, "12345678", "transaction")
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        try:
            await switch_profile_by_keys(app, pilot, "demo-spirii")
            await pilot.press(*"12345678", "enter")
            await until(pilot, lambda: main.detail.mode == "record", "the transaction")
            await pilot.press("f9")  # its charge record, while the transaction's validation still waits
            await until(
                pilot, lambda: main.detail.shown is not None and main.detail.shown.record.record_type != "transaction", "related"
            )
        finally:
            release.set()
        await until(pilot, done.is_set, "the transaction's first validation ran")
        await settle(app, pilot)
        assert FINDING not in main.detail.shown.record.problems
        await pilot.press("escape")
        await until(
            pilot, lambda: main.detail.shown is not None and main.detail.shown.record.record_type == "transaction", "back"
        )
        await until(pilot, lambda: FINDING in main.detail.shown.record.problems, "the finding joined on return")
        await settle(app, pilot)
        assert "⚠ 1 problem" in header(main)


async def test_a_record_built_for_later_validation_ends_as_one_validated_at_once(server):
    with_unknown_field(server, "NewField001")
    async with AdapterPool(demo_config(server)) as pool:
        adapter = pool.get("demo-corpay")
        whole = await lookup(adapter, "NewField001")
        with validating_later():
            early = await lookup(adapter, "NewField001")
        assert FINDING in whole.problems and whole.validation is None
        assert FINDING not in early.problems
        late = await validate_later(adapter, early)
        assert late is not None and late.validation is None
        assert (late.problems, late.sections, late.summary) == (whole.problems, whole.sections, whole.summary)
        # Nothing to add: nothing to update on screen.
        with validating_later():
            clean = await lookup(adapter, "AAdmD55q8Vz")
        assert clean.validation is not None and await validate_later(adapter, clean) is None
        assert clean.validation is None, "validated once"


async def test_a_record_validation_finds_nothing_in_is_not_presented_again(server):
    # Presenting the 5 MB session again took as long as validating it: only findings are worth it.
    async with AdapterPool(demo_config(server)) as pool:
        adapter = pool.get("demo-corpay")
        with validating_later():
            clean = await lookup(adapter, "AAdmD55q8Vz")
        presented = []
        present = adapter.present
        adapter.present = lambda *args: presented.append(args) or present(*args)
        assert await validate_later(adapter, clean) is None
        assert presented == []


def test_get_prints_the_model_findings(config_dir: Path, demo_server: DemoServer) -> None:
    with_unknown_field(demo_server, "NewField001")
    write_config(config_dir, corpay_profile(demo_server))
    result = run("get", "NewField001")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert FINDING in result.stdout


#: Shows a record of each built-in adapter as a screen does, then validates them: which modules were loaded when.
_IMPORTS_PROBE = """
import asyncio, sys
from evtui.demo.server import DemoServer, demo_config
from evtui.lookup import lookup, validate_later, validating_later
from evtui.pool import AdapterPool

IDS = {"demo-corpay": "AAdmD55q8Vz", "demo-spirii": "12345678", "demo-ocpi": "CPO-SES-4711", "demo-ampeco": "48213", "demo-monta": "1000000015"}

def loaded():
    return sorted(m for m in sys.modules if m.startswith("evtui.adapters.") and (m.endswith(".models") or m.endswith(".validation")))

async def main():
    with DemoServer() as server:
        async with AdapterPool(demo_config(server)) as pool:
            with validating_later():
                shown = [await lookup(pool.get(p), i) for p, i in IDS.items()]
            print("shown:", loaded())
            for record in shown:
                await validate_later(pool.get(record.profile), record)
            print("validated:", loaded())

asyncio.run(main())
"""


def test_provider_models_load_only_when_a_record_is_validated() -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _IMPORTS_PROBE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    shown, validated = result.stdout.splitlines()
    assert shown == "shown: []"
    for name in ("validation", "corpay.models", "spirii.models", "ocpi.models", "ampeco.models", "monta.models"):
        assert f"evtui.adapters.{name}" in validated


def test_period_times_still_find_a_period_that_ends_before_it_starts() -> None:
    # The check skips its arithmetic for periods without time volumes, but not for one of negative length.
    from evtui.adapters.ocpi import checks
    from evtui.adapters.present import Presenter

    energy = [{"type": "ENERGY", "volume": 1.5}]
    document = {
        "start_date_time": "2026-11-20T10:00:00Z",
        "end_date_time": "2026-11-20T12:00:00Z",
        "charging_periods": [
            {"start_date_time": "2026-11-20T11:00:00Z", "dimensions": energy},
            {"start_date_time": "2026-11-20T10:00:00Z", "dimensions": energy},
            {"start_date_time": "2026-11-20T10:30:00Z", "dimensions": [{"type": "TIME", "volume": 2}]},
        ],
    }
    found = {f.label: f.value for f in checks._period_times(Presenter(document, []))}
    assert found == {
        "Period 1 time": "time volumes sum to 0 h, the period lasts -1 h",
        "Period 3 time": "time volumes sum to 2 h, the period lasts 1.5 h",
    }
