"""OCPI 2.1.1 as its own shape: the whole Location object in `location`, stop_date_time, auth_id,
one total_cost amount (no VAT split). Read as 2.1.1 defines it, not as 2.2.1 gone wrong."""

from __future__ import annotations

import dataclasses
from typing import Any

from evtui.adapters.api import Field, Presenter, decode
from evtui.adapters.ocpi.common import coordinates_field
from evtui.adapters.ocpi.localtime import station_time_note
from evtui.adapters.ocpi.words import AUTH_METHOD, CONNECTOR_FORMAT, CONNECTOR_STANDARD, EVSE_STATUS, LOCATION_TYPE, POWER_TYPE

VERSION = "2.1.1"
LOCATION = "location"
#: The Location object is a copy of the CPO's Locations module as it was then.
_AS_OF = "when the CPO last changed this part of its Locations data"


def is_211(document: dict[str, Any]) -> bool:
    """A 2.1.1 object: the Location object inline, or 2.1.1 field names without their 2.2.1 successors."""
    if isinstance(document.get("location"), dict) and "cdr_location" not in document and "location_id" not in document:
        return True
    spelled_211 = any(k in document for k in ("stop_date_time", "auth_id", "start_datetime", "end_datetime"))
    # A 2.2.1 object with a 2.1.1 spelling slipped in stays 2.2.1 (and is flagged there).
    names_221 = ("cdr_token", "cdr_location", "location_id", "country_code", "party_id")
    return spelled_211 and not any(k in document for k in names_221)


def version_field() -> Field:
    return Presenter.value("OCPI version", VERSION, note="read in the OCPI 2.1.1 shape (Location object inline, auth_id, one total_cost)")


def cpo_field(p: Presenter) -> Field:
    if p.get("party_id") or p.get("country_code"):
        return p.value("CPO", f"{p.get('country_code') or '?'}*{p.get('party_id') or '?'}", path="party_id", raw=p.get("party_id"))
    return p.value("CPO", "— (2.1.1 objects do not name their party)", note="it is the CPO this profile talks to")


def identity_fields(p: Presenter, label: str) -> list[Field]:
    """2.1.1 objects carry no country_code / party_id (added in 2.2)."""
    return [
        p.field(label, "id", required=True),
        p.field("Last updated", "last_updated", decode.timestamp, required=True, note="lists are filtered and ordered by this"),
    ]


def start_field(p: Presenter, path: str) -> Field:
    """`start_datetime` in 2.1.1 sessions, `start_date_time` in 2.1.1 CDRs."""
    return p.field("Start", path, decode.timestamp, required=True, note=station_time_note(p, p.get(path)))


def end_field(p: Presenter, path: str) -> Field:
    return p.field("End", path, decode.timestamp, required=True, note=station_time_note(p, p.get(path)))


def authorization_field(p: Presenter) -> Field:
    method = p.get("auth_method")
    note = f"auth_id (2.1.1); {method}: {AUTH_METHOD.get(str(method), 'not a documented value')}" if method else "auth_id (2.1.1)"
    return p.field("Authorization", "auth_id", required=True, note=note)


def total_fields(p: Presenter, currency: Any) -> tuple[Field, Field]:
    """2.1.1 sends one total_cost, excl. VAT: there is no incl. VAT amount to miss."""
    raw = p.get("total_cost")
    money = decode.money_major(raw, currency) if raw is not None else None
    excl = p.field("Total excl. VAT", "total_cost", lambda v: decode.money_major(v, currency), required=True, note="OCPI 2.1.1 total_cost: one amount, excl. VAT")
    incl = p.value("Total incl. VAT", "— (OCPI 2.1.1 has no VAT split)", note="2.1.1 sends total_cost excl. VAT only", path="total_cost", raw=raw if money else None)
    return incl, excl


