"""Station-local time beside OCPI's UTC times: from the Location's time_zone, or a single-zone country."""

from __future__ import annotations

from typing import Any


from evtui.adapters.ocpi import cdr
from evtui.demo.server import DemoServer
from evtui.pool import AdapterPool

from .test_ocpi import config, field, pinned
from .test_ocpi_211 import CDR_ID, server  # noqa: F401  (the fixture)


def cdr_at(location: dict[str, Any], start: str = "2026-07-01T12:05:00Z", end: str = "2026-07-01T23:30:00Z") -> dict[str, Any]:
    return {"id": "C1", "start_date_time": start, "end_date_time": end, "cdr_location": location, "cdr_token": {"uid": "U"}}


def note(document: dict[str, Any], label: str) -> str:
    sections, _ = cdr.present(document, [])
    overview = next(s for s in sections if s.key == "overview")
    return next(f.note for f in overview.fields if f.label == label)


def test_a_single_zone_country_gives_the_station_time_in_summer_and_winter() -> None:
    assert note(cdr_at({"country": "NLD"}), "Start") == "14:05 Europe/Amsterdam at the station (zone: NLD has one time zone)"
    winter = cdr_at({"country": "NLD"}, start="2026-01-15T12:05:00Z")
    assert note(winter, "Start") == "13:05 Europe/Amsterdam at the station (zone: NLD has one time zone)"


def test_the_station_date_is_named_when_it_differs_from_the_utc_date() -> None:
    assert note(cdr_at({"country": "NLD"}), "End") == "2026-07-02 01:30 Europe/Amsterdam at the station (zone: NLD has one time zone)"


def test_a_country_with_several_zones_gives_no_station_time() -> None:
    # Spain: the Canaries are an hour behind the mainland.
    assert "at the station" not in note(cdr_at({"country": "ESP"}), "Start")
    assert "at the station" not in note(cdr_at({}), "Start")


def test_the_location_time_zone_wins_over_the_country() -> None:
    document = cdr_at({"country": "ESP", "time_zone": "Atlantic/Canary"})
    assert note(document, "Start") == "13:05 Atlantic/Canary at the station (zone: cdr_location.time_zone)"


def test_a_time_zone_that_is_not_iana_is_named_as_a_problem_and_not_used() -> None:
    problems: list[str] = []
    sections, _ = cdr.present(cdr_at({"country": "ESP", "time_zone": "Mars/Olympus"}), problems)
    start = next(f for s in sections if s.key == "overview" for f in s.fields if f.label == "Start")
    assert "at the station" not in start.note
    assert "cdr_location.time_zone: 'Mars/Olympus' is not an IANA time zone" in problems


async def test_the_2_1_1_cdr_shows_station_time_from_its_location_object(server: DemoServer) -> None:  # noqa: F811
    async with AdapterPool(config(server, "v211")) as pool:
        record = await pinned(pool).fetch(CDR_ID, "cdr")
    start = field(record, "overview", "Start")
    assert start.value == "2026-11-21 07:00:00 UTC"
    assert start.note == "08:00 Europe/Amsterdam at the station (zone: location.time_zone)"
