"""Corpay's session document as a lenient model (imported when a record is validated; the words are in `words`)."""

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
