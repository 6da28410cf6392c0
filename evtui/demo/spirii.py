"""Demo Spirii API: GET /v2/transactions/{id} and GET /v2/charge-records/{id} with a
bearer API key, as documented. A charge record exists for every ended transaction
(same id); an ongoing transaction's charge record answers 404 (not finalised yet)."""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from typing import Any

from evtui.demo.faults import FaultState, fault_name, fault_response
from evtui.demo.http import DemoRequest, DemoResponse
from evtui.demo.provider import DemoHost


API_KEY = "demo-spirii-api-key"
RATE_LIMIT = 600  # reads per minute, as documented


def _id_tag(
    uid: str,
    tag_id: int,
    tag_type: str,
    label: str | None,
    *,
    operator: dict[str, Any],
    company: dict[str, Any],
    customer: dict[str, Any] | None = None,
    comment: str | None = None,
    billing_reference: str | None = None,
) -> dict[str, Any]:
    return {
        "uid": uid,
        "id": tag_id,
        "type": tag_type,
        "label": label,
        "customerId": customer["id"] if customer else None,
        "operatorId": operator["id"],
        "companyId": company["id"],
        "familyTreeCompanyIds": [str(company["id"]), str(operator["id"])],
        "crmCustomerId": 500000 + tag_id % 1000,
        "comment": comment,
        "billingReference": billing_reference,
        "customerCrmCustomerId": 700000 + customer["id"] % 1000 if customer else None,
        "companyCrmCustomerId": 800000 + company["id"] % 1000,
        "operator": operator,
        "company": company,
        "customer": customer,
    }


def _customer(cid: int, first: str, last: str, operator: dict[str, Any], company: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": cid,
        "firstName": first,
        "lastName": last,
        "operator": {"id": operator["id"], "name": operator["name"]},
        "company": company,
        "familyTreeCompanyIds": [str(company["id"])],
    }


def _location(lid: int, name: str, address: str, zip_code: str, city: str, country: str, *, refund: bool = True) -> dict[str, Any]:
    return {
        "id": lid,
        "name": name,
        "address": address,
        "zipCode": zip_code,
        "city": city,
        "crmId": 90000 + lid % 1000,
        "crmCustomerId": 91000 + lid % 1000,
        "isEligibleForRefund": refund,
        "countryCode": country,
    }


def _price(amount_ex_vat: float, vat_rate: float, currency: str, per_kwh: float, *, dynamic: bool = False) -> dict[str, Any]:
    """amount = amountExVat × (1 + VAT), whichever scale the rate is sent in."""
    fraction = vat_rate if vat_rate < 1 else vat_rate / 100
    return {
        "amount": round(amount_ex_vat * (1 + fraction), 2),
        "amountExVat": amount_ex_vat,
        "currency": currency,
        "vatRate": vat_rate,
        "isDynamic": dynamic,
        "perKwh": per_kwh,
    }


def _transaction(
    tid: int,
    *,
    started: str,
    ended: str | None,
    updated: str,
    charging: int | None,
    idle: int | None,
    meter_start: int,
    meter_stop: int | None,
    consumed: float,
    power: float,
    co2: float,
    location: dict[str, Any],
    charge_box: int,
    evse: str,
    company: dict[str, Any],
    id_tag: dict[str, Any],
    price: dict[str, Any],
    method: str,
    status: str,
    roaming: dict[str, Any] | None = None,
    tariff: dict[str, Any] | None = None,
    voucher: dict[str, Any] | None = None,
    voucher_group: dict[str, Any] | None = None,
    app_user: int | None = None,
    soc: dict[str, Any] | None = None,
    priority: bool = False,
) -> dict[str, Any]:
    total = None if charging is None or idle is None else charging + idle
    doc: dict[str, Any] = {
        "auth": {"idTag": id_tag},
        "chargeBoxId": charge_box,
        "chargingDetails": {
            "consumed": consumed,
            "meterStart": meter_start,
            "meterStop": meter_stop,
            "co2Emitted": co2,
            "highestPowerDrawn": power,
            "vehicleStateOfCharge": soc if soc is not None else {},
        },
        "company": company,
        "duration": {"charging": charging, "idle": idle, "total": total},
        "evseId": evse,
        "id": tid,
        "isRoaming": roaming is not None,
        "location": location,
        "paymentMethod": method,
        "paymentStatus": status,
        "price": price,
        "startedAt": started,
        "updatedAt": updated,
        "isPriority": priority,
        "appUserId": app_user,
    }
    if ended is not None:
        doc["endedAt"] = ended
    doc["roamingDetails"] = roaming
    doc["tariff"] = tariff
    doc["voucher"] = voucher
    doc["voucherGroup"] = voucher_group
    return doc


