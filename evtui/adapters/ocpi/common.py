"""Fields sessions and CDRs share: start, end, duration, the CPO, the token, the identity."""

from __future__ import annotations

import re
from typing import Any

from evtui.adapters.api import Field, Presenter, decode
from evtui.adapters.ocpi.localtime import join, station_time_note
from evtui.adapters.ocpi.words import AUTH_METHOD, COUNTRY_BOXES, TOKEN_TYPE

def start_field(p: Presenter) -> Field:
    if not p.has("start_date_time") and p.get("start_datetime") is not None:
        p.problem("start_datetime is the OCPI 2.1.1 spelling of start_date_time")
        return p.field("Start", "start_datetime", decode.timestamp, note="OCPI 2.1.1 spelling start_datetime", flag="deprecated")
    raw = p.get("start_date_time")
    return p.field("Start", "start_date_time", decode.timestamp, note=join(utc_note(raw), station_time_note(p, raw)), required=True)


def end_path(p: Presenter) -> tuple[str, str]:
    for path, spelling in (("end_date_time", ""), ("end_datetime", "end_datetime"), ("stop_date_time", "stop_date_time")):
        if p.get(path) is not None:
            return path, spelling
    return "end_date_time", ""


def end_field(p: Presenter, status: Any) -> Field:
    path, spelling = end_path(p)
    if spelling:
        p.problem(f"{spelling} is the OCPI 2.1.1 spelling of end_date_time")
        return p.field("End", path, decode.timestamp, note=f"OCPI 2.1.1 spelling {spelling}", flag="deprecated")
    if p.get(path) is None and status is not None:
        if status in ("ACTIVE", "PENDING", "RESERVATION"):
            return p.value("End", "— (not ended)", note=f"no end_date_time: the session is {str(status).lower()}", path=path)
        return p.field("End", path, absent="not sent", note=f"the session is {status} but carries no end_date_time")
    return p.field("End", path, decode.timestamp, note=join(utc_note(p.get(path)), station_time_note(p, p.get(path))), required=status is None)


def duration_field(p: Presenter, status: Any) -> Field:
    start = decode.parse_timestamp(p.get("start_date_time") or p.get("start_datetime"))
    end = decode.parse_timestamp(p.get(end_path(p)[0]))
    if start is not None and end is not None:
        return p.value("Duration", decode.human_duration((end - start).total_seconds()) or "", note="derived: end − start", flag="derived")
    updated = decode.parse_timestamp(p.get("last_updated"))
    if start is not None and updated is not None and status == "ACTIVE":
        so_far = decode.human_duration((updated - start).total_seconds())
        return p.value("Duration", f"{so_far} so far", note="derived: last_updated − start (still going)", flag="derived")
    return p.value("Duration", "—", note="needs both start and end")


def utc_note(raw: Any) -> str:
    if isinstance(raw, str) and decode.parse_timestamp(raw) is not None and not re.search(r"(Z|[+-]\d\d:?\d\d)$", raw.strip(), re.I):
        return "sent without a zone: UTC, as OCPI defines"
    return ""


def cpo_field(p: Presenter) -> Field:
    cc, pid = p.get("country_code"), p.get("party_id")
    if not cc and not pid:
        return p.field("CPO", "party_id", required=True)
    return p.value("CPO", f"{cc or '?'}*{pid or '?'}", note="country_code*party_id of the CPO that sent it", path="party_id", raw=pid)


def authorization_field(p: Presenter) -> Field:
    token = p.get("cdr_token")
    if not isinstance(token, dict):
        if p.get("auth_id") is not None:
            p.problem("auth_id is the OCPI 2.1.1 field; 2.2.1 sends cdr_token")
            return p.field("Authorization", "auth_id", note="OCPI 2.1.1 auth_id (2.2.1 sends cdr_token)", flag="deprecated")
        return p.field("Authorization", "cdr_token", required=True)
    uid, kind, contract = token.get("uid"), token.get("type"), token.get("contract_id")
    value = f"{uid} ({kind})" if kind else str(uid)
    parts = []
    if contract:
        parts.append(f"contract {contract}")
    method = p.get("auth_method")
    if method:
        parts.append(f"{method}: {AUTH_METHOD.get(str(method), 'not a documented value')}")
    return p.value("Authorization", value, note="; ".join(parts), path="cdr_token.uid", raw=uid)


