"""The Spirii price check: perKwh × consumed, VAT, and the charge record's breakdown."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest

from evtui.demo.spirii import CHARGE_RECORDS, RAW_TRANSACTIONS, TRANSACTIONS
from evtui.pricing import CANNOT_CHECK, DIFFERS, MATCHES, as_json
from evtui.pricing.spirii import check_spirii


def transaction(**price: Any) -> dict[str, Any]:
    """A finished transaction of 20 kWh at 0.50 EUR/kWh incl. 25 % VAT: 10.00 incl., 8.00 excl."""
    doc: dict[str, Any] = {
        "id": 1,
        "chargingDetails": {"consumed": 20.0},
        "duration": {"charging": 3600, "idle": 0, "total": 3600},
        "price": {"amount": 10.0, "amountExVat": 8.0, "currency": "EUR", "vatRate": 25, "isDynamic": False, "perKwh": 0.5},
        "startedAt": "2026-11-01T10:00:00Z",
        "endedAt": "2026-11-01T11:00:00Z",
        "tariff": {"id": "t-1", "name": "Standard", "type": "standard"},
    }
    doc["price"].update(price)
    return doc


def test_the_documentations_own_example_does_not_add_up() -> None:
    # The seed page's example, as printed: 123 kWh × 0.50 = 61.50, yet amount 100.50 and
    # amountExVat 80.90; and 80.90 + 19.6 % VAT is 96.76, not 100.50. Neither reading of
    # perKwh (incl. or excl. VAT) reproduces it.
    seed = {
        "chargingDetails": {"consumed": 123, "meterStart": 123, "meterStop": 123},
        "duration": {"charging": 123, "idle": 123, "total": 123},
        "price": {"amount": 100.5, "amountExVat": 80.9, "currency": "EUR", "vatRate": 19.6, "isDynamic": True, "perKwh": 0.5},
        "startedAt": "2023-11-07T05:31:56Z",
        "endedAt": "2023-11-07T05:31:56Z",
    }
    check = check_spirii(seed)
    assert check.verdict.outcome == DIFFERS
    assert check.verdict.text == "differs by +29.48 EUR excl. VAT / +39.00 EUR incl. VAT"
    reasons = " | ".join(check.verdict.reasons)
    assert "VAT does not add up: amountExVat 80.90 EUR + 19.6 % = 96.76 EUR, but amount is 100.50 EUR" in reasons
    assert "123 kWh × 0.5 = 61.50 EUR, which is neither amount (100.50 EUR) nor amountExVat (80.90 EUR)" in reasons


def test_per_kwh_read_incl_vat_matches() -> None:
    check = check_spirii(transaction())
    assert check.verdict.outcome == MATCHES
    assert check.verdict.text == "matches (within 0.01 EUR; perKwh read as incl. VAT)"
    (line,) = check.lines
    assert (line.kind, line.volume, line.price, line.excl_vat, line.incl_vat) == (
        "energy", Decimal("20.0"), Decimal("0.4"), Decimal("8.0"), Decimal("10.00"),
    )
    assert line.vat_percent == 25 and line.tariff_id == "t-1"
    assert check.total.excl_vat == Decimal("8.0") and check.total.incl_vat == Decimal("10.0")


def test_per_kwh_read_excl_vat_when_that_reproduces_the_totals() -> None:
    check = check_spirii(transaction(amount=12.5, amountExVat=10.0))
    assert check.verdict.outcome == MATCHES
    assert "perKwh read as excl. VAT" in check.verdict.text
    assert check.lines[0].price == Decimal("0.5")


def test_vat_as_a_fraction_is_the_same_rate() -> None:
    assert check_spirii(transaction(vatRate=0.25)).verdict.outcome == MATCHES


def test_a_total_one_cent_off_matches_two_cents_differ() -> None:
    assert check_spirii(transaction(amount=10.01, amountExVat=8.01)).verdict.outcome == MATCHES
    check = check_spirii(transaction(amount=10.02, amountExVat=8.02))
    assert check.verdict.outcome == DIFFERS
    assert check.verdict.text == "differs by +0.02 EUR excl. VAT / +0.02 EUR incl. VAT"


def test_an_idle_car_is_named_as_what_may_explain_a_higher_total() -> None:
    doc = transaction(amount=12.5, amountExVat=10.0, perKwh=0.4)  # 8.00 of energy, 12.50 billed
    doc["duration"]["idle"] = 1800
    check = check_spirii(doc)
    assert check.verdict.outcome == DIFFERS
    assert any("stayed 30 min after charging" in r for r in check.verdict.reasons)


def test_an_ongoing_transaction_is_an_estimate() -> None:
    doc = transaction()
    del doc["endedAt"]
    check = check_spirii(doc)
    assert check.verdict.outcome == MATCHES and "an estimate so far" in check.verdict.text


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"price": None}, "the record has no price object"),
        ({"price": {"currency": "EUR", "perKwh": 0.5}}, "price has neither amount nor amountExVat"),
        ({"chargingDetails": {}}, "consumed not sent"),
        ({"price": {"amount": 1, "perKwh": "lots"}}, "price.perKwh not sent"),
    ],
)
def test_cannot_check_says_what_is_missing(change: dict[str, Any], reason: str) -> None:
    doc = transaction()
    doc.update(change)
    check = check_spirii(doc)
    assert check.verdict.outcome == CANNOT_CHECK
    assert check.verdict.text == f"cannot check: {reason}"


def charge_record(*lines: dict[str, Any], amount: float, ex_vat: float) -> dict[str, Any]:
    doc = transaction(amount=amount, amountExVat=ex_vat)
    doc["price"]["breakdown"] = list(lines)
    doc["consumed"] = 20.0
    return doc


def test_breakdown_lines_add_up() -> None:
    doc = charge_record(
        {"type": "energy", "description": "Energy", "quantity": 20, "unit": "kWh", "unitPrice": 0.4, "amountExVat": 8.0, "amount": 10.0},
        {"type": "idle_fee", "description": "Idle", "quantity": 5, "unit": "min", "unitPrice": 0.2, "amountExVat": 1.0, "amount": 1.25},
        {"type": "session_fee", "description": "Session", "quantity": 1, "unit": "session", "unitPrice": 1, "amountExVat": 1, "amount": 1.25},
        amount=12.5,
        ex_vat=10.0,
    )
    check = check_spirii(doc, "charge-record")
    assert check.verdict.text == "matches (within 0.01 EUR; from the breakdown's 3 lines)"
    assert [(ln.kind, ln.dimension, ln.unit) for ln in check.lines] == [
        ("energy", "ENERGY", "kWh"), ("parking", "PARKING_TIME", "min"), ("fixed", "FLAT", "session"),
    ]
    assert check.totals["parking"].incl_vat == Decimal("1.25")


def test_a_breakdown_line_that_does_not_multiply_out_is_named() -> None:
    doc = charge_record(
        {"type": "energy", "description": "Energy", "quantity": 20, "unit": "kWh", "unitPrice": 0.45, "amountExVat": 8.0, "amount": 10.0},
        amount=10.0,
        ex_vat=8.0,
    )
    check = check_spirii(doc, "charge-record")
    assert check.verdict.outcome == DIFFERS
    assert check.verdict.text == "differs by -1.00 EUR excl. VAT / -1.25 EUR incl. VAT"
    assert "breakdown line 1 (Energy): 20 × 0.45 = 9.00 EUR, but its amountExVat is 8.00 EUR" in check.verdict.reasons


def test_every_demo_record_is_judged_sensibly() -> None:
    """The demo's figures add up everywhere but one: transaction 52000120 bills an idle
    and a session fee besides its energy, which perKwh × consumed cannot know; its charge
    record itemises them and matches."""
    transactions = {**TRANSACTIONS, **{k: json.loads(v) for k, v in RAW_TRANSACTIONS.items()}}
    verdicts = {tid: check_spirii(t, "transaction").verdict for tid, t in transactions.items()}
    assert {tid for tid, v in verdicts.items() if v.outcome != MATCHES} == {"52000120"}
    assert verdicts["52000120"].text == "differs by +25.00 DKK excl. VAT / +31.25 DKK incl. VAT"
    assert any("idle or session fee" in r for r in verdicts["52000120"].reasons)
    assert "an estimate so far" in verdicts["31000542"].text  # still charging
    for tid, record in CHARGE_RECORDS.items():
        assert check_spirii(record, "charge-record").verdict.outcome == MATCHES, tid


def test_json_form_keeps_every_digit() -> None:
    data = json.loads(json.dumps(as_json(check_spirii(copy.deepcopy(TRANSACTIONS["52000118"])))))
    assert data["verdict"]["outcome"] == "matches"
    assert data["total"] == {"excl_vat": "14.725", "incl_vat": "17.52275"}