SPIRII = {"id": 123456, "name": "Spirii"}
SPIRII_FR = {"id": 123457, "name": "Spirii France"}
SPIRII_OP = {"id": 10, "name": "Spirii Operations", "crmId": 1010}
HUBJECT_OP = {"id": 77, "name": "Hubject roaming", "crmId": 1077}
FLEET = {"id": 240017, "name": "Nordic Fleet ApS"}
HOUSING = {"id": 240210, "name": "Boligforeningen Amager"}
TAXI = {"id": 240388, "name": "Stockholm Taxi AB"}

PARIS = _location(654321, "Boulevard Garibaldi", "14-16 Boulevard Garibaldi", "75015", "Paris", "FR")
CPH = _location(654410, "Amager Strandvej P-hus", "Amager Strandvej 130", "2300", "København S", "DK")
AARHUS = _location(654477, "Aarhus Ø Havnegade", "Havnegade 6", "8000", "Aarhus C", "DK")
STHLM = _location(654590, "Hornsgatan Laddgata", "Hornsgatan 62", "118 21", "Stockholm", "SE", refund=False)
BERLIN = _location(654702, "Friedrichstraße Quartier", "Friedrichstraße 68", "10117", "Berlin", "DE")

STANDARD = {"id": "79804bf6-0d6d-4e74-ae00-16c7238c4e77", "name": "Spirii Tariff", "type": "standard"}

