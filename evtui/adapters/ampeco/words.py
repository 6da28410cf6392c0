"""AMPECO's enum values in words, from the Public API reference (sessions v1.0, CDRs v2.0)."""

from __future__ import annotations

SESSION_STATUS = {
    "unknown": "the platform does not know the session's state",
    "pending": "started from the app or a card; waiting for the charge point to begin",
    "active": "charging (or plugged in) right now",
    "finished": "the session has ended (final)",
    "failed": "the session could not be started (final)",
    "expired": "the session was never started on the charge point and timed out (final)",
}
FINAL_STATUSES = frozenset({"finished", "failed", "expired"})

BILLING_STATUS = {
    "pending": "the session's bill is not settled yet",
    "suspended": "billing is on hold (e.g. a payment problem or a manual review)",
    "completed": "billing is done",
}
PAYMENT_STATUS = {
    "pending": "payment not taken yet",
    "paid": "paid in full",
    "partially": "partly paid: an amount is still owed",
    "failed": "the payment failed: the amount is owed",
}
PAYMENT_TYPE = {
    "tokenized": "a stored card (tokenized payment)",
    "subscription": "covered by a subscription plan",
    "balance": "from the user's prepaid balance",
    "corporate": "billed to a corporate account",
    "terminal": "paid at a payment terminal",
    "bank_transfer": "paid by bank transfer",
}

#: The price breakdown's `type`, as the reference describes each.
BREAKDOWN_TYPE = {
    "flat": "flat price: one amount whatever the duration or energy",
    "connection": "connection fee, applied at the start of the session",
    "energy": "the consumed energy",
    "charging_time": "time spent charging",
    "idle_time": "time plugged in but not charging",
    "power_levels_time": "peak and average power levels",
    "min_price": "minimum price: a session below it is rounded up to it",
    "service_fee": "service fee (the mark-up)",
    "energy_flat_fee": "fixed fee per energy component",
    "duration_flat_fee": "fixed fee per duration component",
    "idle_flat_fee": "fixed fee per idle component",
}
BREAKDOWN_UNIT = {"kwh": "kWh", "minute": "min", "session": "session"}

CHARGING_STATE = {"charging": "the vehicle was charging", "idle": "plugged in, not charging"}
#: The deprecated free-form `state` of a charging period: a non-exhaustive list in the reference.
PERIOD_STATE = {
    "charging": "charging",
    "charging@night": "charging in the night period of a time-of-day tariff",
    "charging@day": "charging in the day period of a time-of-day tariff",
    "idle": "idle, priced separately",
    "idle@night": "idle in the night period of a time-of-day tariff",
    "idle@day": "idle in the day period of a time-of-day tariff",
    "charging@boosted": "optimised dynamic pricing: charged at full available power",
    "charging@optimised": "optimised dynamic pricing: lower price, limited power at peak hours",
}

#: Why the session stopped or expired: AMPECO's own values, then OCPP's StopTransaction
#: reasons spelled in lower case (EmergencyStop -> emergencystop).
STOP_REASON = {
    "working_hours_exceeded": "stopped outside the charge point's working hours",
    "timeout": "timed out",
    "authorization_amount_reached": "the pre-authorised amount was used up",
    "new_start_transaction_received": "the charge point started a new transaction on the same connector",
    "force_stop": "force-stopped by an operator",
    "standard_stop": "stopped normally by the driver",
    "energy_exceeded": "the energy limit of the session was reached",
    "schedule_completed": "the charging schedule completed",
    "pre_authorization_failed": "the payment pre-authorisation failed",
    "system_force_stop": "force-stopped by the platform",
    "time_limit": "the session's time limit was reached",
    "balance_exceeded": "the user's balance ran out",
    "deauthorized": "OCPP DeAuthorized: the id tag was refused during the transaction",
    "emergencystop": "OCPP EmergencyStop: the emergency stop button was pressed",
    "energylimitreached": "OCPP EnergyLimitReached: the energy limit was reached",
    "evdisconnected": "OCPP EVDisconnected: the cable was unplugged at the car",
    "groundfault": "OCPP GroundFault: a ground fault tripped",
    "immediatereset": "OCPP ImmediateReset: the charge point was reset",
    "hardreset": "OCPP HardReset: the charge point was hard-reset",
    "local": "OCPP Local: stopped at the charge point (card or button)",
    "localoutofcredit": "OCPP LocalOutOfCredit: credit ran out at the charge point",
    "masterpass": "OCPP MasterPass: stopped with a master pass",
    "other": "OCPP Other: no specific reason given",
    "overcurrentfault": "OCPP OvercurrentFault: too much current",
    "powerloss": "OCPP PowerLoss: the charge point lost power",
    "powerquality": "OCPP PowerQuality: poor power quality",
    "reboot": "OCPP Reboot: the charge point rebooted",
    "remote": "OCPP Remote: stopped remotely (app or back office)",
    "soclimitreached": "OCPP SOCLimitReached: the car reached its state-of-charge limit",
    "stoppedbyev": "OCPP StoppedByEV: the car ended charging",
    "timeoutlimitreached": "OCPP TimeLimitReached: the time limit was reached",
    "softreset": "OCPP SoftReset: the charge point was soft-reset",
    "unlockcommand": "OCPP UnlockCommand: the connector was unlocked remotely",
    "no_ev_parked": "no car was parked at the charge point",
    "no_ev_connected": "no car was connected",
    "charge_point_timeout": "the charge point did not answer in time",
    "charging_on_evse_not_allowed": "charging on this EVSE is not allowed for the user",
    "remote_start_failed": "the remote start was refused by the charge point",
    "no_user_for_agile_streets": "no user found for the Agile Streets integration",
    "rejected": "the charge point rejected the start",
    "canceled_reservation": "the reservation was cancelled",
    "evse_occupied": "the EVSE was occupied",
    "evse_inoperative": "the EVSE was out of order",
    "failed": "the start failed",
    "not_supported": "the charge point does not support the request",
    "unknown_reservation": "the charge point does not know the reservation",
    "ev_not_connected_to_evse": "the car was not connected to the EVSE",
    "authorization_failed": "the authorisation failed",
    "unknown_session": "the charge point does not know the session",
}

AUTH_METHOD = {
    "user_device": "the app",
    "rfid_tag": "an RFID card",
    "admin": "started by an operator",
    "plug_and_charge": "Plug & Charge (the car identifies itself)",
}

PROTOCOL_TYPE = {"OCPI": "an OCPI CDR (its data in ocpiData)", "Hubject": "a Hubject OICP CDR (its data in oicpData)"}
OCPI_VERSION = {"2.1.1": "OCPI 2.1.1", "2.2": "OCPI 2.2"}
DELIVERY_RESPONSE = {"success": "the eMSP accepted the CDR", "fail": "the eMSP refused the CDR"}
