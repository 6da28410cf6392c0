"""Spirii API: charging transactions and their charge records, API key as a bearer token.

GET {base_url}/v2/transactions/{id} and GET {base_url}/v2/charge-records/{id}
with `Authorization: Bearer <api key>`. A transaction is the live or recent
charging session; its charge record (same numeric id) is the finalised billing
record, created once the transaction has ended.

Record types are listed in `_KINDS` (path, model and presenter per type).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from datetime import datetime

import httpx
from pydantic import BaseModel

from evtui import decode
from evtui.adapters.base import (
    Adapter,
    AdapterSettings,
    Presenter,
    ProviderModel,
    derived,
    leftover_fields,
    problems_section,
    section,
    shown_paths,
)
from evtui.errors import NotFound
from evtui.record import Field, RecordType, Related, Section, Table
from evtui.config.secrets import Secret

PRODUCTION_BASE = "https://api.spirii.com"
SANDBOX_BASE = "https://sandbox.api.spirii.com"
#: Documented path ids are numbers; 19 digits hold any 64-bit id.
MAX_ID_DIGITS = 19


class SpiriiSettings(AdapterSettings):
    base_url: str = PRODUCTION_BASE
    api_key: Secret


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


#: Required by the page; the objects among them are checked by `_require`.
TRANSACTION_REQUIRED_OBJECTS = ("auth", "chargingDetails", "company", "duration", "location", "price")


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


# -- words for the enums --------------------------------------------------------------

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

_DIGITS = re.compile(r"[0-9]+")
NOT_ENDED = "only filled when the transaction ends"


TRANSACTION = RecordType("transaction", "Transaction", "A numeric transaction id such as 12345678")
CHARGE_RECORD = RecordType(
    "charge-record",
    "Charge record",
    "A numeric charge record id such as 12345678 (its transaction's id; it exists once the transaction has ended)",
)


@dataclass(frozen=True)
class _Kind:
    """What differs between record types: where they live, their model, their presentation."""

    #: Path segments before the id.
    path: tuple[str, ...]
    model: type[BaseModel]
    present: Callable[[Presenter, dict[str, Any]], tuple[list[Section], str]]


class SpiriiAdapter(Adapter):
    name = "spirii"
    title = "Spirii"
    settings_model = SpiriiSettings
    #: Each needs an entry in `_KINDS`.
    record_types = (TRANSACTION, CHARGE_RECORD)
    known_bases: ClassVar[dict[str, str]] = {"production": PRODUCTION_BASE, "test": SANDBOX_BASE}

    settings: SpiriiSettings

    def id_problem(self, record_id: str, record_type: str) -> str | None:
        kind = self.record_type(record_type).title.lower()
        if not _DIGITS.fullmatch(record_id):
            bad = next((ch for ch in record_id if ch not in "0123456789"), record_id[:1])
            what = f"Spirii {kind} ids are whole numbers, digits only" if bad in "-+.," else f"Spirii {kind} ids are numbers"
            return f"it contains {bad!r}; {what}"
        if len(record_id) > MAX_ID_DIGITS:
            return f"it has {len(record_id)} digits; Spirii ids have at most {MAX_ID_DIGITS}"
        if record_id.strip("0") == "":
            return f"it is zero, and no Spirii {kind} has id 0"
        return None

    def model_for(self, record_type: str) -> type[BaseModel]:
        return _kind(record_type).model

    async def request(
        self, record_type: str, record_id: str, *, since: datetime | None = None
    ) -> tuple[httpx.Response, list[str]]:
        url = self.url(*_kind(record_type).path, record_id)
        headers = {"Authorization": f"Bearer {self.secret_header('api_key')}"}
        notes: list[str] = []
        return await self.get(url, headers=headers, notes=notes), notes

    def present(
        self, record_type: str, document: dict[str, Any], model: Any, problems: list[str]
    ) -> tuple[list[Section], str]:
        p = Presenter(document, problems)
        sections, summary = _kind(record_type).present(p, document)
        if (ps := problems_section(problems)) is not None:
            sections.append(ps)
        return sections, summary

    def related(self, record_type: str, document: dict[str, Any]) -> list[Related]:
        """A transaction that has ended has a charge record (same id); a charge record has its transaction."""
        if record_type == TRANSACTION.name:
            tid = _id_text(document.get("id"))
            if tid is not None and document.get("endedAt") is not None:
                return [Related("Charge record", CHARGE_RECORD.name, tid)]
            return []
        if record_type == CHARGE_RECORD.name:
            tid = _id_text(document.get("transactionId"))
            return [Related("Transaction", TRANSACTION.name, tid)] if tid is not None else []
        return []

    def status_paths(self, record_type: str) -> tuple[str, ...]:
        if record_type == CHARGE_RECORD.name:
            return ("paymentStatus", "paymentMetadata.paymentStatus", "price.amount")
        return ("endedAt", "paymentStatus", "chargingDetails.consumed", "price.amount")

    def final_state(self, record_type: str, document: Any) -> str | None:
        """A transaction is final once it has ended (endedAt); a charge record once its
        payment is settled. Watching stops there."""
        if not isinstance(document, dict):
            return None
        status = document.get("paymentStatus")
        if record_type == CHARGE_RECORD.name:
            return f"payment status {status} is final" if status in SETTLED_PAYMENT_STATUSES else None
        if document.get("endedAt") is None:
            return None
        return f"the transaction has ended (endedAt {document['endedAt']}; payment status {status})"

    def raise_for_status(self, response: httpx.Response, rt: RecordType, record_id: str) -> None:
        try:
            super().raise_for_status(response, rt, record_id)
        except NotFound as exc:
            if rt.name != CHARGE_RECORD.name:
                raise
            # The usual reason: the transaction has not ended (or not been finalised) yet.
            raise NotFound(
                exc.message,
                hint=(
                    f"A charge record exists only once its transaction has ended and been billed: "
                    f"look up transaction {record_id} (--type transaction) to see whether it has. "
                    f"Else check the id and that profile {self.profile!r} is the right environment."
                ),
                status=exc.status,
            ) from None


# -- presentation of a transaction ---------------------------------------------------


def _present_transaction(p: Presenter, document: dict[str, Any]) -> tuple[list[Section], str]:
    for path in TRANSACTION_REQUIRED_OBJECTS:
        _require(p, path)
    currency = p.get("price.currency")
    ended = p.get("endedAt") is not None

    def money(v: Any) -> str | None:
        return decode.money_major(v, currency)

    status = p.value(
        "Status",
        "ended" if ended else "ongoing (meter values still arriving)",
        note="derived: endedAt is set" if ended else "derived: no endedAt yet",
        path="endedAt" if ended else "",
        flag="derived",
    )
    start = p.field("Start", "startedAt", decode.timestamp, note="UTC, with local time", required=True)
    end = (
        p.field("End", "endedAt", decode.timestamp, note="UTC, with local time")
        if ended
        else p.value("End", "— (not ended)", note="no endedAt: the transaction is still going", path="endedAt", raw=p.get("endedAt"))
    )
    energy = p.field("Energy", "chargingDetails.consumed", decode.kwh, note="kWh, as documented")
    total = p.field("Total price", "price.amount", money, note="incl. VAT, major units")
    evse = p.field("EVSE id", "evseId", required=True)

    overview = section(
        "overview",
        "Overview",
        [
            p.field("Transaction id", "id", required=True),
            status,
            start,
            end,
            _seconds_field(p, "Duration", "duration.total"),
            energy,
            total,
            p.field("Site", "location.name"),
            evse,
            _authorization(p),
        ],
    )
    charging = section("charging", "Charging", _charging_fields(p, start, end))
    payment = section("payment", "Payment", _payment_fields(p, money, currency))
    location = _location_section(p, evse)
    authorization = section("authorization", "Authorization", _auth_fields(p))
    roaming = section("roaming", "Roaming", _roaming_fields(p))

    sections = [overview, charging, payment, location, authorization, roaming]
    other = leftover_fields(document, shown_paths(sections))
    if other:
        sections.append(section("other", "Other fields", other))

    summary = " · ".join(
        x
        for x in (
            "ended" if ended else "ongoing",
            str(p.get("location.name") or ""),
            total.value if total.value not in ("—", "null") else "",
        )
        if x
    )
    return sections, summary


def _location_section(p: Presenter, evse: Field) -> Section:
    return section(
        "location",
        "Location",
        [
            *_missing_marker(p, "location", "Location"),
            p.field("Name", "location.name"),
            p.field("Address", "location.address"),
            p.field("Zip code", "location.zipCode"),
            p.field("City", "location.city"),
            p.field("Country", "location.countryCode", note="ISO 3166 alpha-2"),
            p.field("Location id", "location.id"),
            p.field("CRM id", "location.crmId"),
            p.field("CRM customer id", "location.crmCustomerId"),
            p.field("Eligible for refund", "location.isEligibleForRefund", _yes_no),
            p.field("Charge box id", "chargeBoxId", required=True),
            evse,
            *_missing_marker(p, "company", "Company"),
            p.field("Company id", "company.id"),
            p.field("Company name", "company.name"),
        ],
    )


def _charging_fields(p: Presenter, start: Field, end: Field) -> list[Field]:
    return [
        *_missing_marker(p, "chargingDetails", "Charging details"),
        p.field("Energy consumed", "chargingDetails.consumed", decode.kwh, note="kWh, as documented"),
        p.field(
            "Meter start",
            "chargingDetails.meterStart",
            _probably_wh,
            note="unit not documented: probably Wh",
            flag="inferred",
        ),
        p.field(
            "Meter stop",
            "chargingDetails.meterStop",
            _probably_wh,
            note="unit not documented: probably Wh" if p.get("chargingDetails.meterStop") is not None else "not sent yet",
            flag="inferred",
        ),
        _meter_check(p),
        p.field(
            "Highest power drawn",
            "chargingDetails.highestPowerDrawn",
            lambda v: _with_unit(v, "(probably kW)"),
            note="unit not documented: probably kW",
            flag="inferred",
        ),
        p.field("CO₂ emitted", "chargingDetails.co2Emitted", decode.number, note="unit not documented", flag="inferred"),
        p.field("Vehicle state of charge", "chargingDetails.vehicleStateOfCharge", _soc),
        start,
        end,
        *_missing_marker(p, "duration", "Duration"),
        _seconds_field(p, "Charging time", "duration.charging"),
        _seconds_field(p, "Idle time", "duration.idle"),
        _seconds_field(p, "Total time", "duration.total"),
        p.field("Last update", "updatedAt", decode.timestamp, note="meter values update the transaction", required=True),
        p.field("Priority", "isPriority", _yes_no),
    ]


def _payment_fields(
    p: Presenter, money: Callable[[Any], str | None], currency: Any, statuses: dict[str, str] = PAYMENT_STATUS
) -> list[Field]:
    rate_raw = p.get("price.vatRate")
    rate = decode.to_decimal(rate_raw)
    rate_note = ""
    if rate is not None and rate != 0:
        rate_note = f"sent as {rate_raw} (a fraction)" if 0 < rate < 1 else f"sent as {rate_raw} (percent)"
    fields = [
        *_missing_marker(p, "price", "Price"),
        p.field("Total incl. VAT", "price.amount", money, note="major units"),
        p.field("Total excl. VAT", "price.amountExVat", money, note="major units"),
        p.field("VAT rate", "price.vatRate", decode.vat_percent, note=rate_note),
        *derived(lambda: _vat_fields(p, money, currency), []),
        p.field("Price per kWh", "price.perKwh", lambda v: _per_kwh(v, currency)),
        p.field("Dynamic price", "price.isDynamic", lambda v: "yes (the price follows the market)" if v is True else "no" if v is False else None),
        p.field("Currency", "price.currency", note=f"ISO 4217, {decode.currency_exponent(currency)} decimal digits" if currency else ""),
        p.enum("Payment method", "paymentMethod", PAYMENT_METHOD, required=True),
        p.enum("Payment status", "paymentStatus", statuses, required=True),
    ]
    tariff = p.get("tariff")
    if isinstance(tariff, dict):
        fields += [
            p.field("Tariff", "tariff.name"),
            p.field("Tariff id", "tariff.id"),
            p.field("Tariff type", "tariff.type"),
        ]
    elif tariff is None:
        fields.append(
            p.value(
                "Tariff",
                "no tariff applied (e.g. a Free transaction)",
                note="tariff is null" if p.has("tariff") else "tariff not sent",
                path="tariff",
            )
        )
    else:
        fields.append(p.field("Tariff", "tariff"))
    voucher = p.get("voucher")
    if isinstance(voucher, dict):
        fields += [
            p.field("Voucher code", "voucher.code"),
            p.field("Voucher id", "voucher.id"),
            p.field("Voucher's group id", "voucher.groupId"),
        ]
    else:
        fields.append(_none_field(p, "Voucher", "voucher", "none"))
    group = p.get("voucherGroup")
    if isinstance(group, dict):
        group_currency = group.get("currency")
        fields += [
            p.field("Voucher group", "voucherGroup.name"),
            p.field("Voucher group id", "voucherGroup.id"),
            p.field("Voucher group type", "voucherGroup.type"),
            p.field("Voucher group notes", "voucherGroup.notes"),
            p.field("Voucher price per kWh", "voucherGroup.perKwh", lambda v: _per_kwh(v, group_currency)),
            p.field("Voucher currency", "voucherGroup.currency"),
        ]
    else:
        fields.append(_none_field(p, "Voucher group", "voucherGroup", "none"))
    return fields


def _vat_fields(p: Presenter, money: Callable[[Any], str | None], currency: Any) -> list[Field]:
    amount = decode.to_decimal(p.get("price.amount"))
    ex_vat = decode.to_decimal(p.get("price.amountExVat"))
    rate = decode.to_decimal(p.get("price.vatRate"))
    fields: list[Field] = []
    if amount is None or ex_vat is None:
        return fields
    fields.append(p.value("VAT amount", money(amount - ex_vat) or "", note="derived: incl. − excl. VAT", flag="derived"))
    if rate is not None:
        fraction = rate if 0 < rate < 1 else rate / 100
        expected = ex_vat * (1 + fraction)
        shown = money(expected.quantize(Decimal(1).scaleb(-decode.currency_exponent(currency)))) or ""
        tolerance = max(Decimal("0.02"), amount.copy_abs() * Decimal("0.005"))
        agrees = (expected - amount).copy_abs() <= tolerance
        verdict = "agrees" if agrees else f"does not agree with the total {money(amount)}"
        fields.append(
            p.value(
                "VAT check",
                f"{verdict}: excl. VAT × (1 + {decode.vat_percent(rate)}) = {shown}",
                note="derived: amountExVat × (1 + vatRate) ≈ amount",
                flag="derived",
            )
        )
    return fields


def _auth_fields(p: Presenter) -> list[Field]:
    tag = "auth.idTag"
    fields = [
        *_missing_marker(p, "auth", "Authorization"),
        p.field("idTag uid", f"{tag}.uid"),
        p.field("idTag type", f"{tag}.type"),
        p.field("idTag label", f"{tag}.label"),
        p.field("idTag id", f"{tag}.id"),
        p.field("Comment", f"{tag}.comment"),
        p.field("Billing reference", f"{tag}.billingReference"),
        p.field("idTag customer id", f"{tag}.customerId"),
        p.field("idTag operator id", f"{tag}.operatorId"),
        p.field("idTag company id", f"{tag}.companyId"),
        p.field("Family tree company ids", f"{tag}.familyTreeCompanyIds", _list_text),
        p.field("CRM customer id", f"{tag}.crmCustomerId"),
        p.field("Customer CRM customer id", f"{tag}.customerCrmCustomerId"),
        p.field("Company CRM customer id", f"{tag}.companyCrmCustomerId"),
    ]
    fields += _object_fields(p, f"{tag}.operator", "Operator", (("id", "id"), ("name", "name"), ("crmId", "CRM id")))
    fields += _object_fields(p, f"{tag}.company", "Company", (("id", "id"), ("name", "name")))
    customer = f"{tag}.customer"
    if isinstance(p.get(customer), dict):
        first, last = p.get(f"{customer}.firstName"), p.get(f"{customer}.lastName")
        fields += [
            p.field("Customer id", f"{customer}.id"),
            p.field("Customer first name", f"{customer}.firstName"),
            p.field("Customer last name", f"{customer}.lastName"),
        ]
        if isinstance(first, str) or isinstance(last, str):
            full = " ".join(x for x in (first, last) if isinstance(x, str) and x)
            fields.append(p.value("Customer", full, note="derived: first + last name", flag="derived"))
        fields += _object_fields(p, f"{customer}.operator", "Customer's operator", (("id", "id"), ("name", "name")))
        fields += _object_fields(p, f"{customer}.company", "Customer's company", (("id", "id"), ("name", "name")))
        fields.append(p.field("Customer's family tree company ids", f"{customer}.familyTreeCompanyIds", _list_text))
    else:
        fields.append(_none_field(p, "Customer", customer, "none"))
    fields.append(
        p.field(
            "App user id",
            "appUserId",
            note="null: the user is not registered to any app" if p.get("appUserId") is None else "",
            absent="none",
        )
    )
    return fields


def _roaming_fields(p: Presenter) -> list[Field]:
    fields = [p.field("Roaming", "isRoaming", _yes_no, required=True)]
    if isinstance(p.get("roamingDetails"), dict):
        fields += [
            p.field("Roaming type", "roamingDetails.type", note="the roaming platform, e.g. Hubject"),
            p.field("Roaming operator", "roamingDetails.roamingOperator"),
            p.field("EVCO id", "roamingDetails.roamingEvcoId", note="the driver's contract id at their eMSP"),
            p.field("Roaming idTag uid", "roamingDetails.roamingIdTagUid"),
            p.field("Session status", "roamingDetails.sessionStatus", note="as the roaming platform reports it"),
            p.field("Session payload", "roamingDetails.sessionPayload", _json_text),
        ]
    else:
        fields.append(_none_field(p, "Roaming details", "roamingDetails", "none (not a roaming transaction)"))
    return fields


def _authorization(p: Presenter) -> Field:
    tag = p.get("auth.idTag")
    if not isinstance(tag, dict):
        return p.field("Authorization", "auth.idTag")
    label, uid, kind = tag.get("label"), tag.get("uid"), tag.get("type")
    name = label or uid
    if name is None:
        return p.value("Authorization", f"({kind})" if kind else "—", path="auth.idTag.type" if kind else "", raw=kind)
    value = f"{name} ({kind})" if kind else str(name)
    note = f"uid {uid}" if label and uid else ""
    return p.value("Authorization", value, note=note, path="auth.idTag.label" if label else "auth.idTag.uid", raw=name)


def _object_fields(p: Presenter, path: str, label: str, keys: tuple[tuple[str, str], ...]) -> list[Field]:
    if not isinstance(p.get(path), dict):
        return [_none_field(p, label, path, "none")]
    return [p.field(f"{label} {words}", f"{path}.{key}") for key, words in keys]


def _none_field(p: Presenter, label: str, path: str, words: str) -> Field:
    """An optional object: its absence (or null) in words, anything else as sent."""
    if p.get(path) is None:
        return p.value(label, words, note="null" if p.has(path) else "not sent", path=path, raw=None)
    return p.field(label, path)


def _require(p: Presenter, path: str) -> None:
    """A required object: reported like Presenter.field(required=True) reports a value."""
    if not p.has(path):
        p.problem(f"missing required field {path}")


def _missing_marker(p: Presenter, path: str, label: str) -> list[Field]:
    if p.has(path):
        return []
    return [p.value(label, "(missing)", note="required by the API", path=path, flag="missing")]


def _seconds_field(p: Presenter, label: str, path: str) -> Field:
    if p.get(path) is None:
        return p.field(label, path, note=NOT_ENDED, absent="—")
    return p.field(label, path, _seconds, note="sent in seconds")


def _meter_check(p: Presenter) -> Field:
    consumed = decode.to_decimal(p.get("chargingDetails.consumed"))
    start = decode.to_decimal(p.get("chargingDetails.meterStart"))
    stop = decode.to_decimal(p.get("chargingDetails.meterStop"))
    label = "Meter check"
    note = "derived: consumed ≈ (meterStop − meterStart) / 1000"
    missing = [n for n, v in (("consumed", consumed), ("meterStart", start), ("meterStop", stop)) if v is None]
    if missing:
        return p.value(label, f"cannot check: no {' or '.join(missing)}", note=note, flag="derived")
    assert consumed is not None and start is not None and stop is not None
    from_meter = (stop - start) / 1000
    tolerance = max(Decimal("0.01"), consumed.copy_abs() * Decimal("0.01"))
    if (from_meter - consumed).copy_abs() <= tolerance:
        verdict = f"agrees: meters give {decode.kwh(from_meter)}, consumed is {decode.kwh(consumed)}"
    else:
        verdict = (
            f"does not agree: meters give {decode.kwh(from_meter)}, consumed is {decode.kwh(consumed)} "
            "(the meter unit may not be Wh)"
        )
    return p.value(label, verdict, note=note, flag="derived")


def _probably_wh(value: Any) -> str | None:
    d = decode.to_decimal(value)
    if d is None:
        return None
    return f"{decode.number(d)} (probably Wh = {decode.kwh(d / 1000)})"


def _with_unit(value: Any, unit: str) -> str | None:
    n = decode.number(value)
    return None if n is None else f"{n} {unit}"


def _per_kwh(value: Any, currency: Any) -> str | None:
    m = decode.money_major(value, currency)
    return None if m is None else f"{m}/kWh"


def _seconds(value: Any) -> str | None:
    human = decode.human_duration(value)
    if human is None:
        return None
    d = decode.to_decimal(value)
    return human if d is not None and d.copy_abs() < 60 else f"{human} ({decode.number(value)} s)"


def _yes_no(value: Any) -> str | None:
    return "yes" if value is True else "no" if value is False else None


def _list_text(value: Any) -> str | None:
    if not isinstance(value, list):
        return None
    return ", ".join(str(x) for x in value) if value else "(none)"


def _json_text(value: Any) -> str | None:
    if not isinstance(value, (dict, list)):
        return None
    return json.dumps(value, ensure_ascii=False) if value else "(empty)"


def _soc(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    if not value:
        return "none reported ({})"
    return ", ".join(f"{k}: {v}" for k, v in value.items())


# -- presentation of a charge record --------------------------------------------------

#: A card number sent in full: 12 to 19 digits, spaces or dashes between groups allowed.
_FULL_PAN = re.compile(r"(?<!\d)\d(?:[ \-]?\d){11,18}(?!\d)")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
BULLETS = "••••"


def _present_charge_record(p: Presenter, document: dict[str, Any]) -> tuple[list[Section], str]:
    for path in TRANSACTION_REQUIRED_OBJECTS:
        _require(p, path)
    currency = p.get("price.currency")

    def money(v: Any) -> str | None:
        return decode.money_major(v, currency)

    start = p.field("Start", "startedAt", decode.timestamp, note="UTC, with local time", required=True)
    end = p.field("End", "endedAt", decode.timestamp, note="UTC, with local time")
    total = p.field("Total price", "price.amount", money, note="incl. VAT, major units")
    evse = p.field("EVSE id", "evseId", required=True)
    card_number = _masked_pan_field(p)
    status = _status_in_words(p, "Payment status", "paymentStatus", required=True)

    overview = section(
        "overview",
        "Overview",
        [
            p.field("Charge record id", "id", required=True),
            _transaction_id_field(p),
            status,
            start,
            end,
            _energy_billed(p, "Energy"),
            total,
            p.field("Site", "location.name"),
            evse,
            _authorization(p),
            _card_summary(p),
            _session_id_field(p),
        ],
    )
    payment = section(
        "payment",
        "Payment",
        [
            *_payment_fields(p, money, currency, CHARGE_RECORD_PAYMENT_STATUS),
            p.field("Tariff name", "price.tariffName", note="the tariff the price was computed with"),
            *_metadata_fields(p, card_number),
            *_breakdown_check(p, money),
        ],
        [_breakdown_table(p, currency)],
    )
    card = section("card", "Card", _card_fields(p, card_number))
    charging = section(
        "charging",
        "Charging",
        [_energy_billed(p, "Energy billed"), _energy_check(p), *_charging_fields(p, start, end)],
    )
    location = _location_section(p, evse)
    authorization = section("authorization", "Authorization", _auth_fields(p))
    roaming = section("roaming", "Roaming", _roaming_fields(p))

    sections = [overview, payment, card, charging, location, authorization, roaming]
    # The breakdown is shown as a table, the card number guarded: neither again as "other".
    shown = shown_paths(sections) | {"price.breakdown", "card", "paymentMetadata.maskedPan"}
    other = _guard_pans(p, leftover_fields(document, shown))
    if other:
        sections.append(section("other", "Other fields", other))

    raw_status = p.get("paymentStatus")
    summary = " · ".join(
        x
        for x in (
            f"payment {raw_status}" if isinstance(raw_status, str) else "",
            str(p.get("location.name") or ""),
            total.value if total.value not in ("—", "null") else "",
        )
        if x
    )
    return sections, summary


def _status_in_words(p: Presenter, label: str, path: str, *, required: bool = False) -> Field:
    """The payment status as its meaning, the code first: 'failed — the payment failed; ...'."""
    f = p.enum(label, path, CHARGE_RECORD_PAYMENT_STATUS, required=required)
    meaning = CHARGE_RECORD_PAYMENT_STATUS.get(f.raw) if isinstance(f.raw, str) else None
    if meaning is None:
        return f
    return p.value(label, f"{f.raw} — {meaning}", path=path, raw=f.raw)


def _transaction_id_field(p: Presenter) -> Field:
    f = p.field("Transaction id", "transactionId")
    tid, own = _id_text(p.get("transactionId")), _id_text(p.get("id"))
    if tid is not None and own is not None and tid != own:
        return p.value(f.label, f.value, note="differs from the charge record id (usually the same number)", path=f.path, raw=f.raw)
    return f


def _session_id_field(p: Presenter) -> Field:
    raw = p.get("sessionId")
    note = "UUID of the receipt portal's session"
    if isinstance(raw, str) and not _UUID.fullmatch(raw.strip()):
        p.problem("sessionId is not a UUID (shown as sent)")
        return p.value("Receipt session id", raw, note=note + "; not a UUID as expected", path="sessionId", raw=raw, flag="invalid")
    return p.field("Receipt session id", "sessionId", note=note)


def _energy_billed(p: Presenter, label: str) -> Field:
    """A charge record's top-level `consumed` (kWh); the transaction's value when it is not sent."""
    if p.get("consumed") is None and p.get("chargingDetails.consumed") is not None:
        return p.field(label, "chargingDetails.consumed", decode.kwh, note="kWh; no top-level consumed, from chargingDetails")
    return p.field(label, "consumed", decode.kwh, note="the charge record's consumed, kWh")


def _energy_check(p: Presenter) -> Field:
    billed = decode.to_decimal(p.get("consumed"))
    metered = decode.to_decimal(p.get("chargingDetails.consumed"))
    note = "derived: consumed ≈ chargingDetails.consumed"
    if billed is None or metered is None:
        missing = " or ".join(n for n, v in (("consumed", billed), ("chargingDetails.consumed", metered)) if v is None)
        return p.value("Energy check", f"cannot check: no {missing}", note=note, flag="derived")
    if (billed - metered).copy_abs() <= Decimal("0.001"):
        return p.value("Energy check", f"agrees: {decode.kwh(billed)} billed and measured", note=note, flag="derived")
    return p.value(
        "Energy check",
        f"does not agree: {decode.kwh(billed)} billed, {decode.kwh(metered)} in the charging details",
        note=note,
        flag="derived",
    )


def _metadata_fields(p: Presenter, card_number: Field) -> list[Field]:
    meta = "paymentMetadata"
    if not isinstance(p.get(meta), dict):
        return [_none_field(p, "Payment metadata", meta, "none")]
    status = p.enum("Payment metadata status", f"{meta}.paymentStatus", CHARGE_RECORD_PAYMENT_STATUS)
    if status.flag is None and p.get("paymentStatus") is not None and status.raw not in (None, p.get("paymentStatus")):
        status = p.value(status.label, status.value, note=f"{status.note}; differs from paymentStatus {p.get('paymentStatus')!r}",
                         path=status.path, raw=status.raw)
    fields = [
        status,
        card_number,
        p.field("Merchant id", f"{meta}.merchantId"),
        p.field("Terminal id", f"{meta}.terminalId", note="the payment terminal on site" if p.get(f"{meta}.terminalId") is not None else ""),
        p.field("Paid at", f"{meta}.paidAt", decode.timestamp, note="UTC, with local time"),
    ]
    # Extras seen on some records: shown when sent.
    for key, label in (
        ("pspReference", "PSP reference"),
        ("authorizationCode", "Authorization code"),
        ("acquirer", "Acquirer"),
        ("failureCode", "Failure code"),
        ("failureMessage", "Failure message"),
        ("invoiceNumber", "Invoice number"),
    ):
        if p.has(f"{meta}.{key}"):
            fields.append(p.field(label, f"{meta}.{key}"))
    return fields


def _breakdown_lines(p: Presenter) -> list[Any] | None:
    lines = p.get("price.breakdown")
    return lines if isinstance(lines, list) else None


def _breakdown_table(p: Presenter, currency: Any) -> Table:
    columns = ("Item", "Description", "Quantity", "Unit price excl. VAT", "Excl. VAT", "Incl. VAT")
    lines = _breakdown_lines(p)
    if lines is None:
        sent = p.get("price.breakdown")
        note = "no breakdown sent" if sent is None else "price.breakdown is not a list: see Raw JSON"
        return Table("Price breakdown", columns, (), note=note)

    def cell(value: Any, decode_fn: Callable[[Any], str | None]) -> str:
        if value is None:
            return "—"
        return decode_fn(value) or (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))

    def money(v: Any) -> str | None:
        return decode.money_major(v, currency)

    rows = []
    for line in lines:
        if not isinstance(line, dict):
            rows.append(("(not an object)", cell(line, lambda v: None), "", "", "", ""))
            continue
        quantity = cell(line.get("quantity"), decode.number)
        unit = line.get("unit")
        if line.get("quantity") is not None and isinstance(unit, str) and unit:
            quantity = f"{quantity} {unit}"
        unit_price = cell(line.get("unitPrice"), money)
        if line.get("unitPrice") is not None and isinstance(unit, str) and unit and unit_price != "—":
            unit_price = f"{unit_price}/{unit}"
        rows.append(
            (
                cell(line.get("type"), lambda v: None),
                cell(line.get("description"), lambda v: None),
                quantity,
                unit_price,
                cell(line.get("amountExVat"), money),
                cell(line.get("amount"), money),
            )
        )
    return Table("Price breakdown", columns, tuple(rows), note="major units, as sent in price.breakdown")


def _breakdown_check(p: Presenter, money: Callable[[Any], str | None]) -> list[Field]:
    lines = _breakdown_lines(p)
    total = decode.to_decimal(p.get("price.amount"))
    if not lines or total is None:
        return []
    amounts = [decode.to_decimal(line.get("amount")) if isinstance(line, dict) else None for line in lines]
    note = "derived: the lines' incl. VAT amounts add up to price.amount"
    if any(a is None for a in amounts):
        return [p.value("Breakdown check", "cannot check: a line has no amount", note=note, flag="derived")]
    summed = sum(amounts, Decimal(0))  # type: ignore[arg-type]
    if (summed - total).copy_abs() <= Decimal("0.01") * len(lines):
        verdict = f"agrees: the {len(lines)} lines add up to {money(summed)}" if len(lines) > 1 else f"agrees: the line is {money(summed)}"
    else:
        verdict = f"does not agree: the lines add up to {money(summed)}, the total is {money(total)}"
    return [p.value("Breakdown check", verdict, note=note, flag="derived")]


# -- card numbers: never more than the last four digits -----------------------------------


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _last_four(value: Any) -> tuple[str, str, bool] | None:
    """(display, note, sent in full) for a card-number-like value; None when it holds no digits.

    A full number (12-19 digits, no mask) is shown as its last four and flagged;
    a masked value that also shows the first digits (BIN) is shown as its last four.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    if _FULL_PAN.search(text):
        return f"{BULLETS} {digits[-4:]}", "a full card number was sent; shown masked (the raw JSON holds it as sent)", True
    tail = re.search(r"(\d{1,4})\D*$", text)
    shown = tail.group(1) if tail else digits[-4:]
    note = "shown as its last four digits" if len(digits) > 4 else ""
    return f"{BULLETS} {shown}", note, False


