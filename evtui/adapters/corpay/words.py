"""The words for the documented values of Corpay's session (kept apart from the models: the
presentation needs them, the models are imported only when a record is validated)."""

from __future__ import annotations

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
