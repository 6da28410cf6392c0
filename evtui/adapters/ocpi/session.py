"""An OCPI session as sections."""

from __future__ import annotations

import dataclasses
from typing import Any

from evtui.adapters.api import Field, Presenter, Section, decode, section, sent_value, summary, with_others
from evtui.adapters.ocpi.common import (
    authorization_field,
    cpo_field,
    duration_field,
    end_field,
    identity_fields,
    start_field,
    token_fields,
)
from evtui.adapters.ocpi.cost import cost_fields, summary_cost, total_fields
from evtui.adapters.ocpi import v211
from evtui.adapters.ocpi.checks import checks_section
from evtui.adapters.ocpi.periods import Periods
from evtui.adapters.ocpi.words import AUTH_METHOD, SESSION_STATUS

def present(document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
    p = Presenter(document, problems)
    old = v211.is_211(document)
    currency = p.get("currency")
    status = p.get("status")
    if old:
        start, end = v211.start_field(p, "start_datetime"), v211.end_field(p, "end_datetime")
        if status in ("ACTIVE", "PENDING") and p.get("end_datetime") is None:
            end = p.value("End", "— (not ended)", note=f"no end_datetime: the session is {str(status).lower()}", path="end_datetime")
    else:
        start, end = start_field(p), end_field(p, status)
    duration = duration_field(p, status)
    energy = p.field("Energy", "kwh", decode.kwh, note="kWh, as sent", required=True)
    incl, excl = v211.total_fields(p, currency) if old else total_fields(p, currency)
    location = v211.site_field(p) if old else p.field("Location", "location_id", required=True)
    evse = v211.evse_field(p) if old else _session_evse(p)
    auth = v211.authorization_field(p) if old else authorization_field(p)
    overview = section(
        "overview",
        "Overview",
        [
            p.field("Session id", "id", required=True),
            *((v211.version_field(),) if old else ()),
            p.enum("Status", "status", SESSION_STATUS, required=True),
            start,
            end,
            duration,
            energy,
            incl,
            excl,
            location,
            evse,
            auth,
            v211.cpo_field(p) if old else cpo_field(p),
        ],
    )
    periods = Periods(p, total_path="kwh")
    charging = section(
        "charging",
        "Charging",
        [start, end, duration, energy, *periods.fields, p.field("Meter id", "meter_id")],
        [periods.table],
    )
    charging = dataclasses.replace(charging, charts=periods.charts)
    if old:
        cost = section("cost", "Cost", [p.field("Currency", "currency", required=True), excl])
        place = section("location", "Location", v211.location_fields(p))
        token = section("token", "Token", [auth, p.enum("Auth method", "auth_method", AUTH_METHOD, required=True)])
        identity = section("identity", "Identity", v211.identity_fields(p, "Session id"))
        sections = with_others([overview, charging, cost, place, token, checks_section(p, cdr=False), identity], document)
        return sections, summary(status, "OCPI 2.1.1", p.get("location.name"), sent_value(excl), sent_value(energy))
    cost = section("cost", "Cost", [*cost_fields(p, currency, ("total_cost",))])
    place = section(
        "location",
        "Location",
        [
            p.field("Location id", "location_id", required=True),
            p.field("EVSE uid", "evse_uid", required=True),
            p.field("Connector id", "connector_id", required=True),
        ],
    )
    token = section("token", "Token", token_fields(p))
    identity = section("identity", "Identity", identity_fields(p, "Session id"))
    sections = with_others([overview, charging, cost, place, token, checks_section(p, cdr=False), identity], document)
    return sections, summary(status, p.get("location_id"), summary_cost(incl, excl), sent_value(energy))


def _session_evse(p: Presenter) -> Field:
    uid = p.get("evse_uid")
    if uid is None:
        return p.field("EVSE", "evse_uid", required=True)
    connector = p.get("connector_id")
    value = f"{uid}, connector {connector}" if connector is not None else str(uid)
    return p.value("EVSE", value, note="evse_uid, connector_id (the CPO's internal ids)", path="evse_uid", raw=uid)