TRANSACTIONS: dict[str, dict[str, Any]] = {
    str(t["id"]): t
    for t in [
        # The seed page's example: a finished roaming session at Boulevard Garibaldi,
        # 201 kWh at 0.50 EUR/kWh incl. 19.6 % VAT (sent as a percent).
        _transaction(
            12345678,
            started="2023-11-07T05:31:56Z",
            ended="2023-11-07T07:13:56Z",
            updated="2023-11-07T07:14:02Z",
            charging=5520,
            idle=600,
            meter_start=5123400,
            meter_stop=5324400,
            consumed=201.0,
            power=149.6,
            co2=8.04,
            location=PARIS,
            charge_box=4711,
            evse="FR.SPI.Z000001*1",
            company=SPIRII_FR,
            id_tag=_id_tag("04A2B3C4D5E680", 31337, "RFID", None, operator=HUBJECT_OP, company=SPIRII_FR),
            price=_price(84.03, 19.6, "EUR", 0.5),
            method="RoamingOperator",
            status="succeeded",
            roaming={
                "roamingOperator": "DE*8PS",
                "roamingEvcoId": "DE-8PS-C12345678-X",
                "roamingIdTagUid": "04A2B3C4D5E680",
                "sessionStatus": "COMPLETED",
                "type": "Hubject",
                "sessionPayload": {"SessionID": "b2688855-7f00-0002-6d8e-48d5d6a2e6b2", "CPOPartnerSessionID": "12345678"},
            },
            tariff={"id": "1d0f5c38-9e2a-4e55-a0b6-5d6a4b3c2f10", "name": "Roaming FR", "type": "roaming"},
            soc={"start": 18, "end": 81},
        ),
        # Free charging for residents: tariff null, VAT sent as a fraction, no app user.
        _transaction(
            20240117,
            started="2024-01-17T18:02:11Z",
            ended="2024-01-17T21:40:05Z",
            updated="2024-01-17T21:40:09Z",
            charging=10440,
            idle=2634,
            meter_start=880210,
            meter_stop=912650,
            consumed=32.44,
            power=11.0,
            co2=4.22,
            location=CPH,
            charge_box=5120,
            evse="DK*SPI*E5120*2",
            company=HOUSING,
            id_tag=_id_tag("E3F1A9C2", 48210, "RFID", "Beboer 112", operator=SPIRII_OP, company=HOUSING),
            price=_price(0, 0.25, "DKK", 0),
            method="Free",
            status="n/a",
            app_user=None,
        ),
        # Still charging: no endedAt, durations null, meterStop not sent yet.
        _transaction(
            31000542,
            started="2026-11-22T07:41:30Z",
            ended=None,
            updated="2026-11-22T08:05:42Z",
            charging=None,
            idle=None,
            meter_start=2210480,
            meter_stop=None,
            consumed=14.31,
            power=43.2,
            co2=1.15,
            location=STHLM,
            charge_box=6034,
            evse="SE*SPI*E6034*1",
            company=TAXI,
            id_tag=_id_tag(
                "app-7c1e9d", 55102, "APP", "Taxi 4411", operator=SPIRII_OP, company=TAXI,
                customer=_customer(88123, "Linnea", "Berg", SPIRII_OP, TAXI),
            ),
            price=_price(42.93, 0.25, "SEK", 3.75, dynamic=True),
            method="Stripe",
            status="pending",
            tariff={"id": "3b5f6e7a-1c2d-4e8f-9a0b-1c2d3e4f5a6b", "name": "Spot + 0.95 SEK", "type": "dynamic"},
            app_user=240881,
            soc={"current": 46},
        ),
        # MobilePay at the voucher price (18 kWh × 3.00 DKK), VAT as a percent.
        _transaction(
            41999003,
            started="2026-11-20T16:10:00Z",
            ended="2026-11-20T17:02:45Z",
            updated="2026-11-20T17:02:51Z",
            charging=2895,
            idle=270,
            meter_start=402112,
            meter_stop=420112,
            consumed=18.0,
            power=22.0,
            co2=2.34,
            location=AARHUS,
            charge_box=7001,
            evse="DK*SPI*E7001*1",
            company=SPIRII,
            id_tag=_id_tag("mp-2a9f31", 60117, "MOBILEPAY", None, operator=SPIRII_OP, company=SPIRII),
            price=_price(43.2, 25, "DKK", 3.0),
            method="MobilePay",
            status="mobilepay",
            tariff=STANDARD,
            voucher={"id": 9001, "groupId": 900, "code": "AARHUS-25"},
            voucher_group={"id": 900, "type": "discount", "name": "Aarhus Ø launch", "notes": "3.00 DKK/kWh instead of 3.75 until 2026-12-31", "perKwh": 3.0, "currency": "DKK"},
            app_user=240117,
        ),
        # A company car on invoice in Berlin (19 %, priority charging).
        _transaction(
            52000118,
            started="2026-11-21T06:55:12Z",
            ended="2026-11-21T08:20:40Z",
            updated="2026-11-21T08:21:00Z",
            charging=4890,
            idle=238,
            meter_start=1093300,
            meter_stop=1122750,
            consumed=29.45,
            power=21.7,
            co2=11.2,
            location=BERLIN,
            charge_box=8200,
            evse="DE*SPI*E8200*1",
            company=FLEET,
            id_tag=_id_tag(
                "0491FF22AB7C80", 70210, "RFID", "Fleet card 042", operator=SPIRII_OP, company=FLEET,
                customer=_customer(88410, "Jonas", "Weber", SPIRII_OP, FLEET),
                comment="Pool car B-NF 4242", billing_reference="PO-2026-0193",
            ),
            price=_price(14.72, 19, "EUR", 0.595),
            method="Invoice",
            status="paid",
            tariff={"id": "5e2c9d10-7b41-4c3e-9f1a-2b3c4d5e6f70", "name": "Fleet Business", "type": "business"},
            app_user=240502,
            priority=True,
        ),
        # Paid at the terminal in Copenhagen, canceled by the acquirer.
        _transaction(
            52000119,
            started="2026-11-21T12:00:00Z",
            ended="2026-11-21T12:31:15Z",
            updated="2026-11-21T12:31:20Z",
            charging=1800,
            idle=75,
            meter_start=912650,
            meter_stop=937650,
            consumed=25.0,
            power=50.0,
            co2=3.25,
            location=CPH,
            charge_box=5121,
            evse="DK*SPI*E5121*1",
            company=SPIRII,
            id_tag=_id_tag("term-88a0", 61001, "PAYMENT_TERMINAL", None, operator=SPIRII_OP, company=SPIRII),
            price=_price(115.0, 25, "DKK", 5.75),
            method="PaymentTerminal",
            status="canceled",
            tariff=STANDARD,
        ),
        # Paid by debit card at the terminal; the car stayed 20 minutes after charging:
        # its charge record itemises energy, an idle fee and a session fee.
        _transaction(
            52000120,
            started="2026-11-21T14:00:00Z",
            ended="2026-11-21T15:20:00Z",
            updated="2026-11-21T15:20:06Z",
            charging=3600,
            idle=1200,
            meter_start=937650,
            meter_stop=977650,
            consumed=40.0,
            power=50.0,
            co2=5.2,
            location=CPH,
            charge_box=5121,
            evse="DK*SPI*E5121*1",
            company=SPIRII,
            id_tag=_id_tag("term-88a0", 61001, "PAYMENT_TERMINAL", None, operator=SPIRII_OP, company=SPIRII),
            price=_price(165.0, 25, "DKK", 4.375),
            method="PaymentTerminal",
            status="succeeded",
            tariff=STANDARD,
        ),
        # A saved card charged after the session: it had expired, the payment failed.
        # The transaction still says pending; its charge record says failed.
        _transaction(
            52000121,
            started="2026-11-22T05:10:00Z",
            ended="2026-11-22T06:02:30Z",
            updated="2026-11-22T06:02:36Z",
            charging=2700,
            idle=450,
            meter_start=1500300,
            meter_stop=1531500,
            consumed=31.2,
            power=43.0,
            co2=2.5,
            location=STHLM,
            charge_box=6035,
            evse="SE*SPI*E6035*1",
            company=TAXI,
            id_tag=_id_tag(
                "app-31f0aa", 55140, "APP", "Taxi 4502", operator=SPIRII_OP, company=TAXI,
                customer=_customer(88177, "Oskar", "Lind", SPIRII_OP, TAXI),
            ),
            price=_price(93.6, 0.25, "SEK", 3.75),
            method="Stripe",
            status="pending",
            tariff=STANDARD,
            app_user=240907,
        ),
    ]
}

