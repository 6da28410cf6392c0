"""Hostile values at parse and presentation level, in every adapter.

Each value a provider may send that Python cannot take as it is (1e400, an
integer of 5,000 digits, a number that underflows, NaN, a lone surrogate, a
year past 9999, nesting 10,000 deep) is put, in turn, in every field of a
complete record of each adapter. The record must still build, with that field
flagged and shown as sent, and the raw bytes kept exactly: never "a bug in the
adapter", never a traceback, never a runaway string.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from evtui.adapters.base import Adapter
from evtui.config.schema import config_from_data
from evtui.demo.corpay import SESSIONS
from evtui.demo.ocpi import _cdr_4711, _session_4711
from evtui.demo.spirii import CHARGE_RECORDS, TRANSACTIONS
from evtui.pool import AdapterPool
from evtui.record import Record
from tests.hostile_server import HostileServer, Reply, Request
from tests.test_cli import no_traceback, run, write_config

#: Raw JSON texts, each put where a value was.
HOSTILE = {
    "infinite": "1e400",
    "underflow": "1e-999999999",
    "huge int": "9" * 5000,
    "nan": "NaN",
    "surrogate": '"\\ud800 lone"',
    "tiny string": '"1e-999999999"',
    "huge string": '"9e999999999"',
    "big number": "1e30",
    "big string": '"1e30"',
    "negative zero": "-0.0",
    "huge duration": '"P99999999999D"',
    "nan string": '"NaN"',
    "a boolean": "true",
    "an object": '{"a": 1}',
    "a list": "[1, 2]",
    "year 10000": '"10000-01-01T00:00:00Z"',
    "year 1 east": '"0001-01-01T00:00:00+14:00"',
    "year 9999 west": '"9999-12-31T23:59:59-14:00"',
    "deep": "[" * 10_000 + "]" * 10_000,
}
#: The kinds no Python number or structure holds as sent: always a finding at their path.
BEYOND = ("infinite", "underflow", "huge int", "nan", "huge string", "deep")
#: No field of a record is ever shown longer than this (a 20-byte value must not become 1 GB).
MAX_SHOWN = 12_000

ANCHOR = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)


def _adapter(adapter: str) -> Adapter:
    table: dict[str, Any] = {
        "corpay": {"adapter": "corpay", "base_url": "http://127.0.0.1:9", "client_id": "c", "client_secret": "s"},
        "spirii": {"adapter": "spirii", "base_url": "http://127.0.0.1:9", "api_key": "k"},
        "ocpi": {"adapter": "ocpi", "versions_url": "http://127.0.0.1:9/ocpi/versions", "token": "t"},
    }[adapter]
    return AdapterPool(config_from_data({"profiles": {"p": table}}, None)).get("p")


SAMPLES: list[tuple[str, str, dict[str, Any]]] = [
    ("corpay", "session", next(iter(SESSIONS.values()))),
    ("spirii", "transaction", next(iter(TRANSACTIONS.values()))),
    ("spirii", "charge-record", next(iter(CHARGE_RECORDS.values()))),
    ("ocpi", "session", _session_4711(ANCHOR)),
    ("ocpi", "cdr", _cdr_4711(ANCHOR).document),
]


def leaf_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every leaf (and every container) of a document; long lists by their first two items."""
    out = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += leaf_paths(value, (*path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node[:2]):
            out += leaf_paths(item, (*path, i))
    return out


def with_raw(document: dict[str, Any], path: tuple[Any, ...], raw_json: str) -> bytes:
    """The document's JSON with the value at `path` replaced by `raw_json`, byte for byte."""
    marker = "\x00HOSTILE\x00"
    copy = json.loads(json.dumps(document))
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = marker
    return json.dumps(copy, ensure_ascii=False).replace(json.dumps(marker), raw_json).encode("utf-8")


def check(record: Record, body: bytes) -> None:
    assert record.raw == body
    assert not any("could not be presented field by field" in p for p in record.problems), record.problems
    assert record.sections and record.summary is not None
    for section in record.sections:
        for field in section.fields:
            assert len(field.value) <= MAX_SHOWN, (section.key, field.label, len(field.value))
            assert not any("\ud800" <= ch <= "\udfff" for ch in field.value + field.note), field
        for table in section.tables:
            for row in list(table.rows)[:50]:
                for cell in row:
                    assert len(str(cell)) <= MAX_SHOWN, (table.title, len(str(cell)))
    assert not any("\ud800" <= ch <= "\udfff" for ch in record.summary)


@pytest.mark.parametrize(("adapter", "record_type", "document"), SAMPLES, ids=[f"{a}-{t}" for a, t, _ in SAMPLES])
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_value_anywhere_affects_that_field_only(adapter: str, record_type: str, document: dict[str, Any], kind: str) -> None:
    found = _adapter(adapter)
    for path in leaf_paths(document):
        body = with_raw(document, path, HOSTILE[kind])
        record = found.record_from_body(record_type, "X1", body, fetched_at=0.0)
        check(record, body)


@pytest.mark.parametrize("kind", ["infinite", "huge int", "nan", "deep", "surrogate"])
def test_the_hostile_field_is_flagged_with_its_path(kind: str) -> None:
    document = next(iter(SESSIONS.values()))
    body = with_raw(document, ("energy", "value"), HOSTILE[kind])
    record = _adapter("corpay").record_from_body("session", "X1", body, fetched_at=0.0)
    assert any(p.startswith("energy") and "(shown as sent)" in p for p in record.problems), record.problems
    # Corpay shows energy.value as one field (with its unit): it is flagged and shows what was sent.
    shown = [f for s in record.sections for f in s.fields if f.path == "energy.value"]
    assert shown and all(f.flag == "invalid" for f in shown), shown
    sent = {"surrogate": "\ufffd lone", "deep": "[[[["}.get(kind, HOSTILE[kind][:20])
    assert all(sent in f.value for f in shown), shown


def test_a_lone_surrogate_in_a_shown_text_is_replaced() -> None:
    document = next(iter(SESSIONS.values()))
    body = with_raw(document, ("charger", "city"), '"Os\\ud800lo"')
    record = _adapter("corpay").record_from_body("session", "X1", body, fetched_at=0.0)
    assert any(f.value == "Os\ufffdlo" for s in record.sections for f in s.fields if f.path == "charger.city")
    assert any("charger.city" in p and "surrogate" in p for p in record.problems)


def test_cli_get_shows_a_hostile_record_and_json_prints_its_bytes(config_dir: Path) -> None:
    document = next(iter(SESSIONS.values()))
    body = with_raw(with_raw_dict(document, ("site",), "\x00DEEP"), ("energy", "value"), HOSTILE["infinite"])
    body = body.replace(b'"\\u0000DEEP"', HOSTILE["deep"].encode())
    body = body.replace(b'"Oslo"', b'"Os\\ud800lo"')

    def serve(request: Request) -> Reply:
        if request.path.endswith("/token"):
            return Reply(200, b'{"access_token": "hostile-access-token-1"}')
        return Reply(200, body)

    with HostileServer(serve) as server:
        write_config(
            config_dir,
            f'[profiles.c]\nadapter = "corpay"\nbase_url = "{server.origin}"\nclient_id = "c"\nclient_secret = "t13h-hostile-secret"\n',
        )
        human = run("get", "AAdmD55q8Vz")
        raw = run("get", "--json", "AAdmD55q8Vz")
        history = run("history", "--json")
    for result in (human, raw):
        no_traceback(result)
        assert result.returncode == 0, result.stderr
        assert "bug in the adapter" not in result.stderr
    assert "1e400" in human.stdout
    assert raw.stdout.encode() == body + b"\n"
    # The lone surrogate did not turn history off: both lookups are in it.
    no_traceback(history)
    assert '"id": "AAdmD55q8Vz"' in history.stdout and '"count": 2' in history.stdout, history.stdout + history.stderr


def with_raw_dict(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(document))
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return copy


@pytest.mark.parametrize("kind", list(HOSTILE))
async def test_an_ocpi_page_with_hostile_values_still_finds_the_session(kind: str) -> None:
    """Over HTTP: the page is scanned value by value, so hostile values meet the page parser too."""
    document = _session_4711(ANCHOR)
    element = with_raw(document, ("kwh",), HOSTILE[kind])
    hostile_neighbour = with_raw(document | {"id": "OTHER-1"}, ("last_updated",), HOSTILE[kind])
    page = b'{"status_code": 1000, "data": [' + hostile_neighbour + b", " + element + b"]}"

    def serve(request: Request) -> Reply:
        if request.path == "/ocpi/versions":
            return Reply(200, json.dumps({"status_code": 1000, "data": [{"version": "2.2.1", "url": server.url("/ocpi/2.2.1")}]}).encode())
        if request.path == "/ocpi/2.2.1":
            endpoints = [{"identifier": "sessions", "role": "SENDER", "url": server.url("/ocpi/sessions")}]
            return Reply(200, json.dumps({"status_code": 1000, "data": {"version": "2.2.1", "endpoints": endpoints}}).encode())
        return Reply(200, page)

    with HostileServer(serve) as server:
        table = {"adapter": "ocpi", "versions_url": server.url("/ocpi/versions"), "token": "t13h-ocpi-token"}
        async with AdapterPool(config_from_data({"profiles": {"p": table}}, None)) as pool:
            record = await pool.get("p").fetch(document["id"], since=datetime(2000, 1, 1, tzinfo=timezone.utc))
    check(record, element)  # the object's bytes exactly as sent, deep values and all
    if kind in BEYOND:
        assert any(p.startswith("kwh") for p in record.problems), record.problems


@pytest.mark.parametrize("volume", ["1e300", "1e400", '"1e300"', "-1e200"])
def test_charts_leave_out_absurd_and_infinite_volumes(volume: str) -> None:
    document = _cdr_4711(ANCHOR).document
    body = with_raw(document, ("charging_periods", 0, "dimensions", 0, "volume"), volume)
    record = _adapter("ocpi").record_from_body("cdr", "X1", body, fetched_at=0.0)
    charts = [c for s in record.sections for c in s.charts]
    assert charts, "the other periods still make charts"
    energy = next(c for c in charts if c.title == "Energy per period")
    assert len(energy.points) == len([p for p in document["charging_periods"] if any(d["type"] == "ENERGY" for d in p["dimensions"])]) - 1
    assert all(abs(v) <= 1e9 for c in charts for _, v in c.points)


def test_a_value_of_another_type_where_code_trusts_the_type_affects_that_field_only() -> None:
    document = next(iter(SESSIONS.values()))
    body = with_raw(document, ("price", "currencyCode"), "978")
    record = _adapter("corpay").record_from_body("session", "X1", body, fetched_at=0.0)
    assert any(p.startswith("price.currencyCode") for p in record.problems), record.problems
    shown = [f for s in record.sections for f in s.fields if f.path == "price.currencyCode"]
    assert shown and all(f.value == "978" and f.flag == "invalid" for f in shown), shown
    assert not any("could not be presented" in p for p in record.problems)


# -- the demo server's fault ids for these attacks (so a person can try them too) ------------


async def test_demo_faults_for_redirects_bombs_and_hostile_numbers(demo_server: Any) -> None:
    from evtui.demo.faults import corpay_id
    from evtui.errors import Redirected, ResponseTooLarge
    from tests.test_faults import fetch

    with pytest.raises(Redirected, match="evil.example"):
        await fetch(demo_server, corpay_id("redirect"))
    with pytest.raises(ResponseTooLarge, match="decoded"):
        await fetch(demo_server, corpay_id("gzip-bomb"))
    record = await fetch(demo_server, corpay_id("hostile-numbers"))
    paths = {p.partition(":")[0] for p in record.problems}
    assert {"x_huge", "x_inf", "x_nan", "x_text", "x_deep"} <= paths, record.problems
    assert record.document["sessionId"] == "fault-hostile-numbers"