def _masked_pan_field(p: Presenter) -> Field:
    path = "paymentMetadata.maskedPan"
    label = "Card number"
    raw = p.get(path)
    guarded = _last_four(raw)
    if guarded is None:
        return p.field(label, path, note="masked")
    display, note, leaked = guarded
    if leaked:
        p.problem(f"{path} holds a full card number, not a masked one (shown masked)")
        return p.value(label, display, note=note, path=path, raw=display, flag="invalid")
    return p.value(label, display, note=note or "masked", path=path, raw=display)


def _card_summary(p: Presenter) -> Field:
    card = p.get("card")
    if not isinstance(card, dict):
        method = p.get("paymentMethod")
        why = f"paid by {method}" if isinstance(method, str) else "no card sent"
        return p.value("Card", "none", note=f"{why}; card is {'null' if p.has('card') else 'not sent'}", path="card")
    brand = card.get("brand") if isinstance(card.get("brand"), str) else None
    four = _last_four(card.get("lastFour"))
    if four is None:
        four = _last_four(p.get("paymentMetadata.maskedPan"))
    parts = [x for x in (brand, four[0] if four else None) if x]
    return p.value("Card", " ".join(parts) if parts else "(no brand or digits)", note="brand and last four digits", path="card")


def _card_fields(p: Presenter, card_number: Field) -> list[Field]:
    if not isinstance(p.get("card"), dict):
        return [_none_field(p, "Card", "card", "none (not paid by card)"), card_number]
    fields = [p.field("Brand", "card.brand"), _last_four_field(p), card_number, _expiry_field(p)]
    fields += [
        p.field("Funding", "card.funding", note="credit, debit or prepaid"),
        p.field("Issuer country", "card.country", note="ISO 3166 alpha-2"),
        p.field("Wallet", "card.wallet", note="paid through a phone wallet" if p.get("card.wallet") else "", absent="none", null="none"),
    ]
    known = {"brand", "lastFour", "expiryMonth", "expiryYear", "funding", "country", "wallet"}
    extras = [
        Field(f"card.{k}", v if isinstance(v, str) else json.dumps(v, ensure_ascii=False),
              note="not described by evtui; shown as sent", path=f"card.{k}", raw=v, flag="unknown")
        for k, v in p.get("card").items()
        if k not in known
    ]
    return fields + _guard_pans(p, extras)


