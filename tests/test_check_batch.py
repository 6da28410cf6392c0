"""The batch core: reading ids, bounded concurrency and rate limits at a loopback Spirii of our own."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from evtui.check import EXIT_FINDINGS, FAILED, FOUND, NOT_FOUND, check_ids, read_ids, summarise
from evtui.config.schema import config_from_data
from evtui.demo.spirii import TRANSACTIONS
from evtui.errors import UsageError
from evtui.pool import AdapterPool


def test_one_id_a_line_comments_blanks_and_paste_debris() -> None:
    text = "# export\n12345678\n\n  '52000120' \n\t# indented comment\n“31000542”\n12345678\n"
    assert read_ids(text) == ["12345678", "52000120", "31000542"]


def test_a_one_column_file_may_have_a_header() -> None:
    assert read_ids("Transaction ID\n1\n2\n") == ["1", "2"]
    assert read_ids("id\n1\n") == ["1"]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("when,cdr_id,total\n2026-11-01,CDR1,2.50\n2026-11-02,CDR2,3.10\n", ["CDR1", "CDR2"]),
        ("name;Session-ID\nBerlin;AAdmD55q8Vz\nOslo;\n", ["AAdmD55q8Vz"]),  # the empty cell is skipped
        ("a\tid\tb\nx\t7\ty\n", ["7"]),
        ('transaction_id,note\n"12345678","has, a comma"\n', ["12345678"]),
    ],
)
def test_csv_columns_are_found_by_their_header(text: str, ids: list[str]) -> None:
    assert read_ids(text) == ids


def test_a_column_by_name() -> None:
    assert read_ids("site,ref\nBerlin,AAdmD55q8Vz\n", "REF") == ["AAdmD55q8Vz"]
    with pytest.raises(UsageError, match="no column 'nope'"):
        read_ids("site,ref\nBerlin,1\n", "nope")
    with pytest.raises(UsageError, match="cannot tell which column"):
        read_ids("site,ref\nBerlin,1\n")


class CountingSpirii:
    """A Spirii look-alike on 127.0.0.1: counts requests in flight, holds the first ones until
    `hold` are in flight at once (so the bound must be reached, and can be seen exceeded), and
    answers 429 to ids told to, a given number of times. Stops with the test, and on its own
    after a minute."""

    def __init__(self, hold: int) -> None:
        self.hold = hold
        self.in_flight = self.most = 0
        self.requests: dict[str, int] = {}
        self.rate_limited: dict[str, int] = {}
        self.reached, self.exceeded, self.released = threading.Event(), threading.Event(), threading.Event()
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                tid = self.path.rsplit("/", 1)[-1]
                with lock:
                    outer.requests[tid] = outer.requests.get(tid, 0) + 1
                    outer.in_flight += 1
                    outer.most = max(outer.most, outer.in_flight)
                    if outer.in_flight >= outer.hold:
                        outer.reached.set()
                    if outer.in_flight > outer.hold:
                        outer.exceeded.set()
                    limited = outer.rate_limited.get(tid, 0)
                    if limited:
                        outer.rate_limited[tid] = limited - 1
                if not outer.released.is_set():
                    # The first requests wait until `hold` are in flight (a client below the bound fails
                    # `most`), then give a client above it half a second to send one more: absence of a
                    # request can only be seen over a window. A correct client passes whatever the timing.
                    outer.reached.wait(5)  # less than the client timeout (10 s)
                    outer.exceeded.wait(0.5)
                    outer.released.set()
                with lock:  # before answering: the client sends its next request only after this answer
                    outer.in_flight -= 1
                if limited:
                    self._answer(429, b'{"statusCode": 429, "message": "Too Many Requests"}', {"Retry-After": "0"})
                elif tid in TRANSACTIONS:
                    self._answer(200, json.dumps(TRANSACTIONS[tid]).encode())
                else:
                    self._answer(404, b'{"statusCode": 404, "message": "Not Found", "error": "Not Found"}')

            def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", "Content-Length": str(len(body)), **(headers or {})}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._deadline = threading.Timer(60.0, self.httpd.shutdown)
        self._deadline.daemon = True

    def __enter__(self) -> CountingSpirii:
        self._thread.start()
        self._deadline.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._deadline.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()

    def check(self, ids: list[str], concurrency: int) -> list[Any]:
        host, port = self.httpd.server_address[:2]
        profile = {"adapter": "spirii", "environment": "test", "base_url": f"http://{host}:{port}", "api_key": "loopback-key"}
        config = config_from_data({"profiles": {"s": profile}}, None)

        async def run() -> list[Any]:
            async with AdapterPool(config, timeout=10) as pool:
                return await check_ids(pool.get("s"), ids, "transaction", history=None, concurrency=concurrency)

        return asyncio.run(run())


@pytest.fixture
def counting() -> Iterator[CountingSpirii]:
    with CountingSpirii(hold=3) as server:
        yield server


def test_concurrency_is_bounded_and_reached(counting: CountingSpirii) -> None:
    ids = [tid for tid in TRANSACTIONS] + ["90000001", "90000002"]
    results = counting.check(ids, concurrency=3)
    assert counting.most == 3
    assert [r.record_id for r in results] == ids  # in input order, however they finished
    assert [r.outcome for r in results].count(FOUND) == len(TRANSACTIONS)
    assert [r.outcome for r in results][-2:] == [NOT_FOUND, NOT_FOUND]
    summary = summarise(results)
    assert (summary.found, summary.not_found, summary.matches, summary.differs) == (len(TRANSACTIONS), 2, len(TRANSACTIONS) - 1, 1)
    assert summary.difference == {"DKK": Decimal("31.25")}
    assert summary.exit_code == EXIT_FINDINGS


def test_rate_limited_ids_are_tried_once_more(counting: CountingSpirii) -> None:
    counting.hold = 1
    # The transport answers a 429 itself twice (Retry-After 0); the third ends the lookup rate-limited.
    counting.rate_limited = {"12345678": 3, "41999003": 10}
    results = counting.check(["12345678", "41999003", "52000118"], concurrency=2)
    assert [r.outcome for r in results] == [FOUND, FAILED, FOUND]
    assert counting.requests["12345678"] == 4  # three 429s, then the batch's one more try
    assert counting.requests["41999003"] == 6  # two lookups of three 429s each, then it gives up
    assert results[1].error is not None and results[1].error.kind == "rate_limited"
    assert summarise(results).exit_code == 5


def test_each_record_is_priced_once(counting: CountingSpirii, monkeypatch: pytest.MonkeyPatch) -> None:
    """The row's verdict is the one the record's Price check section shows, computed once."""
    from evtui.adapters import price_section

    priced: list[str] = []

    def for_record(adapter_name: str, record_type: str, document: Any, **inputs: Any) -> Any:
        priced.append(str(document["id"]))
        return real(adapter_name, record_type, document, **inputs)

    real = price_section.for_record
    monkeypatch.setattr(price_section, "for_record", for_record)
    ids = list(TRANSACTIONS)
    results = counting.check(ids, concurrency=2)
    assert sorted(priced) == sorted(str(TRANSACTIONS[i]["id"]) for i in ids)  # once each, not once more for the row
    for done in results:
        assert done.record is not None and done.price is done.record.price_check
        section = done.record.section("price")
        assert section is not None and section.fields[0].value == done.price.verdict.text


def test_provider_text_is_data_in_every_output() -> None:
    """A breakdown description and an error body with terminal controls, bidi and a
    spreadsheet formula: escaped in the lines, still data in JSON, not a formula in CSV."""
    from evtui.check import Checked
    from evtui.check_output import csv_cells, human_line, row
    from evtui.errors import ProviderError
    from evtui.pricing.spirii import check_spirii

    doc = json.loads(json.dumps(TRANSACTIONS["52000120"]))
    doc["price"]["breakdown"] = [
        {"type": "energy", "description": "=HYPERLINK(\"x\")\x1b]52;c;aGk=\x07\u202e", "quantity": 40, "unit": "kWh",
         "unitPrice": 9, "amountExVat": 165.0, "amount": 206.25},
    ]
    priced = Checked(0, "52000120", FOUND, price=check_spirii(doc, "charge-record"))
    failed = Checked(1, "1\x1b[2J", FAILED, error=ProviderError("body said \x1b[31mred\x9b"))
    for done in (priced, failed):
        line = human_line(done, 10)
        assert not any(ch in line for ch in "\x1b\x07\x9b\u202e"), line
    data = row(priced)
    assert "\x1b]52" in " ".join(data["reasons"])  # JSON keeps the text exactly (json.dumps escapes it)
    assert "\\u001b" in json.dumps(data)
    assert csv_cells(data)[CSV_VERDICT].startswith("differs")
    assert csv_cells(row(failed))[-1].startswith("body said")
    assert csv_cells(row(Checked(2, "3", FAILED, error=ProviderError("=cmd|' /C calc'!A0"))))[-1] == "'=cmd|' /C calc'!A0"


CSV_VERDICT = 3