# For tests: a value and a field the documentation does not know, and meters that
# disagree with `consumed`; and a record without some required fields.
ODD_TRANSACTIONS: dict[str, dict[str, Any]] = {}
_odd = json.loads(json.dumps(TRANSACTIONS["52000119"]))
_odd.update(id=77000001, paymentMethod="ApplePay", carbonOffset={"provider": "Klimate", "kg": 1.2})
_odd["location"]["floor"] = "-2"
_odd["chargingDetails"]["meterStop"] = 962650
ODD_TRANSACTIONS["77000001"] = _odd
_incomplete = json.loads(json.dumps(TRANSACTIONS["41999003"]))
_incomplete["id"] = 77000002
for _key in ("chargeBoxId", "company", "paymentStatus", "updatedAt", "duration"):
    del _incomplete[_key]
ODD_TRANSACTIONS["77000002"] = _incomplete

# Sent exactly as these bytes (compact, `24.90` with its trailing zero) so the
# raw view can be checked against them.
RAW_TRANSACTIONS: dict[str, bytes] = {
    "63000077": (
        b'{"auth":{"idTag":{"uid":"pi-4c0ffee","id":62002,"type":"APP","label":"Camille\\u2019s app",'
        b'"customerId":null,"operatorId":10,"companyId":123457,"familyTreeCompanyIds":["123457"],'
        b'"crmCustomerId":null,"comment":null,"billingReference":null,"customerCrmCustomerId":null,'
        b'"companyCrmCustomerId":null,"operator":{"id":10,"name":"Spirii Operations","crmId":1010},'
        b'"company":{"id":123457,"name":"Spirii France"},"customer":null}},"chargeBoxId":4712,'
        b'"chargingDetails":{"consumed":41.5,"meterStart":7000000,"meterStop":7041500,"co2Emitted":2.49,'
        b'"highestPowerDrawn":74.8,"vehicleStateOfCharge":{}},"company":{"id":123457,"name":"Spirii France"},'
        b'"duration":{"charging":2460,"idle":0,"total":2460},"evseId":"FR.SPI.Z000001*2","id":63000077,'
        b'"isRoaming":false,"location":{"id":654321,"name":"Boulevard Garibaldi","address":"14-16 Boulevard Garibaldi",'
        b'"zipCode":"75015","city":"Paris","crmId":90321,"crmCustomerId":91321,"isEligibleForRefund":true,'
        b'"countryCode":"FR"},"paymentMethod":"Stripe","paymentStatus":"succeeded","price":{"amount":24.90,'
        b'"amountExVat":20.82,"currency":"EUR","vatRate":19.6,"isDynamic":false,"perKwh":0.60},'
        b'"startedAt":"2026-11-19T13:05:09.482Z","updatedAt":"2026-11-19T13:46:15.020Z","isPriority":false,'
        b'"appUserId":240330,"endedAt":"2026-11-19T13:46:09.482Z","roamingDetails":null,'
        b'"tariff":{"id":"79804bf6-0d6d-4e74-ae00-16c7238c4e77","name":"Spirii Tariff","type":"standard"},'
        b'"voucher":null,"voucherGroup":null}'
    ),
}


