"""An OCPI CDR as sections: charging, cost, location, token, tariffs, identity."""

from __future__ import annotations

import dataclasses
from typing import Any

from evtui.adapters.api import Field, Presenter, Section, decode, section, sent_value, summary, with_others, yes_no
from evtui.adapters.ocpi.common import (
    authorization_field,
    coordinates_field,
    cpo_field,
    duration_field,
    end_field,
    identity_fields,
    start_field,
    token_fields,
)
from evtui.adapters.ocpi import v211
from evtui.adapters.ocpi.cost import components_check, cost_fields, summary_cost, total_fields
from evtui.adapters.ocpi.periods import Periods, charging_time, hours_text
from evtui.adapters.ocpi.checks import checks_section
from evtui.adapters.ocpi.signed import signed_fields, signed_table
from evtui.adapters.ocpi.tariffs import tariffs_section
from evtui.adapters.ocpi.words import AUTH_METHOD, CONNECTOR_FORMAT, POWER_TYPE


def present(document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
    p = Presenter(document, problems)
    currency = p.get("currency")
    old = v211.is_211(document)
    start = start_field(p)
    end = v211.end_field(p, "stop_date_time") if old else end_field(p, None)
    duration = duration_field(p, None)
    energy = p.field("Energy", "total_energy", decode.kwh, note="kWh, as sent", required=True)
    incl, excl = v211.total_fields(p, currency) if old else total_fields(p, currency)
    credit = p.get("credit") is True
    first = [p.field("CDR id", "id", required=True)]
    if old:
        first.append(v211.version_field())
    if credit:
        first.append(
            p.value(
                "Credit CDR",
                f"yes: reverses CDR {p.get('credit_reference_id') or '(credit_reference_id not sent)'}",
                note="amounts are negative: the earlier CDR is cancelled",
                path="credit",
                raw=True,
            )
        )
    overview = section(
        "overview",
        "Overview",
        [
            *first,
            p.field("Session id", "session_id", absent="not sent" + (" (OCPI 2.1.1 CDRs have no session_id)" if old else ""), note="the session this CDR bills"),
            start,
            end,
            duration,
            energy,
            incl,
            excl,
            *((v211.site_field(p), v211.evse_field(p), v211.authorization_field(p)) if old else (
                _cdr_site(p),
                p.field("EVSE", "cdr_location.evse_id", required=True, note=_evse_note(p, "cdr_location.evse_uid", "cdr_location.connector_id")),
                authorization_field(p),
            )),
            v211.cpo_field(p) if old else cpo_field(p),
        ],
    )
    periods = Periods(p, total_path="total_energy")
    charging = section(
        "charging",
        "Charging",
        [
            start,
            end,
            duration,
            energy,
            p.field("Total time", "total_time", hours_text, note="hours, as sent: start to end", required=True),
            p.field("Parking time", "total_parking_time", hours_text, note="hours, as sent: plugged in but not charging"),
            charging_time(p),
            *periods.fields,
            p.field("Meter id", "meter_id"),
            *signed_fields(p),
        ],
        [periods.table, signed_table(p)],
    )
    charging = dataclasses.replace(charging, charts=periods.charts)
    cost_paths = (
        "total_cost",
        "total_fixed_cost",
        "total_energy_cost",
        "total_time_cost",
        "total_parking_cost",
        "total_reservation_cost",
    )
    cost = section(
        "cost",
        "Cost",
        [
            *(cost_fields(p, currency, cost_paths) if not old else [p.field("Currency", "currency", required=True), excl]),
            # Credit CDRs, invoice references and home charging came with 2.2.
            *(() if old else (
                components_check(p, currency),
                p.field("Credit", "credit", yes_no, absent="no (not sent)"),
                p.field("Credit reference id", "credit_reference_id", note="the CDR a credit CDR reverses"),
                p.field("Invoice reference id", "invoice_reference_id"),
                p.field("Home charging compensation", "home_charging_compensation", yes_no, note="the CPO pays the driver back (charging at home)"),
            )),
            p.field("Remark", "remark"),
        ],
    )
    location = section("location", "Location", v211.location_fields(p) if old else _location_fields(p))
    token = section("token", "Token", [v211.authorization_field(p), p.enum("Auth method", "auth_method", AUTH_METHOD, required=True)] if old else token_fields(p))
    tariffs = tariffs_section(p, currency)
    identity = section("identity", "Identity", (v211.identity_fields if old else identity_fields)(p, "CDR id"))
    sections = with_others(
        [overview, charging, cost, location, token, tariffs, checks_section(p, cdr=True), identity],
        document,
    )
    site = p.get("location.name" if old else "cdr_location.name")
    kind = ("credit CDR" if credit else "CDR") + (" (OCPI 2.1.1)" if old else "")
    return sections, summary(kind, site if isinstance(site, str) else "", sent_value(excl) if old else summary_cost(incl, excl), sent_value(energy))


def _evse_note(p: Presenter, uid_path: str, connector_path: str) -> str:
    parts = []
    if p.get(uid_path) is not None:
        parts.append(f"evse_uid {p.get(uid_path)}")
    if p.get(connector_path) is not None:
        parts.append(f"connector {p.get(connector_path)}")
    return ", ".join(parts)


def _cdr_site(p: Presenter) -> Field:
    name, city = p.get("cdr_location.name"), p.get("cdr_location.city")
    if not isinstance(p.get("cdr_location"), dict):
        return p.field("Location", "cdr_location", required=True)
    value = ", ".join(str(x) for x in (name, city) if x) or str(p.get("cdr_location.id") or "—")
    return p.value("Location", value, note=f"location id {p.get('cdr_location.id')}", path="cdr_location.name", raw=name)


def _location_fields(p: Presenter) -> list[Field]:
    base = "cdr_location"
    if not isinstance(p.get(base), dict):
        return [p.field("Location", base, required=True)]
    country = p.get(f"{base}.country")
    return [
        p.field("Name", f"{base}.name"),
        p.field("Address", f"{base}.address", required=True),
        p.field("Postal code", f"{base}.postal_code"),
        p.field("City", f"{base}.city", required=True),
        p.field("State", f"{base}.state"),
        p.field(
            "Country",
            f"{base}.country",
            required=True,
            note="ISO 3166-1 alpha-3" + (" (2.2.1 sends three letters)" if isinstance(country, str) and len(country) != 3 else ""),
        ),
        coordinates_field(p, f"{base}.coordinates", country),
        p.field("Location id", f"{base}.id", required=True),
        p.field("EVSE id", f"{base}.evse_id", required=True, note="the EVSE id printed on the charger (eMI3)"),
        p.field("EVSE uid", f"{base}.evse_uid", required=True, note="the CPO's internal id"),
        p.field("Connector id", f"{base}.connector_id", required=True),
        p.field("Connector standard", f"{base}.connector_standard", required=True),
        p.enum("Connector format", f"{base}.connector_format", CONNECTOR_FORMAT, required=True),
        p.enum("Power type", f"{base}.connector_power_type", POWER_TYPE, required=True),
    ]


