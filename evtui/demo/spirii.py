"""Demo Spirii API: GET /v2/transactions/{id} with a bearer API key, as documented."""

from __future__ import annotations

import json
import secrets
import threading
import time
from typing import TYPE_CHECKING, Any

from evtui.demo.faults import FaultState, fault_name, fault_response
from evtui.demo.http import DemoRequest, DemoResponse

if TYPE_CHECKING:
    from evtui.demo.server import DemoServer

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


class SpiriiDemo:
    prefix = "spirii"
    examples: tuple[str, ...] = ("12345678", "20240117", "31000542", "41999003", "52000118")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._window = (0, 0)  # (minute, requests in it) for the rate-limit headers
        self.transactions: dict[str, dict[str, Any] | bytes] = {**TRANSACTIONS, **ODD_TRANSACTIONS, **RAW_TRANSACTIONS}
        self.faults = FaultState()

    def profile(self, base_url: str) -> dict[str, Any]:
        return {"adapter": "spirii", "environment": "demo", "base_url": base_url, "api_key": API_KEY}

    def handle(self, request: DemoRequest, server: DemoServer) -> DemoResponse:
        segments = request.segments
        if request.method == "GET" and len(segments) == 3 and segments[:2] == ["v2", "transactions"]:
            return self._get_transaction(request, server, segments[2])
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

    def _get_transaction(self, request: DemoRequest, server: DemoServer, tid: str) -> DemoResponse:
        server.count("spirii.transaction")
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
            good = {**TRANSACTIONS["12345678"], "id": int(tid)}
            answer = fault_response(fault, tid, self.faults, good, _error)
            return answer if answer is not None else DemoResponse.json(good, headers=headers)
        record = self.transactions.get(tid)
        if record is None:
            return DemoResponse.json(
                {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "resource_missing",
                        "message": f"No such transaction: '{tid}'",
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
