"""Nothing hidden: every leaf of every demo record is shown in a section, or under Other fields.

A leaf counts as shown when a field's `path` is that leaf (list indexes written `[]`), when
it sits under a field whose value shows its sent value, when a table names its path in
`shows`, or when it sits under a field of the Other fields section (shown as sent).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from evtui.adapters.records import build_record
from evtui.config.schema import config_from_data
from evtui.demo.ampeco import AmpecoDemo
from evtui.demo.corpay import SESSIONS
from evtui.demo.monta import MontaDemo
from evtui.demo.ocpi import OcpiDemo
from evtui.demo.server import DemoServer
from evtui.demo.spirii import SpiriiDemo
from evtui.pool import AdapterPool
from evtui.record import Record


def leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list) and node:
        for i, value in enumerate(node):
            yield from leaves(value, f"{path}[{i}]")
    else:
        yield path, node


def generic(path: str) -> str:
    return re.sub(r"\[\d+\]", "[]", path)


def hidden(record: Record) -> list[str]:
    """The leaf paths of the record's document that no section shows."""
    fields = [f for s in record.sections if s.key != "problems" for f in s.fields if f.path]
    exact = {generic(f.path) for f in fields}
    in_tables = {p for s in record.sections for t in s.tables for p in getattr(t, "shows", ())}
    others = [f.path for s in record.sections if s.key == "other" for f in s.fields]
    out = []
    for path, value in leaves(record.document):
        g = generic(path)
        if g in exact or g in in_tables or any(path == o or path.startswith((o + ".", o + "[")) for o in others):
            continue
        if value in ([], {}, None) and any(t.startswith(g + "[]") for t in in_tables):
            continue  # no items where a table is: the table says so
        if value in ([], {}, None) and any(t.startswith(g + ".") for t in exact):
            continue  # null where an object is: its fields say "—"
        sent = value if isinstance(value, str) else json.dumps(value)
        if any(path.startswith((f.path + ".", f.path + "[")) and sent in f.value for f in fields):
            continue
        parent, _, key = path.rpartition(".")
        if any(f.path.rpartition(".")[0] == parent and key.lower().startswith(f.label.lower()) and sent in f.value for f in fields):
            continue  # one field showing two sent values (Expiry: expiryMonth and expiryYear)
        out.append(path)
    return out


async def _records(server: DemoServer) -> list[Record]:
    ocpi, spirii, ampeco, monta = (server.providers[p] for p in ("ocpi", "spirii", "ampeco", "monta"))
    assert isinstance(ocpi, OcpiDemo) and isinstance(spirii, SpiriiDemo)
    assert isinstance(ampeco, AmpecoDemo) and isinstance(monta, MontaDemo)
    profiles = {
        "c": server.providers["corpay"].profile(server.base_url("corpay")),
        "s": spirii.profile(server.base_url("spirii")),
        "o": ocpi.profile(server.base_url("ocpi")),
        "a": ampeco.profile(server.base_url("ampeco")),
        "m": monta.profile(server.base_url("monta")),
    }
    out: list[Record] = []
    async with AdapterPool(config_from_data({"profiles": profiles}, None)) as pool:
        # Corpay and Spirii over real HTTP: one GET each.
        for sid in SESSIONS:
            out.append(await pool.get("c").fetch(sid))
        for tid in spirii.transactions:
            out.append(await pool.get("s").fetch(tid, "transaction"))
        for cid in spirii.charge_records:
            out.append(await pool.get("s").fetch(cid, "charge-record"))
        # AMPECO and Monta over real HTTP too.
        for aid in ampeco.sessions:
            out.append(await pool.get("a").fetch(aid, "session"))
        for aid in ampeco.cdrs:
            out.append(await pool.get("a").fetch(aid, "cdr"))
        for mid in monta.charges:
            out.append(await pool.get("m").fetch(mid))
        # OCPI: hundreds of objects found by scanning list pages; present the exact bytes
        # each list page carries, as a scan does.
        adapter = pool.get("o")
        lists = (("session", ocpi.sessions), ("cdr", ocpi.cdrs), ("session", ocpi.sessions_211), ("cdr", ocpi.cdrs_211))
        for kind, objects in lists:
            for obj in objects:
                out.append(build_record(adapter, kind, obj.document["id"], obj.body, json.loads(obj.body)))
        for profile, kind, doc in FIXTURES:
            out.append(build_record(pool.get(profile), kind, str(doc.get("id", "AAdmD55q8Vz")), json.dumps(doc).encode(), doc))
    return out


