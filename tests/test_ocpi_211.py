"""OCPI 2.1.1 read in its own shape: a CPO offering only 2.1.1 (the demo's /v211 variant)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from evtui.adapters.ocpi import v211
from evtui.demo.ocpi import TOKEN, OcpiDemo
from evtui.demo.server import DemoServer
from evtui.pool import AdapterPool
from evtui.render_text import related_command

from .test_cli import no_traceback, run, write_config
from .test_ocpi import NOW, config, field, pinned, values

CDR_ID = "CPO-CDR-211-0042"


@pytest.fixture
def server(demo_server: DemoServer) -> DemoServer:
    demo_server.providers["ocpi"] = OcpiDemo(now=NOW)
    return demo_server


@pytest.fixture
async def ocpi(server: DemoServer):
    async with AdapterPool(config(server, "v211")) as pool:
        yield pinned(pool)


async def test_a_cpo_offering_only_2_1_1_is_discovered_and_scanned(ocpi, server: DemoServer) -> None:
    record = await ocpi.fetch(CDR_ID, "cdr")
    assert record.document["id"] == CDR_ID
    assert server.counts["ocpi.211.cdrs"] == 1 and server.counts.get("ocpi.cdrs", 0) == 0
    assert ocpi.cpo.version == "2.1.1"
    assert record.exchange is not None and "versions 2.1.1" in "\n".join(record.exchange.notes)


async def test_the_2_1_1_location_object_is_read_into_location_evse_and_connector(ocpi) -> None:
    record = await ocpi.fetch(CDR_ID, "cdr")
    location = values(record, "location")
    assert location["Name"] == "Keizersgracht"
    assert location["Address"] == "Keizersgracht 585"
    assert location["City"] == "Amsterdam" and location["Postal code"] == "1017 DR" and location["Country"] == "NLD"
    assert location["Coordinates"] == "52.362920, 4.893660"
    assert location["EVSE id"] == "NL*CPO*E7001*1" and location["EVSE uid"] == "EVSE-7-1"
    assert location["Connector id"] == "1"
    assert location["Connector standard"] == "IEC_62196_T2"
    assert "Mennekes" in field(record, "location", "Connector standard").note
    assert location["Connector format"] == "SOCKET" and "socket" in field(record, "location", "Connector format").note
    assert location["Power type"] == "AC_3_PHASE" and field(record, "location", "Power type").note == "AC, three phases"
    assert location["Voltage"] == "230 V" and location["Amperage"] == "16 A"
    overview = values(record, "overview")
    assert overview["Location"] == "Keizersgracht, Amsterdam"
    assert overview["EVSE"] == "NL*CPO*E7001*1"


async def test_2_1_1_fields_are_not_flagged_as_missing_or_deprecated(ocpi) -> None:
    record = await ocpi.fetch(CDR_ID, "cdr")
    overview = values(record, "overview")
    assert overview["OCPI version"] == "2.1.1"
    assert overview["End"].endswith("UTC") and field(record, "overview", "End").flag is None
    assert overview["Authorization"] == "DE8ACC12E46L89" and field(record, "overview", "Authorization").flag is None
    assert "3.25" in overview["Total excl. VAT"]
    assert "no VAT split" in overview["Total incl. VAT"]
    flags = [(s.key, f.label, f.flag) for s in record.sections for f in s.fields if f.flag in ("missing", "deprecated", "unknown")]
    assert flags == []
    assert not any("missing required field" in p or "2.1.1" in p for p in record.problems), record.problems
    assert record.section("other") is None
    assert "OCPI 2.1.1" in record.summary


async def test_the_flat_dimension_is_a_column_of_its_own(ocpi) -> None:
    record = await ocpi.fetch(CDR_ID, "cdr")
    charging = record.section("charging")
    assert charging is not None
    table = charging.tables[0]
    assert "Flat fee" in table.columns
    assert not any("FLAT" in p for p in record.problems)


def test_shape_detection_tells_2_1_1_from_2_2_1() -> None:
    assert v211.is_211({"id": "1", "location": {"id": "L"}, "stop_date_time": "2026-01-01T00:00:00Z"})
    assert v211.is_211({"id": "1", "auth_id": "X", "start_date_time": "2026-01-01T00:00:00Z"})
    assert not v211.is_211({"id": "1", "cdr_location": {"id": "L"}, "cdr_token": {"uid": "X"}})
    # A 2.2.1 CDR with one 2.1.1 spelling slipped in stays 2.2.1 (and is flagged there).
    assert not v211.is_211({"id": "1", "cdr_token": {"uid": "X"}, "auth_id": "X"})


def test_evtui_get_shows_the_2_1_1_cdr_location_evse_and_connector(config_dir: Path) -> None:
    with DemoServer() as server:
        base = server.base_url("ocpi")
        write_config(
            config_dir,
            f'default_profile = "cpo211"\n[profiles.cpo211]\nadapter = "ocpi"\nversions_url = "{base}/v211/versions"\n'
            f'token = "{TOKEN}"\n',
        )
        result = run("get", "--profile", "cpo211", "--type", "cdr", CDR_ID)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "OCPI version" in out and "2.1.1" in out
    assert "Keizersgracht 585" in out and "Amsterdam" in out
    assert "NL*CPO*E7001*1" in out and "EVSE-7-1" in out
    assert "IEC_62196_T2" in out and "AC_3_PHASE" in out and "230 V" in out and "16 A" in out
    assert "(missing)" not in out



# -- related commands (evtui get) carry the profile and the --since that found the record ------


def test_related_commands_carry_profile_and_since_and_find_the_related_record(config_dir: Path) -> None:
    # CPO-CDR-0815 is 45 days back: only --since reaches it, and its session with it.
    result = run("get", "--demo", "--profile", "demo-ocpi", "--since", "60d", "--type", "cdr", "CPO-CDR-0815")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if "Session of this CDR" in x)
    command = line.split("Session of this CDR", 1)[1].strip()
    words = shlex.split(command)
    assert words[:5] == ["evtui", "get", "--demo", "--profile", "demo-ocpi"]
    assert words[5] == "--since" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", words[6])
    assert words[7:] == ["--type", "session", "CPO-SES-0815"]
    again = run(*words[1:])
    no_traceback(again)
    assert again.returncode == 0, again.stderr
    assert "CPO-SES-0815" in again.stdout


def test_a_related_command_without_since_names_the_profile_and_quotes_provider_ids() -> None:
    assert related_command("work cpo", "cdr", "A;rm -rf ~") == "evtui get --profile 'work cpo' --type cdr 'A;rm -rf ~'"
    assert related_command("p", "session", "S1") == "evtui get --profile p --type session S1"


async def test_a_2_1_1_session_reads_its_spellings_and_location_object_without_flags(ocpi) -> None:
    record = await ocpi.fetch("CPO-SES-211-0042", "session")
    overview = values(record, "overview")
    assert overview["OCPI version"] == "2.1.1" and overview["Status"] == "COMPLETED"
    assert overview["Start"] == "2026-11-21 07:00:00 UTC" and overview["End"] == "2026-11-21 08:30:00 UTC"
    assert overview["Location"] == "Keizersgracht, Amsterdam" and overview["EVSE"] == "NL*CPO*E7001*1"
    assert values(record, "location")["Power type"] == "AC_3_PHASE"
    # (The price check says what it misses to check a price: no tariff, not a flaw of the record.)
    flags = [(s.key, f.label, f.flag) for s in record.sections if s.key != "price" for f in s.fields if f.flag in ("missing", "deprecated", "unknown")]
    assert flags == [] and record.problems == [] and record.section("other") is None
