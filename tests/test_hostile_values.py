"""Hostile numbers and strings from a provider, over real HTTP from a malicious loopback server.

Each value affects its own field only: the record still shows (decoded and with
--json), nothing reaches the terminal unescaped, and history keeps working.
"""

from __future__ import annotations

import copy
import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from evtui import decode
from evtui.demo.corpay import CLIENT_ID, CLIENT_SECRET, SESSIONS
from evtui.demo.ocpi import DemoObject, OcpiDemo
from evtui.demo.server import DemoServer
from evtui.history import HistoryStore
from evtui.record import Chart
from evtui.render_text import sparkline
from evtui.textsafe import has_unsafe, json_visible, visible

from .test_cli import no_traceback, run, write_config

#: The longest output a hostile 20-byte value may grow into: a screenful, not a gigabyte.
BOUNDED = 20_000


class HostileCorpay:
    """A Corpay look-alike on 127.0.0.1 answering each session id with bytes the test chose.

    It issues any token, stops with the test, and on its own after a minute at most.
    """

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self._answer(200, json.dumps({"access_token": "hostile-token", "expires_in": 3600, "token_type": "Bearer"}).encode())

            def do_GET(self) -> None:
                body = outer.bodies.get(self.path.rsplit("/", 1)[-1])
                self._answer(200 if body is not None else 404, body or b'{"errorCode": "SESSION_NOT_FOUND"}')

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._deadline = threading.Timer(60.0, self.httpd.shutdown)
        self._deadline.daemon = True

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def serve(self, session_id: str, body: bytes) -> None:
        self.bodies[session_id] = body

    def __enter__(self) -> HostileCorpay:
        self._thread.start()
        self._deadline.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._deadline.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def hostile(config_dir: Path) -> Iterator[HostileCorpay]:
    with HostileCorpay() as server:
        write_config(
            config_dir,
            f'[profiles.c]\nadapter = "corpay"\nbase_url = "{server.base_url}"\n'
            f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n',
        )
        yield server


def session(session_id: str, **changes: Any) -> dict[str, Any]:
    """The demo's completed Corpay session under another id, with some values replaced."""
    doc = copy.deepcopy(SESSIONS["AAdmD55q8Vz"])
    doc["sessionId"] = session_id
    for path, value in changes.items():
        node = doc
        *parents, last = path.split("__")
        for part in parents:
            node = node[part]
        node[last] = value
    return doc


def body(doc: dict[str, Any], **raw: str) -> bytes:
    """The document as JSON, each placeholder string "@name" replaced by raw JSON text."""
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    for name, token in raw.items():
        text = text.replace(f'"@{name}"', token)
    return text.encode("utf-8")


def line_of(stdout: str, label: str) -> str:
    return next(line for line in stdout.splitlines() if line.strip().startswith(label))


def history_rows(config_dir: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(config_dir / "history.sqlite3") as conn:
        return conn.execute("SELECT record_id, outcome, summary FROM lookups").fetchall()


# -- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["1e-999999999", "1e999999999", "0e-999999999", "1e400", "-1e400", "NaN", "Infinity", "-Infinity",
     "1" * 5000, "0." + "1" * 5000, 10**400, 1e308, Decimal("1e400"), Decimal("1e-400")],
)
def test_out_of_range_numbers_are_not_decoded(value: object) -> None:
    assert decode.to_decimal(value) is None
    for formatter in (decode.number, decode.kwh, decode.kwh_from_wh, decode.vat_percent, decode.human_duration):
        assert formatter(value) is None
    assert decode.money_from_minor(value, "EUR") is None
    assert decode.money_major(value, "KWD") is None


@pytest.mark.parametrize("value", ["12345678901234567890", "-0.00000000000000000001", "18432", 0.1, 2**60, "0E-30"])
def test_large_but_plausible_numbers_still_decode(value: object) -> None:
    assert decode.to_decimal(value) == Decimal(str(value))
    text = decode.number(value)
    assert text is not None and len(text) < 60


