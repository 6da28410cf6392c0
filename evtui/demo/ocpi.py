"""Demo OCPI 2.2.1 CPO: versions, version details, and the sessions and cdrs SENDER lists.

Paths under the provider prefix (`/ocpi`):

    /versions, /2.2.1, /2.2.1/sessions, /2.2.1/cdrs    base64 token (OCPI 2.2.1)
    /raw/...                                           the same, raw token only (as 2.1.1 servers)
    /broken/...                                        lists answer HTTP 200 with status_code 3001
    /old/...                                           offers 2.0 and 2.2 only (neither spoken)
    /v211/versions, /v211/2.1.1/cdrs                   an OCPI 2.1.1 CPO: raw token, 2.1.1 objects

Lists honour date_from, date_to, offset and limit (capped at 50, as X-Limit
says), are ordered by last_updated and link the next page with
`Link: <...>; rel="next"`. date_from more than 90 days back is refused with
status_code 2001, as CPOs bounding their history do.

Objects are generated deterministically around an anchor time ("now" floored to
the minute unless given): 250 sessions and 120 CDRs over the last 60 days, plus
hand-made ones with known ids (see `examples` and the comments below).
"""

from __future__ import annotations

import base64
import functools
import json
import random
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from string import Template
from typing import Any
from urllib.parse import urlencode

from evtui.decode import parse_timestamp
from evtui.demo.http import DemoRequest, DemoResponse
from evtui.demo.provider import DemoHost


TOKEN = "demo-ocpi-token-c-7f3a91"
MAX_LIMIT = 50
MAX_HISTORY_DAYS = 90
#: Path variants of the demo CPO: raw-token auth, an error envelope, old versions only,
#: "large", whose sessions list holds one ~5 MB session (benchmarks), and "v211", an OCPI 2.1.1
#: CPO (offers 2.1.1 only, raw token) whose lists hold 2.1.1-shaped objects.
VARIANTS = ("raw", "broken", "old", "large", "v211")
SEED = 2211


