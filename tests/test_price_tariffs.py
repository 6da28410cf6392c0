"""Where the price check's tariffs come from when a record does not embed them: the CPO's
Tariffs module (discovered, paged, cached per profile, shown in the HTTP tab), and the
station's time zone. Over real HTTP against the demo CPO."""

from __future__ import annotations

import pytest

from evtui.adapters.ocpi import OcpiAdapter
from evtui.demo.server import DemoServer
from evtui.pool import AdapterPool
from evtui.record import Record
from tests.test_ocpi import config, demo, ocpi, pinned, server  # noqa: F401
from tests.test_cli import no_traceback, run


def price_fields(record: Record) -> dict[str, str]:
    section = record.section("price")
    assert section is not None, "no Price check section"
    return {f.label: f.value for f in section.fields}


def notes_of(record: Record) -> list[str]:
    assert record.exchange is not None
    return list(record.exchange.notes)


async def test_cdr_without_embedded_tariffs_is_priced_from_the_tariffs_module(ocpi: OcpiAdapter, server: DemoServer) -> None:
    record = await ocpi.fetch("CPO-CDR-PRICE-REMOTE", "cdr")
    assert "tariffs" not in record.document
    fields = price_fields(record)
    assert fields["Verdict"].startswith("matches"), fields["Verdict"]
    assert fields["Time zone"] == "Europe/Amsterdam"  # from the CDR's location (NLD has one zone)
    notes = notes_of(record)
    assert any(n.startswith("tariffs page 1: GET http://") and "/2.2.1/tariffs" in n and "every wanted tariff found" in n for n in notes), notes
    assert any("tariffs SENDER http://" in n for n in notes)
    assert server.counts["ocpi.tariffs"] == 1


async def test_fetched_tariffs_are_cached_for_the_profile(ocpi: OcpiAdapter, server: DemoServer) -> None:
    await ocpi.fetch("CPO-CDR-PRICE-REMOTE", "cdr")
    again = await ocpi.fetch("CPO-CDR-PRICE-REMOTE", "cdr")
    assert server.counts["ocpi.tariffs"] == 1  # the second lookup did not list tariffs again
    assert price_fields(again)["Verdict"].startswith("matches")
    assert any("reused from earlier in this session" in n for n in notes_of(again))


async def test_cdr_with_embedded_tariffs_fetches_none(ocpi: OcpiAdapter, server: DemoServer) -> None:
    record = await ocpi.fetch("CPO-CDR-PRICE-OK", "cdr")
    assert price_fields(record)["Verdict"].startswith("matches")
    assert server.counts["ocpi.tariffs"] == 0


async def test_tariff_the_cpo_does_not_list_leaves_the_check_unable(ocpi: OcpiAdapter, server: DemoServer) -> None:
    demo(server).tariffs.clear()
    record = await ocpi.fetch("CPO-CDR-PRICE-REMOTE", "cdr")
    assert price_fields(record)["Verdict"].startswith("cannot check")
    assert any(n.startswith("tariffs not listed by the CPO") and "dmo-t-kwh" in n for n in notes_of(record))
    await ocpi.fetch("CPO-CDR-PRICE-REMOTE", "cdr")
    assert server.counts["ocpi.tariffs"] == 1  # known not listed: not asked again this session


async def test_no_tariffs_module_is_said_not_fatal(server: DemoServer) -> None:
    async with AdapterPool(config(server)) as pool:
        adapter = pinned(pool)
        await adapter.cpo.discover([], "c")
        adapter.cpo._endpoints.pop("tariffs")  # a CPO whose details offer no tariffs module
        record = await adapter.fetch("CPO-CDR-PRICE-REMOTE", "cdr")
    assert price_fields(record)["Verdict"].startswith("cannot check")
    assert any("offers no tariffs SENDER endpoint" in n for n in notes_of(record))
    assert server.counts["ocpi.tariffs"] == 0


async def test_session_in_progress_gets_an_estimate_so_far_from_its_fetched_tariff(ocpi: OcpiAdapter, server: DemoServer) -> None:
    record = await ocpi.fetch("CPO-SES-4712", "session")
    assert record.document["status"] == "ACTIVE"
    fields = price_fields(record)
    assert any("an estimate so far" in v for k, v in fields.items() if k.startswith("Warning")), fields
    section = record.section("price")
    assert section is not None
    (table,) = section.tables
    rows = list(table.rows)
    assert [r[1] for r in rows] == ["ENERGY", "ENERGY"] and all(r[8].startswith("NL-DMO-DC50 ") for r in rows)
    # The session sends no cost so far: nothing to compare with, and the verdict says so.
    assert fields["Verdict"].startswith("cannot check") and "total_cost" in fields["Verdict"]
    assert server.counts["ocpi.tariffs"] == 1


@pytest.mark.usefixtures("config_dir")
def test_cli_get_shows_a_price_verdict_for_the_demo_cdr_without_tariffs() -> None:
    result = run("get", "--demo", "-p", "demo-ocpi", "--type", "cdr", "CPO-CDR-PRICE-REMOTE")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    price = result.stdout.split("Price check", 1)[1]
    assert "Verdict     matches (within 0.01 EUR)" in price
    assert "cannot check" not in price
