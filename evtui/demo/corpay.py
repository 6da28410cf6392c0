"""Demo Corpay EV Drive: Keycloak token endpoint and sessions, as documented."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any
from urllib.parse import parse_qsl

from evtui.demo.faults import FaultState, fault_name, fault_response
from evtui.demo.http import DemoRequest, DemoResponse
from evtui.demo.provider import DemoHost


CLIENT_ID = "evtui-demo"
CLIENT_SECRET = "demo-client-secret"
TOKEN_SEGMENTS = ["keycloak", "realms", "longship", "protocol", "openid-connect", "token"]


def _money(currency: str, incl: int, vat: str) -> dict[str, Any]:
    rate = float(vat) / 100
    return {"currencyCode": currency, "minorExclVat": round(incl / (1 + rate)), "minorInclVat": incl, "vat": vat}


def _charger(station: str, street: str, city: str, evse: str, label: str) -> dict[str, Any]:
    return {"chargingStationName": station, "city": city, "connectorLabel": label, "evseId": evse, "streetName": street}


def _session(
    sid: str,
    status: str,
    *,
    balance: str | int | None = "0",
    balance_status: str = "PAID",
    price: dict[str, Any] | None = None,
    wh: int = 0,
    duration: str = "PT0S",
    start: str = "2026-11-20T08:14:03.512907331Z",
    key: str = "virtual",
    site: str = "Drive_API_Test1",
    charger: dict[str, Any] | None = None,
    connector: str | None = None,
    method: str | None = "CREDIT_CARD",
    transactions: list[dict[str, Any]] | None = None,
    receipt: bool = False,
) -> dict[str, Any]:
    doc: dict[str, Any] = {"sessionId": sid, "sessionStatus": status, "balanceStatus": balance_status}
    if balance is not None:
        doc["balanceAmountMinor"] = balance
    if charger is not None:
        doc["charger"] = charger
        doc["connectorId"] = connector or "O9UXK+YI5Q6i0FoI4qHwcA=="
    doc["chargingKeyType"] = key
    doc["duration"] = duration
    doc["energy"] = {"unit": "WH", "value": wh}
    doc["price"] = price or _money("EUR", 0, "21")
    if method is not None:
        doc["paymentMethod"] = method
    doc["transactions"] = transactions or []
    doc["receiptAvailable"] = receipt
    doc["site"] = site
    doc["startTime"] = start
    return doc


OSLO = _charger("Aker Brygge P-hus 2", "Stranden 1", "Oslo", "NO*CPY*E1002*1", "B")
AMS = _charger("Zuidas Hub 14", "Gustav Mahlerlaan 10", "Amsterdam", "NL*CPY*E0014*2", "2")
TOKYO = _charger("Shibuya Stream B2", "Shibuya 3-21-3", "Tokyo", "JP*CPY*E0300*1", "CHAdeMO")
KUWAIT = _charger("Al Hamra Tower P3", "Al Shuhada St", "Kuwait City", "KW*CPY*E0007*1", "1")
BERLIN = _charger("Potsdamer Platz Süd", "Linkstraße 2", "Berlin", "DE*CPY*E4711*1", "A")

SESSIONS: dict[str, dict[str, Any]] = {
    s["sessionId"]: s
    for s in [
        # The seed page's session: complete, 21.60 EUR still owed.
        _session(
            "AAdmD55q8Vz", "COMPLETE", balance="-2160", balance_status="DEBT",
            price=_money("EUR", 2160, "17.5"), wh=18432, duration="PT1H12M29.513S",
            start="2021-01-30T10:00:00.111111111Z", charger=BERLIN, receipt=True,
            transactions=[{"paymentMethod": "CREDIT_CARD", "paymentOutcome": "CHARGE",
                           "amount": _money("EUR", 0, "17.5"), "time": "2021-01-30T11:12:31.200Z"}],
        ),
        _session(
            "Q2hhcmdlUGFpZDE", "COMPLETE", balance="0", price=_money("NOK", 34950, "25"),
            wh=41230, duration="PT2H3M7S", start="2026-11-19T17:42:10.004000000Z", charger=OSLO,
            site="Aker Brygge", key="card", receipt=True,
            transactions=[{"paymentMethod": "CREDIT_CARD", "paymentOutcome": "CHARGE",
                           "amount": _money("NOK", 34950, "25"), "time": "2026-11-19T19:45:20.118Z"}],
        ),
        _session(
            "JPYsess0042", "COMPLETE", balance=0, price=_money("JPY", 1650, "10"), wh=12004,
            duration="PT48M12S", start="2026-11-18T01:05:44.900000001Z", charger=TOKYO, site="Shibuya Stream",
            key="tag", receipt=True,
            transactions=[{"paymentMethod": "PREPAID", "paymentOutcome": "CHARGE",
                           "amount": _money("JPY", 1650, "10"), "time": "2026-11-18T01:54:01Z"}],
            method="PREPAID",
        ),
        _session(
            "KWDsess0007", "COMPLETE", balance="0", price=_money("KWD", 1250, "0"), wh=22500,
            duration="PT1H1S", start="2026-11-17T15:00:00.000000000Z", charger=KUWAIT, site="Al Hamra",
            key="plug_and_charge", receipt=True,
            transactions=[{"paymentMethod": "CREDIT_CARD", "paymentOutcome": "CHARGE",
                           "amount": _money("KWD", 1250, "0"), "time": "2026-11-17T16:00:09Z"}],
        ),
        # An id with the characters that must be percent-encoded in a path segment.
        _session(
            "O9UXK+YI5Q6i0/FoI4qHwcA==", "STARTED", balance="0", balance_status="PROCESSING",
            price=_money("EUR", 512, "21"), wh=3120, duration="PT14M2.25S",
            start="2026-11-22T07:31:12.250000000Z", charger=AMS, site="Zuidas", transactions=[],
        ),
        _session("CrEaTeD0001", "CREATED", balance=None, balance_status="PROCESSING", start="2026-11-22T08:00:01.000000000Z"),
        _session("WaitStart01", "WAITING_TO_START", balance=None, balance_status="PROCESSING", start="2026-11-22T08:00:05.123456789Z"),
        _session(
            "WaitStop001", "WAITING_TO_STOP", balance="0", balance_status="PROCESSING",
            price=_money("EUR", 1377, "21"), wh=9870, duration="PT41M9S", charger=AMS, site="Zuidas",
        ),
        _session(
            "Stopped0001", "STOPPED", balance="0", balance_status="PROCESSING",
            price=_money("EUR", 1840, "19"), wh=14220, duration="PT52M40S", charger=BERLIN, site="Potsdamer Platz",
        ),
        _session("Failed00001", "FAILED", balance="0", balance_status="PAID", key="tag", method=None),
        _session("Unknown0001", "UNKNOWN", balance=None, balance_status="PROCESSING", charger=OSLO, site="Aker Brygge"),
        _session(
            "StopFail001", "STOP_FAILED", balance="-4410", balance_status="DEBT",
            price=_money("EUR", 4410, "19"), wh=38100, duration="PT5H2M",
            start="2026-11-21T22:10:00.000000000Z", charger=BERLIN, site="Potsdamer Platz",
            transactions=[{"paymentMethod": "CREDIT_CARD", "paymentOutcome": "CHARGE",
                           "amount": _money("EUR", 0, "19"), "time": "2026-11-22T03:12:00Z"}],
        ),
        _session(
            "Refund00001", "COMPLETE", balance="500", balance_status="REFUND",
            price=_money("EUR", 2000, "21"), wh=16002, duration="PT1H30M", charger=AMS, site="Zuidas", receipt=True,
            transactions=[{"paymentMethod": "CREDIT_CARD", "paymentOutcome": "CHARGE",
                           "amount": _money("EUR", 2500, "21"), "time": "2026-11-20T09:44:03Z"}],
        ),
        # The deprecated WRITE_OFF method beside its replacement on the transaction.
        _session(
            "WriteOff001", "COMPLETE", balance="0", balance_status="PAID", method="WRITE_OFF",
            price=_money("EUR", 845, "21"), wh=6120, duration="PT22M", charger=AMS, site="Zuidas",
            transactions=[{"paymentMethod": "NONE", "paymentOutcome": "WRITE_OFF",
                           "amount": _money("EUR", 845, "21"), "time": "2026-11-20T10:06:00Z"}],
        ),
        _session(
            "ExtClear001", "COMPLETE", balance=None, balance_status="PAID", method="EXTERNAL", key="card",
            price=_money("EUR", 3100, "21"), wh=27000, duration="PT3H", charger=AMS, site="Zuidas",
            transactions=[{"paymentMethod": "EXTERNAL", "paymentOutcome": "CHARGE",
                           "amount": _money("EUR", 3100, "21"), "time": "2026-11-20T12:00:00Z"}],
        ),
    ]
}


LIVE_ID = "Live0000001"


def live_steps() -> list[dict[str, Any]]:
    """A session moving CREATED -> ... -> COMPLETE, one state per request."""
    start = "2026-11-22T09:00:00.000000000Z"
    base = dict(key="virtual", site="Zuidas", start=start)
    charging = dict(base, charger=AMS, balance="0", balance_status="PROCESSING")
    return [
        _session(LIVE_ID, "CREATED", balance=None, balance_status="PROCESSING", **base),
        _session(LIVE_ID, "WAITING_TO_START", balance=None, balance_status="PROCESSING", **base),
        _session(LIVE_ID, "STARTED", price=_money("EUR", 62, "21"), wh=1200, duration="PT3M2S", **charging),
        _session(LIVE_ID, "STARTED", price=_money("EUR", 281, "21"), wh=5400, duration="PT12M40S", **charging),
        _session(LIVE_ID, "STARTED", price=_money("EUR", 510, "21"), wh=9800, duration="PT21M5S", **charging),
        _session(LIVE_ID, "WAITING_TO_STOP", price=_money("EUR", 582, "21"), wh=11200, duration="PT24M11S", **charging),
        _session(LIVE_ID, "STOPPED", price=_money("EUR", 590, "21"), wh=11342, duration="PT24M30S", **charging),
        _session(
            LIVE_ID, "COMPLETE", price=_money("EUR", 590, "21"), wh=11342, duration="PT24M30S", receipt=True,
            transactions=[{"paymentMethod": "CREDIT_CARD", "paymentOutcome": "CHARGE",
                           "amount": _money("EUR", 590, "21"), "time": "2026-11-22T09:24:41.007Z"}],
            **dict(charging, balance_status="PAID"),
        ),
    ]


class CorpayDemo:
    prefix = "corpay"
    examples = ("AAdmD55q8Vz", "Q2hhcmdlUGFpZDE", "O9UXK+YI5Q6i0/FoI4qHwcA==", "JPYsess0042", LIVE_ID)

    def __init__(self) -> None:
        self._tokens: set[str] = set()
        self._lock = threading.Lock()
        self.sessions = dict(SESSIONS)
        self.faults = FaultState()
        self._live = live_steps()
        self._live_step = 0

    def profile(self, base_url: str) -> dict[str, Any]:
        return {
            "adapter": "corpay",
            "environment": "demo",
            "base_url": base_url,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }

    def revoke_tokens(self) -> None:
        """Forget every issued token (tests: a 401 must bring one fresh token)."""
        with self._lock:
            self._tokens.clear()

    def handle(self, request: DemoRequest, server: DemoHost) -> DemoResponse:
        if request.method == "POST" and request.segments == TOKEN_SEGMENTS:
            return self._token(request, server)
        if request.method == "GET" and len(request.segments) == 2 and request.segments[0] == "sessions":
            return self._get_session(request, server, request.segments[1])
        return DemoResponse.json({"errorCode": "NOT_FOUND", "errorDescription": "No such endpoint"}, 404)

    def _token(self, request: DemoRequest, server: DemoHost) -> DemoResponse:
        server.count("corpay.token")
        form = dict(parse_qsl(request.body.decode("utf-8", errors="replace")))
        if form.get("grant_type") != "client_credentials":
            return DemoResponse.json({"error": "unsupported_grant_type", "error_description": "Unsupported grant_type"}, 400)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return DemoResponse.json({"error": "unauthorized_client", "error_description": "Invalid client or Invalid client credentials"}, 401)
        token = "demo." + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens.add(token)
        return DemoResponse.json(
            {
                "access_token": token,
                "expires_in": 3600,
                "refresh_expires_in": 0,
                "token_type": "Bearer",
                "not-before-policy": 0,
                "scope": "profile email",
            }
        )

    def _get_session(self, request: DemoRequest, server: DemoHost, session_id: str) -> DemoResponse:
        server.count("corpay.session")
        with self._lock:
            authorised = request.bearer in self._tokens
        if not authorised:
            return DemoResponse.json({"errorCode": "UNAUTHORIZED", "errorDescription": "Invalid or expired token"}, 401)
        fault = fault_name(session_id)
        if fault is not None:
            good = dict(self.sessions["AAdmD55q8Vz"], sessionId=session_id)
            answer = fault_response(fault, session_id, self.faults, good, _error)
            if answer is not None:
                return answer
            return DemoResponse.json(good)
        if session_id == LIVE_ID:
            with self._lock:
                step = min(self._live_step, len(self._live) - 1)
                self._live_step += 1
            return DemoResponse.json(self._live[step])
        session = self.sessions.get(session_id)
        if session is None:
            return DemoResponse.json({"errorCode": "SESSION_NOT_FOUND", "errorDescription": f"Session {session_id} not found"}, 404)
        return DemoResponse.json(session, headers={"X-Request-Id": f"demo-{int(time.time() * 1000)}"})


def _error(message: str) -> dict[str, Any]:
    return {"errorCode": "DEMO_FAULT", "errorDescription": message}