# -- charge records: the finalised billing record of each ended transaction ----------------


def _line(kind: str, description: str, quantity: float, unit: str, unit_price: float, vat: float) -> dict[str, Any]:
    """One breakdown line; unitPrice and amountExVat excl. VAT, amount incl. VAT (major units)."""
    ex_vat = round(quantity * unit_price, 2)
    fraction = vat if vat < 1 else vat / 100
    return {
        "type": kind,
        "description": description,
        "quantity": quantity,
        "unit": unit,
        "unitPrice": unit_price,
        "amountExVat": ex_vat,
        "amount": round(ex_vat * (1 + fraction), 2),
    }


def _energy_only(t: dict[str, Any]) -> list[dict[str, Any]]:
    """The usual breakdown: one energy line carrying the whole price."""
    price, kwh = t["price"], t["chargingDetails"]["consumed"]
    unit_price = round(price["amountExVat"] / kwh, 4) if kwh else 0
    line = _line("energy", "Energy", kwh, "kWh", unit_price, price["vatRate"])
    line.update(amountExVat=price["amountExVat"], amount=price["amount"])  # the line is the total, to the cent
    return [line]


def _metadata(
    status: str,
    *,
    paid_at: str | None = None,
    masked_pan: str | None = None,
    merchant: str | None = None,
    terminal: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "paymentStatus": status,
        "maskedPan": masked_pan,
        "merchantId": merchant,
        "terminalId": terminal,
        "paidAt": paid_at,
        **extra,
    }


def _card(brand: str, last_four: str, month: int, year: int, funding: str, country: str, wallet: str | None = None) -> dict[str, Any]:
    return {
        "brand": brand,
        "lastFour": last_four,
        "expiryMonth": month,
        "expiryYear": year,
        "funding": funding,
        "country": country,
        "wallet": wallet,
    }


TERMINAL_MERCHANT = "000000123456789"

