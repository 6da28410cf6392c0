"""Corpay's session document as a lenient model, and the words for its documented values."""

from __future__ import annotations

from evtui.adapters.api import ProviderModel

# -- the session model (every field of the seed page and domain.md) ---------------


class Energy(ProviderModel):
    unit: str | None = None
    value: float | int | None = None


class Money(ProviderModel):
    currencyCode: str | None = None
    minorExclVat: int | str | None = None
    minorInclVat: int | str | None = None
    vat: str | float | None = None


class Charger(ProviderModel):
    chargingStationName: str | None = None
    city: str | None = None
    connectorLabel: str | None = None
    evseId: str | None = None
    streetName: str | None = None


class Transaction(ProviderModel):
    paymentMethod: str | None = None
    paymentOutcome: str | None = None
    amount: Money | None = None
    time: str | None = None


class CorpaySession(ProviderModel):
    sessionId: str | None = None
    sessionStatus: str | None = None
    balanceStatus: str | None = None
    #: Documented as Long, sent as a string in the example.
    balanceAmountMinor: int | str | None = None
    charger: Charger | None = None
    connectorId: str | None = None
    chargingKeyType: str | None = None
    duration: str | None = None
    energy: Energy | None = None
    price: Money | None = None
    #: Deprecated: the payment method of the earliest transaction.
    paymentMethod: str | None = None
    transactions: list[Transaction] | None = None
    receiptAvailable: bool | None = None
    site: str | None = None
    #: Kept as sent: it carries nanoseconds that datetime cannot hold.
    startTime: str | None = None


# -- words for the enums --------------------------------------------------------

SESSION_STATUS = {
    "CREATED": "session created; the charger has not been asked to start yet",
    "WAITING_TO_START": "start requested; waiting for the charger to confirm",
    "STARTED": "charging in progress",
    "WAITING_TO_STOP": "stop requested; waiting for the charger to confirm",
    "STOPPED": "charging stopped; costs not settled yet",
    "COMPLETE": "finished and settled (final)",
    "FAILED": "the session could not be started (final)",
    "UNKNOWN": "the platform does not know the session's state",
    "STOP_FAILED": "the charger did not confirm the stop (final)",
}
FINAL_STATUSES = frozenset({"COMPLETE", "FAILED", "STOP_FAILED"})
ENDED_STATUSES = FINAL_STATUSES | {"STOPPED"}

BALANCE_STATUS = {
    "PROCESSING": "payment is being processed",
    "PAID": "paid in full",
    "DEBT": "the customer still owes money",
    "REFUND": "money is being returned to the customer",
}
KEY_TYPE = {
    "tag": "RFID tag",
    "card": "charge card",
    "virtual": "virtual key (app)",
    "plug_and_charge": "Plug & Charge (ISO 15118, the car identifies itself)",
}
PAYMENT_METHOD = {
    "CREDIT_CARD": "paid by credit card",
    "EXTERNAL": "settled outside Corpay (external clearing)",
    "PREPAID": "paid from a prepaid balance",
    "WRITE_OFF": "written off (old name; now NONE with paymentOutcome WRITE_OFF)",
    "NONE": "no payment (see the transaction's paymentOutcome)",
}
PAYMENT_OUTCOME = {
    "CHARGE": "the amount was charged",
    "WRITE_OFF": "the amount was written off",
}
