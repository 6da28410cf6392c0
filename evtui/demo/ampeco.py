"""Demo AMPECO tenant: the Public API's sessions v1.0 and CDRs v2.0, as its reference describes them.

Every session status, free, paid, partly paid, failed payment, a price breakdown that does
not add up, roaming sessions with their OCPI 2.2 and 2.1.1 CDRs, an extended session pair.
Fault ids (`evtui.demo.faults.spirii_id`, all digits) misbehave as for the other providers."""

from __future__ import annotations

import time
from typing import Any

from evtui.demo.faults import FaultState, fault_name, fault_response
from evtui.demo.http import DemoRequest, DemoResponse
from evtui.demo.provider import DemoHost

API_TOKEN = "demo-ampeco-api-token"
#: An id the demo refuses with a 422 and its `errors` object (as a validation failure looks).
REFUSED_ID = "4220"
RATE_HEADERS = {"X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "599"}


def _money(with_tax: float, rate: float = 20.0) -> dict[str, float]:
    return {"withTax": with_tax, "withoutTax": round(with_tax / (1 + rate / 100), 2)}


def _line(kind: str, unit: str, quantity: float, per_unit: float, *, rate: float = 20.0, price: float | None = None) -> dict[str, Any]:
    total = round(quantity * per_unit, 2) if price is None else price
    return {
        "type": kind,
        "currency": "EUR",
        "unit": unit,
        "pricePerUnit": _money(per_unit, rate),
        "quantity": quantity,
        "price": _money(total, rate),
        "taxPercentage": rate,
    }


def _period(pid: int, start: str, stop: str | None, wh: int, state: str, amount: float | None, old: str | None = None) -> dict[str, Any]:
    period: dict[str, Any] = {"id": pid, "energy": wh, "startedAt": start, "stoppedAt": stop, "chargingState": state, "amount": amount}
    if old is not None:
        period["state"] = old
    return period


def _session(
    sid: str,
    status: str,
    *,
    wh: int = 0,
    started: str = "2026-11-20T07:30:00.000000Z",
    stopped: str | None = None,
    reason: str | None = None,
    billing: str | None = "completed",
    payment: str | None = "paid",
    total: float | None = None,
    breakdown: list[dict[str, Any]] | None = None,
    periods: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": sid,
        "chargePointId": 311,
        "evseId": 622,
        "connectorId": 1,
        "status": status,
        "userId": 50871,
        "startedAt": started,
        "stoppedAt": stopped,
        "energy": wh,
        "socPercent": 64,
        "totalAmount": None if total is None else _money(total),
        "currency": "EUR",
        "paymentType": "tokenized",
        "paymentMethodId": "pm_1Q2w3E4r",
        "nonBillableEnergy": 0,
        "paymentStatus": payment,
        "authorizationId": 77120 + int(sid[-2:]),
        "idTag": "*R7D2K9Q",
        "idTagLabel": "app start",
        "tariffSnapshotId": 9120 if total is not None else None,
        "evsePhysicalReference": "A-622",
        "lastUpdatedAt": stopped or started,
        "energyConsumption": {"total": wh, "local": 0, "grid": wh},
        "billingStatus": billing,
        "power": {"latest": 0 if stopped else 10800, "peak": 22000, "average": 10400},
        "priceBreakdown": breakdown if breakdown is not None else [],
        "chargingPeriods": periods if periods is not None else [],
    }
    if reason is not None:
        doc["reason"] = reason
    doc.update(extra)
    return doc


PAID_BREAKDOWN = [
    _line("connection", "session", 1, 0.5),
    _line("energy", "kwh", 18.432, 0.39),
    _line("idle_time", "minute", 12, 0.1),
]
PAID_TOTAL = round(sum(line["price"]["withTax"] for line in PAID_BREAKDOWN), 2)

SESSIONS: dict[str, dict[str, Any]] = {
    s["id"]: s
    for s in [
        # Finished and paid: breakdown and periods (charging, then idle).
        _session(
            "48213", "finished", wh=18432, stopped="2026-11-20T09:02:41.000000Z", reason="evdisconnected",
            total=PAID_TOTAL, breakdown=PAID_BREAKDOWN,
            periods=[
                _period(1, "2026-11-20T07:30:00Z", "2026-11-20T08:50:41Z", 18432, "charging", 7.69, "charging"),
                _period(2, "2026-11-20T08:50:41Z", "2026-11-20T09:02:41Z", 0, "idle", 1.2, "idle"),
            ],
        ),
        # Charging now: nothing billed yet.
        _session(
            "48214", "active", wh=5210, started="2026-11-22T08:01:12.000000Z", billing="pending", payment="pending",
            total=2.03, breakdown=[_line("energy", "kwh", 5.21, 0.39)],
            periods=[_period(1, "2026-11-22T08:01:12Z", None, 5210, "charging", 2.03, "charging@day")],
        ),
        _session("48215", "pending", started="2026-11-22T08:30:00.000000Z", billing="pending", payment=None),
        # Never started: the charge point refused the remote start.
        _session("48216", "failed", started="2026-11-21T18:04:09.000000Z", stopped="2026-11-21T18:04:40.000000Z",
                 reason="remote_start_failed", billing=None, payment=None),
        _session("48217", "expired", started="2026-11-21T19:00:00.000000Z", stopped="2026-11-21T19:05:00.000000Z",
                 reason="timeout", billing=None, payment=None),
        _session("48218", "unknown", started="2026-11-21T20:00:00.000000Z", billing=None, payment=None),
        # Free: a zero tariff; the energy is a subscription's allowance.
        _session(
            "48219", "finished", started="2026-11-19T11:50:00.000000Z", wh=9100, stopped="2026-11-19T12:41:00.000000Z", reason="stoppedbyev", total=0.0, payment=None,
            breakdown=[_line("energy", "kwh", 9.1, 0.0)], nonBillableEnergy=9100, paymentType="subscription",
            paymentMethodId="subscription",
        ),
        # The card was declined: billing on hold.
        _session(
            "48220", "finished", started="2026-11-18T20:05:00.000000Z", wh=30500, stopped="2026-11-18T23:10:00.000000Z", reason="local", billing="suspended",
            payment="failed", total=11.9, breakdown=[_line("energy", "kwh", 30.5, 0.39, price=11.9)],  # 11.895 half up, not float round()
        ),
        _session(
            "48221", "finished", started="2026-11-18T08:40:00.000000Z", wh=12000, stopped="2026-11-18T10:00:00.000000Z", reason="balance_exceeded",
            payment="partially", total=4.68, breakdown=[_line("energy", "kwh", 12, 0.39)], paymentType="balance", paymentMethodId="balance",
        ),
        # Roaming: the CPO's CDRs (OCPI 2.2 and 2.1.1) are records of their own.
        _session(
            "48222", "finished", started="2026-11-17T14:10:00.000000Z", wh=22960, stopped="2026-11-17T16:45:00.000000Z", reason="remote", total=10.56,
            breakdown=[_line("energy", "kwh", 22.96, 0.46)], userId=None, chargePointOperatorRoamingId="DE*ENA",
            roaming={"cdrIds": [9051], "sessionId": "DE-ENA-S-88123", "roamingOperatorCpoId": 14, "cpoLastUpdatedAt": "2026-11-17T16:47:03Z"},
        ),
        _session(
            "48223", "finished", started="2026-11-16T07:30:00.000000Z", wh=7400, stopped="2026-11-16T08:20:00.000000Z", reason="evdisconnected", total=3.33,
            breakdown=[_line("energy", "kwh", 7.4, 0.45)], userId=None, chargePointOperatorRoamingId="NL*ALF",
            roaming={"cdrIds": [9052], "sessionId": "NL-ALF-2211", "roamingOperatorCpoId": 9, "cpoLastUpdatedAt": "2026-11-16T08:22:00Z"},
        ),
        # Connectivity was lost: the data that came afterwards is in an extending session.
        _session(
            "48224", "finished", started="2026-11-15T18:30:00.000000Z", wh=14000, stopped="2026-11-15T21:00:00.000000Z", reason="powerloss", total=5.46,
            breakdown=[_line("energy", "kwh", 14, 0.39)], extendedBySessionId=48225,
        ),
        _session(
            "48225", "finished", wh=3100, started="2026-11-15T21:40:00.000000Z", stopped="2026-11-15T22:05:00.000000Z",
            reason="evdisconnected", total=1.21, breakdown=[_line("energy", "kwh", 3.1, 0.39)],
            originalSessionId=48224, extendingSessionId=48224,
        ),
        # A breakdown that does not add up, and the deprecated energy disagreeing with energyConsumption.
        _session(
            "48226", "finished", started="2026-11-14T09:20:00.000000Z", wh=10000, stopped="2026-11-14T11:00:00.000000Z", reason="emergencystop", total=5.0,
            breakdown=[_line("connection", "session", 1, 0.5), _line("energy", "kwh", 10, 0.39, price=4.0)],
            energy=10250,
        ),
    ]
}


def _ocpi_22() -> dict[str, Any]:
    return {
        "version": "2.2",
        "cdrToken": {"uid": "012345678", "type": "RFID", "contractId": "DE-AMP-C12345678-X", "countryCode": "DE", "partyId": "AMP"},
        "authMethod": "WHITELIST",
        "authorizationReference": "AMP-AUTH-48222",
        "cdrLocation": {
            "id": "LOC-ENA-0042", "name": "Parkhaus Mitte", "address": "Marktstraße 12", "city": "Essen", "postalCode": "45127",
            "country": "DEU", "coordinates": {"latitude": "51.455643", "longitude": "7.011555"},
            "evseUid": "DE*ENA*E0042*1", "evseId": "DE*ENA*E0042*1", "connectorId": "1",
            "connectorStandard": "IEC_62196_T2", "connectorFormat": "SOCKET", "connectorPowerType": "AC_3_PHASE",
        },
        "meterId": "MTR-ENA-42",
        "currency": "EUR",
        "chargingPeriods": [
            {"startDateTime": "2026-11-17T14:10:00Z", "dimensions": [{"type": "ENERGY", "volume": 22.96}, {"type": "TIME", "volume": 2.583}], "tariffId": "ENA-AC-1"},
        ],
        "signedData": {"encodingMethod": "OCMF", "signedValues": [{"nature": "Start", "plainData": "OCMF|{}", "signedData": "MEUCIQ"}], "url": "https://ena.example/verify"},
        "totalCost": 8.87,
        "totalFixedCost": 0,
        "totalEnergy": 22.96,
        "totalEnergyCost": 8.87,
        "totalTime": 2.583,
        "totalTimeCost": 0,
        "totalParkingTime": 0,
        "totalParkingCost": 0,
        "invoiceReferenceId": "INV-ENA-2026-11-0042",
    }


def _ocpi_211() -> dict[str, Any]:
    return {
        "version": "2.1.1",
        "authId": "NL-ALF-C00042137-7",
        "authMethod": "AUTH_REQUEST",
        "cdrLocation": {"id": "LOC-ALF-7", "name": "Stationsplein", "address": "Stationsplein 1", "city": "Utrecht", "postalCode": "3511", "country": "NLD",
                        "coordinates": {"latitude": "52.089444", "longitude": "5.110278"},
                        "evseUid": "NL*ALF*E7*2", "evseId": "NL*ALF*E7*2", "connectorId": "2",
                        "connectorStandard": "IEC_62196_T2", "connectorFormat": "CABLE", "connectorPowerType": "AC_1_PHASE"},
        "currency": "EUR",
        "chargingPeriods": [{"startDateTime": "2026-11-16T07:30:00Z", "dimensions": [{"type": "ENERGY", "volume": 7.4}]}],
        "totalCost": 2.78,
        "totalEnergy": 7.4,
        "totalTime": 0.833,
        "totalParkingTime": 0,
    }


def _cdr(cid: int, session: str, roaming_id: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": cid, "operatorId": 3, "platformId": 2, "protocolType": "OCPI", "sessionId": session, "receivedAt": end.replace(":00Z", ":41Z"),
        "startTime": start, "endTime": end, "roamingId": roaming_id, "credit": False, "isLocal": False, "lastUpdatedAt": end, **extra,
    }


CDRS: dict[str, dict[str, Any]] = {
    str(c["id"]): c
    for c in [
        _cdr(9051, "DE-ENA-S-88123", "DE-ENA-CDR-5521", "2026-11-17T14:10:00Z", "2026-11-17T16:45:00Z", ocpiData=_ocpi_22()),
        _cdr(9052, "NL-ALF-2211", "NL-ALF-CDR-2211", "2026-11-16T07:30:00Z", "2026-11-16T08:20:00Z", ocpiData=_ocpi_211()),
        _cdr(
            9060, "H-SESS-771", "H-CDR-771", "2026-11-15T10:00:00Z", "2026-11-15T11:00:00Z", protocolType="Hubject",
            oicpData={"sessionId": "H-SESS-771", "version": "2.3", "evseId": "DE*HUB*E771", "consumedEnergy": 11.2,
                      "sessionStart": "2026-11-15T10:00:00Z", "sessionEnd": "2026-11-15T11:00:00Z"},
        ),
    ]
}


class AmpecoDemo:
    prefix = "ampeco"
    examples: tuple[str, ...] = ("48213", "48222", "48225", "48226", "9051")

    def __init__(self) -> None:
        self.sessions = dict(SESSIONS)
        self.cdrs = dict(CDRS)
        self.faults = FaultState()
        #: Query strings of session requests, for tests.
        self.session_queries: list[dict[str, str]] = []

    def profile(self, base_url: str) -> dict[str, Any]:
        return {"adapter": "ampeco", "environment": "demo", "base_url": f"{base_url}/public-api", "api_token": API_TOKEN}

    def handle(self, request: DemoRequest, server: DemoHost) -> DemoResponse:
        segments = request.segments
        if request.method != "GET" or len(segments) != 5 or segments[:2] != ["public-api", "resources"]:
            return DemoResponse.json({"message": "Not Found"}, 404)
        kind, version, record_id = segments[2:]
        if (kind, version) not in (("sessions", "v1.0"), ("cdrs", "v2.0")):
            return DemoResponse.json({"message": "Not Found"}, 404)
        server.count(f"ampeco.{kind}")
        if request.bearer != API_TOKEN:
            return DemoResponse.json({"message": "Unauthenticated."}, 401)
        if kind == "sessions":
            self.session_queries.append(dict(request.query))
        if record_id == REFUSED_ID:
            errors = {"session": ["The selected session is invalid."], "withPriceBreakdown": ["The with price breakdown field must be true or false."]}
            return DemoResponse.json({"message": "The given data was invalid.", "errors": errors}, 422)
        if (fault := fault_name(record_id)) is not None:
            good = {"data": dict(self.sessions["48213"], id=record_id)}
            return fault_response(fault, record_id, self.faults, good, _error) or DemoResponse.json(good, headers=RATE_HEADERS)
        record = (self.sessions if kind == "sessions" else self.cdrs).get(record_id)
        if record is None:
            return DemoResponse.json({"message": "The record is not found"}, 404, RATE_HEADERS)
        return DemoResponse.json({"data": record}, headers={**RATE_HEADERS, "X-Request-Id": f"demo-{int(time.time() * 1000)}"})


def _error(message: str) -> dict[str, Any]:
    return {"message": message}