def _full_cdr() -> dict[str, Any]:
    """A CDR of our own with every optional part OCPI 2.2.1 defines, and fields it does not (`x_*`)."""
    return {
        "country_code": "DE", "party_id": "TST", "id": "FULL-CDR-1",
        "start_date_time": "2026-11-20T08:00:00Z", "end_date_time": "2026-11-20T10:00:00Z",
        "cdr_token": {"country_code": "DE", "party_id": "EMP", "uid": "0A1B2C", "type": "RFID", "contract_id": "DE-EMP-C1"},
        "auth_method": "WHITELIST", "currency": "EUR", "total_energy": 30.0, "total_time": 2.0,
        "total_cost": {"excl_vat": 12.0, "incl_vat": 14.28}, "last_updated": "2026-11-20T10:05:00Z",
        "meter_id": "M-77",
        "signed_data": {
            "encoding_method": "OCMF", "encoding_method_version": 1, "public_key": "3059301306072A",
            "url": "https://cpo.example/signed/FULL-CDR-1",
            "signed_values": [
                {"nature": "Start", "plain_data": "OCMF|{start}", "signed_data": "MEUCIQ-start", "x_seal": "s1"},
                {"nature": "End", "plain_data": "OCMF|{end}", "signed_data": "MEUCIQ-end"},
            ],
        },
        "charging_periods": [
            {"start_date_time": "2026-11-20T08:00:00Z", "dimensions": [{"type": "ENERGY", "volume": 30.0}], "tariff_id": "T1", "x_phase": 3},
        ],
        "tariffs": [
            {
                "country_code": "DE", "party_id": "TST", "id": "T1", "currency": "EUR", "type": "REGULAR",
                "tariff_alt_text": [{"language": "en", "text": "0.40/kWh"}, {"language": "de", "text": "0,40/kWh"}],
                "tariff_alt_url": "https://cpo.example/tariffs/T1",
                "min_price": {"excl_vat": 1.0, "incl_vat": 1.19}, "max_price": {"excl_vat": 50.0},
                "start_date_time": "2026-01-01T00:00:00Z", "end_date_time": "2027-01-01T00:00:00Z",
                "energy_mix": {
                    "is_green_energy": False, "supplier_name": "Stadtwerk", "energy_product_name": "Mix",
                    "energy_sources": [{"source": "SOLAR", "percentage": 40}], "environ_impact": [{"category": "CARBON_DIOXIDE", "amount": 300}],
                },
                "elements": [
                    {
                        "price_components": [{"type": "ENERGY", "price": 0.40, "vat": 19.0, "step_size": 1}],
                        "restrictions": {
                            "day_of_week": ["MONDAY", "SATURDAY"], "start_time": "08:00", "end_time": "18:00",
                            "min_kwh": 1, "max_power": 22, "max_current": 32, "min_duration": 1800,
                        },
                    }
                ],
                "last_updated": "2026-01-01T00:00:00Z",
                "x_loyalty": "gold",
            }
        ],
        "cdr_location": {
            "id": "L1", "name": "Depot", "address": "Weg 1", "city": "Berlin", "postal_code": "10115", "country": "DEU",
            "coordinates": {"latitude": "52.52", "longitude": "13.40"}, "evse_uid": "E1", "evse_id": "DE*TST*E1",
            "connector_id": "1", "connector_standard": "IEC_62196_T2", "connector_format": "SOCKET", "connector_power_type": "AC_3_PHASE",
        },
    }


def _corpay_with_extras() -> dict[str, Any]:
    """A demo Corpay session with fields its documentation does not name inside price, energy and a transaction."""
    doc = json.loads(json.dumps(SESSIONS["AAdmD55q8Vz"]))
    doc["price"]["x_rounding"] = "HALF_UP"
    doc["energy"]["x_meter"] = "M-9"
    doc["transactions"][0]["x_psp"] = "adyen"
    return doc


def _ocpi_session_with_extras() -> dict[str, Any]:
    """A demo OCPI 2.2.1 session with a field inside a charging period and a list sessions do not have."""
    doc = json.loads(json.dumps(OcpiDemo().find("session", "CPO-SES-4711").document))
    doc["charging_periods"][0]["x_phase"] = 3
    doc["tariffs"] = [{"id": "T1", "currency": "EUR"}]
    return doc


