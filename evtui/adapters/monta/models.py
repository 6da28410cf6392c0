"""Monta's charge document as a lenient model (imported only when a record is validated)."""

from __future__ import annotations

from typing import Any

from evtui.adapters.api import ProviderModel


class Currency(ProviderModel):
    #: ISO 4217, sent in lower case ("dkk", "isk").
    identifier: str | None = None
    name: str | None = None
    decimals: int | None = None


class PaymentSession(ProviderModel):
    partnerExternalId: str | None = None
    amount: float | int | str | None = None


class MontaCharge(ProviderModel):
    #: 64-bit: int from the JSON parser (never a float), or a string if Monta ever quotes it.
    id: int | str | None = None
    chargePointId: int | str | None = None
    siteId: int | str | None = None
    teamId: int | str | None = None
    state: str | None = None
    createdAt: str | None = None
    updatedAt: str | None = None
    startedAt: str | None = None
    stoppedAt: str | None = None
    completedAt: str | None = None
    consumedKwh: float | int | str | None = None
    kwhLimit: float | int | str | None = None
    price: float | int | str | None = None
    priceLimit: float | int | str | None = None
    averagePricePerKwh: float | int | str | None = None
    currency: Currency | str | None = None
    soc: float | int | None = None
    socLimit: float | int | None = None
    partnerExternalId: str | None = None
    partnerCustomPayload: Any = None
    genericPaymentSession: PaymentSession | None = None
    failureReason: str | None = None