def token_fields(p: Presenter) -> list[Field]:
    fields: list[Field] = []
    if not isinstance(p.get("cdr_token"), dict) and p.get("auth_id") is not None:
        fields.append(authorization_field(p))
    else:
        fields += [
            p.field("Token uid", "cdr_token.uid", required=True, note="the RFID uid or app user id the CPO saw"),
            p.enum("Token type", "cdr_token.type", TOKEN_TYPE, required=True),
            p.field("Contract id", "cdr_token.contract_id", required=True, note="the driver's contract (eMA id) at the eMSP"),
            p.field("Token country code", "cdr_token.country_code", note="of the eMSP that issued the token"),
            p.field("Token party id", "cdr_token.party_id", note="of the eMSP that issued the token"),
        ]
    fields += [
        p.enum("Auth method", "auth_method", AUTH_METHOD, required=True),
        p.field("Authorization reference", "authorization_reference", note="the eMSP's reference from the real-time authorisation"),
    ]
    return fields


def identity_fields(p: Presenter, label: str) -> list[Field]:
    return [
        p.field(label, "id", required=True),
        p.field("Country code", "country_code", required=True, note="of the CPO (ISO 3166-1 alpha-2)"),
        p.field("Party id", "party_id", required=True, note="of the CPO"),
        p.field("Last updated", "last_updated", decode.timestamp, required=True, note=utc_note(p.get("last_updated")) or "lists are filtered and ordered by this"),
    ]


def coordinates_field(p: Presenter, path: str, country: Any) -> Field:
    lat_raw, lon_raw = p.get(f"{path}.latitude"), p.get(f"{path}.longitude")
    if lat_raw is None or lon_raw is None:
        return p.field("Coordinates", path, required=True)
    lat, lon = decode.to_decimal(lat_raw), decode.to_decimal(lon_raw)
    value = f"{lat_raw}, {lon_raw}"
    note = "latitude, longitude as sent"
    if not (isinstance(lat_raw, str) and isinstance(lon_raw, str)):
        note += "; sent as numbers (OCPI sends strings)"
    if lat is None or lon is None:
        return p.value("Coordinates", value, note=note + "; not numbers", path=path, raw=p.get(path), flag="invalid")
    if abs(lat) > 90 or abs(lon) > 180:
        swapped = abs(lon) <= 90 and abs(lat) <= 180
        why = "latitude outside ±90" if abs(lat) > 90 else "longitude outside ±180"
        p.problem(f"{path}: {why}" + ("; latitude and longitude look swapped" if swapped else ""))
        return p.value(
            "Coordinates", value, note=f"{note}; {why}" + (": looks swapped" if swapped else ""), path=path, raw=p.get(path), flag="invalid"
        )
    box = COUNTRY_BOXES.get(str(country).upper()) if isinstance(country, str) else None
    if box is not None:
        inside = _in_box(box, float(lat), float(lon))
        if not inside and _in_box(box, float(lon), float(lat)):
            p.problem(f"{path}: latitude and longitude look swapped ({lon_raw}, {lat_raw} lies in {country}; as sent it does not)")
            return p.value(
                "Coordinates",
                value,
                note=f"{note}; inferred: looks swapped: {lon_raw}, {lat_raw} lies in {country}, the pair as sent does not",
                path=path,
                raw=p.get(path),
                flag="inferred",
            )
        if not inside:
            return p.value("Coordinates", value, note=f"{note}; inferred: outside {country}", path=path, raw=p.get(path), flag="inferred")
    return p.value("Coordinates", value, note=note, path=path, raw=p.get(path))


def _in_box(box: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    return box[0] <= lat <= box[1] and box[2] <= lon <= box[3]