def test_durations_and_timestamps_that_would_overflow_are_not_decoded() -> None:
    assert decode.parse_iso_duration("P99999999999999999999D") is None
    assert decode.parse_iso_duration("PT" + "9" * 400 + "S") is None  # float() makes it inf
    assert decode.parse_iso_duration("P36500D") == 36500 * 86400  # a century still is one
    assert decode.parse_timestamp("9999-12-31T23:00:00-05:00") is None  # no UTC time for it
    assert decode.parse_timestamp("0001-01-01T00:00:00+05:00") is None
    assert decode.parse_timestamp("2026-11-22T10:00:00" + "0" * 200 + "Z") is None


def test_a_timestamp_whose_local_time_overflows_is_shown_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "JST-9")
    import time

    time.tzset()
    try:
        assert decode.timestamp("9999-12-31T23:00:00Z") == "9999-12-31 23:00:00 UTC"
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_a_20_byte_exponent_is_shown_as_sent_flagged_and_the_rest_still_decodes(hostile: HostileCorpay, config_dir: Path) -> None:
    hostile.serve("Exponent001", body(session("Exponent001", price__minorInclVat="@p", energy__value="@e"),
                                      p='"1e-999999999"', e="1e-999999999"))
    result = run("get", "Exponent001")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) < BOUNDED
    price = line_of(result.stdout, "Price incl. VAT")
    assert "1e-999999999" in price and "[invalid]" in price
    # The same number as a JSON number: beyond what evtui reads too, shown as sent.
    energy = line_of(result.stdout, "Energy ")
    assert "1e-999999999" in energy and "[invalid]" in energy
    # One field out of range; everything else is decoded as usual.
    assert line_of(result.stdout, "Price excl. VAT").split()[3:5] == ["18.38", "EUR"]
    assert line_of(result.stdout, "Balance ").split()[1:4] == ["21.60", "EUR", "outstanding"]
    assert history_rows(config_dir)[0][:2] == ("Exponent001", "found")

    as_json = run("get", "--json", "Exponent001")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["price"]["minorInclVat"] == "1e-999999999"


def test_1e400_as_number_and_string(hostile: HostileCorpay) -> None:
    hostile.serve("Overflow001", body(session("Overflow001", price__minorInclVat="@p", energy__value="@e", balanceAmountMinor="1e400"),
                                      p="1e400", e="-1e400"))
    result = run("get", "Overflow001")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "[invalid]" in line_of(result.stdout, "Price incl. VAT")
    assert "[invalid]" in line_of(result.stdout, "Energy ")
    assert "1e400" in line_of(result.stdout, "Balance ")


def ocpi_session_with_volumes(a: datetime, volumes: list[str]) -> DemoObject:
    periods = ",".join(
        f'{{"start_date_time": "{(a - timedelta(hours=3) + timedelta(minutes=10 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")}",'
        f' "dimensions": [{{"type": "ENERGY", "volume": {v}}}]}}'
        for i, v in enumerate(volumes)
    )
    updated = a - timedelta(hours=1)
    text = (
        '{"country_code": "NL", "party_id": "HOS", "id": "HOSTILE-CHART",'
        f' "start_date_time": "{(a - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")}",'
        f' "end_date_time": "{(a - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")}",'
        ' "kwh": 12.5, "cdr_token": {"uid": "U1", "type": "RFID", "contract_id": "NL-HOS-1", "country_code": "NL", "party_id": "HOS"},'
        ' "auth_method": "WHITELIST", "location_id": "L1", "evse_uid": "E1", "connector_id": "1", "currency": "EUR",'
        f' "charging_periods": [{periods}], "status": "COMPLETED", "last_updated": "{updated.strftime("%Y-%m-%dT%H:%M:%SZ")}"}}'
    )
    return DemoObject(updated, text.encode(), json.loads(text))