def _ocpi_211_session_with_two_evses() -> dict[str, Any]:
    """The demo's OCPI 2.1.1 session whose Location object lists a second EVSE and a field 2.1.1 does not define."""
    doc = json.loads(json.dumps(OcpiDemo().sessions_211[0].document))
    doc["location"]["evses"].append({"uid": "EVSE-7-2", "evse_id": "NL*CPO*E7001*2", "status": "CHARGING"})
    doc["location"]["x_parking"] = "P2"
    return doc


#: Records of our own: (profile, record type, document).
FIXTURES: list[tuple[str, str, dict[str, Any]]] = [
    ("o", "cdr", _full_cdr()),
    ("c", "session", _corpay_with_extras()),
    ("o", "session", _ocpi_session_with_extras()),
    ("o", "session", _ocpi_211_session_with_two_evses()),
]


async def test_every_leaf_of_every_demo_record_is_shown(demo_server: DemoServer) -> None:
    records = await _records(demo_server)
    assert len(records) > 300
    missing = {f"{r.adapter} {r.record_type} {r.record_id}": h for r in records if (h := hidden(r))}
    # One line per kind of leaf, so a failure reads as a list of what to mend.
    kinds = sorted({f"{k.split()[0]} {k.split()[1]}: {generic(p)}" for k, paths in missing.items() for p in paths})
    assert kinds == [], "\n".join(kinds)


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, {"signed_data.signed_values[0].x_seal", "charging_periods[0].x_phase", "tariffs[0].x_loyalty"}),
        (1, {"price.x_rounding", "energy.x_meter", "transactions[0].x_psp"}),
        # Sessions: no subtree is taken as shown because a table sits in it.
        (2, {"charging_periods[0].x_phase", "tariffs"}),
        (3, {"location.evses[1]", "location.x_parking"}),
    ],
)
async def test_unknown_fields_inside_lists_and_objects_are_other_fields(demo_server: DemoServer, index: int, expected: set[str]) -> None:
    profile, kind, doc = FIXTURES[index]
    profiles = {"c": demo_server.providers["corpay"].profile(demo_server.base_url("corpay")), "o": demo_server.providers["ocpi"].profile(demo_server.base_url("ocpi"))}
    async with AdapterPool(config_from_data({"profiles": profiles}, None)) as pool:
        record = build_record(pool.get(profile), kind, str(doc.get("id", "AAdmD55q8Vz")), json.dumps(doc).encode(), doc)
    other = {f.path for s in record.sections if s.key == "other" for f in s.fields}
    assert other == expected


async def test_a_cdr_tariff_is_shown_whole(demo_server: DemoServer) -> None:
    profile, kind, doc = FIXTURES[0]
    profiles = {"o": demo_server.providers["ocpi"].profile(demo_server.base_url("ocpi"))}
    async with AdapterPool(config_from_data({"profiles": profiles}, None)) as pool:
        record = build_record(pool.get(profile), kind, str(doc.get("id", "AAdmD55q8Vz")), json.dumps(doc).encode(), doc)
    tariffs = next(s for s in record.sections if s.key == "tariffs").tables[0]
    row = dict(zip(tariffs.columns, tariffs.rows[0]))
    assert row["Alt text"] == "en: 0.40/kWh | de: 0,40/kWh"
    assert row["Alt URL"] == "https://cpo.example/tariffs/T1"
    assert row["Min price"].endswith("incl. VAT · €1.00 excl. VAT") or "1.19" in row["Min price"]
    assert "incl. VAT not sent" in row["Max price"]
    assert "→" in row["Valid"]
    assert "SOLAR 40 %" in row["Energy mix"] and "Stadtwerk" in row["Energy mix"]
    components = row["Price components (excl. VAT)"]
    for words in ("on Monday, Saturday", "min_kwh 1 kWh", "max_power 22 kW", "max_current 32 A", "min_duration 30m"):
        assert words in components
    signed = next(s for s in record.sections if s.key == "charging").tables[1]
    assert signed.columns == ("Nature", "Meter id", "Plain data", "Signed data")
    assert signed.rows[0] == ("Start", "M-77", "OCMF|{start}", "MEUCIQ-start")


def test_the_check_sees_a_hidden_leaf() -> None:
    from evtui.record import Field, Section

    record = Record(
        profile="x", adapter="x", record_type="x", record_id="1", raw=b"", document={"a": {"b": 1, "c": 2}},
        make_model=lambda: None, sections=[Section("overview", "Overview", (Field("B", "1", path="a.b"),))], summary="",
    )
    assert hidden(record) == ["a.c"]
