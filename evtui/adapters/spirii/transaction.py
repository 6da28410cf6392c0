"""A Spirii transaction as sections; the fields a charge record shares with it."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from evtui.adapters.api import Field, Presenter, Section, decode, derived, major_money, section, sent_value, summary, with_others, yes_no
from evtui.adapters.spirii.checks import energy_agrees, meter_energy, spirii_checks
from evtui.adapters.spirii.words import PAYMENT_METHOD, PAYMENT_STATUS, TRANSACTION_REQUIRED_OBJECTS

NOT_ENDED = "only filled when the transaction ends"


def present(document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
    p = Presenter(document, problems)
    for path in TRANSACTION_REQUIRED_OBJECTS:
        require(p, path)
    currency = p.get("price.currency")
    ended = p.get("endedAt") is not None

    money = major_money(currency)
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
            authorization_field(p),
        ],
    )
    charging = section("charging", "Charging", charging_fields(p, start, end))
    payment = section("payment", "Payment", payment_fields(p, money, currency))
    location = location_section(p, evse)
    authorization = section("authorization", "Authorization", auth_fields(p))
    roaming = section("roaming", "Roaming", roaming_fields(p))

    sections = with_others([overview, charging, payment, location, authorization, roaming, spirii_checks(p, charge_record=False)], document)
    return sections, summary("ended" if ended else "ongoing", p.get("location.name"), sent_value(total))


def location_section(p: Presenter, evse: Field) -> Section:
    return section(
        "location",
        "Location",
        [
            *missing_marker(p, "location", "Location"),
            p.field("Name", "location.name"),
            p.field("Address", "location.address"),
            p.field("Zip code", "location.zipCode"),
            p.field("City", "location.city"),
            p.field("Country", "location.countryCode", note="ISO 3166 alpha-2"),
            p.field("Location id", "location.id"),
            p.field("CRM id", "location.crmId"),
            p.field("CRM customer id", "location.crmCustomerId"),
            p.field("Eligible for refund", "location.isEligibleForRefund", yes_no),
            p.field("Charge box id", "chargeBoxId", required=True),
            evse,
            *missing_marker(p, "company", "Company"),
            p.field("Company id", "company.id"),
            p.field("Company name", "company.name"),
        ],
    )


def charging_fields(p: Presenter, start: Field, end: Field) -> list[Field]:
    return [
        *missing_marker(p, "chargingDetails", "Charging details"),
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
        *missing_marker(p, "duration", "Duration"),
        _seconds_field(p, "Charging time", "duration.charging"),
        _seconds_field(p, "Idle time", "duration.idle"),
        _seconds_field(p, "Total time", "duration.total"),
        p.field("Last update", "updatedAt", decode.timestamp, note="meter values update the transaction", required=True),
        p.field("Priority", "isPriority", yes_no),
    ]


def payment_fields(
    p: Presenter, money: Callable[[Any], str | None], currency: Any, statuses: dict[str, str] = PAYMENT_STATUS
) -> list[Field]:
    rate_raw = p.get("price.vatRate")
    rate = decode.to_decimal(rate_raw)
    rate_note = ""
    if rate is not None and rate != 0:
        rate_note = f"sent as {rate_raw} (a fraction)" if 0 < rate < 1 else f"sent as {rate_raw} (percent)"
    fields = [
        *missing_marker(p, "price", "Price"),
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
        fields.append(none_field(p, "Voucher", "voucher", "none"))
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
        fields.append(none_field(p, "Voucher group", "voucherGroup", "none"))
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


def auth_fields(p: Presenter) -> list[Field]:
    tag = "auth.idTag"
    fields = [
        *missing_marker(p, "auth", "Authorization"),
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
        fields.append(none_field(p, "Customer", customer, "none"))
    fields.append(
        p.field(
            "App user id",
            "appUserId",
            note="null: the user is not registered to any app" if p.get("appUserId") is None else "",
            absent="none",
        )
    )
    return fields


def roaming_fields(p: Presenter) -> list[Field]:
    fields = [p.field("Roaming", "isRoaming", yes_no, required=True)]
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
        fields.append(none_field(p, "Roaming details", "roamingDetails", "none (not a roaming transaction)"))
    return fields


def authorization_field(p: Presenter) -> Field:
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
        return [none_field(p, label, path, "none")]
    return [p.field(f"{label} {words}", f"{path}.{key}") for key, words in keys]


def none_field(p: Presenter, label: str, path: str, words: str) -> Field:
    """An optional object: its absence (or null) in words, anything else as sent."""
    if p.get(path) is None:
        return p.value(label, words, note="null" if p.has(path) else "not sent", path=path, raw=None)
    return p.field(label, path)


def require(p: Presenter, path: str) -> None:
    """A required object: reported like Presenter.field(required=True) reports a value."""
    if not p.has(path):
        p.problem(f"missing required field {path}")


def missing_marker(p: Presenter, path: str, label: str) -> list[Field]:
    if p.has(path):
        return []
    return [p.value(label, "(missing)", note="required by the API", path=path, flag="missing")]


def _seconds_field(p: Presenter, label: str, path: str) -> Field:
    if p.get(path) is None:
        return p.field(label, path, note=NOT_ENDED, absent="—")
    return p.field(label, path, _seconds, note="sent in seconds")


def _meter_check(p: Presenter) -> Field:
    label = "Meter check"
    note = "derived: consumed ≈ (meterStop − meterStart) / 1000"
    both = meter_energy(p)
    if both is None:
        names = (("consumed", "chargingDetails.consumed"), ("meterStart", "chargingDetails.meterStart"), ("meterStop", "chargingDetails.meterStop"))
        missing = [n for n, path in names if decode.to_decimal(p.get(path)) is None]
        return p.value(label, f"cannot check: no {' or '.join(missing)}", note=note, flag="derived")
    consumed, from_meter = both
    if energy_agrees(consumed, from_meter):
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