def test_an_energy_chart_skips_1e400_and_nan_and_the_record_shows(config_dir: Path) -> None:
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    with DemoServer() as server:
        provider = OcpiDemo(now=now)
        provider.sessions.append(ocpi_session_with_volumes(now, ["1.5", "1e400", '"1e400"', "NaN", "2.5", '"1e300"']))
        server.providers["ocpi"] = provider
        table = provider.profile(server.base_url("ocpi"))
        write_config(config_dir, "[profiles.o]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items()))
        result = run("get", "HOSTILE-CHART")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    # Not decoded, so not drawn: the chart has the two real volumes, the table all six as sent.
    chart = line_of(result.stdout, "Energy per period")
    assert "min 1.5 · max 2.5 kWh · 2 points" in chart
    assert "1e300" in result.stdout
    for period in (1, 2, 3):
        assert f"charging_periods[{period}].dimensions[0].volume: a number beyond what evtui reads" in result.stdout


def test_a_chart_keeps_only_finite_values_within_range() -> None:
    chart = Chart("Energy", "kWh", (("a", 1.0), ("b", float("inf")), ("c", float("nan")), ("d", 1e300), ("e", 2.0)), note="as sent")
    assert chart.points == (("a", 1.0), ("e", 2.0))
    assert chart.left_out == 3 and chart.note.startswith("as sent; 3 point(s) left out")
    assert Chart("Power", "kW", (("a", 3.0),)).note == ""


def test_sparkline_takes_any_floats() -> None:
    assert sparkline([float("nan"), float("inf")]) == ""
    assert sparkline([-1e308, 0.0, 1e308]) == "▁▄█"
    assert sparkline([5.0, 5.0]) == "▁▁"


# -- text: every invisible or reordering character class ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\U000e0041\U000e007fb", "a\\U000e0041\\U000e007fb"),  # tag characters (Cf)
        ("\U000e0001flag", "\\U000e0001flag"),  # language tag (Cf)
        ("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"),  # bidi isolates (Cf)
        ("\u061calm\u200e\u200f", "\\u061calm\\u200e\\u200f"),  # bidi marks (Cf)
        ("\u2060\u2061\u2064", "\\u2060\\u2061\\u2064"),  # word joiner, invisible operators (Cf)
        ("soft\u00adhyphen", "soft\\xadhyphen"),  # (Cf)
        ("\U0001bca0short", "\\U0001bca0short"),  # shorthand format control (Cf)
        ("priv\ue000\U000f0000", "priv\\ue000\\U000f0000"),  # private use (Co)
        ("un\u0378\U000e0080", "un\\u0378\\U000e0080"),  # unassigned (Cn)
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),  # Zl, Zp
        ("lone\ud800\udfff", "lone\\ud800\\udfff"),  # surrogates (Cs)
        ("\u115f\u1160\u3164\uffa0", "\\u115f\\u1160\\u3164\\uffa0"),  # Hangul fillers
        ("\u2800blank", "\\u2800blank"),  # braille blank
        ("x\ufe00\ufe0f", "x\\ufe00\\ufe0f"),  # variation selectors
        ("x\U000e0100\U000e01ef", "x\\U000e0100\\U000e01ef"),  # variation selectors supplement
        ("e\u034f\u0301", "e\\u034f\u0301"),  # combining grapheme joiner (a plain accent stays)
        ("\u180b\u180e", "\\u180b\\u180e"),  # Mongolian selector, vowel separator
        ("\x1b[2J\x9b\x85", "\\x1b[2J\\x9b\\x85"),  # C0, C1
    ],
)
def test_every_invisible_class_is_escaped(text: str, expected: str) -> None:
    assert visible(text) == expected
    assert has_unsafe(text) and not has_unsafe(expected)


@pytest.mark.parametrize("text", ["a\u00a0b", "ideographic\u3000space", "Ærø ✓ 東京 😀", "don\u2019t", "\\x1b"])
def test_spaces_and_ordinary_text_stay(text: str) -> None:
    assert visible(text) == text


