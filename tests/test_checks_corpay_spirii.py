"""Checked, not trusted, for Corpay sessions and Spirii transactions and charge records: each
check passes on a demo record and fails on the same record with one value made wrong."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from evtui.adapters.records import build_record
from evtui.config.schema import config_from_data
from evtui.demo.corpay import SESSIONS
from evtui.demo.server import DemoServer
from evtui.demo.spirii import CHARGE_RECORDS, TRANSACTIONS
from evtui.pool import AdapterPool
from evtui.record import Record

DEMO = {"corpay": ("session", SESSIONS), "spirii": ("transaction", TRANSACTIONS), "spirii-cr": ("charge-record", CHARGE_RECORDS)}


async def _record(server: DemoServer, source: str, record_id: str, change: Callable[[dict[str, Any]], None] | None = None) -> Record:
    kind, documents = DEMO[source]
    prefix = source.split("-")[0]
    doc = copy.deepcopy(documents[record_id])
    if change is not None:
        change(doc)
    config = config_from_data({"profiles": {"p": server.providers[prefix].profile(server.base_url(prefix))}}, None)
    async with AdapterPool(config) as pool:
        return build_record(pool.get("p"), kind, record_id, json.dumps(doc).encode(), doc)


def _checks(record: Record) -> dict[str, tuple[str, str | None]]:
    section = record.section("checks")
    assert section is not None, [s.key for s in record.sections]
    return {f.label: (f.value, f.flag) for f in section.fields}


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return change


DELETE = object()


@pytest.mark.parametrize(
    ("source", "record_id"),
    [*(("corpay", sid) for sid in SESSIONS), *(("spirii", tid) for tid in TRANSACTIONS), *(("spirii-cr", cid) for cid in CHARGE_RECORDS)],
)
async def test_every_demo_record_passes_its_checks(demo_server: DemoServer, source: str, record_id: str) -> None:
    record = await _record(demo_server, source, record_id)
    checks = _checks(record)
    assert checks["Checked"][0] == "no disagreement found", checks
    assert not any("(invalid)" in p or "(inferred)" in p for p in record.problems), record.problems


@pytest.mark.parametrize(
    ("source", "record_id", "change", "label", "flag", "words"),
    [
        # Corpay: the balance's sign against balanceStatus.
        ("corpay", "AAdmD55q8Vz", _set("balanceStatus", "PAID"), "Balance", "invalid", "should be zero"),
        ("corpay", "Refund00001", _set("balanceAmountMinor", "-500"), "Balance", "invalid", "should be positive"),
        # Corpay: a payment before the session started.
        ("corpay", "AAdmD55q8Vz", _set("transactions.0.time", "2021-01-30T09:00:00Z"), "Transaction 1 time", "invalid", "before the start"),
        # Corpay: status against duration and energy.
        ("corpay", "CrEaTeD0001", _set("energy.value", 500), "Status", "invalid", "CREATED, but PT0S and 500 WH charged"),
        ("corpay", "Q2hhcmdlUGFpZDE", _set("duration", DELETE), "Status", "invalid", "no duration"),
        # Corpay: energy over duration beyond any charger (Wh sent as mWh, say).
        ("corpay", "AAdmD55q8Vz", _set("energy.value", 18432000), "Average power", "inferred", "implausible"),
        # Spirii: energy against the meters.
        ("spirii", "12345678", _set("chargingDetails.consumed", 150.0), "Energy", "invalid", "the meters give 201 kWh"),
        ("spirii", "12345678", _set("chargingDetails.meterStop", 5123601), "Meters", "inferred", "look like kWh"),
        # Spirii: durations against start and end, and against each other.
        ("spirii", "12345678", _set("duration.total", 102), "Total duration", "inferred", "looks like minutes"),
        ("spirii", "12345678", _set("duration.total", 7000), "Total duration", "invalid", "should be 6120 s"),
        ("spirii", "12345678", _set("duration.idle", 1200), "Durations", "invalid", "charging 5520 s + idle 1200 s"),
        # Spirii: net against gross.
        ("spirii", "12345678", _set("price.amountExVat", 120.0), "Total incl. VAT", "invalid", "below the 120.00 EUR excl. VAT"),
        # Spirii: timestamps in order.
        ("spirii", "12345678", _set("updatedAt", "2023-11-07T05:00:00Z"), "Updated", "invalid", "before the start"),
        # Spirii: durations are filled only once a transaction ends.
        ("spirii", "12345678", _set("endedAt", None), "End", "invalid", "no endedAt, but duration.total is 6120 s"),
        # Spirii charge record: the billed energy against the transaction's.
        ("spirii-cr", "52000120", lambda doc: doc.update(consumed=(doc["consumed"] or 0) + 5), "Energy billed", "invalid", "billed"),
    ],
)
async def test_a_check_fails_on_a_value_made_wrong(
    demo_server: DemoServer, source: str, record_id: str, change: Callable[[dict[str, Any]], None], label: str, flag: str, words: str
) -> None:
    before = _checks(await _record(demo_server, source, record_id))
    assert label not in before, before
    record = await _record(demo_server, source, record_id, change)
    checks = _checks(record)
    assert label in checks, checks
    value, found_flag = checks[label]
    assert found_flag == flag and words in value, checks[label]
    assert checks["Checked"][0].endswith("finding(s)")
    assert any(value in p and f"({flag})" in p for p in record.problems), record.problems
