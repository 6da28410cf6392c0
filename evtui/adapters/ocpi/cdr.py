"""An OCPI CDR as sections: charging, cost, location, token, tariffs, identity."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from evtui.adapters.api import Field, Presenter, Section, Table, decode, decoded, section, sent_value, summary, with_others, yes_no
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
from evtui.adapters.ocpi.session import IN_TABLES
from evtui.adapters.ocpi.words import AUTH_METHOD, CONNECTOR_FORMAT, POWER_TYPE, PRICE_UNITS


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
            _signed(p),
        ],
        [periods.table],
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
    tariffs = _tariffs_section(p, currency)
    identity = section("identity", "Identity", (v211.identity_fields if old else identity_fields)(p, "CDR id"))
    sections = with_others([overview, charging, cost, location, token, tariffs, identity], document, IN_TABLES | ({v211.LOCATION} if old else set()))
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


def _signed(p: Presenter) -> Field:
    signed = p.get("signed_data")
    if not isinstance(signed, dict):
        return p.field("Signed data", "signed_data", absent="not sent (no calibration-law signed meter values)")
    values = signed.get("signed_values") if isinstance(signed.get("signed_values"), list) else []
    method = " ".join(str(x) for x in (signed.get("encoding_method"), signed.get("encoding_method_version")) if x is not None)
    natures = ", ".join(str(v.get("nature")) for v in values if isinstance(v, dict))
    return p.value(
        "Signed data",
        f"{method or 'encoding not named'}: {len(values)} signed value{'s' if len(values) != 1 else ''}" + (f" ({natures})" if natures else ""),
        note="signed meter values for calibration law (Eichrecht); verify with the encoding's transparency software",
        path="signed_data",
        raw=signed,
    )


# -- tariffs ----------------------------------------------------------------------------


def _tariffs_section(p: Presenter, currency: Any) -> Section:
    raw = p.get("tariffs")
    used = []
    for period in p.get("charging_periods") or []:
        if isinstance(period, dict) and period.get("tariff_id") and period["tariff_id"] not in used:
            used.append(period["tariff_id"])
    fields = [p.value("Used by periods", ", ".join(map(str, used)) or "none named", note="tariff_id of the charging periods", path="charging_periods")]
    if not isinstance(raw, list) or not raw:
        table = Table("Tariffs", ("Id",), (), note="none sent" if raw is None else "empty")
        return section("tariffs", "Tariffs", fields, [table])
    rows = []
    for t in raw:
        if not isinstance(t, dict):
            rows.append((json.dumps(t, ensure_ascii=False), "", "", "", "", ""))
            continue
        cur = t.get("currency") or currency
        elements = t.get("elements") if isinstance(t.get("elements"), list) else []
        rows.append(
            (
                f"{t.get('country_code', '?')}*{t.get('party_id', '?')} {t.get('id', '?')}",
                str(cur or "—"),
                str(t.get("type") or "—"),
                " | ".join(_element_text(e, cur) for e in elements) or "—",
                _min_max(t, cur),
                decoded(decode.timestamp, t.get("last_updated")) or str(t.get("last_updated") or "—"),
            )
        )
    table = Table(
        "Tariffs",
        ("Tariff", "Currency", "Type", "Price components (excl. VAT)", "Min/max price", "Last updated"),
        tuple(rows),
        note="elements separated by |; restrictions in brackets",
    )
    return section("tariffs", "Tariffs", fields, [table])


def _element_text(element: Any, currency: Any) -> str:
    if not isinstance(element, dict):
        return json.dumps(element, ensure_ascii=False)
    parts = []
    for c in element.get("price_components") or []:
        if not isinstance(c, dict):
            continue
        kind = str(c.get("type"))
        per, step_unit = PRICE_UNITS.get(kind, ("", ""))
        text = f"{kind} {decode.money_major(c.get('price'), currency) or c.get('price')}{per}"
        if c.get("vat") is not None:
            text += f" + {decode.number(c.get('vat'))} % VAT"
        if c.get("step_size") not in (None, 0, 1) or (step_unit == "s" and c.get("step_size") == 1):
            text += f", billed in steps of {c.get('step_size')} {step_unit}".rstrip()
        parts.append(text)
    restrictions = element.get("restrictions")
    if isinstance(restrictions, dict) and restrictions:
        parts.append("(" + ", ".join(f"{k} {v}" for k, v in restrictions.items()) + ")")
    return "; ".join(parts) or "—"


def _min_max(tariff: dict[str, Any], currency: Any) -> str:
    out = []
    for key, word in (("min_price", "min"), ("max_price", "max")):
        v = tariff.get(key)
        if isinstance(v, dict) and v.get("excl_vat") is not None:
            out.append(f"{word} {decode.money_major(v.get('excl_vat'), currency)}")
    return ", ".join(out) or "—"