def test_the_tui_escapes_with_the_same_function() -> None:
    from evtui.tui.text import safe, safe_content

    for text in ("a\U000e0041b", "\u3164", "lone\ud800", "\u202eevil"):
        assert safe(text).plain == visible(text)
        assert safe_content(text).plain == visible(text)


def test_json_visible_escapes_inside_strings_and_stays_the_same_json() -> None:
    doc = {"site": "x\u202ey\x85\U000e0041\u3164", "n": 1.50, "plain": "Ærø 😀"}
    text = json.dumps(doc, ensure_ascii=False)
    shown = json_visible("\ufeff" + text)
    assert json.loads(shown) == doc
    assert not has_unsafe(shown)
    assert "Ærø 😀" in shown and "\\u202e" in shown and "\\udb40\\udc41" in shown


HOSTILE_TEXT = "Depot 東京 \u202eexe.gnp\u202c \x85\x9b31m \U000e0041 \u3164 \u2800 \ufe0f"


def read_pty(fd: int, proc: subprocess.Popen[bytes]) -> bytes:
    """Everything the child writes to the terminal until it exits and the terminal is drained."""
    out = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    return out


def test_get_json_to_a_terminal_escapes_and_to_a_pipe_is_exact(hostile: HostileCorpay) -> None:
    raw = body(session("Bidi0000001", site=HOSTILE_TEXT))
    hostile.serve("Bidi0000001", raw)

    # Byte-exact, as the provider sent it, whatever the locale's encoding.
    for encoding in ("utf-8", "ascii"):
        piped = subprocess.run([sys.executable, "-m", "evtui", "get", "--json", "Bidi0000001"], capture_output=True,
                               timeout=60, env={**os.environ, "PYTHONIOENCODING": encoding})
        assert piped.returncode == 0, piped.stderr
        assert HOSTILE_TEXT.encode() in piped.stdout
        assert json.loads(piped.stdout) == json.loads(raw)

    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "evtui", "get", "--json", "Bidi0000001"],
                            stdin=subprocess.DEVNULL, stdout=secondary, stderr=subprocess.PIPE)
    os.close(secondary)
    try:
        shown = read_pty(primary, proc)
    finally:
        os.close(primary)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    text = shown.decode("utf-8").replace("\r\n", "\n")
    for ch in ("\u202e", "\x85", "\x9b", "\U000e0041", "\u3164", "\u2800", "\ufe0f", "\x1b"):
        assert ch not in text
    assert json.loads(text) == json.loads(raw)  # still the same JSON


# -- strings history must survive --------------------------------------------------------------


@pytest.mark.parametrize("token", ['"\\ud800"', '"\\udfff tail"', '"\\u0000 nul"', '"' + "x" * 100_000 + '"'])
def test_a_lone_surrogate_in_a_record_keeps_get_and_history_working(hostile: HostileCorpay, config_dir: Path, token: str) -> None:
    hostile.serve("Surrogate01", body(session("Surrogate01", site="@s", sessionStatus="@s"), s=token))
    hostile.serve("AAdmD55q8Vz", body(session("AAdmD55q8Vz")))
    result = run("get", "Surrogate01", "AAdmD55q8Vz")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "History is off" not in result.stderr and result.stderr == ""
    if "ud800" in token:
        # Replaced (U+FFFD) when the body is read, and flagged.
        site = line_of(result.stdout, "Site")
        assert "\ufffd" in site and "[invalid]" in site
    rows = history_rows(config_dir)
    assert sorted(r[0] for r in rows) == ["AAdmD55q8Vz", "Surrogate01"]  # the next lookup was kept too
    assert all(len(r[2]) <= 500 for r in rows)

    listed = run("history")
    no_traceback(listed)
    assert listed.returncode == 0 and "Surrogate01" in listed.stdout

    again = run("get", "--json", "Surrogate01")
    assert again.returncode == 0 and json.loads(again.stdout)["sessionId"] == "Surrogate01"


