"""AMPECO records as the Public API reference describes them (every field optional: lenient).

Single records come wrapped: `{"data": {...}}`."""

from __future__ import annotations

from typing import Any

from evtui.adapters.api import ProviderModel

Number = float | int


class Amount(ProviderModel):
    withTax: Number | None = None
    withoutTax: Number | None = None


class EnergyConsumption(ProviderModel):
    #: Wh, as every AMPECO energy.
    total: Number | None = None
    local: Number | None = None
    grid: Number | None = None


class BreakdownItem(ProviderModel):
    type: str | None = None
    currency: str | None = None
    unit: str | None = None
    pricePerUnit: Amount | None = None
    quantity: Number | None = None
    price: Amount | None = None
    taxPercentage: Number | None = None
    #: Deprecated spellings of price and pricePerUnit (without tax).
    totalPrice: Number | None = None
    unitPrice: Number | None = None


class ChargingPeriod(ProviderModel):
    id: int | None = None
    energy: Number | None = None
    startedAt: str | None = None
    stoppedAt: str | None = None
    state: str | None = None
    chargingState: str | None = None
    pricingDetails: dict[str, Any] | None = None
    amount: Number | None = None
    priceBreakdown: list[BreakdownItem | None] | None = None


class Roaming(ProviderModel):
    cdrIds: list[int | str | None] | None = None
    sessionId: str | None = None
    roamingOperatorCpoId: int | None = None
    cpoLastUpdatedAt: str | None = None


class Power(ProviderModel):
    latest: Number | None = None
    peak: Number | None = None
    average: Number | None = None


class Tax(ProviderModel):
    taxId: int | None = None
    taxPercentage: Number | None = None


class Session(ProviderModel):
    id: str | int | None = None
    chargePointId: int | None = None
    evseId: int | None = None
    connectorId: int | None = None
    status: str | None = None
    reason: str | None = None
    userId: int | None = None
    bookingId: int | None = None
    startedAt: str | None = None
    stoppedAt: str | None = None
    energy: Number | None = None
    powerKw: Number | None = None
    socPercent: Number | None = None
    amount: Number | None = None
    totalAmount: Amount | None = None
    tax: Tax | None = None
    currency: str | None = None
    paymentType: str | None = None
    paymentMethodId: str | None = None
    terminalId: int | None = None
    nonBillableEnergy: Number | None = None
    paymentStatus: str | None = None
    paymentStatusUpdatedAt: str | None = None
    authorizationId: int | None = None
    idTag: str | None = None
    idTagLabel: str | None = None
    extendingSessionId: int | str | None = None
    originalSessionId: int | str | None = None
    extendedBySessionId: int | str | None = None
    externalSessionId: str | None = None
    authorization: dict[str, Any] | None = None
    chargingPeriods: list[ChargingPeriod | None] | None = None
    priceBreakdown: list[BreakdownItem | None] | None = None
    tariffSnapshotId: int | None = None
    electricityCost: Number | None = None
    evsePhysicalReference: str | None = None
    chargePointOperatorRoamingId: str | None = None
    roaming: Roaming | None = None
    lastUpdatedAt: str | None = None
    energyConsumption: EnergyConsumption | None = None
    billingStatus: str | None = None
    power: Power | None = None


class Cdr(ProviderModel):
    id: int | str | None = None
    operatorId: int | None = None
    platformId: int | None = None
    protocolType: str | None = None
    sessionId: str | None = None
    receivedAt: str | None = None
    startTime: str | None = None
    endTime: str | None = None
    #: Served as the protocol sent it (OCPI 2.1.1 or 2.2, in camelCase): decoded by the OCPI presentation.
    ocpiData: dict[str, Any] | None = None
    oicpData: dict[str, Any] | None = None
    roamingId: str | None = None
    credit: bool | None = None
    isLocal: bool | None = None
    lastUpdatedAt: str | None = None
    sentAt: str | None = None
    deliveryResponse: str | None = None


class SessionDocument(ProviderModel):
    data: Session | None = None


class CdrDocument(ProviderModel):
    data: Cdr | None = None
