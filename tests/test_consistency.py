"""Checked, not trusted: the consistency pass over OCPI CDRs and sessions (`evtui.adapters.ocpi.checks`)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from evtui.adapters.ocpi import cdr, session
from evtui.demo.ocpi import DemoObject, OcpiDemo
from evtui.demo.server import DemoServer
from evtui.record import Field

from .test_cli import no_traceback, run
from .test_hostile_values import write_config


def _cdr(**changes: Any) -> dict[str, Any]:
    """A consistent CDR of our own: 2 h, 30 kWh, 15 min parking, 12.00 EUR excl. VAT."""
    doc: dict[str, Any] = {
        "country_code": "NL", "party_id": "CHK", "id": "CHK-1", "currency": "EUR",
        "start_date_time": "2026-11-20T08:00:00Z", "end_date_time": "2026-11-20T10:00:00Z",
        "total_energy": 30.0, "total_time": 2.0, "total_parking_time": 0.25,
        "total_cost": {"excl_vat": 12.0, "incl_vat": 14.52},
        "charging_periods": [
            {"start_date_time": "2026-11-20T08:00:00Z", "dimensions": [{"type": "ENERGY", "volume": 30.0}, {"type": "TIME", "volume": 1.75}]},
            {"start_date_time": "2026-11-20T09:45:00Z", "dimensions": [{"type": "PARKING_TIME", "volume": 0.25}]},
        ],
        "last_updated": "2026-11-20T10:05:00Z",
    }
    doc.update(changes)
    return doc


def checks(doc: dict[str, Any], present: Any = cdr.present) -> tuple[dict[str, Field], list[str]]:
    problems: list[str] = []
    sections, _ = present(doc, problems)
    found = next(s for s in sections if s.key == "checks")
    return {f.label: f for f in found.fields[1:]}, problems


def test_a_consistent_cdr_has_no_finding_and_says_what_was_checked() -> None:
    problems: list[str] = []
    sections, _ = cdr.present(_cdr(), problems)
    (summary, *rest) = next(s for s in sections if s.key == "checks").fields
    assert rest == [] and not [p for p in problems if not p.startswith("missing required field")]
    assert summary.value == "no disagreement found"
    assert "±1 min" in summary.note and "400 kW" in summary.note


@pytest.mark.parametrize(("sent", "unit"), [(7200, "seconds"), (120, "minutes")])
def test_total_time_in_seconds_or_minutes_is_inferred_with_the_hours_it_should_be(sent: int, unit: str) -> None:
    found, problems = checks(_cdr(total_time=sent))
    f = found["Total time"]
    assert f.flag == "inferred" and f.path == "total_time"
    assert f.value == f"{sent} looks like {unit}, not hours: should be 2 h (2h 0m 0s)"
    assert any(p.startswith("total_time: ") for p in problems)


def test_total_time_otherwise_off_is_invalid() -> None:
    found, _ = checks(_cdr(total_time=3.0))
    assert found["Total time"].flag == "invalid" and "should" not in found["Total time"].value
    assert "differs from end − start: 2 h" in found["Total time"].value


def test_period_time_volumes_longer_than_the_period() -> None:
    doc = _cdr()
    doc["charging_periods"][0]["dimensions"][1]["volume"] = 2.5
    found, _ = checks(doc)
    assert found["Period 1 time"].flag == "invalid"
    assert found["Period 1 time"].value == "time volumes sum to 2.5 h, the period lasts 1.75 h"


def test_charging_time_never_negative_with_reservation_subtracted() -> None:
    doc = _cdr(total_parking_time=1.5)
    doc["charging_periods"][0]["dimensions"].append({"type": "RESERVATION_TIME", "volume": 0.75})
    doc["charging_periods"][0]["dimensions"][1]["volume"] = 0.25
    found, _ = checks(doc)
    assert found["Charging time"].value.startswith("negative: -0.25 h")


def test_average_power_over_400_kw_is_flagged() -> None:
    found, _ = checks(_cdr(total_energy=30000.0))
    assert found["Average power"].flag == "inferred" and found["Average power"].value.startswith("17142.9 kW")


def test_a_credit_cdr_with_positive_totals() -> None:
    found, _ = checks(_cdr(credit=True, credit_reference_id="CHK-0"))
    assert found["Credit"].value == "a credit CDR with positive total_cost" and found["Credit"].flag == "invalid"
    negative, _ = checks(_cdr(credit=True, credit_reference_id="CHK-0", total_cost={"excl_vat": -12.0, "incl_vat": -14.52}))
    assert "Credit" not in negative


def test_incl_below_excl_vat_on_a_charge() -> None:
    found, _ = checks(_cdr(total_cost={"excl_vat": 12.0, "incl_vat": 10.0}))
    assert found["total_cost"].value == "incl. VAT 10 below excl. VAT 12"


def test_timestamps_out_of_order() -> None:
    doc = _cdr(last_updated="2026-11-20T07:00:00Z")
    doc["charging_periods"][1]["start_date_time"] = "2026-11-20T10:30:00Z"
    found, _ = checks(doc)
    assert found["Last updated"].value == "before the start"
    assert found["Period 2 start"].value == "after the end"


def test_an_active_session_with_an_end_time() -> None:
    doc = _cdr(status="ACTIVE", kwh=30.0)
    del doc["total_energy"]
    problems: list[str] = []
    from evtui.adapters.api import Presenter
    from evtui.adapters.ocpi.checks import checks_section

    found = checks_section(Presenter(doc, problems), cdr=False)
    assert [f.value for f in found.fields[1:]] == ["ACTIVE with an end time"]


def test_evtui_get_shows_a_cdr_whose_total_time_is_in_seconds(config_dir: Path) -> None:
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    doc = _cdr(id="CHK-SECONDS", total_time=7200, last_updated=(now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
               start_date_time=(now - timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
               end_date_time=(now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    doc["charging_periods"] = []
    with DemoServer() as server:
        provider = OcpiDemo(now=now)
        provider.cdrs.append(DemoObject(now - timedelta(hours=1), json.dumps(doc).encode(), doc))
        server.providers["ocpi"] = provider
        table = provider.profile(server.base_url("ocpi"))
        write_config(config_dir, "[profiles.o]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items()))
        result = run("get", "CHK-SECONDS", "--type", "cdr")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "7200 looks like seconds, not hours: should be 2 h (2h 0m 0s)" in result.stdout


def test_excl_vat_without_incl_vat_is_vat_not_given_not_unpriced() -> None:
    problems: list[str] = []
    sections, line = cdr.present(_cdr(total_cost={"excl_vat": 12.0}), problems)
    overview = {f.label: f for f in sections[0].fields}
    assert overview["Total incl. VAT"].value == "VAT not given"
    assert overview["Total excl. VAT"].value == "12.00 EUR"
    cost = {f.label: f.value for s in sections if s.key == "cost" for f in s.fields}
    assert cost["Total cost"] == "VAT not given · 12.00 EUR excl. VAT"
    assert "12.00 EUR" in line
