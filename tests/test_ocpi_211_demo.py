"""The demo's OCPI 2.1.1 CPO as a profile of its own (demo-ocpi211), and titles that say the
version discovery negotiated rather than the one the adapter class was written for."""

from __future__ import annotations

from pathlib import Path

from evtui.demo.server import DemoServer, demo_config, demo_profiles
from evtui.pool import AdapterPool

from .test_cli import no_traceback, run
from .test_tui import make_app, rendered_text, server, until  # noqa: F401  (server: the fixture)

SESSION_ID, CDR_ID = "CPO-SES-211-0042", "CPO-CDR-211-0042"


def test_the_demo_lists_a_2_1_1_profile_after_the_providers_own_with_its_examples(server: DemoServer) -> None:  # noqa: F811
    profiles = demo_profiles(server)
    names = list(profiles)
    assert names == [*(f"demo-{prefix}" for prefix in server.providers), "demo-ocpi211"]
    table, examples = profiles["demo-ocpi211"]
    assert table["adapter"] == "ocpi"
    assert table["versions_url"] == f"{server.base_url('ocpi')}/v211/versions"
    assert examples == (SESSION_ID, CDR_ID)
    assert list(demo_config(server).profiles) == names


async def test_the_title_says_the_version_negotiated_and_none_before(server: DemoServer) -> None:  # noqa: F811
    async with AdapterPool(demo_config(server)) as pool:
        old, new = pool.get("demo-ocpi211"), pool.get("demo-ocpi")
        assert old.title == new.title == "CPO (OCPI)"
        record = await old.fetch(CDR_ID, "cdr")
        await new.fetch("CPO-SES-4711", "session")
        assert old.title == "CPO (OCPI 2.1.1)" and new.title == "CPO (OCPI 2.2.1)"
        assert "OCPI 2.1.1" in record.summary


def test_evtui_get_on_the_2_1_1_demo_titles_its_records_2_1_1(config_dir: Path) -> None:
    for args, first in (
        (("--type", "cdr", CDR_ID), f"CPO (OCPI 2.1.1) · cdr {CDR_ID} · profile demo-ocpi211 (demo)"),
        ((SESSION_ID,), f"CPO (OCPI 2.1.1) · session {SESSION_ID} · profile demo-ocpi211 (demo)"),
    ):
        result = run("get", "--demo", "-p", "demo-ocpi211", *args)
        no_traceback(result)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0] == first
        assert "OCPI 2.2.1" not in result.stdout and "Keizersgracht" in result.stdout


async def test_the_inspector_header_of_a_2_1_1_record_says_2_1_1(server: DemoServer, config_dir: Path) -> None:  # noqa: F811
    app = make_app(server, profile="demo-ocpi211")
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await until(pilot, lambda: app.focused is main.search.input, "the id field focused")
        await pilot.press(*SESSION_ID, "enter")
        await until(pilot, lambda: main.detail.mode == "record", "the 2.1.1 session")
        header = rendered_text(main.detail.query_one("#record-header"))
        assert "OCPI 2.1.1" in header and "OCPI 2.2.1" not in header, header
