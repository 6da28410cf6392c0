"""Station-local time: the zone of the station a session or CDR took place at, when it is known.

OCPI times are UTC. The station's zone comes from the Location object's `time_zone` (2.1.1 sends
the object inline) or, failing that, from a country that has one zone only.
"""

from __future__ import annotations

from datetime import timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evtui.adapters.api import Presenter, decode

#: ISO 3166-1 alpha-3 -> the one IANA zone of the country (its overseas parts have codes of their own).
#: Countries with more than one zone (ESP: the Canaries, PRT: the Azores, USA, ...) are left out.
SINGLE_ZONE = {
    "AUT": "Europe/Vienna", "BEL": "Europe/Brussels", "CHE": "Europe/Zurich", "CZE": "Europe/Prague",
    "DEU": "Europe/Berlin", "DNK": "Europe/Copenhagen", "FIN": "Europe/Helsinki", "FRA": "Europe/Paris",
    "GBR": "Europe/London", "HUN": "Europe/Budapest", "IRL": "Europe/Dublin", "ITA": "Europe/Rome",
    "LUX": "Europe/Luxembourg", "NLD": "Europe/Amsterdam", "NOR": "Europe/Oslo", "POL": "Europe/Warsaw",
    "SVK": "Europe/Bratislava", "SVN": "Europe/Ljubljana", "SWE": "Europe/Stockholm",
}


def station_zone(p: Presenter) -> tuple[ZoneInfo, str] | None:
    """The station's zone and where it came from, or None when it is not known."""
    for base in ("location", "cdr_location"):
        name = p.get(f"{base}.time_zone")
        if isinstance(name, str) and name:
            try:
                return ZoneInfo(name), f"{base}.time_zone"
            except (ZoneInfoNotFoundError, ValueError):
                p.problem(f"{base}.time_zone: {name!r} is not an IANA time zone")
    for base in ("location", "cdr_location"):
        country = p.get(f"{base}.country")
        if isinstance(country, str) and country.upper() in SINGLE_ZONE:
            return ZoneInfo(SINGLE_ZONE[country.upper()]), f"{country} has one time zone"
    return None


def station_time_note(p: Presenter, raw: Any) -> str:
    """'08:00 Europe/Amsterdam at the station (zone: …)' for a timestamp, or '' when the zone is unknown."""
    when = decode.parse_timestamp(raw)
    zone = station_zone(p)
    if when is None or zone is None:
        return ""
    try:
        local = when.astimezone(zone[0])
    except OverflowError:
        return ""
    day = "" if local.date() == when.astimezone(timezone.utc).date() else f"{local:%Y-%m-%d} "
    return f"{day}{local:%H:%M} {zone[0].key} at the station (zone: {zone[1]})"


def join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)