def test_history_takes_surrogates_in_every_string(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        store.record(profile="p\udcff", adapter="a", record_type="session", record_id="id\ud800", outcome="found",
                     summary="s\udfff\x00", body=b"{}")
        store.record(profile="p", adapter="a", record_type="session", record_id="next", outcome="found")
        assert store.enabled and store.notice is None
        (first, second) = store.entries(profile="p\udcff") + store.entries(profile="p")
        assert first.record_id == "id\\ud800" and first.summary == "s\\udfff\x00" and second.record_id == "next"
        assert store.cached(("p\udcff", "session", "id\ud800")) is not None
        assert [e.record_id for e in store.entries(query="id\ud800")] == ["id\\ud800"]
        store.set_pinned(("p\udcff", "session", "id\ud800"))
        assert store.entries(profile="p\udcff")[0].pinned
        store.delete(("p\udcff", "session", "id\ud800"))
        assert store.entries(profile="p\udcff") == []


# -- numbers on the command line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["get", "--since", "3000000d", "AAdmD55q8Vz"], "too far back (at most 36500d)"),
        (["get", "--since", "9" * 5000 + "d", "AAdmD55q8Vz"], "too far back"),
        (["get", "--since", "garbage", "AAdmD55q8Vz"], "is neither a date"),
        (["get", "--since", "²d", "AAdmD55q8Vz"], "is neither a date"),
        (["get", "--since", "2026-13-45", "AAdmD55q8Vz"], "is neither a date"),
        (["history", "--limit", "99999999999999999999"], "is more than 1000000000"),
        (["history", "--limit", "9" * 5000], "is more than"),
        (["history", "--limit", "-5"], "is not a positive whole number"),
        (["history", "-n", "0"], "is not a positive whole number"),
        (["history", "-n", "1e3"], "is not a positive whole number"),
    ],
)
def test_out_of_range_cli_numbers_are_one_line_usage_errors(hostile: HostileCorpay, config_dir: Path, args: list[str], words: str) -> None:
    hostile.serve("AAdmD55q8Vz", body(session("AAdmD55q8Vz")))
    assert run("get", "AAdmD55q8Vz").returncode == 0
    result = run(*args)
    no_traceback(result)
    assert result.returncode == 2
    message = [line for line in result.stderr.splitlines() if line.startswith("evtui:")]
    assert len(message) == 1 and words in message[0] and len(message[0]) < 200
    listed = run("history", "--limit", "1000000000")  # the largest limit still lists, history still on
    assert listed.returncode == 0 and "AAdmD55q8Vz" in listed.stdout and listed.stderr == ""


