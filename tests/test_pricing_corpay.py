"""The Corpay price check: incl. = excl. + VAT, payments against the price, the balance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from evtui.demo.corpay import SESSIONS, live_steps
from evtui.pricing import CANNOT_CHECK, DIFFERS, MATCHES
from evtui.pricing.corpay import check_corpay


def money(incl: int, excl: int, vat: str = "25", currency: str = "EUR") -> dict[str, Any]:
    return {"currencyCode": currency, "minorExclVat": excl, "minorInclVat": incl, "vat": vat}


def session(balance: Any = "0", status: str = "PAID", *payments: dict[str, Any], price: dict[str, Any] | None = None) -> dict[str, Any]:
    """A complete session of 10 kWh priced 12.50 EUR incl. 25 % VAT (10.00 excl.)."""
    doc: dict[str, Any] = {
        "sessionId": "S1",
        "sessionStatus": "COMPLETE",
        "balanceStatus": status,
        "energy": {"unit": "WH", "value": 10000},
        "price": price or money(1250, 1000),
        "transactions": [
            {"paymentMethod": "CREDIT_CARD", "paymentOutcome": "CHARGE", "amount": p, "time": "2026-11-01T11:00:00Z"}
            for p in payments
        ],
        "startTime": "2026-11-01T10:00:00.123456789Z",
    }
    if balance is not None:
        doc["balanceAmountMinor"] = balance
    return doc


def test_paid_in_full_matches() -> None:
    check = check_corpay(session("0", "PAID", money(1250, 1000)))
    assert check.verdict.outcome == MATCHES and check.verdict.text == "matches (within 0.01 EUR)"
    (line,) = check.lines
    assert (line.kind, line.volume, line.unit, line.price) == ("energy", Decimal(10), "kWh", Decimal("1.00"))
    assert check.total.incl_vat == Decimal("12.50")
    assert [c.field for c in check.comparisons] == ["price", "balanceAmountMinor"]


def test_minor_units_follow_the_currency() -> None:
    jpy = check_corpay(session(0, "PAID", money(1650, 1500, "10", "JPY"), price=money(1650, 1500, "10", "JPY")))
    assert jpy.verdict.text == "matches (within 1 JPY)" and jpy.total.incl_vat == Decimal(1650)
    kwd = check_corpay(session("0", "PAID", money(1250, 1250, "0", "KWD"), price=money(1250, 1250, "0", "KWD")))
    assert kwd.verdict.text == "matches (within 0.001 KWD)" and kwd.total.incl_vat == Decimal("1.250")


def test_incl_vat_that_is_not_excl_plus_vat_differs() -> None:
    check = check_corpay(session("0", "PAID", money(1200, 1000), price=money(1200, 1000)))
    assert check.verdict.outcome == DIFFERS
    assert check.verdict.text == "differs by -0.50 EUR incl. VAT"
    assert check.verdict.reasons[0] == "VAT does not add up: minorExclVat 10.00 EUR + 25 % = 12.50 EUR, but minorInclVat is 12.00 EUR"


def test_an_outstanding_balance_is_payments_minus_price() -> None:
    assert check_corpay(session("-1250", "DEBT", money(0, 0))).verdict.outcome == MATCHES
    assert check_corpay(session("-250", "DEBT", money(1000, 800))).verdict.outcome == MATCHES
    assert check_corpay(session("250", "REFUND", money(1500, 1200))).verdict.outcome == MATCHES


def test_a_balance_that_payments_do_not_explain_differs() -> None:
    check = check_corpay(session("0", "DEBT", money(1000, 800)))
    assert check.verdict.outcome == DIFFERS
    assert check.verdict.text == "differs by +2.50 EUR incl. VAT in balanceAmountMinor"
    assert check.verdict.reasons == ("balanceAmountMinor is +0.00 EUR, but payments 10.00 EUR − price 12.50 EUR = -2.50 EUR",)


def test_without_a_balance_payments_must_meet_the_price() -> None:
    assert check_corpay(session(None, "PAID", money(1250, 1000))).verdict.outcome == MATCHES
    check = check_corpay(session(None, "PAID", money(1000, 800)))
    assert check.verdict.text == "differs by -2.50 EUR incl. VAT in transactions"


def test_a_payment_with_wrong_vat_is_named() -> None:
    check = check_corpay(session("0", "PAID", money(1250, 900)))
    assert check.verdict.outcome == MATCHES  # the totals meet; the odd transaction is still said
    check = check_corpay(session("-100", "PAID", money(1250, 900)))
    assert "transaction 1: 9.00 EUR + 25 % = 11.25 EUR, but its minorInclVat is 12.50 EUR" in check.verdict.reasons


def test_processing_checks_the_price_only() -> None:
    doc = session("0", "PROCESSING")
    doc["sessionStatus"] = "STARTED"
    check = check_corpay(doc)
    assert check.verdict.outcome == MATCHES
    assert "an estimate so far" in check.verdict.text and "payments are not settled yet" in check.verdict.text
    assert [c.field for c in check.comparisons] == ["price"]


def test_payments_in_another_currency_are_not_added() -> None:
    check = check_corpay(session("0", "PAID", money(1250, 1000, currency="NOK")))
    assert check.verdict.outcome == MATCHES
    assert "transaction 1 is in NOK, the session in EUR: payments not added up" in check.warnings


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        (None, "the session has no price object"),
        ({"currencyCode": "EUR", "minorInclVat": 100, "vat": "21"}, "price.minorExclVat not sent"),
        ({"currencyCode": "EUR", "minorExclVat": 100, "minorInclVat": 121}, "price.vat not sent"),
    ],
)
def test_cannot_check_says_what_is_missing(price: Any, reason: str) -> None:
    doc = session()
    doc["price"] = price
    check = check_corpay(doc)
    assert check.verdict.outcome == CANNOT_CHECK and check.verdict.text == f"cannot check: {reason}"


def test_every_demo_session_matches() -> None:
    """The demo's sessions all add up: the seed's 21.60 owed (balance -2160, nothing paid),
    a refund of 5.00 (paid 25.00 for 20.00), a write-off that settles its amount, an External
    Clearing session without a balance; sessions still running are estimates."""
    for sid, doc in SESSIONS.items():
        assert check_corpay(doc).verdict.outcome == MATCHES, sid
    for doc in live_steps():
        assert check_corpay(doc).verdict.outcome == MATCHES
    assert "written off" in check_corpay(SESSIONS["WriteOff001"]).verdict.text
    assert "an estimate so far" in check_corpay(SESSIONS["O9UXK+YI5Q6i0/FoI4qHwcA=="]).verdict.text
    assert [c.field for c in check_corpay(SESSIONS["ExtClear001"]).comparisons] == ["price", "transactions"]