def _last_four_field(p: Presenter) -> Field:
    path = "card.lastFour"
    raw = p.get(path)
    guarded = _last_four(raw)
    if guarded is None:
        return p.field("Last four", path)
    display, note, leaked = guarded
    digits = display.removeprefix(BULLETS).strip()
    if leaked:
        p.problem(f"{path} holds a full card number (shown masked)")
        return p.value("Last four", digits, note=note, path=path, raw=digits, flag="invalid")
    if isinstance(raw, int) and len(digits) < 4:
        return p.value("Last four", digits.zfill(4), note="sent as a number; leading zeros restored", path=path, raw=raw)
    return p.value("Last four", digits, note=note, path=path, raw=digits)


def _expiry_field(p: Presenter) -> Field:
    month, year = decode.to_decimal(p.get("card.expiryMonth")), decode.to_decimal(p.get("card.expiryYear"))
    if month is None or year is None or not (1 <= month <= 12) or month != month.to_integral_value():
        if p.get("card.expiryMonth") is None and p.get("card.expiryYear") is None:
            return p.field("Expiry", "card.expiryMonth")
        sent = f"{p.get('card.expiryMonth')}/{p.get('card.expiryYear')}"
        return p.value("Expiry", sent, note="not a month and a year, shown as sent", path="card.expiryMonth", flag="invalid")
    y = int(year) + (2000 if year < 100 else 0)
    text = f"{int(month):02d}/{y}"
    note = "month/year"
    when = decode.parse_timestamp(p.get("paymentMetadata.paidAt")) or decode.parse_timestamp(p.get("endedAt"))
    if when is not None and (when.year, when.month) > (y, int(month)):
        note = "expired before the payment"
        return p.value("Expiry", text, note=note, path="card.expiryMonth", raw=p.get("card.expiryMonth"), flag="derived")
    return p.value("Expiry", text, note=note, path="card.expiryMonth", raw=p.get("card.expiryMonth"))