#: What each ended transaction's charge record adds; transactions not named here get defaults.
_BILLING: dict[str, dict[str, Any]] = {
    "12345678": {
        "finalised": "2023-11-07T07:15:40Z",
        "tariff_name": "Roaming FR",
        "metadata": _metadata("succeeded", paid_at="2023-11-07T07:15:40Z"),
    },
    "20240117": {"finalised": "2024-01-17T21:41:00Z", "tariff_name": None, "metadata": _metadata("n/a")},
    "41999003": {
        "finalised": "2026-11-20T17:03:30Z",
        "tariff_name": "Spirii Tariff (voucher AARHUS-25)",
        "metadata": _metadata("mobilepay", paid_at="2026-11-20T17:03:29Z", merchant="MP-SPIRII-DK-0042", pspReference="mp_7f3a29c1"),
    },
    "52000118": {
        "finalised": "2026-11-21T08:25:00Z",
        "tariff_name": "Fleet Business",
        "metadata": _metadata("paid", paid_at="2026-12-05T09:00:00Z", invoiceNumber="INV-2026-11-0193"),
    },
    "52000119": {
        "finalised": "2026-11-21T12:32:00Z",
        "tariff_name": "Spirii Tariff",
        "card": _card("Mastercard", "0019", 8, 2027, "credit", "DK"),
        "metadata": _metadata(
            "canceled",
            masked_pan="541333******0019",
            merchant=TERMINAL_MERCHANT,
            terminal="TID-5121-A",
            acquirer="Nets",
            failureCode="canceled_by_acquirer",
            failureMessage="The acquirer canceled the reservation",
        ),
    },
    "52000120": {
        "finalised": "2026-11-21T15:20:31Z",
        "tariff_name": "Spirii Tariff",
        "card": _card("Mastercard", "5454", 3, 2027, "debit", "DK"),
        "metadata": _metadata(
            "succeeded",
            paid_at="2026-11-21T15:20:31Z",
            masked_pan="545454******5454",
            merchant=TERMINAL_MERCHANT,
            terminal="TID-5121-A",
            authorizationCode="A1B2C3",
            acquirer="Nets",
        ),
        # 40 kWh × 3.50 + 10 idle minutes past the grace period × 2.00 + 5.00 per session, excl. 25 % VAT.
        "breakdown": [
            _line("energy", "Energy", 40.0, "kWh", 3.5, 25),
            _line("idle_fee", "Idle fee after 10 min grace", 10, "min", 2.0, 25),
            _line("session_fee", "Session fee", 1, "session", 5.0, 25),
        ],
    },
    "52000121": {
        "finalised": "2026-11-22T06:03:05Z",
        "tariff_name": "Spirii Tariff",
        "card": _card("Visa", "0341", 10, 2026, "debit", "SE"),
        "metadata": _metadata(
            "failed",
            masked_pan="************0341",
            merchant="acct_1SpiriiSE",
            pspReference="pi_3QfAiL2eZvKYlo2C0x7h1k9d",
            failureCode="expired_card",
            failureMessage="Your card has expired.",
        ),
    },
    "63000077": {
        "finalised": "2026-11-19T13:46:20Z",
        "tariff_name": "Spirii Tariff",
        "card": _card("Visa", "4242", 9, 2028, "credit", "FR", wallet="apple_pay"),
        "metadata": _metadata(
            "succeeded",
            paid_at="2026-11-19T13:46:20Z",
            masked_pan="************4242",
            merchant="acct_1SpiriiFR",
            pspReference="pi_3QeZ9r2eZvKYlo2C1a2b3c4d",
        ),
    },
}


def _charge_record(t: dict[str, Any]) -> dict[str, Any]:
    """An ended transaction's charge record: its fields, the billing extras, consistent numbers."""
    t = json.loads(json.dumps(t))
    tid = str(t["id"])
    billing = _BILLING.get(tid, {})
    status = billing.get("metadata", {}).get("paymentStatus", t.get("paymentStatus", "unknown"))
    doc: dict[str, Any] = {
        "id": t["id"],
        "transactionId": t["id"],
        "sessionId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://sandbox.api.spirii.com/demo/charge-records/{tid}")),
    }
    doc.update((k, v) for k, v in t.items() if k != "id")
    doc["paymentStatus"] = status
    if "updatedAt" in t:
        doc["updatedAt"] = billing.get("finalised", t["updatedAt"])
    doc["consumed"] = (t.get("chargingDetails") or {}).get("consumed")
    if isinstance(doc.get("price"), dict):
        doc["price"]["tariffName"] = billing.get("tariff_name", (t.get("tariff") or {}).get("name"))
        doc["price"]["breakdown"] = billing.get("breakdown") or _energy_only(t)
    doc["card"] = billing.get("card")
    doc["paymentMetadata"] = billing.get("metadata") or _metadata(status)
    return doc


def _ended(t: dict[str, Any]) -> bool:
    return t.get("endedAt") is not None


CHARGE_RECORDS: dict[str, dict[str, Any]] = {
    tid: _charge_record(t)
    for tid, t in {**TRANSACTIONS, **{k: json.loads(v) for k, v in RAW_TRANSACTIONS.items()}}.items()
    if _ended(t)
}

