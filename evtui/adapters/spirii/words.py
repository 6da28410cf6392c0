"""The words for the documented values of Spirii's transactions and charge records, and the id rule
(kept apart from the models: the presentation needs them, the models are imported only when a
record is validated)."""

from __future__ import annotations

import re
from typing import Any

#: Required by the page; the objects among them are checked by `require`.
TRANSACTION_REQUIRED_OBJECTS = ("auth", "chargingDetails", "company", "duration", "location", "price")

PAYMENT_METHOD = {
    "PaymentTerminal": "paid at the payment terminal on site",
    "RoamingOperator": "billed through the driver's roaming operator (eMSP)",
    "Stripe": "paid by card online through Stripe (app or web)",
    "MobilePay": "paid with MobilePay",
    "Free": "free charging: nothing to pay",
    "System": "started by the platform itself, not paid by a driver",
    "Invoice": "billed later on an invoice",
    "Unknown": "Spirii does not know how it is paid",
}
PAYMENT_STATUS = {
    "succeeded": "the payment succeeded",
    "unknown": "Spirii does not know the payment's state",
    "mobilepay": "the payment is handled by MobilePay; its state is kept there",
    "canceled": "the payment was canceled",
    "expired": "the payment authorisation expired before it was captured",
    "n/a": "no payment applies (e.g. free or invoiced)",
    "paid": "paid in full",
    "pending": "the payment is not settled yet",
}
#: Payment states that do not change any more (watching stops on them).
SETTLED_PAYMENT_STATUSES = frozenset({"succeeded", "paid", "canceled", "expired", "n/a", "failed"})
#: A charge record's paymentStatus (and its paymentMetadata's) adds `failed`.
CHARGE_RECORD_PAYMENT_STATUS = {**PAYMENT_STATUS, "failed": "the payment failed; nothing was collected"}

DIGITS = re.compile(r"[0-9]+")


def id_text(value: Any) -> str | None:
    """A numeric id as the path wants it, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return str(value)
    if isinstance(value, str) and DIGITS.fullmatch(value) and value.strip("0"):
        return value
    return None