def _guard_pans(p: Presenter, fields: list[Field]) -> list[Field]:
    """Fields not described by evtui under card / paymentMetadata: a full card number in them is masked."""
    out = []
    for f in fields:
        if f.path.startswith(("card.", "paymentMetadata.")) and isinstance(f.raw, (str, int)) and not isinstance(f.raw, bool):
            m = _FULL_PAN.search(str(f.raw))
            if m and _luhn(re.sub(r"\D", "", m.group(0))):
                guarded = _last_four(f.raw)
                assert guarded is not None
                p.problem(f"{f.path} holds a full card number (shown masked)")
                f = Field(f.label, guarded[0], note=guarded[1], path=f.path, raw=guarded[0], flag="invalid")
        out.append(f)
    return out


def _id_text(value: Any) -> str | None:
    """A numeric id as the path wants it, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return str(value)
    if isinstance(value, str) and _DIGITS.fullmatch(value) and value.strip("0"):
        return value
    return None


# -- record types -------------------------------------------------------------------

_KINDS: dict[str, _Kind] = {
    TRANSACTION.name: _Kind(("v2", "transactions"), SpiriiTransaction, _present_transaction),
    CHARGE_RECORD.name: _Kind(("v2", "charge-records"), SpiriiChargeRecord, _present_charge_record),
}


def _kind(record_type: str) -> _Kind:
    return _KINDS[record_type]
