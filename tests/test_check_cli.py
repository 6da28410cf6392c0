"""`evtui check` as a user runs it: a real process, real HTTP to the demo server."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from .test_cli import no_traceback, run

SPIRII = ("--demo", "--profile", "demo-spirii")

# Found and matching, found and differing (an idle and a session fee that perKwh × consumed
# cannot know), still charging (an estimate), not found, and not an id at all.
MIXED = """# ids from a support ticket
12345678
52000120

31000542
99999999
abc
 "12345678"
"""


def lines_of(stdout: str) -> dict[str, str]:
    """The per-id lines, keyed by id (the summary's lines start with spaces or "Summary")."""
    out = {}
    for line in stdout.splitlines():
        if line and not line.startswith((" ", "Summary")):
            out[line.split()[0]] = line
    return out


def summary_of(text: str) -> dict[str, str]:
    rows = text[text.index("Summary\n") :].splitlines()[1:]
    return dict(re.split(r"\s{2,}", row.strip(), maxsplit=1) for row in rows)


def test_mixed_ids_give_a_line_each_a_summary_and_exit_6(config_dir: Path) -> None:
    result = run("check", *SPIRII, "-", input=MIXED)
    no_traceback(result)
    assert result.returncode == 6, result.stderr  # a price differs: 6 outranks not found (3) and invalid (2)
    lines = lines_of(result.stdout)
    assert list(lines) == ["12345678", "52000120", "31000542", "99999999", "abc"]  # input order, the repeat once
    assert lines["12345678"].split(None, 2)[1:] == ["found", "matches (within 0.01 EUR; perKwh read as incl. VAT)"]
    assert "differs by +25.00 DKK excl. VAT / +31.25 DKK incl. VAT — " in lines["52000120"]
    assert "idle or session fee" in lines["52000120"]
    assert "an estimate so far" in lines["31000542"]
    assert "not found" in lines["99999999"] and "has no transaction '99999999'" in lines["99999999"]
    assert "failed" in lines["abc"] and "not a valid Spirii transaction id" in lines["abc"]
    assert summary_of(result.stdout) == {
        "found": "3",
        "not found": "1",
        "failed": "1",
        "records with findings": "0",
        "price matches": "2",
        "price differs": "1  (in total +31.25 DKK)",
        "cannot check": "0",
    }
    assert "\r" not in result.stderr and "\x1b" not in result.stdout + result.stderr  # piped: no bar, no colour


def test_all_matching_exits_0_and_charge_records_itemise(config_dir: Path) -> None:
    result = run("check", *SPIRII, "--type", "charge-record", "-", input="52000120\n12345678\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "matches (within 0.01 DKK; from the breakdown's 3 lines)" in lines_of(result.stdout)["52000120"]


def test_not_found_alone_exits_3(config_dir: Path) -> None:
    result = run("check", *SPIRII, "-", input="12345678\n99999999\n")
    assert result.returncode == 3


def test_csv_input_with_a_header_and_from_file(config_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text('site;session_id;amount\nBerlin;AAdmD55q8Vz;21.60\n# skipped\nOslo;"Q2hhcmdlUGFpZDE";349.50\n')
    result = run("check", "--demo", "--from", str(source))
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(lines_of(result.stdout)) == ["AAdmD55q8Vz", "Q2hhcmdlUGFpZDE"]
    named = run("check", "--demo", "--column", "SITE", "--from", str(source))  # a column by name, any case
    assert named.returncode == 3 and list(lines_of(named.stdout)) == ["Berlin", "Oslo"]  # no such sessions
    unclear = tmp_path / "unclear.csv"
    unclear.write_text("a,b\nAAdmD55q8Vz,x\n")
    result = run("check", "--demo", "--from", str(unclear))
    assert result.returncode == 2 and "cannot tell which column holds the ids" in result.stderr


def test_json_lines_parse_and_the_summary_goes_to_stderr(config_dir: Path) -> None:
    result = run("check", *SPIRII, "--json", "-", input="52000120\n99999999\n")
    assert result.returncode == 6
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["outcome"], r["price"]) for r in rows] == [("52000120", "found", "differs"), ("99999999", "not_found", None)]
    differs = rows[0]
    assert differs["currency"] == "DKK"
    assert differs["provider_total"] == {"excl_vat": "165", "incl_vat": "206.25"}
    assert differs["computed_total"] == {"excl_vat": "140", "incl_vat": "175"}
    assert differs["difference"] == {"excl_vat": "25", "incl_vat": "31.25"}
    assert differs["verdict"].startswith("differs by") and differs["reasons"] and differs["findings"] == []
    assert rows[1]["error_kind"] == "not_found" and "99999999" in rows[1]["error"]
    assert "Summary" in result.stderr and "Summary" not in result.stdout


def test_csv_output_parses(config_dir: Path) -> None:
    result = run("check", "--demo", "--csv", "-", input="AAdmD55q8Vz\nStopFail001\nnope!\n")
    assert result.returncode == 2  # an invalid id; the two sessions match
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["outcome"], r["price"]) for r in rows] == [
        ("AAdmD55q8Vz", "found", "matches"), ("StopFail001", "found", "matches"), ("nope!", "failed", ""),
    ]
    assert rows[0]["provider_incl_vat"] == "21.6" and rows[0]["currency"] == "EUR" and rows[0]["reasons"] == ""
    assert list(rows[0]) == ["id", "outcome", "price", "verdict", "reasons", "currency", "provider_excl_vat", "provider_incl_vat",
                             "computed_excl_vat", "computed_incl_vat", "difference_excl_vat", "difference_incl_vat", "findings", "error"]
    assert rows[2]["error"].startswith("'nope!' is not a valid")


def test_every_looked_up_id_goes_to_history(config_dir: Path) -> None:
    run("check", *SPIRII, "-", input="12345678\n99999999\nabc\n")
    result = run("history", "--json")
    entries = {(e["profile"], e["type"], e["id"], e["outcome"]) for e in map(json.loads, result.stdout.splitlines())}
    assert entries == {
        ("demo-spirii", "transaction", "12345678", "found"),
        ("demo-spirii", "transaction", "99999999", "not_found"),
    }  # "abc" is not an id: nothing was sent for it, as with evtui get


def test_a_progress_bar_only_on_a_terminal(config_dir: Path) -> None:
    main, secondary = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "evtui", "check", *SPIRII, "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=secondary, env=os.environ.copy(),
        )
        os.close(secondary)
        stdout, _ = process.communicate(b"12345678\n52000119\n41999003\n", timeout=60)
        terminal = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the other end closed: everything written has been read
                break
            if not chunk:
                break
            terminal += chunk
    finally:
        os.close(main)
    assert process.returncode == 0, terminal
    assert b"\r[" in terminal and b"3/3  found 3, not found 0, failed 0" in terminal
    assert terminal.endswith(b"\r\x1b[K")  # the bar is put away before the summary
    assert b"\r" not in stdout and len(lines_of(stdout.decode())) == 3
