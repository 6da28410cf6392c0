"""Demo Monta Partner API: auth/token, auth/refresh and charges, as documented.

Access tokens announce a short life (a minute, `access_lifetime`) so refreshing is
seen in a short session; every issued token is accepted until `revoke_tokens`, so a
slow machine never sees a 401 it did not ask for.
"""

from __future__ import annotations

import json
import secrets
import threading
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from evtui.demo.faults import FaultState, fault_name, fault_response, spirii_id
from evtui.demo.http import DemoRequest, DemoResponse

if TYPE_CHECKING:
    from evtui.demo.provider import DemoHost

CLIENT_ID = "evtui-demo-monta"
CLIENT_SECRET = "demo-monta-client-secret"
RATE_LIMIT = 1000
RATE_WINDOW_S = 600

#: Larger than 2**53: a float would turn it into ...992.
BIG_ID = "9007199254740993"
SEED_ID = "889559095101176797"
#: Answers 401 to every token: the credentials were revoked while the profile still has them.
REVOKED_ID = "4010000001"

DKK = {"identifier": "dkk", "name": "Danish Krone", "decimals": 2}
EUR = {"identifier": "eur", "name": "Euro", "decimals": 2}
ISK = {"identifier": "isk", "name": "Icelandic Króna", "decimals": 0}


def _charge(
    cid: str,
    state: str,
    *,
    kwh: float | None = None,
    average: float | None = None,
    price: float | None = None,
    currency: dict[str, Any] = DKK,
    started: str | None = "2026-11-20T17:02:11.000Z",
    stopped: str | None = None,
    completed: str | None = None,
    soc: int | None = None,
    soc_limit: int | None = None,
    partner: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": int(cid),
        "chargePointId": 75211,
        "siteId": 3021,
        "teamId": 18273,
        "state": state,
        "createdAt": "2026-11-20T17:01:40.000Z",
        "updatedAt": completed or stopped or started or "2026-11-20T17:01:40.000Z",
        "startedAt": started,
        "stoppedAt": stopped,
        "completedAt": completed,
        "consumedKwh": kwh,
        "price": price,
        "averagePricePerKwh": average,
        "currency": currency,
        "soc": soc,
        "socLimit": soc_limit,
        "partnerExternalId": partner,
    }
    doc.update(extra)
    return doc


def _done(**kw: Any) -> dict[str, Any]:
    return dict(stopped="2026-11-20T18:15:40.000Z", completed="2026-11-20T18:16:02.000Z", **kw)


CHARGES: dict[str, dict[str, Any]] = {
    str(c["id"]): c
    for c in [
        # Paid, the price check agrees: 24.318 kWh × 3.45 DKK = 83.90 DKK.
        _charge(SEED_ID, "completed", kwh=24.318, average=3.45, price=83.9, soc=80, soc_limit=80,
                partner="fleet-4711", priceLimit=150, kwhLimit=40,
                partnerCustomPayload={"driver": "D-0193", "costCentre": "NO-OSL-7"},
                genericPaymentSession={"partnerExternalId": "pay-4711-001", "amount": 83.9}, **_done()),
        # An id beyond 2**53, in a zero-decimal currency.
        _charge(BIG_ID, "completed", kwh=31.5, average=65, price=2048, currency=ISK, soc=91, soc_limit=100,
                partner="is-fleet-02", **_done()),
        # Free charging: no price to pay, and the check agrees on zero.
        _charge("1000000001", "completed", kwh=12.04, average=0, price=0, partner="office-free", **_done()),
        # A start fee on top of the energy: the check tells.
        _charge("1000000002", "completed", kwh=10, average=0.39, price=4.9, currency=EUR, **_done()),
        # Failed: the charge point never delivered.
        _charge("1000000003", "stopped", kwh=0, average=3.45, price=0, stopped="2026-11-20T17:02:40.000Z",
                failureReason="The charge point did not start charging"),
        _charge("1000000010", "paying", started=None),
        _charge("1000000011", "reserved", started=None),
        _charge("1000000012", "starting", started=None),
        _charge("1000000013", "scheduled", started=None, soc=34, soc_limit=80),
        _charge("1000000014", "paused", kwh=3.2, average=3.45, price=11.04, soc=41, soc_limit=80),
        _charge("1000000015", "charging", kwh=7.81, average=3.45, price=26.94, soc=52, soc_limit=80, partner="fleet-4712"),
        _charge("1000000016", "stopping", kwh=18.2, average=3.45, price=62.79, soc=77, soc_limit=80),
        _charge("1000000017", "stopped", kwh=19.06, average=3.45, price=65.76, soc=80, soc_limit=80,
                stopped="2026-11-20T18:01:00.000Z"),
        _charge("1000000018", "releasing", kwh=19.06, average=3.45, price=65.76, stopped="2026-11-20T18:01:00.000Z"),
        _charge("1000000019", "released", kwh=19.06, average=3.45, price=65.76, stopped="2026-11-20T18:01:00.000Z"),
    ]
}


LIVE_ID = "1000000099"


