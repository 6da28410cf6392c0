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
from evtui.adapters.ocpi.periods import Periods
from evtui.adapters.ocpi.words import SESSION_STATUS

#: Shown in tables rather than as fields.
IN_TABLES = {"charging_periods", "tariffs", "signed_data"}


def present(document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
    p = Presenter(document, problems)
    currency = p.get("currency")
    status = p.get("status")
    start = start_field(p)
    end = end_field(p, status)
    duration = duration_field(p, status)
    energy = p.field("Energy", "kwh", decode.kwh, note="kWh, as sent", required=True)
    incl, excl = total_fields(p, currency)
    location = p.field("Location", "location_id", required=True)
    evse = _session_evse(p)
    auth = authorization_field(p)
    overview = section(
        "overview",
        "Overview",
        [
            p.field("Session id", "id", required=True),
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
            cpo_field(p),
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
    sections = with_others([overview, charging, cost, place, token, identity], document, IN_TABLES)
    return sections, summary(status, p.get("location_id"), summary_cost(incl, excl), sent_value(energy))


def _session_evse(p: Presenter) -> Field:
    uid = p.get("evse_uid")
    if uid is None:
        return p.field("EVSE", "evse_uid", required=True)
    connector = p.get("connector_id")
    value = f"{uid}, connector {connector}" if connector is not None else str(uid)
    return p.value("EVSE", value, note="evse_uid, connector_id (the CPO's internal ids)", path="evse_uid", raw=uid)