def _evse(p: Presenter) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The path, EVSE and connector the object names (2.1.1 lists exactly the one used)."""
    evses = p.get(f"{LOCATION}.evses")
    evse = evses[0] if isinstance(evses, list) and evses and isinstance(evses[0], dict) else {}
    connectors = evse.get("connectors")
    connector = connectors[0] if isinstance(connectors, list) and connectors and isinstance(connectors[0], dict) else {}
    return f"{LOCATION}.evses.0", evse, connector


def site_field(p: Presenter) -> Field:
    if not isinstance(p.get(LOCATION), dict):
        return p.field("Location", LOCATION, required=True)
    name, city = p.get(f"{LOCATION}.name"), p.get(f"{LOCATION}.city")
    value = ", ".join(str(x) for x in (name, city) if x) or str(p.get(f"{LOCATION}.id") or "—")
    return p.value("Location", value, note=f"location id {p.get(f'{LOCATION}.id')}", path=f"{LOCATION}.name", raw=name)


def evse_field(p: Presenter) -> Field:
    _, evse, connector = _evse(p)
    if not evse:
        return p.field("EVSE", f"{LOCATION}.evses", required=True)
    note = ", ".join(x for x in (f"uid {evse.get('uid')}" if evse.get("uid") else "", f"connector {connector.get('id')}" if connector.get("id") else "") if x)
    key = "evse_id" if evse.get("evse_id") else "uid"
    return p.value("EVSE", str(evse.get(key)), note=note, path=f"{LOCATION}.evses[0].{key}", raw=evse.get(key))


def location_fields(p: Presenter) -> list[Field]:
    base = LOCATION
    if not isinstance(p.get(base), dict):
        return [p.field("Location", base, required=True)]
    _, evse, connector = _evse(p)
    listed = p.get(f"{base}.evses")
    count = len(listed) if isinstance(listed, list) else 0
    in_evse, in_connector = Presenter(evse, []), Presenter(connector, [])
    fields = [
        p.field("Name", f"{base}.name"),
        p.field("Address", f"{base}.address", required=True),
        p.field("Postal code", f"{base}.postal_code", required=True),
        p.field("City", f"{base}.city", required=True),
        p.field("Country", f"{base}.country", required=True, note="ISO 3166-1 alpha-3"),
        coordinates_field(p, f"{base}.coordinates", p.get(f"{base}.country")),
        p.field("Time zone", f"{base}.time_zone", absent="not sent", note="IANA zone of the station"),
        p.field("Location id", f"{base}.id", required=True),
        p.enum("Location type", f"{base}.type", LOCATION_TYPE),
        p.field("Location last updated", f"{base}.last_updated", decode.timestamp, note=_AS_OF),
    ]
    if not evse:
        return [*fields, p.field("EVSE", f"{base}.evses", required=True, note="2.1.1 lists the EVSE used")]
    many = f"; {count} EVSEs listed, the first shown" if count > 1 else ""
    evse_path = f"{base}.evses[0]"
    fields += _within(p, in_evse, evse_path, [
        in_evse.field("EVSE id", "evse_id", absent="not sent", note="the EVSE id printed on the charger (eMI3)" + many),
        in_evse.field("EVSE uid", "uid", required=True, note="the CPO's internal id"),
        in_evse.enum("EVSE status", "status", EVSE_STATUS, note="as of the EVSE's last update, not now"),
        in_evse.field("EVSE last updated", "last_updated", decode.timestamp, note=_AS_OF),
    ])
    if not connector:
        return [*fields, p.field("Connector", f"{evse_path}.connectors", required=True, note="2.1.1 lists the connector used")]
    fields += _within(p, in_connector, f"{evse_path}.connectors[0]", [
        in_connector.field("Connector id", "id", required=True),
        in_connector.field("Connector standard", "standard", required=True, note=CONNECTOR_STANDARD.get(str(connector.get("standard")), "")),
        in_connector.enum("Connector format", "format", CONNECTOR_FORMAT, required=True),
        in_connector.enum("Power type", "power_type", POWER_TYPE, required=True),
        in_connector.field("Voltage", "voltage", lambda v: f"{decode.number(v)} V", required=True),
        in_connector.field("Amperage", "amperage", lambda v: f"{decode.number(v)} A", required=True),
        in_connector.field("Connector tariff", "tariff_id", absent="not sent"),
        in_connector.field("Connector last updated", "last_updated", decode.timestamp, note=_AS_OF),
    ])
    return fields


def _within(p: Presenter, inner: Presenter, prefix: str, fields: list[Field]) -> list[Field]:
    """Fields read from a list item by `inner`: their paths and findings put back under `prefix`."""
    for text in inner.problems:
        p.problem(f"{prefix}: {text}")
    return [dataclasses.replace(f, path=f"{prefix}.{f.path}" if f.path else prefix) for f in fields]
