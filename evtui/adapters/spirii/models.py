"""Spirii's transaction and charge-record documents as lenient models (imported when a record is
validated; the words for their values are in `words`).

The charge record's extras are listed in domain.md by name only (FOUND); their inner
fields are our reading (INFERRED): everything optional, unknown fields kept and reported.
"""

from __future__ import annotations

from typing import Any

from evtui.adapters.api import ProviderModel

# -- the transaction model (every field of the seed page) ---------------------------


class NamedRef(ProviderModel):
    id: int | None = None
    name: str | None = None


class Operator(ProviderModel):
    id: int | None = None
    name: str | None = None
    crmId: int | None = None


class Customer(ProviderModel):
    id: int | None = None
    firstName: str | None = None
    lastName: str | None = None
    operator: NamedRef | None = None
    company: NamedRef | None = None
    #: Items optional: lenient validation replaces a bad item by None, which must then fit.
    familyTreeCompanyIds: list[str | None] | None = None


class IdTag(ProviderModel):
    uid: str | None = None
    id: int | None = None
    type: str | None = None
    label: str | None = None
    customerId: int | None = None
    operatorId: int | None = None
    companyId: int | None = None
    #: Items optional: lenient validation replaces a bad item by None, which must then fit.
    familyTreeCompanyIds: list[str | None] | None = None
    crmCustomerId: int | None = None
    comment: str | None = None
    billingReference: str | None = None
    customerCrmCustomerId: int | None = None
    companyCrmCustomerId: int | None = None
    operator: Operator | None = None
    company: NamedRef | None = None
    customer: Customer | None = None


class Auth(ProviderModel):
    idTag: IdTag | None = None


class ChargingDetails(ProviderModel):
    #: kWh (documented).
    consumed: float | int | None = None
    #: Probably Wh (not documented).
    meterStart: float | int | None = None
    meterStop: float | int | None = None
    #: Unit not documented.
    co2Emitted: float | int | None = None
    #: Probably kW (not documented).
    highestPowerDrawn: float | int | None = None
    vehicleStateOfCharge: dict[str, Any] | None = None


class Duration(ProviderModel):
    """Seconds; only generated when the transaction ends."""

    charging: float | int | None = None
    idle: float | int | None = None
    total: float | int | None = None


class Location(ProviderModel):
    id: int | None = None
    name: str | None = None
    address: str | None = None
    zipCode: str | None = None
    city: str | None = None
    crmId: int | None = None
    crmCustomerId: int | None = None
    isEligibleForRefund: bool | None = None
    countryCode: str | None = None


class Price(ProviderModel):
    #: Major units, incl. VAT.
    amount: float | int | None = None
    amountExVat: float | int | None = None
    currency: str | None = None
    #: 19.6 (percent) or 0.25 (fraction): both are seen.
    vatRate: float | int | None = None
    isDynamic: bool | None = None
    perKwh: float | int | None = None


class RoamingDetails(ProviderModel):
    roamingOperator: str | None = None
    roamingEvcoId: str | None = None
    roamingIdTagUid: str | None = None
    sessionStatus: str | None = None
    type: str | None = None
    sessionPayload: dict[str, Any] | None = None


class Tariff(ProviderModel):
    id: str | None = None
    name: str | None = None
    type: str | None = None


class Voucher(ProviderModel):
    id: int | None = None
    groupId: int | None = None
    code: str | None = None


class VoucherGroup(ProviderModel):
    id: int | None = None
    type: str | None = None
    name: str | None = None
    notes: str | None = None
    perKwh: float | int | None = None
    currency: str | None = None


class SpiriiTransaction(ProviderModel):
    auth: Auth | None = None
    chargeBoxId: int | None = None
    chargingDetails: ChargingDetails | None = None
    company: NamedRef | None = None
    duration: Duration | None = None
    evseId: str | None = None
    id: int | None = None
    isRoaming: bool | None = None
    location: Location | None = None
    paymentMethod: str | None = None
    paymentStatus: str | None = None
    price: Price | None = None
    #: Timestamps kept as sent; decoded for display.
    startedAt: str | None = None
    updatedAt: str | None = None
    isPriority: bool | None = None
    #: Null when the user is not registered to an app.
    appUserId: int | None = None
    endedAt: str | None = None
    roamingDetails: RoamingDetails | None = None
    #: Null when no tariff applies (e.g. a Free transaction).
    tariff: Tariff | None = None
    voucher: Voucher | None = None
    voucherGroup: VoucherGroup | None = None


# -- the charge-record model (the transaction's fields plus the billing extras) ------------
# domain.md lists the extras by name only (FOUND); their inner fields are our
# reading (INFERRED): everything optional, unknown fields kept and reported.


class Card(ProviderModel):
    brand: str | None = None
    #: A string keeps leading zeros; a number is accepted and padded for display.
    lastFour: str | int | None = None
    expiryMonth: int | str | None = None
    expiryYear: int | str | None = None
    #: credit, debit, prepaid.
    funding: str | None = None
    #: ISO 3166 alpha-2 of the issuer.
    country: str | None = None
    #: apple_pay, google_pay, ... when paid through a wallet.
    wallet: str | None = None


class PaymentMetadata(ProviderModel):
    paymentStatus: str | None = None
    #: Masked card number; evtui never shows more than its last four digits.
    maskedPan: str | None = None
    merchantId: str | int | None = None
    terminalId: str | int | None = None
    paidAt: str | None = None
    pspReference: str | None = None
    authorizationCode: str | None = None
    acquirer: str | None = None
    failureCode: str | None = None
    failureMessage: str | None = None
    #: When the payment method is an invoice.
    invoiceNumber: str | None = None


class BreakdownLine(ProviderModel):
    #: energy, idle_fee, session_fee, parking, discount, ...
    type: str | None = None
    description: str | None = None
    quantity: float | int | None = None
    #: kWh, min, session, ...
    unit: str | None = None
    #: Excl. VAT, major units.
    unitPrice: float | int | None = None
    amountExVat: float | int | None = None
    amount: float | int | None = None


class ChargeRecordPrice(Price):
    tariffName: str | None = None
    #: Items optional: lenient validation replaces a bad item by None, which must then fit.
    breakdown: list[BreakdownLine | None] | None = None


class SpiriiChargeRecord(SpiriiTransaction):
    transactionId: int | None = None
    #: UUID of the receipt portal's session.
    sessionId: str | None = None
    #: kWh, top level on a charge record.
    consumed: float | int | None = None
    price: ChargeRecordPrice | None = None  # type: ignore[assignment]
    card: Card | None = None
    paymentMetadata: PaymentMetadata | None = None
