"""An AMPECO roaming CDR (CDRs v2.0): its own fields, and the OCPI CDR it carries decoded by the
OCPI presentation (`evtui.adapters.ocpi.cdr.present`).

`ocpiData` is served as the roaming partner sent it, OCPI 2.1.1 or 2.2, with AMPECO's
camelCase keys (`cdrLocation`, `totalCost`): its keys are turned into OCPI's snake_case
before presenting, and every field's path is turned back so it points into the record
as sent. The CDR's id, session id and times live beside `ocpiData`, not in it: the OCPI
presentation is given them from there."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from evtui.adapters.ampeco import words
from evtui.adapters.api import Field, Presenter, Section, decode, section, with_others
from evtui.adapters.ocpi import cdr as ocpi_cdr

#: OCPI fields AMPECO sends beside ocpiData, by their OCPI name.
_BESIDE = {
    "id": "roamingId",
    "session_id": "sessionId",
    "start_date_time": "startTime",
    "end_date_time": "endTime",
    "credit": "credit",
    "last_updated": "lastUpdatedAt",
}
#: Documented as numbers excl. VAT for both versions: given to the OCPI presentation as
#: {excl_vat}, so a 2.2 CDR's costs are not mistaken for OCPI 2.1.1's bare numbers.
_COSTS = ("total_cost", "total_fixed_cost", "total_energy_cost", "total_time_cost", "total_parking_cost", "total_reservation_cost")
#: The CPO's identity, which OCPI requires and AMPECO's CDR does not carry.
_NOT_RELAYED = ("country_code", "party_id")
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def present_cdr(p: Presenter, r: str) -> tuple[list[Section], str]:
    protocol = p.get(f"{r}protocolType")
    overview = section(
        "overview",
        "Overview",
        [
            p.field("CDR id", f"{r}id", required=True, note="AMPECO's id"),
            p.enum("Protocol", f"{r}protocolType", words.PROTOCOL_TYPE),
            p.enum("OCPI version", f"{r}ocpiData.version", words.OCPI_VERSION) if p.has(f"{r}ocpiData") else p.field("OICP version", f"{r}oicpData.version"),
            p.field("Roaming id", f"{r}roamingId", note="the CDR's id in the CPO's platform"),
            p.field("Session id", f"{r}sessionId", note="the session's id in the CPO's platform"),
            p.field("Start", f"{r}startTime", decode.timestamp),
            p.field("End", f"{r}endTime", decode.timestamp),
            p.field("Received", f"{r}receivedAt", decode.timestamp),
            p.field("Credit CDR", f"{r}credit", lambda v: "yes: it reverses an earlier CDR" if v is True else "no" if v is False else None),
            p.field("Direction", f"{r}isLocal", lambda v: "issued by this platform as CPO" if v is True else "received as eMSP" if v is False else None),
            p.enum("Delivery to the eMSP", f"{r}deliveryResponse", words.DELIVERY_RESPONSE),
            p.field("Sent", f"{r}sentAt", decode.timestamp),
            p.field("Last updated", f"{r}lastUpdatedAt", decode.timestamp),
            p.field("Operator id", f"{r}operatorId"),
            p.field("Roaming platform id", f"{r}platformId"),
        ],
    )
    sections = [overview]
    summary = f"{protocol or '?'} CDR"
    data = p.get(f"{r}ocpiData")
    if isinstance(data, dict):
        ocpi_sections, ocpi_summary = _ocpi_sections(p, r, data)
        sections += ocpi_sections
        summary = f"OCPI {data.get('version') or '?'} {ocpi_summary}"
    return with_others(sections, p.document), summary


def _ocpi_sections(p: Presenter, r: str, data: dict[str, Any]) -> tuple[list[Section], str]:
    renamed: dict[str, str] = {}
    cdr = _snake_keys(data, renamed)
    cdr.pop("version", None)
    for name, key in _BESIDE.items():
        if name not in cdr and p.get(f"{r}{key}") is not None:
            cdr[name] = p.get(f"{r}{key}")
    wrapped = {k for k in _COSTS if isinstance(cdr.get(k), (int, float)) and not isinstance(cdr.get(k), bool)}
    for key in wrapped:
        cdr[key] = {"excl_vat": cdr[key]}
    # The relayed CDR's findings are part of what this record shows: its model is imported for it.
    from evtui.adapters.ocpi.models import OcpiCdr
    from evtui.adapters.validation import validate_leniently

    found = validate_leniently(OcpiCdr, cdr)[1]
    sections, summary = ocpi_cdr.present(cdr, found)
    for problem in found:
        if problem not in (f"missing required field {k}" for k in _NOT_RELAYED):
            p.problem(f"ocpiData: {problem}")

    def path_in_record(path: str) -> str:
        if not path:
            return ""
        head = re.split(r"[.\[]", path, maxsplit=1)[0]
        if head in _BESIDE and head not in _snake_keys_of(data):
            return f"{r}{_BESIDE[head]}"
        if head in wrapped:
            path = path.removesuffix(".excl_vat")
        back = re.sub(r"[^.\[\]]+", lambda m: renamed.get(m.group(0), m.group(0)), path)
        return f"{r}ocpiData.{back}"

    out = []
    for s in sections:
        fields = tuple(_relayed(f, path_in_record(f.path)) for f in s.fields if s.key != "other")
        if s.key == "other":  # keys the OCPI presentation does not know: shown from the record as sent
            fields = tuple(_sent(f, path_in_record(f.path)) for f in s.fields)
        tables = tuple(dataclasses.replace(t, shows=tuple(path_in_record(x) for x in t.shows)) for t in s.tables)
        out.append(dataclasses.replace(s, key=f"ocpi-{s.key}", title=f"OCPI {s.title.lower()}", fields=fields, tables=tables))
    return out, summary


def _relayed(field: Field, path: str) -> Field:
    if field.flag == "missing" and field.path in _NOT_RELAYED:
        return dataclasses.replace(field, value="not relayed by AMPECO", note="the CPO is named on the session (chargePointOperatorRoamingId)", flag=None, path="")
    return dataclasses.replace(field, path=path)


def _sent(field: Field, path: str) -> Field:
    return dataclasses.replace(field, label=path.split("ocpiData.", 1)[-1], path=path)


def _snake(key: str) -> str:
    return _CAMEL.sub(lambda m: "_" + m.group(1).lower(), key)


def _snake_keys_of(data: dict[str, Any]) -> set[str]:
    return {_snake(k) for k in data if isinstance(k, str)}


def _snake_keys(node: Any, renamed: dict[str, str]) -> Any:
    """A copy of `node` with camelCase keys in snake_case; `renamed` gets snake -> as sent."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            name = _snake(key) if isinstance(key, str) else key
            if name != key:
                renamed[name] = key
            out[name] = _snake_keys(value, renamed)
        return out
    if isinstance(node, list):
        return [_snake_keys(v, renamed) for v in node]
    return node