def test_history_store_takes_any_limit(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        store.record(profile="p", adapter="a", record_type="session", record_id="A1", outcome="found")
        assert [e.record_id for e in store.entries(limit=10**30)] == ["A1"]
        assert store.enabled and store.notice is None


# -- every adapter, every number hostile -------------------------------------------------------------


def every_number(node: Any, token: str) -> Any:
    """The document with every number (not booleans) replaced by the placeholder "@n"."""
    if isinstance(node, dict):
        return {k: every_number(v, token) for k, v in node.items()}
    if isinstance(node, list):
        return [every_number(v, token) for v in node]
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return "@n"
    return node


def ocpi_object(doc: dict[str, Any], raw: bytes) -> DemoObject:
    from evtui.decode import parse_timestamp

    when = parse_timestamp(doc["last_updated"])
    assert when is not None
    return DemoObject(when, raw, json.loads(raw))


@pytest.mark.parametrize("token", ['"1e-999999999"', "1e400", '"-1e400"', '"NaN"', "1" + "0" * 400, '"1e999999999"'])
async def test_every_adapter_shows_a_record_whose_numbers_are_all_hostile(token: str) -> None:
    from evtui.config.schema import config_from_data
    from evtui.pool import AdapterPool
    from evtui.render_text import Style, render_record

    now = datetime.now(timezone.utc)
    with DemoServer() as server:
        corpay, spirii, ocpi = server.providers["corpay"], server.providers["spirii"], OcpiDemo(now=now)
        server.providers["ocpi"] = ocpi
        corpay.sessions["AAdmD55q8Vz"] = body(every_number(corpay.sessions["AAdmD55q8Vz"], token), n=token)
        spirii.transactions["12345678"] = body(every_number(spirii.transactions["12345678"], token), n=token)
        target = ocpi.find("session", "CPO-SES-4711")
        hostile_doc = every_number(target.document, token)
        hostile_doc["last_updated"] = target.document["last_updated"]
        ocpi.sessions = [o for o in ocpi.sessions if o is not target] + [ocpi_object(target.document, body(hostile_doc, n=token))]
        ocpi.sessions.sort(key=lambda o: (o.last_updated, o.document["id"]))
        profiles = {p: server.providers[p].profile(server.base_url(p)) for p in ("corpay", "spirii", "ocpi")}
        async with AdapterPool(config_from_data({"profiles": profiles}, None)) as pool:
            for profile, record_id in (("corpay", "AAdmD55q8Vz"), ("spirii", "12345678"), ("ocpi", "CPO-SES-4711")):
                adapter = pool.get(profile)
                record = await adapter.fetch(record_id)
                text = render_record(record, title=adapter.title, environment="demo", style=Style(False))
                assert len(text) < 20 * BOUNDED, profile
                flagged = [f for s in record.sections for f in s.fields if f.flag == "invalid"]
                assert flagged, profile
                for chart in (c for s in record.sections for c in s.charts):
                    assert all(abs(v) <= 1e12 for _, v in chart.points)


# -- the inspector ------------------------------------------------------------------------------------


async def test_the_inspector_shows_hostile_values_as_sent_and_still_quits(hostile: HostileCorpay) -> None:
    from evtui.config.schema import config_from_data
    from evtui.tui.app import EvtuiApp
    from evtui.tui.fields import FieldList

    hostile.serve("Exponent001", body(session("Exponent001", price__minorInclVat="@p", site="@s"),
                                      p='"1e-999999999"', s='"\\ud800 \\u3164 \U000e0041"'))
    profile = {"adapter": "corpay", "base_url": hostile.base_url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    app = EvtuiApp(config_from_data({"profiles": {"c": profile}}, None))
    async with app.run_test(size=(140, 40)) as pilot:
        main = app.main
        assert app.focused is main.search.input
        await pilot.press(*"Exponent001", "enter")
        for _ in range(400):
            if main.detail.mode == "record" and main.history_panel.list.entries:
                break
            await pilot.pause(0.01)
        assert main.detail.mode == "record"
        widget = main.detail.query(FieldList).first()
        overview = "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))
        price = next(line for line in overview.splitlines() if "Total price" in line)
        assert "1e-999999999" in price and len(price) < 400
        assert "\ufffd \\u3164 \\U000e0041" in overview
        assert main.history_panel.list.entries[0].record_id == "Exponent001"
        await pilot.press("ctrl+q")
        for _ in range(400):
            if not app.is_running:
                break
            await pilot.pause(0.01)
        assert not app.is_running


def test_the_periods_table_shows_hostile_volumes_as_sent(config_dir: Path) -> None:
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    with DemoServer() as server:
        provider = OcpiDemo(now=now)
        provider.sessions.append(ocpi_session_with_volumes(now, ["1.5", "1e400", "NaN", "2.5"]))
        server.providers["ocpi"] = provider
        table = provider.profile(server.base_url("ocpi"))
        write_config(config_dir, "[profiles.o]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items()))
        result = run("get", "HOSTILE-CHART")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    # Problems says "shown as sent": the table does so, never "null".
    assert "1e400 (as sent)" in result.stdout and "NaN (as sent)" in result.stdout
    assert "null" not in result.stdout.split("Charging periods", 1)[1].split("Tariff", 1)[0]