def live_steps() -> list[dict[str, Any]]:
    """A charge moving paying -> ... -> completed, one state per request (for watching)."""
    steps: list[tuple[str, dict[str, Any]]] = [
        ("paying", {"started": None}),
        ("starting", {"started": None}),
        ("charging", {"kwh": 1.2, "average": 3.45, "price": 4.14, "soc": 38}),
        ("charging", {"kwh": 5.4, "average": 3.45, "price": 18.63, "soc": 47}),
        ("stopping", {"kwh": 9.8, "average": 3.45, "price": 33.81, "soc": 58}),
        ("stopped", {"kwh": 9.85, "average": 3.45, "price": 33.98, "soc": 58, "stopped": "2026-11-20T17:40:00.000Z"}),
        ("released", {"kwh": 9.85, "average": 3.45, "price": 33.98, "soc": 58, "stopped": "2026-11-20T17:40:00.000Z"}),
        ("completed", {"kwh": 9.85, "average": 3.45, "price": 33.98, "soc": 58, **_done()}),
    ]
    return [_charge(LIVE_ID, state, soc_limit=80, partner="fleet-live", **kw) for state, kw in steps]


def _error(message: str, code: str = "DEMO_FAULT") -> dict[str, Any]:
    return {"message": message, "errorCode": code}


def _date(seconds: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class MontaDemo:
    prefix = "monta"
    examples = (SEED_ID, BIG_ID, "1000000015", "1000000002", "1000000003", LIVE_ID)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._access: set[str] = set()
        self._refresh: dict[str, datetime] = {}
        self.access_lifetime = 60.0
        self.refresh_lifetime = 24 * 3600.0
        self.charges = dict(CHARGES)
        self.faults = FaultState()
        #: Monta-Version of every charge request, in order (tests read it).
        self.versions: list[str | None] = []
        self._remaining = RATE_LIMIT
        self._live = live_steps()
        self._live_step = 0

    def profile(self, base_url: str) -> dict[str, Any]:
        return {
            "adapter": "monta",
            "environment": "demo",
            "base_url": base_url,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }

    def revoke_tokens(self) -> None:
        """Forget every access token (a 401 must bring one new token)."""
        with self._lock:
            self._access.clear()

    def revoke_refresh_tokens(self) -> None:
        with self._lock:
            self._refresh.clear()

    def handle(self, request: DemoRequest, server: DemoHost) -> DemoResponse:
        seg = request.segments
        if request.method == "POST" and seg == ["auth", "token"]:
            server.count("monta.token")
            body = _json(request.body)
            if body.get("clientId") != CLIENT_ID or body.get("clientSecret") != CLIENT_SECRET:
                return DemoResponse.json(_error("Invalid client credentials", "INVALID_CLIENT_CREDENTIALS"), 401)
            return self._pair()
        if request.method == "POST" and seg == ["auth", "refresh"]:
            server.count("monta.refresh")
            token = _json(request.body).get("refreshToken")
            with self._lock:
                expires = self._refresh.pop(token, None) if isinstance(token, str) else None
            if expires is None or expires < datetime.now(timezone.utc):
                return DemoResponse.json(_error("Refresh token is invalid or expired", "INVALID_REFRESH_TOKEN"), 401)
            return self._pair()
        if request.method == "GET" and len(seg) == 2 and seg[0] == "charges":
            return self._get_charge(request, server, seg[1])
        return DemoResponse.json(_error("No such endpoint", "NOT_FOUND"), 404)

    def _pair(self) -> DemoResponse:
        access, refresh = "demo-monta." + secrets.token_urlsafe(24), "demo-monta-r." + secrets.token_urlsafe(24)
        with self._lock:
            self._access.add(access)
            self._refresh[refresh] = datetime.now(timezone.utc) + timedelta(seconds=self.refresh_lifetime)
            access_life, refresh_life = self.access_lifetime, self.refresh_lifetime
        return DemoResponse.json({
            "accessToken": access,
            "refreshToken": refresh,
            "accessTokenExpirationDate": _date(access_life),
            "refreshTokenExpirationDate": _date(refresh_life),
        })

    def _rate_headers(self) -> dict[str, str]:
        with self._lock:
            self._remaining = self._remaining - 1 if self._remaining > 1 else RATE_LIMIT
            remaining = self._remaining
        return {"RateLimit-Limit": str(RATE_LIMIT), "RateLimit-Remaining": str(remaining), "RateLimit-Reset": "540"}

    def _get_charge(self, request: DemoRequest, server: DemoHost, charge_id: str) -> DemoResponse:
        server.count("monta.charge")
        with self._lock:
            authorised = request.bearer in self._access
            self.versions.append(request.headers.get("monta-version"))
        if not authorised or charge_id == REVOKED_ID:
            return DemoResponse.json(_error("Access token is invalid or expired", "UNAUTHORIZED"), 401)
        headers = self._rate_headers()
        fault = fault_name(charge_id)
        if fault is not None:
            good = dict(self.charges[SEED_ID], id=int(charge_id))
            answer = fault_response(fault, charge_id, self.faults, good, _error)
            if answer is not None:
                answer.headers = {**headers, **answer.headers}
                return answer
            return DemoResponse.json(good, headers=headers)
        if charge_id == LIVE_ID:
            with self._lock:
                step = min(self._live_step, len(self._live) - 1)
                self._live_step += 1
            return DemoResponse.json(self._live[step], headers=headers)
        found = self.charges.get(charge_id)
        if found is None:
            return DemoResponse.json(_error(f"Charge {charge_id} not found", "CHARGE_NOT_FOUND"), 404, headers)
        return DemoResponse.json(found, headers=headers)


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


#: The fault ids work here too (numeric, see evtui.demo.faults): e.g. the rate-limited one.
RATE_LIMITED_ID = spirii_id("rate-limited")
