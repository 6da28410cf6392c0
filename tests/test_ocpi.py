"""The OCPI 2.2.1 adapter (an eMSP pulling from a CPO) against the demo CPO, over real HTTP."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from evtui import progress
from evtui.adapters.ocpi import OcpiAdapter, parse_links, parse_page
from evtui.adapters.ocpi.paging import read_page
from evtui.transport.body import hostile_findings
from evtui.config.schema import config_from_data
from evtui.demo.ocpi import TOKEN, DemoObject, OcpiDemo
from evtui.demo.server import DemoServer
from evtui.errors import ConfigError, CredentialsRejected, InvalidId, NotFound, ProviderError
from evtui.pool import AdapterPool
from evtui.record import Chart, LazyRows, Record, Related

from .test_cli import no_traceback, run

#: The demo's anchor and the adapter's clock in these tests: every time below follows from it.
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture
def server(demo_server: DemoServer) -> DemoServer:
    demo_server.providers["ocpi"] = OcpiDemo(now=NOW)
    return demo_server


def demo(server: DemoServer) -> OcpiDemo:
    provider = server.providers["ocpi"]
    assert isinstance(provider, OcpiDemo)
    return provider


def config(server: DemoServer, variant: str = "", **overrides: object):
    table = demo(server).profile(server.base_url("ocpi")) | overrides
    if variant:
        table["versions_url"] = f"{server.base_url('ocpi')}/{variant}/versions"
    return config_from_data({"profiles": {"o": table}}, None)


def pinned(pool: AdapterPool) -> OcpiAdapter:
    adapter = pool.get("o")
    assert isinstance(adapter, OcpiAdapter)
    adapter.now = lambda: NOW  # type: ignore[method-assign]
    return adapter


@pytest.fixture
async def ocpi(server: DemoServer):
    async with AdapterPool(config(server)) as pool:
        yield pinned(pool)


def values(record: Record, section: str) -> dict[str, str]:
    sec = record.section(section)
    assert sec is not None, f"no section {section}"
    return {f.label: f.value for f in sec.fields}


def field(record: Record, section: str, label: str):
    sec = record.section(section)
    assert sec is not None
    return next(f for f in sec.fields if f.label == label)


def pages_scanned(record: Record) -> int:
    assert record.exchange is not None
    return sum(1 for n in record.exchange.notes if re.match(r"page \d+: GET ", n))


# -- finding records by scanning pages ---------------------------------------------------



async def test_session_is_found_on_a_later_page(ocpi: OcpiAdapter, server: DemoServer) -> None:
    record = await ocpi.fetch("CPO-SES-4711")
    assert record.document["id"] == "CPO-SES-4711"
    # 130 sessions in the 30-day window, 50 a page (the CPO caps the limit of 100 asked for).
    assert pages_scanned(record) == 3
    assert server.counts["ocpi.sessions"] == 3
    assert record.exchange is not None
    assert record.exchange.status == 200 and "offset=100&limit=50" in record.exchange.url
    assert ("x-total-count", "130") in [(k.lower(), v) for k, v in record.exchange.response_headers]
    notes = "\n".join(record.exchange.notes)
    assert "versions 2.1.1, 2.2.1" in notes
    assert "sessions SENDER http://" in notes and "cdrs SENDER http://" in notes
    assert "page 1: GET" in notes and "(X-Total-Count 130, X-Limit 50)" in notes
    assert "scanning sessions last updated from 2026-10-23T12:00:00Z to 2026-11-22T12:00:00Z (window_days = 30)" in notes


async def test_cdr_is_found_on_a_later_page(ocpi: OcpiAdapter, server: DemoServer) -> None:
    record = await ocpi.fetch("CPO-CDR-4711", "cdr")
    assert record.document["id"] == "CPO-CDR-4711"
    assert pages_scanned(record) == 2 and server.counts["ocpi.cdrs"] == 2
    assert server.counts["ocpi.sessions"] == 0


async def test_cdr_is_found_by_its_session_id(ocpi: OcpiAdapter) -> None:
    record = await ocpi.fetch("CPO-SES-4711", "cdr")
    # The CDR's own id labels it (history, copy); the overview says which session id found it.
    assert record.record_id == "CPO-CDR-4711"
    assert record.document["id"] == "CPO-CDR-4711"
    found_by = field(record, "overview", "Found by")
    assert found_by.value == "session id CPO-SES-4711" and found_by.flag == "derived"
    assert record.overview is not None and record.overview.fields[1].label == "Found by"
    assert record.exchange is not None
    assert "found CDR CPO-CDR-4711 by its session_id 'CPO-SES-4711'" in record.exchange.notes


async def test_ids_match_case_insensitively(ocpi: OcpiAdapter) -> None:
    # OCPI ids are CiStrings.
    assert (await ocpi.fetch("cpo-ses-4711")).document["id"] == "CPO-SES-4711"


async def test_a_record_in_the_oldest_page_takes_one_page(ocpi: OcpiAdapter) -> None:
    record = await ocpi.fetch("CPO-SES-1001")
    assert pages_scanned(record) == 1
    assert values(record, "overview")["Start"] == "2026-10-23 13:50:00 UTC"


async def test_not_found_after_the_window_says_what_was_scanned(ocpi: OcpiAdapter, server: DemoServer) -> None:
    with pytest.raises(NotFound) as info:
        await ocpi.fetch("CPO-SES-0815")  # 45 days back
    message = info.value.message
    assert "from 2026-10-23 12:00 UTC to 2026-11-22 12:00 UTC" in message
    assert "130 sessions" in message and "3 pages scanned" in message
    assert "--since" in info.value.hint and "window_days (now 30)" in info.value.hint and "'o'" in info.value.hint
    assert info.value.exit_code == 3
    assert server.counts["ocpi.sessions"] == 3


async def test_since_looks_further_back(ocpi: OcpiAdapter) -> None:
    since = NOW - timedelta(days=50)
    record = await ocpi.fetch("CPO-SES-0815", since=since)
    assert record.document["id"] == "CPO-SES-0815"
    assert record.exchange is not None
    assert any("from 2026-10-03T12:00:00Z" in n and "(--since)" in n for n in record.exchange.notes)
    # The CDR of that session, by its session id, with the same window.
    cdr = await ocpi.fetch("CPO-SES-0815", "cdr", since=since)
    assert cdr.document["id"] == "CPO-CDR-0815"
    with pytest.raises(NotFound):
        await ocpi.fetch("CPO-SES-0815", "cdr")


async def test_window_days_setting_widens_the_scan(server: DemoServer) -> None:
    async with AdapterPool(config(server, window_days=60)) as pool:
        record = await pinned(pool).fetch("CPO-SES-0815")
    assert record.document["id"] == "CPO-SES-0815"


async def test_a_window_the_cpo_refuses_is_a_client_error(ocpi: OcpiAdapter) -> None:
    with pytest.raises(ProviderError) as info:
        await ocpi.fetch("CPO-SES-0815", since=NOW - timedelta(days=120))
    assert "HTTP 400" in info.value.message and "2001" in info.value.message
    assert "date_from may be at most 90 days back" in info.value.message
    assert "shorter --since" in info.value.hint and "X-Correlation-ID" in info.value.hint


async def test_since_in_the_future_is_refused_before_scanning(ocpi: OcpiAdapter, server: DemoServer) -> None:
    from evtui.errors import UsageError

    with pytest.raises(UsageError):
        await ocpi.fetch("CPO-SES-4711", since=NOW + timedelta(days=1))
    assert server.counts["ocpi.sessions"] == 0


# -- progress, cancellation, discovery --------------------------------------------------


async def test_progress_is_reported_after_each_page(ocpi: OcpiAdapter) -> None:
    seen: list[progress.Progress] = []
    with progress.reporting(seen.append):
        await ocpi.fetch("CPO-SES-4711")
    assert [p.message for p in seen] == [
        "Scanned 1 page, 50 of 130 sessions",
        "Scanned 2 pages, 100 of 130 sessions",
        "Scanned 3 pages, 130 of 130 sessions",
    ]
    seen.clear()
    with progress.reporting(seen.append):
        await ocpi.fetch("12345", "cdr")
    assert [p.message for p in seen] == ["Scanned 1 page, 50 of 67 CDRs", "Scanned 2 pages, 67 of 67 CDRs"]


async def test_a_scan_can_be_cancelled(ocpi: OcpiAdapter, server: DemoServer) -> None:
    task: asyncio.Task[Record] | None = None

    def cancel_after_first_page(p: progress.Progress) -> None:
        assert task is not None
        task.cancel()

    with progress.reporting(cancel_after_first_page):
        task = asyncio.create_task(ocpi.fetch("CPO-SES-4711"))
    with pytest.raises(asyncio.CancelledError):
        await task
    assert server.counts["ocpi.sessions"] == 1
    # Nothing is left locked or half-done: the next lookup works.
    assert (await ocpi.fetch("CPO-SES-4711")).document["id"] == "CPO-SES-4711"


async def test_discovery_happens_once_for_many_lookups(ocpi: OcpiAdapter, server: DemoServer) -> None:
    ids = [("CPO-SES-4711", "session"), ("CPO-SES-4712", "session"), ("CPO-SES-1001", "session"),
           ("CPO-CDR-4711", "cdr"), ("12345", "cdr"), ("CPO-SES-4711", "cdr")]
    records = await asyncio.gather(*(ocpi.fetch(i, t) for i, t in ids))
    # The CDR asked for by its session id is labelled with its own id.
    assert [r.record_id for r in records] == [i for i, _ in ids[:-1]] + ["CPO-CDR-4711"]
    await ocpi.fetch("101")
    assert server.counts["ocpi.versions"] == 1
    assert server.counts["ocpi.details"] == 1
    assert any(n.startswith("reused the endpoints discovered at") for n in records[-1].exchange.notes)  # type: ignore[union-attr]


async def test_headers_carry_token_request_and_correlation_ids(server: DemoServer) -> None:
    async with AdapterPool(config(server, country_code="de", party_id="emp")) as pool:
        await pinned(pool).fetch("CPO-SES-4711")
    seen = demo(server).seen
    assert len(seen) == 6  # versions, details, three pages, the tariffs its periods name
    assert {h["authorization"] for h in seen} == {"Token " + base64.b64encode(TOKEN.encode()).decode()}
    request_ids = [h["x-request-id"] for h in seen]
    assert all(UUID.match(r) for r in request_ids) and len(set(request_ids)) == 6
    assert len({h["x-correlation-id"] for h in seen}) == 1 and UUID.match(seen[0]["x-correlation-id"])
    assert {(h["ocpi-from-country-code"], h["ocpi-from-party-id"]) for h in seen} == {("DE", "EMP")}


async def test_routing_headers_are_not_sent_unless_set(ocpi: OcpiAdapter, server: DemoServer) -> None:
    await ocpi.fetch("CPO-SES-1001")
    assert not any("ocpi-from-country-code" in h or "ocpi-from-party-id" in h for h in demo(server).seen)


# -- the token: base64, raw, auto ---------------------------------------------------------


async def test_auto_falls_back_to_the_raw_token_once_and_remembers(server: DemoServer) -> None:
    async with AdapterPool(config(server, "raw")) as pool:
        adapter = pinned(pool)
        first = await adapter.fetch("CPO-SES-4711")
        assert server.counts["ocpi.401"] == 1
        assert any("retried once with the raw token" in n for n in first.exchange.notes)  # type: ignore[union-attr]
        second = await adapter.fetch("CPO-CDR-4711", "cdr")
        assert second.document["id"] == "CPO-CDR-4711"
    assert server.counts["ocpi.401"] == 1  # remembered: raw from then on
    assert demo(server).seen[-1]["authorization"] == f"Token {TOKEN}"


async def test_explicit_raw_sends_the_raw_token(server: DemoServer) -> None:
    async with AdapterPool(config(server, "raw", token_encoding="raw")) as pool:
        assert (await pinned(pool).fetch("CPO-SES-4711")).document["id"] == "CPO-SES-4711"
    assert server.counts["ocpi.401"] == 0


async def test_explicit_base64_against_a_raw_token_server_is_rejected(server: DemoServer) -> None:
    async with AdapterPool(config(server, "raw", token_encoding="base64")) as pool:
        with pytest.raises(CredentialsRejected) as info:
            await pinned(pool).fetch("CPO-SES-4711")
    assert server.counts["ocpi.401"] == 1  # no fallback when the encoding is explicit
    error = info.value
    assert "HTTP 401" in error.message and "Invalid or missing token" in error.message and "sent base64" in error.message
    assert 'token_encoding = "raw"' in error.hint and "'o'" in error.hint
    assert error.exit_code == 4
    text = f"{error.message} {error.hint} {error!r}"
    assert TOKEN not in text and base64.b64encode(TOKEN.encode()).decode() not in text


async def test_explicit_raw_against_a_base64_server_is_rejected(server: DemoServer) -> None:
    async with AdapterPool(config(server, token_encoding="raw")) as pool:
        with pytest.raises(CredentialsRejected) as info:
            await pinned(pool).fetch("CPO-SES-4711")
    assert 'token_encoding = "base64"' in info.value.hint


async def test_a_wrong_token_is_rejected_after_both_encodings(server: DemoServer) -> None:
    async with AdapterPool(config(server, token="not-the-token")) as pool:
        with pytest.raises(CredentialsRejected) as info:
            await pinned(pool).fetch("CPO-SES-4711")
    assert server.counts["ocpi.401"] == 2
    assert "tried base64-encoded, then raw" in info.value.message
    assert "Both encodings were tried" in info.value.hint
    assert "not-the-token" not in f"{info.value.message} {info.value.hint}"


# -- errors in the envelope and in discovery -----------------------------------------------


async def test_an_error_envelope_with_http_200_is_a_provider_error(server: DemoServer) -> None:
    async with AdapterPool(config(server, "broken")) as pool:
        with pytest.raises(ProviderError) as info:
            await pinned(pool).fetch("CPO-SES-4711")
    message = info.value.message
    assert "status_code 3001" in message and "unable to use the client's API" in message
    assert "the CPO could not reach your credentials endpoint" in message
    assert "(HTTP 200)" in message
    assert "X-Correlation-ID" in info.value.hint
    assert info.value.exit_code == 5


async def test_a_cpo_without_2_2_1_or_2_1_1_lists_what_it_offers(server: DemoServer) -> None:
    async with AdapterPool(config(server, "old")) as pool:
        with pytest.raises(ProviderError) as info:
            await pinned(pool).fetch("CPO-SES-4711")
    assert "offers neither OCPI 2.2.1 nor 2.1.1" in info.value.message and "offers 2.0, 2.2" in info.value.message
    assert server.counts["ocpi.details"] == 0


async def test_a_wrong_versions_url_says_so(server: DemoServer) -> None:
    table = demo(server).profile(server.base_url("ocpi")) | {"versions_url": server.base_url("ocpi") + "/nothing-here"}
    async with AdapterPool(config_from_data({"profiles": {"o": table}}, None)) as pool:
        with pytest.raises(ProviderError) as info:
            await pinned(pool).fetch("CPO-SES-4711")
    assert "HTTP 404" in info.value.message and "versions_url" in info.value.hint


async def test_a_missing_module_is_named(server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    real = OcpiDemo._details

    def without_cdrs(self: OcpiDemo, root: str, version: str) -> dict:
        details = real(self, root, version)
        details["endpoints"] = [e for e in details["endpoints"] if e["identifier"] != "cdrs"]
        return details

    monkeypatch.setattr(OcpiDemo, "_details", without_cdrs)
    async with AdapterPool(config(server)) as pool:
        adapter = pinned(pool)
        with pytest.raises(ProviderError) as info:
            await adapter.fetch("CPO-CDR-4711", "cdr")
        assert "no cdrs SENDER endpoint" in info.value.message and "sessions (SENDER)" in info.value.message
        assert (await adapter.fetch("CPO-SES-1001")).document["id"] == "CPO-SES-1001"


async def test_paging_continues_by_offset_when_the_link_header_is_missing(server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    real = OcpiDemo._page

    def no_link(self: OcpiDemo, *args: object):
        response = real(self, *args)  # type: ignore[arg-type]
        response.headers.pop("Link", None)
        return response

    monkeypatch.setattr(OcpiDemo, "_page", no_link)
    async with AdapterPool(config(server)) as pool:
        record = await pinned(pool).fetch("CPO-SES-4711")
    assert pages_scanned(record) == 3
    assert any("no Link rel=\"next\"" in n and "offset 50" in n for n in record.exchange.notes)  # type: ignore[union-attr]


@pytest.mark.parametrize("raw", ["", "   ", "has space", "tab\there", "ünïcode", "x" * 256])
async def test_invalid_ids_send_nothing(ocpi: OcpiAdapter, server: DemoServer, raw: str) -> None:
    with pytest.raises(InvalidId) as info:
        await ocpi.fetch(raw)
    assert info.value.hint
    assert sum(server.counts.values()) == 0


def test_settings_derive_base_url_and_check_parties(server: DemoServer) -> None:
    profile = config(server).profile("o")
    assert profile.settings.base_url == f"{server.base_url('ocpi')}/versions"
    table = demo(server).profile(server.base_url("ocpi"))
    for bad in ({"country_code": "NLD"}, {"party_id": "E"}, {"versions_url": "cpo.example.com/versions"}, {"window_days": 0}):
        with pytest.raises(ConfigError):
            config_from_data({"profiles": {"o": table | bad}}, None)
    s = config_from_data({"profiles": {"o": table | {"versions_url": "https://ocpi.cpo.example/versions"}}}, None).profile("o").settings
    assert s.base_url == "https://ocpi.cpo.example/versions"


# -- what a record carries -------------------------------------------------------------------


async def test_hand_made_session_every_value(ocpi: OcpiAdapter) -> None:
    record = await ocpi.fetch("CPO-SES-4711")
    assert values(record, "overview") == {
        "Session id": "CPO-SES-4711",
        "Status": "COMPLETED",
        "Start": "2026-11-20 09:00:00 UTC",
        "End": "2026-11-20 12:05:00 UTC",
        "Duration": "3h 5m 0s",
        "Energy": "25.9 kWh",
        "Total incl. VAT": "18.95 EUR",
        "Total excl. VAT": "15.66 EUR",
        "Location": "LOC-AMS-0042",
        "EVSE": "AMS0042-1, connector 1",
        "Authorization": "04A1B2C3D4E5F6 (RFID)",
        "CPO": "NL*DMO",
    }
    assert field(record, "overview", "Status").note == "ended; a CDR should follow"
    assert field(record, "overview", "Duration").flag == "derived"
    assert field(record, "overview", "Authorization").note == (
        "contract DE-EMP-C00012345-7; WHITELIST: authorised from the CPO's local copy of the eMSP's tokens"
    )
    assert values(record, "charging") == {
        "Start": "2026-11-20 09:00:00 UTC",
        "End": "2026-11-20 12:05:00 UTC",
        "Duration": "3h 5m 0s",
        "Energy": "25.9 kWh",
        "Energy in periods": "25.9 kWh; agrees with kwh 25.9 kWh",
        "Meter id": "MTR-7733021",
    }
    (table,) = record.section("charging").tables  # type: ignore[union-attr]
    assert table.columns == ("Start", "Duration", "Energy", "Charging time", "Parking time", "Max power", "State of charge", "Tariff")
    assert table.rows == (
        ("09:00:00", "30m 0s", "10.2 kWh", "0.5 h (30m 0s)", "—", "22 kW", "48 %", "NL-DMO-AC22"),
        ("09:30:00", "45m 0s", "12.6 kWh", "0.75 h (45m 0s)", "—", "18.5 kW", "86 %", "NL-DMO-AC22"),
        ("10:15:00", "30m 0s", "3.1 kWh", "0.5 h (30m 0s)", "—", "7.4 kW", "100 %", "NL-DMO-AC22"),
        ("10:45:00", "1h 20m 0s", "—", "—", "1.3333 h (1h 20m 0s)", "—", "—", "NL-DMO-PARK"),
    )
    assert values(record, "cost") == {
        "Currency": "EUR",
        "Total cost": "18.95 EUR incl. VAT · 15.66 EUR excl. VAT",
        "VAT": "3.29 EUR (21 % of excl. VAT)",
    }
    assert values(record, "location") == {"Location id": "LOC-AMS-0042", "EVSE uid": "AMS0042-1", "Connector id": "1"}
    assert values(record, "token") == {
        "Token uid": "04A1B2C3D4E5F6",
        "Token type": "RFID",
        "Contract id": "DE-EMP-C00012345-7",
        "Token country code": "DE",
        "Token party id": "EMP",
        "Auth method": "WHITELIST",
        "Authorization reference": "—",
    }
    assert values(record, "identity") == {
        "Session id": "CPO-SES-4711",
        "Country code": "NL",
        "Party id": "DMO",
        "Last updated": "2026-11-20 12:05:05 UTC",
    }
    assert [s.key for s in record.sections] == ["overview", "charging", "cost", "location", "token", "checks", "identity", "price"]
    assert record.summary == "COMPLETED · LOC-AMS-0042 · 18.95 EUR · 25.9 kWh · price cannot be checked"
    assert record.problems == []


async def test_charts_of_energy_and_power(ocpi: OcpiAdapter) -> None:
    record = await ocpi.fetch("CPO-SES-4711")
    charts = {c.title: c for c in record.section("charging").charts}  # type: ignore[union-attr]
    assert charts["Energy per period"] == Chart(
        "Energy per period", "kWh", (("09:00:00", 10.2), ("09:30:00", 12.6), ("10:15:00", 3.1)),
        note="ENERGY of each period; periods without ENERGY left out",
    )
    # Average power = energy / period duration: 10.2 kWh in 30 min is 20.4 kW.
    assert charts["Average power"].unit == "kW"
    assert charts["Average power"].points == (("09:00:00", 20.4), ("09:30:00", 16.8), ("10:15:00", 6.2))
    assert charts["Average power"].note.startswith("derived")
    assert charts["Max power"].points == (("09:00:00", 22.0), ("09:30:00", 18.5), ("10:15:00", 7.4))


async def test_active_session_without_cost(ocpi: OcpiAdapter) -> None:
    record = await ocpi.fetch("CPO-SES-4712")
    overview = values(record, "overview")
    assert overview["Status"] == "ACTIVE"
    assert overview["Start"] == "2026-11-22 11:20:00 UTC"
    assert field(record, "overview", "Start").note == "sent without a zone: UTC, as OCPI defines"
    assert overview["End"] == "— (not ended)"
    assert overview["Duration"] == "38m 0s so far"
    # Absent is not free.
    assert overview["Total incl. VAT"] == "not sent (unknown, not zero)"
    assert overview["Total excl. VAT"] == "not sent (unknown, not zero)"
    assert values(record, "cost")["Total cost"] == "not sent (unknown, not zero)"
    assert values(record, "identity")["Last updated"] == "2026-11-22 11:58:00.481 UTC"
    (table,) = record.section("charging").tables  # type: ignore[union-attr]
    assert table.rows[-1][:2] == ("11:50:00", "ongoing")
    assert record.summary == "ACTIVE · LOC-UTR-0007 · cost not sent · 29.6 kWh · price cannot be checked"
    assert record.related == []
    assert record.problems == []


async def test_hand_made_cdr_every_value(ocpi: OcpiAdapter) -> None:
    record = await ocpi.fetch("CPO-CDR-4711", "cdr")
    assert values(record, "overview") == {
        "CDR id": "CPO-CDR-4711",
        "Session id": "CPO-SES-4711",
        "Start": "2026-11-20 09:00:00 UTC",
        "End": "2026-11-20 12:05:00 UTC",
        "Duration": "3h 5m 0s",
        "Energy": "25.9 kWh",
        "Total incl. VAT": "18.95 EUR",
        "Total excl. VAT": "15.66 EUR",
        "Location": "Museumplein P1 – Laadplein, Amsterdam",
        "EVSE": "NL*DMO*E0042*1",
        "Authorization": "04A1B2C3D4E5F6 (RFID)",
        "CPO": "NL*DMO",
    }
    assert field(record, "overview", "EVSE").note == "evse_uid AMS0042-1, connector 1"
    assert values(record, "charging") == {
        "Start": "2026-11-20 09:00:00 UTC",
        "End": "2026-11-20 12:05:00 UTC",
        "Duration": "3h 5m 0s",
        "Energy": "25.9 kWh",
        "Total time": "3h 5m 0s (3.0833 h)",
        "Parking time": "1h 20m 0s (1.3333 h)",
        "Charging time": "1h 45m 0s (1.75 h)",
        "Energy in periods": "25.9 kWh; agrees with total_energy 25.9 kWh",
        "Meter id": "MTR-7733021",
        "Signing encoding": "OCMF",
        "Encoding version": "1",
        "Public key": "3059301306072a8648ce3d020106082a8648ce3d03010703420004c4",
        "Signed data URL": "—",
    }
    assert values(record, "cost") == {
        "Currency": "EUR",
        "Total cost": "18.95 EUR incl. VAT · 15.66 EUR excl. VAT",
        "VAT": "3.29 EUR (21 % of excl. VAT)",
        "Fixed cost": "not sent (unknown, not zero)",
        "Energy cost": "14.11 EUR incl. VAT · 11.66 EUR excl. VAT",
        "Time cost": "not sent (unknown, not zero)",
        "Parking cost": "4.84 EUR incl. VAT · 4.00 EUR excl. VAT",
        "Reservation cost": "not sent (unknown, not zero)",
        "Components check": "agrees: components sum to 15.66 EUR",
        "Credit": "no (not sent)",
        "Credit reference id": "—",
        "Invoice reference id": "—",
        "Home charging compensation": "—",
        "Remark": "Geparkeerd na volladen – parkeertarief",
    }
    assert values(record, "location") == {
        "Name": "Museumplein P1 – Laadplein",
        "Address": "Van Baerlestraat 31",
        "Postal code": "1071 AN",
        "City": "Amsterdam",
        "State": "—",
        "Country": "NLD",
        "Coordinates": "52.358129, 4.881362",
        "Location id": "LOC-AMS-0042",
        "EVSE id": "NL*DMO*E0042*1",
        "EVSE uid": "AMS0042-1",
        "Connector id": "1",
        "Connector standard": "IEC_62196_T2",
        "Connector format": "SOCKET",
        "Power type": "AC_3_PHASE",
    }
    assert field(record, "location", "Coordinates").flag is None
    assert field(record, "location", "Power type").note == "AC, three phases"
    assert values(record, "tariffs") == {"Used by periods": "NL-DMO-AC22, NL-DMO-PARK"}
    (tariffs,) = record.section("tariffs").tables  # type: ignore[union-attr]
    assert tariffs.rows == (
        # step_size 1 Wh is sent, so shown: nothing sent is hidden.
        ("NL*DMO NL-DMO-AC22", "EUR", "REGULAR", "ENERGY 0.45 EUR/kWh + 21 % VAT, billed in steps of 1 Wh", "—", "—", "always", "—", "—", "—", "2026-01-01 00:00:00 UTC"),
        ("NL*DMO NL-DMO-PARK", "EUR", "REGULAR", "PARKING_TIME 3.00 EUR/h + 21 % VAT, billed in steps of 60 s", "—", "—", "always", "—", "—", "—", "2026-01-01 00:00:00 UTC"),
    )
    assert values(record, "identity") == {
        "CDR id": "CPO-CDR-4711",
        "Country code": "NL",
        "Party id": "DMO",
        "Last updated": "2026-11-20 13:05:00 UTC",
    }
    periods, _signed = record.section("charging").tables  # type: ignore[union-attr]
    assert [row[0] for row in periods.rows] == ["09:00:00", "09:30:00", "10:15:00", "10:45:00"]
    assert record.summary == "CDR · Museumplein P1 – Laadplein · 18.95 EUR · 25.9 kWh · price matches"
    assert record.problems == []


async def test_related_records(ocpi: OcpiAdapter) -> None:
    session = await ocpi.fetch("CPO-SES-4711")
    assert session.related == [Related("CDR of this session", "cdr", "CPO-SES-4711")]
    # Following it finds the CDR by its session id.
    (link,) = session.related
    cdr = await ocpi.fetch(link.record_id, link.record_type)
    assert cdr.document["id"] == "CPO-CDR-4711"
    assert cdr.related == [Related("Session of this CDR", "session", "CPO-SES-4711")]
    assert (await ocpi.fetch("12345", "cdr")).related == []  # no session_id sent


async def test_raw_is_the_objects_bytes_as_sent(ocpi: OcpiAdapter, server: DemoServer) -> None:
    cdr = await ocpi.fetch("CPO-CDR-4711", "cdr")
    sent = demo(server).find("cdr", "CPO-CDR-4711").body
    assert cdr.raw == sent
    # Re-serialising would have lost these: the trailing zeros and the \u escape.
    assert b'"excl_vat": 4.00' in cdr.raw and b"\\u2013" in cdr.raw
    assert json.loads(cdr.raw) == cdr.document
    assert '{"excl_vat":4.00,"incl_vat":4.84}' in cdr.compact_json()
    session = await ocpi.fetch("CPO-SES-4711")
    assert session.raw == demo(server).find("session", "CPO-SES-4711").body


async def test_duplicate_ids_and_energy_that_looks_like_wh(ocpi: OcpiAdapter) -> None:
    # As in the OCPI examples: two parties use the id 101; the finished one sends Wh as kWh.
    record = await ocpi.fetch("101")
    assert record.document["party_id"] == "BEC" and record.document["status"] == "COMPLETED"
    duplicate = record.problems[0]
    assert duplicate.startswith("2 sessions on page 3 have the id '101'")
    assert "NL*DMO 101" in duplicate and "BE*BEC 101" in duplicate and "Shown: the most recently updated of these 2, BE*BEC." in duplicate
    # What was compared, exactly: page 3 is the last of the window.
    assert "Scanned: 3 pages of sessions last updated from 2026-10-23 12:00 UTC to 2026-11-22 12:00 UTC, the last page of that window." in duplicate
    assert "later pages" not in duplicate
    unit = field(record, "charging", "Period energy unit")
    assert unit.value == "looks like Wh, not kWh" and unit.flag == "inferred"
    assert "sum to 41120 while kwh is 41.12" in unit.note
    assert values(record, "charging")["Energy in periods"] == "41120 (looks like Wh = 41.12 kWh); agrees with kwh 41.12 kWh"
    (table,) = record.section("charging").tables  # type: ignore[union-attr]
    assert table.columns == ("Start", "Duration", "Energy", "Parking time", "Max current", "Min current", "Tariff")
    assert table.rows[0] == ("12:20:00", "1m 45s", "120 (looks like Wh: 0.12 kWh)", "—", "30 A", "—", "—")
    assert table.rows[1][2] == "41000 (looks like Wh: 41 kWh)"
    assert table.rows[2] == ("12:48:00", "43m 7s", "—", "0.718 h (43m 5s)", "—", "—", "12")
    energy = next(c for c in record.section("charging").charts if c.title == "Energy per period")  # type: ignore[union-attr]
    assert energy.points == (("12:20:00", 0.12), ("12:21:45", 41.0)) and "looks like Wh" in energy.note
    assert any("look like Wh" in p for p in record.problems)


async def test_swapped_coordinates_are_flagged(ocpi: OcpiAdapter) -> None:
    record = await ocpi.fetch("12345", "cdr")
    coordinates = field(record, "location", "Coordinates")
    assert coordinates.value == "3.729944, 51.047599"
    assert coordinates.flag == "inferred" and "looks swapped" in coordinates.note
    assert record.problems == [
        "cdr_location.coordinates: latitude and longitude look swapped (51.047599, 3.729944 lies in BEL; as sent it does not)"
    ]
    assert values(record, "overview")["Session id"] == "not sent"
    (tariffs,) = record.section("tariffs").tables  # type: ignore[union-attr]
    assert tariffs.rows[0][3] == "TIME 2.00 EUR/h + 10 % VAT, billed in steps of 300 s"


def add_session(server: DemoServer, doc: dict) -> None:
    from evtui.demo.ocpi import _obj

    provider = demo(server)
    provider.sessions = sorted([*provider.sessions, _obj(doc)], key=lambda o: (o.last_updated, o.document["id"]))


async def test_ocpi_2_1_1_spellings_are_read_and_flagged(ocpi: OcpiAdapter, server: DemoServer) -> None:
    add_session(
        server,
        {
            "country_code": "NL", "party_id": "OLD", "id": "LEGACY-1",
            "start_datetime": "2026-11-21T08:00:00Z", "end_datetime": "2026-11-21T09:30:00Z",
            "kwh": 12.5, "auth_id": "NL-OLD-000123", "auth_method": "WHITELIST",
            "location_id": "L1", "evse_uid": "E1", "connector_id": "1", "currency": "EUR",
            "total_cost": 6.25, "status": "COMPLETED", "last_updated": "2026-11-21T09:31:00Z",
        },
    )
    record = await ocpi.fetch("LEGACY-1")
    overview = values(record, "overview")
    assert overview["Start"] == "2026-11-21 08:00:00 UTC" and field(record, "overview", "Start").flag == "deprecated"
    assert overview["End"] == "2026-11-21 09:30:00 UTC" and field(record, "overview", "End").flag == "deprecated"
    assert overview["Duration"] == "1h 30m 0s"
    assert overview["Total excl. VAT"] == "6.25 EUR" and field(record, "overview", "Total excl. VAT").flag == "deprecated"
    assert overview["Total incl. VAT"] == "VAT not given"
    assert overview["Authorization"] == "NL-OLD-000123" and field(record, "overview", "Authorization").flag == "deprecated"
    assert values(record, "cost")["Total cost"] == "6.25 EUR excl. VAT"
    assert sorted(record.problems) == [
        "auth_id is the OCPI 2.1.1 field; 2.2.1 sends cdr_token",
        "end_datetime is the OCPI 2.1.1 spelling of end_date_time",
        "start_datetime is the OCPI 2.1.1 spelling of start_date_time",
        "total_cost is a bare number (OCPI 2.1.1 style; 2.2.1 sends {excl_vat, incl_vat})",
    ]


async def test_unknown_values_and_fields_are_shown_as_sent(ocpi: OcpiAdapter, server: DemoServer) -> None:
    add_session(
        server,
        {
            "country_code": "NL", "party_id": "DMO", "id": "ODD-1", "start_date_time": "2026-11-21T08:00:00Z",
            "kwh": "lots", "cdr_token": {"uid": "u1", "type": "NFC", "contract_id": "C1"}, "auth_method": "WHITELIST",
            "location_id": "L1", "evse_uid": "E1", "connector_id": "1", "currency": "EUR",
            "charging_periods": [{"start_date_time": "2026-11-21T08:00:00Z", "dimensions": [{"type": "FLUX", "volume": 3}]}],
            "status": "PAUSED", "last_updated": "2026-11-21T09:31:00Z", "vendor_extra": {"x": 1},
        },
    )
    record = await ocpi.fetch("ODD-1")
    assert field(record, "overview", "Status").flag == "unknown"
    assert field(record, "overview", "Energy").value == "lots" and field(record, "overview", "Energy").flag == "invalid"
    assert field(record, "token", "Token type").flag == "unknown"
    assert values(record, "other") == {"vendor_extra": '{"x": 1}'}
    (table,) = record.section("charging").tables  # type: ignore[union-attr]
    assert table.columns == ("Start", "Duration", "FLUX", "Tariff") and table.rows[0][2] == "3"
    assert "unknown charging period dimension 'FLUX' (shown as sent)" in record.problems
    assert "unknown field vendor_extra (shown as sent)" in record.problems


# -- the pieces: Link headers and the byte spans of `data` -------------------------------------


def test_link_headers_are_parsed_properly() -> None:
    links = parse_links(
        [
            '<https://cpo.example/ocpi/cdrs?offset=50&limit=50>; rel="next", <https://cpo.example/ocpi/cdrs?offset=0>; rel=first',
            '</ocpi/cdrs?a=1,2>; title="a; b, c"; REL="prev last"',
        ]
    )
    assert links == [
        ("https://cpo.example/ocpi/cdrs?offset=50&limit=50", {"rel": "next"}),
        ("https://cpo.example/ocpi/cdrs?offset=0", {"rel": "first"}),
        ("/ocpi/cdrs?a=1,2", {"title": "a; b, c", "rel": "prev last"}),
    ]
    assert parse_links([""]) == []


def test_page_spans_find_each_element_exactly() -> None:
    body = (
        b'\xef\xbb\xbf{ "timestamp": "x]}{", "data" :[ {"id": "a\\"]}", "n": [1, {"b": 2}]} ,\n'
        b'  "str",12.50e1 , null,[ ] ], "status_code": 1000 }'
    )
    page, spans = parse_page(body)
    assert page == json.loads(body)
    assert spans is not None
    assert [body[s:e] for s, e in spans] == [b'{"id": "a\\"]}", "n": [1, {"b": 2}]}', b'"str"', b"12.50e1", b"null", b"[ ]"]
    # The last of duplicate keys wins, as in json.loads.
    twice = b'{"data": [1], "data": [{"id": "x"}]}'
    assert [twice[s:e] for s, e in parse_page(twice)[1]] == [b'{"id": "x"}']  # type: ignore[union-attr]
    assert parse_page(b'{"data": [1], "data": null}') == ({"data": None}, None)
    assert parse_page(b'{"status_code": 1000}') == ({"status_code": 1000}, None)
    assert parse_page(b"[1, 2]") == ([1, 2], None)


def test_page_spans_are_bytes_of_utf8_only() -> None:
    doc = {"id": "é\u2013x", "n": 1.50}
    page = '{"data": [{"id": "\u00e9–x", "n": 1.50}, {"id": "é"}]}'
    parsed, spans = parse_page(page.encode("utf-8"))
    assert parsed == json.loads(page) and parsed["data"][0] == doc
    assert [page.encode()[s:e] for s, e in spans] == ['{"id": "\u00e9–x", "n": 1.50}'.encode(), '{"id": "é"}'.encode()]  # type: ignore[union-attr]
    assert parse_page(page.encode("utf-16")) == (json.loads(page), None)  # not UTF-8: re-serialised instead


@pytest.mark.parametrize("body", [b"", b"{", b'{"data": [1,]}', b'{"data": [1],}', b'{"a" 1}', b'{"a": 1} x', b"{'a': 1}", b'{"a": [1 2]}'])
def test_a_page_that_is_not_json_fails_as_json_loads_does(body: bytes) -> None:
    with pytest.raises(ValueError):
        json.loads(body)
    with pytest.raises(ValueError):
        parse_page(body)


@pytest.mark.parametrize(
    "value",
    [
        b"1e400", b"-1E-400", b"1e+0400", b'"1.5e400"', b"1" + b"0" * 400, b"0." + b"0" * 400 + b"1", b'"' + b"9" * 200 + b"." + b"9" * 200 + b'"',
        b"1" * 5000, b"NaN", b"-Infinity", b'"\\ud800"', b'"\\uDC00x"', b'{"\\ud83d": 1}', b'"1\\u0065400"', b'"\xed\xa0\x80"',
    ],
)
def test_a_page_that_may_hold_a_hostile_value_says_so(value: bytes) -> None:
    # The page's objects are then walked for such values (transport.body.hostile_findings): the
    # literal searches that spare that walk may say "maybe" too often, never "no" wrongly.
    body = b'{"data": [{"id": "x", "v": ' + value + b'}]}'
    assert read_page(body)[2]


def test_a_page_nested_too_deep_for_the_parser_says_it_may_hold_a_hostile_value() -> None:
    body = b'{"data": [{"id": "x", "v": ' + b"[" * 5000 + b"]" * 5000 + b'}]}'
    page, spans, hostile = read_page(body)
    assert hostile and spans is not None
    assert hostile_findings(page["data"][0])[1] == ["v: nested deeper than 64 levels (shown as sent)"]


def test_a_plain_page_needs_no_walk() -> None:
    body = json.dumps({"data": [{"id": "x", "v": [1.5, -2e-5, 1e30, "2026-11-22T13:43:00Z", "é"]}]}, ensure_ascii=False).encode()
    assert not read_page(body)[2]


async def test_a_page_that_cannot_be_sliced_is_re_serialised(ocpi: OcpiAdapter, server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import evtui.adapters.ocpi.cpo as module

    monkeypatch.setattr(module, "read_page", lambda body: (json.loads(body), None, True))
    record = await ocpi.fetch("CPO-CDR-4711", "cdr")
    assert json.loads(record.raw) == record.document == demo(server).find("cdr", "CPO-CDR-4711").document
    assert any("re-serialised" in n for n in record.exchange.notes)  # type: ignore[union-attr]


def test_long_lists_are_validated_in_chunks_with_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    from evtui.adapters import validation as base
    from evtui.adapters.ocpi import OcpiSession

    periods = [{"start_date_time": f"t{i}", "dimensions": [{"type": "ENERGY", "volume": 0.1}]} for i in range(2500)]
    periods[1700]["dimensions"][0]["volume"] = "lots"
    periods[2400] = 7
    periods[10]["vendor"] = "x"
    doc = {"id": "S", "kwh": "12", "charging_periods": periods}
    model, problems = base.validate_leniently(OcpiSession, doc)
    assert model.charging_periods[1700].dimensions[0].volume is None and model.charging_periods[2400] is None
    assert len(model.charging_periods) == 2500 and doc["charging_periods"][2400] == 7  # the document is left as sent
    monkeypatch.setattr(base, "CHUNK", 10_000)
    whole_model, whole = base.validate_leniently(OcpiSession, doc)
    assert sorted(problems) == sorted(whole) and model == whole_model
    assert "charging_periods[1700].dimensions[0].volume: Input should be a valid number, unable to parse string as a number (shown as sent)" in problems
    assert "unknown field charging_periods[10].vendor (shown as sent)" in problems


async def test_the_model_is_made_when_read_not_kept(ocpi: OcpiAdapter) -> None:
    from evtui.adapters.ocpi import OcpiSession

    record = await ocpi.fetch("CPO-SES-4711")
    model = record.model
    assert isinstance(model, OcpiSession) and model.id == "CPO-SES-4711"
    assert record.model == model and record.model is not model  # validated anew: a big one is not held


async def test_big_documents_are_built_with_the_gc_paused() -> None:
    import gc

    from evtui.adapters.running import BIG_DOCUMENT, in_thread

    assert await in_thread(BIG_DOCUMENT - 1, gc.isenabled) is True
    assert await in_thread(BIG_DOCUMENT, gc.isenabled) is False
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        await in_thread(BIG_DOCUMENT, lambda: 1 / 0)
    assert gc.isenabled()


def test_lazy_rows_read_like_the_tuple_they_stand_for() -> None:
    made: list[int] = []

    def row(i: int) -> tuple[str, ...]:
        made.append(i)
        return (f"r{i}", str(i * 2))

    rows = LazyRows(1000, row)
    assert len(rows) == 1000 and rows[0] == ("r0", "0") and rows[-1] == ("r999", "1998")
    assert rows[998:] == (("r998", "1996"), ("r999", "1998"))
    assert made == [0, 999, 998, 999]  # only what was read
    assert rows == tuple(row(i) for i in range(1000)) and rows != tuple(row(i) for i in range(999))
    with pytest.raises(IndexError):
        rows[1000]


def test_charging_periods_presented_again_compare_equal_without_a_row_made(monkeypatch: pytest.MonkeyPatch) -> None:
    # A record fetched again replaces the one shown in place when they differ: comparing the
    # tables row by row formatted every row of both (0.6 s for 14,000 periods, on the UI thread).
    from evtui.adapters.ocpi import periods, session

    def document(volume: float) -> dict:
        ps = [{"start_date_time": f"2026-11-22T13:{m:02d}:00Z", "dimensions": [{"type": "ENERGY", "volume": 0.3}]} for m in range(40)]
        ps[-1]["dimensions"][0]["volume"] = volume
        return {"id": "S1", "kwh": 12, "status": "ACTIVE", "charging_periods": ps}

    def table(doc: dict):
        return next(s for s in session.present(doc, [])[0] if s.key == "charging").tables[0]

    first, again, changed = table(document(0.3)), table(document(0.3)), table(document(0.5))
    made: list[tuple] = []
    dimension_text = periods._dimension_text
    monkeypatch.setattr(periods, "_dimension_text", lambda *args: made.append(args) or dimension_text(*args))
    assert first == again and made == []
    assert first != changed and made  # another source: compared row by row
    assert tuple(first.rows) == tuple(again.rows) != tuple(changed.rows)


def test_a_long_list_whose_items_cannot_be_dropped_is_validated_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import BaseModel

    from evtui.adapters import validation as base

    class Strict(BaseModel):
        values: list[int] | None = None

    doc = {"values": [1, 2, 3, 4, "x", 6]}
    whole = base.validate_leniently(Strict, doc)
    monkeypatch.setattr(base, "CHUNK", 3)
    model, problems = base.validate_leniently(Strict, doc)
    assert (model, problems) == whole
    assert model.values is None and "values: holds a value of an unexpected type (shown as sent)" in problems


# -- as a user runs it ----------------------------------------------------------------------------


def test_cli_prints_the_cdr_as_the_cpo_sent_it(config_dir) -> None:
    result = run("get", "--demo", "--profile", "demo-ocpi", "--type", "cdr", "CPO-CDR-4711", "CPO-SES-4711", "--json")
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        doc = json.loads(line)
        assert doc["id"] == "CPO-CDR-4711" and doc["session_id"] == "CPO-SES-4711"
        # The provider's bytes, not a re-serialisation: 4.00 and the \u escape survive.
        assert '"total_parking_cost":{"excl_vat":4.00,"incl_vat":4.84}' in line
        assert '"name":"Museumplein P1 \\u2013 Laadplein"' in line
    # Everything but the times (relative to the demo's "now") as the demo holds it.
    timed = {"start_date_time", "end_date_time", "last_updated", "charging_periods", "signed_data"}
    expected = OcpiDemo().find("cdr", "CPO-CDR-4711").document
    got = json.loads(lines[0])
    assert list(got) == list(expected)
    assert {k: v for k, v in got.items() if k not in timed} == {k: v for k, v in expected.items() if k not in timed}


def test_cli_human_output_and_not_found(config_dir) -> None:
    result = run("get", "--demo", "--profile", "demo-ocpi", "CPO-SES-4711", "CPO-SES-0815")
    assert result.returncode == 3
    no_traceback(result)
    assert "CPO (OCPI 2.2.1) · session CPO-SES-4711 · profile demo-ocpi (demo)" in result.stdout
    assert "Total incl. VAT  18.95 EUR" in result.stdout
    assert "CPO-SES-0815: No session with id 'CPO-SES-0815'" in result.stderr and "--since" in result.stderr
    found = run("get", "--demo", "--profile", "demo-ocpi", "--since", "50d", "CPO-SES-0815")
    assert found.returncode == 0, found.stderr
    assert "session CPO-SES-0815" in found.stdout


async def test_request_answers_the_matched_object_as_a_response(ocpi: OcpiAdapter, server: DemoServer) -> None:
    response, notes = await ocpi.request("cdr", "CPO-CDR-4711")
    assert response.content == demo(server).find("cdr", "CPO-CDR-4711").body
    assert response.status_code == 200 and "offset=50" in str(response.request.url)
    assert response.headers["x-total-count"] == "67" and response.headers["content-length"] == str(len(response.content))
    assert any(n.startswith("page 2: GET") for n in notes)


def test_final_states_for_watching() -> None:
    from evtui.adapters.ocpi import OcpiAdapter

    final = OcpiAdapter.final_state
    assert final(None, "session", {"status": "COMPLETED"}) == "status COMPLETED is final"  # type: ignore[arg-type]
    assert final(None, "session", {"status": "INVALID"}) == "status INVALID is final"  # type: ignore[arg-type]
    assert final(None, "session", {"status": "ACTIVE"}) is None  # type: ignore[arg-type]
    assert final(None, "cdr", {}) == "a CDR is final"  # type: ignore[arg-type]