def _ts(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class DemoObject:
    last_updated: datetime
    #: Exactly the bytes the list page carries for this object (from its `{` to its `}`).
    body: bytes
    document: dict[str, Any]


def _element(doc: dict[str, Any]) -> bytes:
    """A dict as the lists send it: pretty-printed, its inner lines indented to sit inside `data`."""
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    return "\n    ".join(text.splitlines()).encode("utf-8")


def _obj(doc: dict[str, Any]) -> DemoObject:
    when = parse_timestamp(doc["last_updated"])
    assert when is not None
    return DemoObject(when, _element(doc), doc)


def _raw_obj(template: str, **times: datetime) -> DemoObject:
    body = Template(template).substitute({k: _ts(v) for k, v in times.items()}).encode("utf-8")
    doc = json.loads(body)
    when = parse_timestamp(doc["last_updated"])
    assert when is not None
    return DemoObject(when, body, doc)


# -- shared facts ------------------------------------------------------------------------

CPO = {"country_code": "NL", "party_id": "DMO"}
TOKEN_RFID = {"country_code": "DE", "party_id": "EMP", "uid": "04A1B2C3D4E5F6", "type": "RFID", "contract_id": "DE-EMP-C00012345-7"}
TOKEN_APP = {"country_code": "NL", "party_id": "EMP", "uid": "app-5b9e2d71", "type": "APP_USER", "contract_id": "NL-EMP-C00098765-2"}
TOKEN_SPEC = {"country_code": "NL", "party_id": "TST", "uid": "123abc", "type": "RFID", "contract_id": "NL-TST-C12345678-S"}

#: (location id, name, address, postal code, city, lat, lon, evse uid, evse id, power type, kW)
SITES = [
    ("LOC-AMS-0042", "Museumplein P1", "Van Baerlestraat 31", "1071 AN", "Amsterdam", "52.358129", "4.881362", "AMS0042-1", "NL*DMO*E0042*1", "AC_3_PHASE", 22),
    ("LOC-UTR-0007", "Jaarbeurs P+R", "Jaarbeursplein 6", "3521 AL", "Utrecht", "52.088760", "5.108400", "UTR0007-3", "NL*DMO*E0007*3", "DC", 50),
    ("LOC-RTM-0113", "Kop van Zuid", "Wilhelminakade 123", "3072 AP", "Rotterdam", "51.906980", "4.487540", "RTM0113-2", "NL*DMO*E0113*2", "AC_3_PHASE", 11),
    ("LOC-EIN-0301", "Strijp-S Hub", "Torenallee 20", "5617 BC", "Eindhoven", "51.448530", "5.457210", "EIN0301-1", "NL*DMO*E0301*1", "DC", 150),
    ("LOC-GRO-0020", "Zernike Campus", "Nijenborgh 4", "9747 AG", "Groningen", "53.240450", "6.536620", "GRO0020-2", "NL*DMO*E0020*2", "AC_3_PHASE", 22),
]


def _cdr_location(site: tuple[Any, ...]) -> dict[str, Any]:
    loc_id, name, address, postal, city, lat, lon, evse_uid, evse_id, power_type, _ = site
    return {
        "id": loc_id,
        "name": name,
        "address": address,
        "city": city,
        "postal_code": postal,
        "country": "NLD",
        "coordinates": {"latitude": lat, "longitude": lon},
        "evse_uid": evse_uid,
        "evse_id": evse_id,
        "connector_id": "1",
        "connector_standard": "IEC_62196_T2_COMBO" if power_type == "DC" else "IEC_62196_T2",
        "connector_format": "CABLE" if power_type == "DC" else "SOCKET",
        "connector_power_type": power_type,
    }


# -- hand-made objects -------------------------------------------------------------------


def _session_4711(a: datetime) -> dict[str, Any]:
    """Completed at the Museumplein: three charging periods tapering off, then parking."""
    t0 = a - timedelta(days=2, hours=3)
    end = t0 + timedelta(hours=3, minutes=5)
    return {
        **CPO,
        "id": "CPO-SES-4711",
        "start_date_time": _ts(t0),
        "end_date_time": _ts(end),
        "kwh": 25.9,
        "cdr_token": TOKEN_RFID,
        "auth_method": "WHITELIST",
        "location_id": "LOC-AMS-0042",
        "evse_uid": "AMS0042-1",
        "connector_id": "1",
        "meter_id": "MTR-7733021",
        "currency": "EUR",
        "charging_periods": [
            {
                "start_date_time": _ts(t0),
                "dimensions": [
                    {"type": "ENERGY", "volume": 10.2},
                    {"type": "MAX_POWER", "volume": 22.0},
                    {"type": "TIME", "volume": 0.5},
                    {"type": "STATE_OF_CHARGE", "volume": 48},
                ],
                "tariff_id": "NL-DMO-AC22",
            },
            {
                "start_date_time": _ts(t0 + timedelta(minutes=30)),
                "dimensions": [
                    {"type": "ENERGY", "volume": 12.6},
                    {"type": "MAX_POWER", "volume": 18.5},
                    {"type": "TIME", "volume": 0.75},
                    {"type": "STATE_OF_CHARGE", "volume": 86},
                ],
                "tariff_id": "NL-DMO-AC22",
            },
            {
                "start_date_time": _ts(t0 + timedelta(minutes=75)),
                "dimensions": [
                    {"type": "ENERGY", "volume": 3.1},
                    {"type": "MAX_POWER", "volume": 7.4},
                    {"type": "TIME", "volume": 0.5},
                    {"type": "STATE_OF_CHARGE", "volume": 100},
                ],
                "tariff_id": "NL-DMO-AC22",
            },
            {
                "start_date_time": _ts(t0 + timedelta(minutes=105)),
                "dimensions": [{"type": "PARKING_TIME", "volume": 1.3333}],
                "tariff_id": "NL-DMO-PARK",
            },
        ],
        "total_cost": {"excl_vat": 15.66, "incl_vat": 18.95},
        "status": "COMPLETED",
        "last_updated": _ts(end + timedelta(seconds=5)),
    }


def _session_4712(a: datetime) -> dict[str, Any]:
    """Charging right now on a DC charger in Utrecht, started from an app; no cost yet.
    Its start is sent without a zone (UTC all the same) and last_updated with milliseconds."""
    t0 = a - timedelta(minutes=40)
    return {
        **CPO,
        "id": "CPO-SES-4712",
        "start_date_time": _ts(t0)[:-1],
        "kwh": 29.6,
        "cdr_token": TOKEN_APP,
        "auth_method": "COMMAND",
        "authorization_reference": "EMP-AUTH-5b9e2d71-0031",
        "location_id": "LOC-UTR-0007",
        "evse_uid": "UTR0007-3",
        "connector_id": "1",
        "currency": "EUR",
        "charging_periods": [
            {
                "start_date_time": _ts(t0),
                "dimensions": [
                    {"type": "ENERGY", "volume": 23.5},
                    {"type": "MAX_POWER", "volume": 49.8},
                    {"type": "STATE_OF_CHARGE", "volume": 62},
                ],
                "tariff_id": "NL-DMO-DC50",
            },
            {
                "start_date_time": _ts(t0 + timedelta(minutes=30)),
                "dimensions": [
                    {"type": "ENERGY", "volume": 6.1},
                    {"type": "MAX_POWER", "volume": 41.2},
                    {"type": "STATE_OF_CHARGE", "volume": 71},
                ],
                "tariff_id": "NL-DMO-DC50",
            },
        ],
        "status": "ACTIVE",
        "last_updated": _ts(a - timedelta(minutes=2))[:-1] + ".481Z",
    }


def _simple_session(sid: str, lu: datetime, kwh: float, hours: float, excl: float, incl: float) -> dict[str, Any]:
    start = lu - timedelta(hours=hours, minutes=10)
    return {
        **CPO,
        "id": sid,
        "start_date_time": _ts(start),
        "end_date_time": _ts(start + timedelta(hours=hours)),
        "kwh": kwh,
        "cdr_token": TOKEN_RFID,
        "auth_method": "AUTH_REQUEST",
        "authorization_reference": f"EMP-AUTH-{sid[-4:]}",
        "location_id": "LOC-RTM-0113",
        "evse_uid": "RTM0113-2",
        "connector_id": "1",
        "currency": "EUR",
        "charging_periods": [
            {
                "start_date_time": _ts(start),
                "dimensions": [{"type": "ENERGY", "volume": kwh}, {"type": "TIME", "volume": hours}],
                "tariff_id": "NL-DMO-AC11",
            }
        ],
        "total_cost": {"excl_vat": excl, "incl_vat": incl},
        "status": "COMPLETED",
        "last_updated": _ts(lu),
    }


def _spec_sessions(a: datetime) -> list[dict[str, Any]]:
    """Two sessions with the id 101 from two parties, as in the OCPI examples: one
    pending, one finished whose ENERGY volumes read like Wh."""
    t0 = a - timedelta(days=3)
    pending = {
        "country_code": "NL",
        "party_id": "DMO",
        "id": "101",
        "start_date_time": _ts(t0),
        "kwh": 0.0,
        "cdr_token": TOKEN_SPEC,
        "auth_method": "WHITELIST",
        "location_id": "LOC1",
        "evse_uid": "3256",
        "connector_id": "1",
        "currency": "EUR",
        "total_cost": {"excl_vat": 2.5},
        "status": "PENDING",
        "last_updated": _ts(t0),
    }
    s = t0 + timedelta(minutes=20)
    finished = {
        "country_code": "BE",
        "party_id": "BEC",
        "id": "101",
        "start_date_time": _ts(s),
        "end_date_time": _ts(s + timedelta(hours=1, minutes=11, seconds=7)),
        "kwh": 41.12,
        "cdr_token": TOKEN_SPEC,
        "auth_method": "WHITELIST",
        "location_id": "LOC1",
        "evse_uid": "3256",
        "connector_id": "1",
        "currency": "EUR",
        "charging_periods": [
            {"start_date_time": _ts(s), "dimensions": [{"type": "ENERGY", "volume": 120}, {"type": "MAX_CURRENT", "volume": 30}]},
            {
                "start_date_time": _ts(s + timedelta(minutes=1, seconds=45)),
                "dimensions": [{"type": "ENERGY", "volume": 41000}, {"type": "MIN_CURRENT", "volume": 34}],
            },
            {
                "start_date_time": _ts(s + timedelta(minutes=28)),
                "dimensions": [{"type": "PARKING_TIME", "volume": 0.718}],
                "tariff_id": "12",
            },
        ],
        "total_cost": {"excl_vat": 8.50, "incl_vat": 9.35},
        "status": "COMPLETED",
        "last_updated": _ts(s + timedelta(hours=1, minutes=11, seconds=8)),
    }
    return [pending, finished]


# The CDR of CPO-SES-4711, sent exactly as these bytes: trailing zeros (4.00),
# a \u escape and a literal non-ASCII character, which re-serialising would change.
CDR_4711 = """{
      "country_code": "NL",
      "party_id": "DMO",
      "id": "CPO-CDR-4711",
      "start_date_time": "$start",
      "end_date_time": "$end",
      "session_id": "CPO-SES-4711",
      "cdr_token": {"country_code": "DE", "party_id": "EMP", "uid": "04A1B2C3D4E5F6", "type": "RFID", "contract_id": "DE-EMP-C00012345-7"},
      "auth_method": "WHITELIST",
      "cdr_location": {
        "id": "LOC-AMS-0042",
        "name": "Museumplein P1 \\u2013 Laadplein",
        "address": "Van Baerlestraat 31",
        "city": "Amsterdam",
        "postal_code": "1071 AN",
        "country": "NLD",
        "coordinates": {"latitude": "52.358129", "longitude": "4.881362"},
        "evse_uid": "AMS0042-1",
        "evse_id": "NL*DMO*E0042*1",
        "connector_id": "1",
        "connector_standard": "IEC_62196_T2",
        "connector_format": "SOCKET",
        "connector_power_type": "AC_3_PHASE"
      },
      "meter_id": "MTR-7733021",
      "currency": "EUR",
      "tariffs": [
        {"country_code": "NL", "party_id": "DMO", "id": "NL-DMO-AC22", "currency": "EUR", "type": "REGULAR",
         "elements": [{"price_components": [{"type": "ENERGY", "price": 0.45, "vat": 21.0, "step_size": 1}]}],
         "last_updated": "2026-01-01T00:00:00Z"},
        {"country_code": "NL", "party_id": "DMO", "id": "NL-DMO-PARK", "currency": "EUR", "type": "REGULAR",
         "elements": [{"price_components": [{"type": "PARKING_TIME", "price": 3.00, "vat": 21.0, "step_size": 60}]}],
         "last_updated": "2026-01-01T00:00:00Z"}
      ],
      "charging_periods": [
        {"start_date_time": "$p1", "dimensions": [{"type": "ENERGY", "volume": 10.2}, {"type": "MAX_POWER", "volume": 22.0}, {"type": "TIME", "volume": 0.5}], "tariff_id": "NL-DMO-AC22"},
        {"start_date_time": "$p2", "dimensions": [{"type": "ENERGY", "volume": 12.6}, {"type": "MAX_POWER", "volume": 18.5}, {"type": "TIME", "volume": 0.75}], "tariff_id": "NL-DMO-AC22"},
        {"start_date_time": "$p3", "dimensions": [{"type": "ENERGY", "volume": 3.1}, {"type": "MAX_POWER", "volume": 7.4}, {"type": "TIME", "volume": 0.5}], "tariff_id": "NL-DMO-AC22"},
        {"start_date_time": "$p4", "dimensions": [{"type": "PARKING_TIME", "volume": 1.3333}], "tariff_id": "NL-DMO-PARK"}
      ],
      "signed_data": {
        "encoding_method": "OCMF",
        "encoding_method_version": 1,
        "public_key": "3059301306072a8648ce3d020106082a8648ce3d03010703420004c4",
        "signed_values": [
          {"nature": "Start", "plain_data": "OCMF|{\\"RD\\":[{\\"TM\\":\\"$start\\",\\"RV\\":1204.31}]}", "signed_data": "MEUCIQC2zq9Yx1"},
          {"nature": "End", "plain_data": "OCMF|{\\"RD\\":[{\\"TM\\":\\"$end\\",\\"RV\\":1230.21}]}", "signed_data": "MEQCIGm3Lr8wq2"}
        ]
      },
      "total_cost": {"excl_vat": 15.66, "incl_vat": 18.95},
      "total_energy": 25.9,
      "total_energy_cost": {"excl_vat": 11.66, "incl_vat": 14.11},
      "total_time": 3.0833,
      "total_parking_time": 1.3333,
      "total_parking_cost": {"excl_vat": 4.00, "incl_vat": 4.84},
      "remark": "Geparkeerd na volladen – parkeertarief",
      "last_updated": "$updated"
    }"""


def _cdr_4711(a: datetime) -> DemoObject:
    t0 = a - timedelta(days=2, hours=3)
    end = t0 + timedelta(hours=3, minutes=5)
    return _raw_obj(
        CDR_4711,
        start=t0,
        end=end,
        p1=t0,
        p2=t0 + timedelta(minutes=30),
        p3=t0 + timedelta(minutes=75),
        p4=t0 + timedelta(minutes=105),
        updated=end + timedelta(hours=1),
    )


def _spec_cdr(a: datetime) -> dict[str, Any]:
    """The OCPI example CDR in Gent, coordinates swapped as in the spec."""
    s = a - timedelta(days=3, hours=2)
    return {
        "country_code": "BE",
        "party_id": "BEC",
        "id": "12345",
        "start_date_time": _ts(s),
        "end_date_time": _ts(s + timedelta(hours=1, minutes=58, seconds=23)),
        "cdr_token": TOKEN_SPEC | {"country_code": "DE", "party_id": "TNM", "uid": "012345678", "contract_id": "DE8ACC12E46L89"},
        "auth_method": "WHITELIST",
        "cdr_location": {
            "id": "LOC1",
            "name": "Gent Zuid",
            "address": "F.Rooseveltlaan 3A",
            "city": "Gent",
            "postal_code": "9000",
            "country": "BEL",
            "coordinates": {"latitude": "3.729944", "longitude": "51.047599"},
            "evse_uid": "3256",
            "evse_id": "BE*BEC*E041503003",
            "connector_id": "1",
            "connector_standard": "IEC_62196_T2",
            "connector_format": "SOCKET",
            "connector_power_type": "AC_1_PHASE",
        },
        "currency": "EUR",
        "tariffs": [
            {
                "country_code": "BE",
                "party_id": "BEC",
                "id": "12",
                "currency": "EUR",
                "elements": [{"price_components": [{"type": "TIME", "price": 2.00, "vat": 10.0, "step_size": 300}]}],
                "last_updated": "2015-02-02T14:15:01Z",
            }
        ],
        "charging_periods": [{"start_date_time": _ts(s), "dimensions": [{"type": "TIME", "volume": 1.973}], "tariff_id": "12"}],
        "total_cost": {"excl_vat": 4.00, "incl_vat": 4.40},
        "total_energy": 15.342,
        "total_time": 1.973,
        "total_time_cost": {"excl_vat": 4.00, "incl_vat": 4.40},
        "last_updated": _ts(s + timedelta(hours=2, minutes=20)),
    }


def _cdr_211(a: datetime) -> dict[str, Any]:
    """An OCPI 2.1.1 CDR (mod_cdrs.md's shape): the Location object inline with the one EVSE and
    connector used, stop_date_time, auth_id, one total_cost excl. VAT, a FLAT dimension."""
    s = a - timedelta(days=1, hours=5)
    end = s + timedelta(hours=1, minutes=30)
    return {
        "id": "CPO-CDR-211-0042",
        "start_date_time": _ts(s),
        "stop_date_time": _ts(end),
        "auth_id": "DE8ACC12E46L89",
        "auth_method": "WHITELIST",
        "location": {
            "id": "LOC-211-7",
            "type": "ON_STREET",
            "name": "Keizersgracht",
            "address": "Keizersgracht 585",
            "city": "Amsterdam",
            "postal_code": "1017 DR",
            "country": "NLD",
            "coordinates": {"latitude": "52.362920", "longitude": "4.893660"},
            "evses": [
                {
                    "uid": "EVSE-7-1",
                    "evse_id": "NL*CPO*E7001*1",
                    "status": "AVAILABLE",
                    "connectors": [
                        {
                            "id": "1",
                            "standard": "IEC_62196_T2",
                            "format": "SOCKET",
                            "power_type": "AC_3_PHASE",
                            "voltage": 230,
                            "amperage": 16,
                            "tariff_id": "T211-1",
                            "last_updated": _ts(s - timedelta(days=30)),
                        }
                    ],
                    "last_updated": _ts(s - timedelta(days=30)),
                }
            ],
            "time_zone": "Europe/Amsterdam",
            "last_updated": _ts(s - timedelta(days=30)),
        },
        "currency": "EUR",
        "tariffs": [
            {
                "id": "T211-1",
                "currency": "EUR",
                "elements": [
                    {"price_components": [{"type": "FLAT", "price": 0.50, "step_size": 1}]},
                    {"price_components": [{"type": "ENERGY", "price": 0.25, "step_size": 1}]},
                ],
                "last_updated": _ts(s - timedelta(days=30)),
            }
        ],
        "charging_periods": [
            {"start_date_time": _ts(s), "dimensions": [{"type": "FLAT", "volume": 1}, {"type": "ENERGY", "volume": 11.0}]},
        ],
        "total_cost": 3.25,
        "total_energy": 11.0,
        "total_time": 1.5,
        "last_updated": _ts(end + timedelta(minutes=10)),
    }


def _session_211(cdr: dict[str, Any]) -> dict[str, Any]:
    """The OCPI 2.1.1 session the 2.1.1 CDR bills (mod_sessions.md's shape: start_datetime, end_datetime)."""
    return {
        "id": "CPO-SES-211-0042",
        "start_datetime": cdr["start_date_time"],
        "end_datetime": cdr["stop_date_time"],
        "kwh": cdr["total_energy"],
        "auth_id": cdr["auth_id"],
        "auth_method": cdr["auth_method"],
        "location": cdr["location"],
        "currency": "EUR",
        "charging_periods": cdr["charging_periods"],
        "total_cost": cdr["total_cost"],
        "status": "COMPLETED",
        "last_updated": cdr["stop_date_time"],
    }


def _cdr_for(session: dict[str, Any], cdr_id: str, lu: datetime, site: tuple[Any, ...]) -> dict[str, Any]:
    period = session["charging_periods"][0]
    hours = next(d["volume"] for d in period["dimensions"] if d["type"] == "TIME")
    excl, incl = session["total_cost"]["excl_vat"], session["total_cost"]["incl_vat"]
    return {
        "country_code": session["country_code"],
        "party_id": session["party_id"],
        "id": cdr_id,
        "start_date_time": session["start_date_time"],
        "end_date_time": session["end_date_time"],
        "session_id": session["id"],
        "cdr_token": session["cdr_token"],
        "auth_method": session["auth_method"],
        "cdr_location": _cdr_location(site),
        "currency": "EUR",
        "charging_periods": session["charging_periods"],
        "total_cost": {"excl_vat": excl, "incl_vat": incl},
        "total_energy": session["kwh"],
        "total_energy_cost": {"excl_vat": excl, "incl_vat": incl},
        "total_time": hours,
        "last_updated": _ts(lu),
    }


#: Demo CDRs for `evtui check`: their tariffs embedded, one total that matches and three
#: that do not, each the way a CPO gets it wrong (README "Demo data").
PRICED_CDRS = {
    "CPO-CDR-PRICE-OK": "matches",
    "CPO-CDR-PRICE-STEP": "step size applied per period",
    "CPO-CDR-PRICE-NOVAT": "VAT missing",
    "CPO-CDR-PRICE-PARK": "parking priced outside its hours",
    "CPO-CDR-PRICE-REMOTE": "matches",  # no embedded tariffs: priced with the Tariffs module's
}


def _priced_tariff(tariff_id: str, components: list[dict[str, Any]], lu: datetime) -> dict[str, Any]:
    return {**CPO, "id": tariff_id, "currency": "EUR", "elements": components, "last_updated": _ts(lu)}


def _priced_cdr(cdr_id: str, start: datetime, periods: list[tuple[float, list[dict[str, Any]]]],
                tariff: dict[str, Any], excl: float, incl: float) -> dict[str, Any]:
    """A CDR of charging periods (hours from `start`, dimensions) priced by `tariff`, with the given total."""
    end = start + timedelta(hours=sum(h for h, _ in periods))
    charging, at = [], start
    for hours, dimensions in periods:
        charging.append({"start_date_time": _ts(at), "dimensions": dimensions, "tariff_id": tariff["id"]})
        at += timedelta(hours=hours)
    energy = sum(d["volume"] for _, ds in periods for d in ds if d["type"] == "ENERGY")
    return {
        **CPO, "id": cdr_id, "start_date_time": _ts(start), "end_date_time": _ts(end),
        "cdr_token": TOKEN_RFID, "auth_method": "WHITELIST", "cdr_location": _cdr_location(SITES[0]),
        "currency": "EUR", "tariffs": [tariff], "charging_periods": charging,
        "total_cost": {"excl_vat": excl, "incl_vat": incl}, "total_energy": energy,
        "total_time": sum(h for h, _ in periods), "last_updated": _ts(end + timedelta(minutes=5)),
    }


def _priced_cdrs(a: datetime) -> list[dict[str, Any]]:
    day = (a - timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    energy = {"type": "ENERGY", "price": 0.30, "vat": 20.0, "step_size": 1}
    per_15_min = {"type": "TIME", "price": 2.00, "vat": 20.0, "step_size": 900}
    stepped = _priced_tariff("DMO-T-STEP", [{"price_components": [energy, per_15_min]}], day)
    plain = _priced_tariff("DMO-T-KWH", [{"price_components": [energy]}], day)
    parking = _priced_tariff("DMO-T-PARK", [
        {"price_components": [energy]},
        {"price_components": [{"type": "PARKING_TIME", "price": 4.00, "vat": 20.0, "step_size": 60}],
         "restrictions": {"start_time": "09:00", "end_time": "18:00"}},
    ], day)
    kwh = [{"type": "ENERGY", "volume": 10}]
    twenty_min = [{"type": "ENERGY", "volume": 5}, {"type": "TIME", "volume": 1 / 3}]
    evening = day.replace(hour=20)
    return [
        _priced_cdr("CPO-CDR-PRICE-OK", day.replace(hour=8), [(1.0, kwh)], plain, 3.00, 3.60),
        # 2 x 20 min: once per session 45 min (1.50); per period 2 x 30 min (2.00), plus 10 kWh (3.00)
        _priced_cdr("CPO-CDR-PRICE-STEP", day.replace(hour=10), [(1 / 3, twenty_min), (1 / 3, twenty_min)], stepped, 5.00, 6.00),
        _priced_cdr("CPO-CDR-PRICE-NOVAT", day.replace(hour=12), [(1.0, kwh)], plain, 3.00, 3.00),
        # parking 21:00-22:00 is outside 09:00-18:00: free; the CPO billed it (4.00)
        _priced_cdr("CPO-CDR-PRICE-PARK", evening, [(1.0, kwh), (1.0, [{"type": "PARKING_TIME", "volume": 1}])], parking, 7.00, 8.40),
        # No embedded tariffs: its periods name DMO-T-KWH, which the Tariffs module lists.
        {k: v for k, v in _priced_cdr("CPO-CDR-PRICE-REMOTE", day.replace(hour=14), [(1.0, kwh)], plain, 3.00, 3.60).items() if k != "tariffs"},
    ]


def _priced_tariffs(a: datetime) -> list[dict[str, Any]]:
    """The tariffs of the priced CDRs, as the Tariffs SENDER lists them."""
    seen: dict[str, dict[str, Any]] = {}
    for doc in _priced_cdrs(a):
        for tariff in doc.get("tariffs", []):
            seen[tariff["id"]] = tariff
    # The DC tariff the session charging now (CPO-SES-4712) names: it gets an estimate so far.
    dc = {"type": "ENERGY", "price": 0.59, "vat": 21.0, "step_size": 1}
    seen["NL-DMO-DC50"] = _priced_tariff("NL-DMO-DC50", [{"price_components": [dc]}], a - timedelta(days=20))
    return list(seen.values())


# -- generated objects -------------------------------------------------------------------


def _generated(a: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(SEED)
    span = timedelta(days=60)
    sessions: list[dict[str, Any]] = []
    sites: list[tuple[Any, ...]] = []
    for i in range(250):
        lu = a - span + span * (i + 0.5) / 250 + timedelta(minutes=rng.randint(-60, 60))
        lu = lu.replace(microsecond=0)
        site = rng.choice(SITES)
        kw = site[-1]
        kwh = round(rng.uniform(3, 60), 2)
        hours = round(kwh / (kw * rng.uniform(0.55, 0.9)), 4)
        start = lu - timedelta(hours=hours, minutes=rng.randint(1, 20))
        price = rng.choice([0.39, 0.45, 0.59])
        excl = round(kwh * price, 2)
        invalid = i % 41 == 7
        doc: dict[str, Any] = {
            **CPO,
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "start_date_time": _ts(start),
            "end_date_time": _ts(start + timedelta(hours=hours)),
            "kwh": 0.0 if invalid else kwh,
            "cdr_token": rng.choice([TOKEN_RFID, TOKEN_APP]),
            "auth_method": rng.choice(["WHITELIST", "AUTH_REQUEST", "COMMAND"]),
            "location_id": site[0],
            "evse_uid": site[7],
            "connector_id": "1",
            "currency": "EUR",
            "charging_periods": [
                {
                    "start_date_time": _ts(start),
                    "dimensions": [{"type": "ENERGY", "volume": kwh}, {"type": "TIME", "volume": hours}],
                }
            ],
            "status": "INVALID" if invalid else "COMPLETED",
            "last_updated": _ts(lu),
        }
        if not invalid:
            doc["total_cost"] = {"excl_vat": excl, "incl_vat": round(excl * 1.21, 2)}
        sessions.append(doc)
        sites.append(site)
    completed = [i for i, s in enumerate(sessions) if s["status"] == "COMPLETED"]
    cdrs = []
    for k in range(120):
        i = completed[k * len(completed) // 120]
        s = sessions[i]
        lu = parse_timestamp(s["last_updated"])
        assert lu is not None
        cdr_id = "CDR-" + uuid.UUID(int=rng.getrandbits(128), version=4).hex[:12].upper()
        cdrs.append(_cdr_for(s, cdr_id, lu + timedelta(minutes=rng.randint(30, 90)), sites[i]))
    return sessions, cdrs


# -- a very large session (performance benchmarks) -----------------------------------------

LARGE_ID = "CPO-SES-DEPOT-LONG"
LARGE_PERIODS = 14_000


@functools.lru_cache(maxsize=2)
def _large_session(a: datetime) -> DemoObject:
    """A depot charger metered every minute for ten days: ~14,000 charging periods, ~5 MB.
    Built on first request only, so ordinary demo servers start as fast as ever."""
    t0 = a - timedelta(minutes=LARGE_PERIODS + 30)
    periods = []
    for i in range(LARGE_PERIODS):
        power = round(11 + 10 * abs(((i % 240) - 120) / 120), 2)  # a slow saw-tooth, kW
        periods.append(
            {
                "start_date_time": _ts(t0 + timedelta(minutes=i)),
                "dimensions": [
                    {"type": "ENERGY", "volume": round(power / 60, 4)},
                    {"type": "MAX_POWER", "volume": power},
                    {"type": "MAX_CURRENT", "volume": round(power * 1000 / 690, 1)},
                ],
                "tariff_id": "NL-DMO-DEPOT",
            }
        )
    doc = {
        **CPO,
        "id": LARGE_ID,
        "start_date_time": _ts(t0),
        "kwh": round(sum(p["dimensions"][0]["volume"] for p in periods), 3),
        "cdr_token": TOKEN_RFID,
        "auth_method": "WHITELIST",
        "location_id": "LOC-DEPOT-01",
        "evse_uid": "DEPOT01-1",
        "connector_id": "1",
        "currency": "EUR",
        "charging_periods": periods,
        "status": "ACTIVE",
        "last_updated": _ts(a - timedelta(minutes=1)),
    }
    return _obj(doc)


class _LargeObject:
    """Stands in the session list; its document is made when first read."""

    def __init__(self, anchor: datetime) -> None:
        self.anchor = anchor
        self.last_updated = anchor - timedelta(minutes=1)

    @property
    def document(self) -> dict[str, Any]:
        return _large_session(self.anchor).document

    @property
    def body(self) -> bytes:
        return _large_session(self.anchor).body


# -- the provider --------------------------------------------------------------------------


class OcpiDemo:
    prefix = "ocpi"
    examples: tuple[str, ...] = ("CPO-SES-4711", "CPO-SES-4712", "CPO-SES-1001", "101")
    #: demo-ocpi211: the 2.1.1-only CPO (profile() of base/v211 points versions_url at /v211/versions).
    variants = {"ocpi211": ("v211", ("CPO-SES-211-0042", "CPO-CDR-211-0042"))}

    def __init__(self, now: datetime | None = None) -> None:
        anchor = now or datetime.now(timezone.utc)
        self.anchor = anchor.astimezone(timezone.utc).replace(second=0, microsecond=0) if now is None else anchor
        a = self.anchor
        sessions, cdrs = _generated(a)
        hand_sessions = [
            _session_4711(a),
            _session_4712(a),
            # In the oldest page of a 30-day window.
            _simple_session("CPO-SES-1001", a - timedelta(days=29, hours=20), 18.75, 2.0, 8.44, 10.21),
            # 45 days back: outside the default window, found with --since.
            _simple_session("CPO-SES-0815", a - timedelta(days=45), 9.5, 0.9, 4.28, 5.18),
            *_spec_sessions(a),
        ]
        s0815 = hand_sessions[3]
        self.sessions: list[DemoObject] = sorted(
            (_obj(d) for d in [*sessions, *hand_sessions]), key=lambda o: (o.last_updated, o.document["id"])
        )
        self.large: list[DemoObject] = [_LargeObject(a)]  # type: ignore[list-item]
        self.cdrs: list[DemoObject] = sorted(
            [
                *(_obj(d) for d in cdrs),
                _cdr_4711(a),
                _obj(_spec_cdr(a)),
                _obj(_cdr_for(s0815, "CPO-CDR-0815", a - timedelta(days=45) + timedelta(hours=1), SITES[2])),
                *(_obj(d) for d in _priced_cdrs(a)),
            ],
            key=lambda o: (o.last_updated, o.document["id"]),
        )
        #: The Tariffs SENDER list (/2.2.1/tariffs): what CDRs without embedded tariffs are priced with.
        self.tariffs: list[DemoObject] = sorted((_obj(d) for d in _priced_tariffs(a)), key=lambda o: (o.last_updated, o.document["id"]))
        #: The lists of the 2.1.1 endpoints (/2.1.1/sessions, /2.1.1/cdrs).
        cdr_211 = _cdr_211(a)
        self.sessions_211: list[DemoObject] = [_obj(_session_211(cdr_211))]
        self.cdrs_211: list[DemoObject] = [_obj(cdr_211)]
        self._lock = threading.Lock()
        #: Request headers seen (lower-case names), for tests.
        self.seen: list[dict[str, str]] = []

    def profile(self, base_url: str) -> dict[str, Any]:
        return {"adapter": "ocpi", "environment": "demo", "versions_url": f"{base_url}/versions", "token": TOKEN}

    def find(self, kind: str, record_id: str, party: str | None = None) -> DemoObject:
        """A stored object by id (tests)."""
        objects = self.sessions if kind == "session" else self.cdrs
        return next(
            o
            for o in objects
            if o.document["id"] == record_id and (party is None or o.document["party_id"] == party)
        )

    # -- HTTP ---------------------------------------------------------------------------

    def handle(self, request: DemoRequest, server: DemoHost) -> DemoResponse:
        segments = list(request.segments)
        variant = segments.pop(0) if segments and segments[0] in VARIANTS else ""
        root = f"http://{request.headers.get('host', '127.0.0.1')}/{self.prefix}" + (f"/{variant}" if variant else "")
        with self._lock:
            self.seen.append(dict(request.headers))
        if request.method != "GET":
            return _envelope(None, 2000, f"{request.method} is not supported here", 405)
        if not self._authorised(request, variant):
            server.count("ocpi.401")
            return _envelope(None, 2000, "Invalid or missing token", 401)
        if segments == ["versions"]:
            server.count("ocpi.versions")
            offered = ["2.0", "2.2"] if variant == "old" else ["2.1.1"] if variant == "v211" else ["2.1.1", "2.2.1"]
            return _envelope([{"version": v, "url": f"{root}/{v}"} for v in offered])
        if segments in (["2.2.1"], ["2.1.1"], ["2.2"], ["2.0"]):
            server.count("ocpi.details")
            return _envelope(self._details(root, segments[0]))
        if len(segments) == 2 and segments[0] == "2.2.1" and segments[1] in ("sessions", "cdrs"):
            server.count(f"ocpi.{segments[1]}")
            if variant == "broken":
                return _envelope(None, 3001, "Unable to use the client's API: the CPO could not reach your credentials endpoint")
            if variant == "large":
                objects = self.large if segments[1] == "sessions" else []
            else:
                objects = self.sessions if segments[1] == "sessions" else self.cdrs
            return self._page(request, f"{root}/2.2.1/{segments[1]}", objects)
        if segments in (["2.2.1", "tariffs"], ["2.1.1", "tariffs"]) and variant not in ("broken", "large"):
            server.count("ocpi.tariffs")
            return self._page(request, f"{root}/2.2.1/tariffs", self.tariffs)
        if len(segments) == 2 and segments[0] == "2.1.1" and segments[1] in ("sessions", "cdrs"):
            server.count(f"ocpi.211.{segments[1]}")
            objects = self.sessions_211 if segments[1] == "sessions" else self.cdrs_211
            return self._page(request, f"{root}/2.1.1/{segments[1]}", objects)
        return _envelope(None, 2000, f"No such endpoint: /{'/'.join(request.segments)}", 404)

    def _authorised(self, request: DemoRequest, variant: str) -> bool:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Token "):
            return False
        given = auth[6:].strip()
        if variant in ("raw", "v211"):
            return given == TOKEN
        return given == base64.b64encode(TOKEN.encode()).decode()

    def _details(self, root: str, version: str) -> dict[str, Any]:
        base = f"{root}/{version}"
        if version != "2.2.1":
            return {"version": version, "endpoints": [{"identifier": m, "url": f"{base}/{m}"} for m in ("credentials", "locations", "sessions", "cdrs", "tariffs")]}
        roles = [
            ("credentials", "SENDER"),
            ("credentials", "RECEIVER"),
            ("locations", "SENDER"),
            ("sessions", "SENDER"),
            ("cdrs", "SENDER"),
            ("tariffs", "SENDER"),
            ("tokens", "RECEIVER"),
            ("commands", "RECEIVER"),
        ]
        return {"version": "2.2.1", "endpoints": [{"identifier": m, "role": r, "url": f"{base}/{m}"} for m, r in roles]}

    def _page(self, request: DemoRequest, url: str, objects: list[DemoObject]) -> DemoResponse:
        q = request.query
        try:
            date_from = _when(q.get("date_from"))
            date_to = _when(q.get("date_to"))
            offset = int(q.get("offset") or 0)
            limit = int(q.get("limit") or MAX_LIMIT)
        except ValueError as exc:
            return _envelope(None, 2001, f"Invalid parameter: {exc}", 400)
        if offset < 0 or limit < 1:
            return _envelope(None, 2001, "offset must be >= 0 and limit >= 1", 400)
        if date_from is not None and date_from < self.anchor - timedelta(days=MAX_HISTORY_DAYS):
            return _envelope(None, 2001, f"date_from may be at most {MAX_HISTORY_DAYS} days back", 400)
        limit = min(limit, MAX_LIMIT)
        chosen = [
            o
            for o in objects
            if (date_from is None or o.last_updated >= date_from) and (date_to is None or o.last_updated < date_to)
        ]
        page = chosen[offset : offset + limit]
        headers = {"X-Total-Count": str(len(chosen)), "X-Limit": str(limit)}
        if offset + limit < len(chosen):
            params = {k: v for k, v in q.items() if k not in ("offset", "limit")}
            params |= {"offset": str(offset + limit), "limit": str(limit)}
            headers["Link"] = f'<{url}?{urlencode(params)}>; rel="next"'
        return _envelope_raw([o.body for o in page], headers)


def _when(text: str | None) -> datetime | None:
    if text is None or text == "":
        return None
    dt = parse_timestamp(text)
    if dt is None:
        raise ValueError(f"{text!r} is not a DateTime")
    return dt


def _now_ts() -> str:
    return _ts(datetime.now(timezone.utc))


def _envelope(data: Any, status_code: int = 1000, message: str = "Success", http: int = 200) -> DemoResponse:
    body: dict[str, Any] = {"status_code": status_code, "status_message": message, "timestamp": _now_ts()}
    if data is not None:
        body = {"data": data, **body}
    return DemoResponse.json(body, http)


def _envelope_raw(elements: list[bytes], headers: dict[str, str]) -> DemoResponse:
    """A list answer built from the objects' own bytes."""
    inner = b",\n".join(b"    " + e for e in elements)
    body = (
        b'{\n  "data": [\n' + inner + (b"\n" if elements else b"") + b'  ],\n  "status_code": 1000,\n'
        b'  "status_message": "Success",\n  "timestamp": "' + _now_ts().encode() + b'"\n}'
    )
    return DemoResponse(200, body, {"Content-Type": "application/json", **headers})