# For tests: a provider that sends a full card number where a masked one belongs
# (and in a field evtui does not know), and a status it does not document.
ODD_CHARGE_RECORDS: dict[str, dict[str, Any]] = {
    tid: _charge_record(t) for tid, t in ODD_TRANSACTIONS.items() if _ended(t)
}
_leaky = json.loads(json.dumps(CHARGE_RECORDS["52000120"]))
_leaky.update(id=77000011, transactionId=77000011, paymentStatus="refunded")
_leaky["paymentMetadata"].update(paymentStatus="refunded", maskedPan="5454 5454 5454 5454")
_leaky["card"]["cardNumber"] = "5454545454545454"
ODD_CHARGE_RECORDS["77000011"] = _leaky


class SpiriiDemo:
    prefix = "spirii"
    examples: tuple[str, ...] = ("12345678", "20240117", "31000542", "41999003", "52000118")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._window = (0, 0)  # (minute, requests in it) for the rate-limit headers
        self.transactions: dict[str, dict[str, Any] | bytes] = {**TRANSACTIONS, **ODD_TRANSACTIONS, **RAW_TRANSACTIONS}
        self.charge_records: dict[str, dict[str, Any] | bytes] = {**CHARGE_RECORDS, **ODD_CHARGE_RECORDS}
        self.faults = FaultState()

    def profile(self, base_url: str) -> dict[str, Any]:
        return {"adapter": "spirii", "environment": "demo", "base_url": base_url, "api_key": API_KEY}

    def handle(self, request: DemoRequest, server: DemoHost) -> DemoResponse:
        segments = request.segments
        if request.method == "GET" and len(segments) == 3 and segments[:2] == ["v2", "transactions"]:
            return self._get(request, server, "transaction", segments[2])
        if request.method == "GET" and len(segments) == 3 and segments[:2] == ["v2", "charge-records"]:
            return self._get(request, server, "charge-record", segments[2])
        path = "/" + "/".join(segments)
        return DemoResponse.json(
            {"statusCode": 404, "message": f"Cannot {request.method} {path}", "error": "Not Found"}, 404
        )

    def _rate_headers(self) -> dict[str, str]:
        now = time.time()
        minute = int(now // 60)
        with self._lock:
            used = self._window[1] + 1 if self._window[0] == minute else 1
            self._window = (minute, used)
        return {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(max(0, RATE_LIMIT - used)),
            "X-RateLimit-Reset": str((minute + 1) * 60),
        }

    def _get(self, request: DemoRequest, server: DemoHost, kind: str, tid: str) -> DemoResponse:
        """One record of `kind` ("transaction" or "charge-record"), as the documented API answers."""
        server.count(f"spirii.{kind}")
        headers = self._rate_headers()
        if request.bearer != API_KEY:
            return DemoResponse.json(
                {"statusCode": 401, "message": "Unauthorized", "error": "Unauthorized"}, 401, headers
            )
        if not tid.isascii() or not tid.isdigit():
            return DemoResponse.json(
                {"statusCode": 400, "message": ["id must be a number string"], "error": "Bad Request"}, 400, headers
            )
        fault = fault_name(tid)
        if fault is not None:  # evtui.demo.faults: ids 9900000NN misbehave on purpose
            if kind == "transaction":
                good = {**TRANSACTIONS["12345678"], "id": int(tid)}
            else:
                good = {**CHARGE_RECORDS["12345678"], "id": int(tid), "transactionId": int(tid)}
            # Counted per path: a fault that misbehaves "once" does so once per record type.
            answer = fault_response(fault, f"{kind}/{tid}", self.faults, good, _error)
            return answer if answer is not None else DemoResponse.json(good, headers=headers)
        records = self.transactions if kind == "transaction" else self.charge_records
        record = records.get(tid)
        if record is None:
            message = f"No such transaction: '{tid}'"
            if kind == "charge-record":
                ongoing = self.transactions.get(tid)
                if isinstance(ongoing, dict) and ongoing.get("endedAt") is None:
                    message = f"No such charge record: '{tid}' (transaction {tid} has not ended; it is billed when it ends)"
                else:
                    message = f"No such charge record: '{tid}'"
            return DemoResponse.json(
                {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "resource_missing",
                        "message": message,
                        "param": "id",
                        "request_id": "req_" + secrets.token_hex(8),
                    }
                },
                404,
                headers,
            )
        return DemoResponse.json(record, headers=headers)


def _error(message: str) -> dict[str, Any]:
    return {"error": {"type": "api_error", "code": "demo_fault", "message": message, "request_id": "req_" + secrets.token_hex(8)}}
