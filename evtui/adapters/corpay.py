"""Corpay EV Drive API: charging sessions, OAuth2 client credentials (Keycloak).

GET {base_url}/sessions/{sessionId} with a bearer token from
POST {base_url}/keycloak/realms/longship/protocol/openid-connect/token.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import datetime, timedelta
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel

from evtui import decode
from evtui.adapters.base import (
    Adapter,
    AdapterSettings,
    Presenter,
    ProviderModel,
    decoded,
    derived,
    leftover_fields,
    problems_section,
    provider_message,
    section,
    shown_paths,
)
from evtui import redact
from evtui.errors import CredentialsRejected, MalformedResponse, ProviderError
from evtui.transport.body import load
from evtui.transport.headers import token_for_header
from evtui.transport.status import redirect_error
from evtui.record import Field, RecordType, Section, Table
from evtui.config.secrets import Secret

UAT_BASE = "https://apigwuat.corpay.com"
TOKEN_PATH = "/keycloak/realms/longship/protocol/openid-connect/token"


class CorpaySettings(AdapterSettings):
    base_url: str = UAT_BASE
    client_id: str
    client_secret: Secret
    token_url: str | None = None


# -- the session model (every field of the seed page and domain.md) ---------------


class Energy(ProviderModel):
    unit: str | None = None
    value: float | int | None = None


class Money(ProviderModel):
    currencyCode: str | None = None
    minorExclVat: int | str | None = None
    minorInclVat: int | str | None = None
    vat: str | float | None = None


class Charger(ProviderModel):
    chargingStationName: str | None = None
    city: str | None = None
    connectorLabel: str | None = None
    evseId: str | None = None
    streetName: str | None = None


class Transaction(ProviderModel):
    paymentMethod: str | None = None
    paymentOutcome: str | None = None
    amount: Money | None = None
    time: str | None = None


class CorpaySession(ProviderModel):
    sessionId: str | None = None
    sessionStatus: str | None = None
    balanceStatus: str | None = None
    #: Documented as Long, sent as a string in the example.
    balanceAmountMinor: int | str | None = None
    charger: Charger | None = None
    connectorId: str | None = None
    chargingKeyType: str | None = None
    duration: str | None = None
    energy: Energy | None = None
    price: Money | None = None
    #: Deprecated: the payment method of the earliest transaction.
    paymentMethod: str | None = None
    transactions: list[Transaction] | None = None
    receiptAvailable: bool | None = None
    site: str | None = None
    #: Kept as sent: it carries nanoseconds that datetime cannot hold.
    startTime: str | None = None


# -- words for the enums --------------------------------------------------------

SESSION_STATUS = {
    "CREATED": "session created; the charger has not been asked to start yet",
    "WAITING_TO_START": "start requested; waiting for the charger to confirm",
    "STARTED": "charging in progress",
    "WAITING_TO_STOP": "stop requested; waiting for the charger to confirm",
    "STOPPED": "charging stopped; costs not settled yet",
    "COMPLETE": "finished and settled (final)",
    "FAILED": "the session could not be started (final)",
    "UNKNOWN": "the platform does not know the session's state",
    "STOP_FAILED": "the charger did not confirm the stop (final)",
}
FINAL_STATUSES = frozenset({"COMPLETE", "FAILED", "STOP_FAILED"})
ENDED_STATUSES = FINAL_STATUSES | {"STOPPED"}

BALANCE_STATUS = {
    "PROCESSING": "payment is being processed",
    "PAID": "paid in full",
    "DEBT": "the customer still owes money",
    "REFUND": "money is being returned to the customer",
}
KEY_TYPE = {
    "tag": "RFID tag",
    "card": "charge card",
    "virtual": "virtual key (app)",
    "plug_and_charge": "Plug & Charge (ISO 15118, the car identifies itself)",
}
PAYMENT_METHOD = {
    "CREDIT_CARD": "paid by credit card",
    "EXTERNAL": "settled outside Corpay (external clearing)",
    "PREPAID": "paid from a prepaid balance",
    "WRITE_OFF": "written off (old name; now NONE with paymentOutcome WRITE_OFF)",
    "NONE": "no payment (see the transaction's paymentOutcome)",
}
PAYMENT_OUTCOME = {
    "CHARGE": "the amount was charged",
    "WRITE_OFF": "the amount was written off",
}

#: A token whose expires_in cannot be read lives this long (then a fresh one is fetched).
DEFAULT_TOKEN_LIFETIME = 60.0
#: Longer lifetimes are taken as this: a token cached for days outlives its revocation.
MAX_TOKEN_LIFETIME = 24 * 3600.0


def token_lifetime(value: Any) -> tuple[float, str]:
    """Seconds a token lives, from an OAuth2 expires_in; and what was wrong with it ("" if nothing).

    Absent is the usual case (no note): 300 s, Keycloak's default."""
    if value is None:
        return 300.0, ""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return DEFAULT_TOKEN_LIFETIME, f"is not a number ({type(value).__name__})"
    text = str(value).strip()
    if not re.fullmatch(r"\d{1,9}(\.\d{1,6})?", text):
        return DEFAULT_TOKEN_LIFETIME, f"{text[:20]!r} is not a whole number of seconds"
    seconds = float(text)
    if seconds < 1:
        return DEFAULT_TOKEN_LIFETIME, f"{text} is not a positive lifetime"
    if seconds > MAX_TOKEN_LIFETIME:
        return MAX_TOKEN_LIFETIME, f"{text} s is longer than evtui keeps a token"
    return seconds, ""


_ID_CHARS = re.compile(r"[A-Za-z0-9+/=_\-.~:]+")


class CorpayAdapter(Adapter):
    name = "corpay"
    title = "Corpay EV Drive"
    settings_model = CorpaySettings
    record_types = (
        RecordType("session", "Charging session", "A session id such as AAdmD55q8Vz or O9UXK+YI5Q6i0FoI4qHwcA=="),
    )
    known_bases: ClassVar[dict[str, str]] = {"test": UAT_BASE}

    settings: CorpaySettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()

    @property
    def token_url(self) -> str:
        return self.settings.token_url or self.base_url + TOKEN_PATH

    def id_problem(self, record_id: str, record_type: str) -> str | None:
        if len(record_id) > 200:
            return "it is longer than 200 characters"
        if not _ID_CHARS.fullmatch(record_id):
            bad = next(ch for ch in record_id if not _ID_CHARS.fullmatch(ch))
            return f"it contains {bad!r}; session ids use letters, digits and + / = - _ . only"
        return None

    def model_for(self, record_type: str) -> type[BaseModel]:
        return CorpaySession

    def status_paths(self, record_type: str) -> tuple[str, ...]:
        return ("sessionStatus", "balanceStatus")

    def final_state(self, record_type: str, document: Any) -> str | None:
        status = document.get("sessionStatus") if isinstance(document, dict) else None
        return f"status {status} is final" if status in FINAL_STATUSES else None

    # -- auth ---------------------------------------------------------------------

    async def _bearer(self, notes: list[str], *, fresh: bool = False) -> str:
        async with self._token_lock:
            # Re-check inside the lock: concurrent lookups share one token request.
            if fresh or self._token is None or time.monotonic() >= self._token_expires:
                if fresh and self._token is not None:
                    self._token = None
                await self._fetch_token(notes)
            else:
                notes.append("reused the cached access token")
            assert self._token is not None
            return self._token

    async def _fetch_token(self, notes: list[str]) -> None:
        data = {
            "grant_type": "client_credentials",
            "client_id": self.settings.client_id,
            "client_secret": self.settings.client_secret.reveal(),
        }
        started = time.monotonic()
        response = await self.send("POST", self.token_url, data=data)
        notes.append(f"POST {self.token_url} -> HTTP {response.status_code} ({(time.monotonic() - started) * 1000:.0f} ms): access token")
        if response.status_code in (400, 401, 403):
            said = provider_message(response)
            raise CredentialsRejected(
                f"The token endpoint refused client_id/client_secret of profile {self.profile!r} "
                f"(HTTP {response.status_code}{': ' + said if said else ''}).",
                hint=self.credentials_hint(),
                status=response.status_code,
            )
        if 300 <= response.status_code < 400:
            raise redirect_error(response, "the token request", hint="Put the token endpoint's final URL in token_url.")
        if response.status_code >= 300:
            raise ProviderError(
                f"The token endpoint answered HTTP {response.status_code}.",
                hint="Check token_url / base_url of the profile; the identity server may be down.",
                status=response.status_code,
            )
        try:
            body = load(response.content)[0]
            token = body["access_token"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
            raise MalformedResponse(
                "The token endpoint's answer has no access_token.",
                hint="Check token_url: it must be the Keycloak openid-connect/token endpoint.",
            ) from None
        if not isinstance(token, str) or not token:
            raise MalformedResponse(
                "The token endpoint's access_token is not a string.",
                hint="Check token_url: it must be the Keycloak openid-connect/token endpoint.",
            )
        # Masked from here on in every error and note, even if the header check below refuses it.
        redact.remember(token)
        self._token = token_for_header(token, profile=self.profile, source="The token endpoint")
        lifetime, problem = token_lifetime(body.get("expires_in"))
        if problem:
            notes.append(f"the token's expires_in {problem}: taken as {lifetime:g} s")
        # Renew a little before expiry so a lookup never goes out with a dying token.
        margin = min(60.0, lifetime * 0.1)
        self._token_expires = time.monotonic() + lifetime - margin

    async def request(
        self, record_type: str, record_id: str, *, since: datetime | None = None
    ) -> tuple[httpx.Response, list[str]]:
        notes: list[str] = []
        url = self.url("sessions", record_id)
        token = await self._bearer(notes)
        response = await self.get(url, headers={"Authorization": f"Bearer {token}"}, notes=notes)
        if response.status_code == 401:
            # The token may have been revoked or expired early: one fresh token, one retry.
            notes.append("HTTP 401 with the cached token: fetched a fresh token and retried once")
            token = await self._bearer(notes, fresh=True)
            response = await self.get(url, headers={"Authorization": f"Bearer {token}"}, notes=notes)
        return response, notes

    # -- presentation --------------------------------------------------------------

    def present(
        self, record_type: str, document: dict[str, Any], model: Any, problems: list[str]
    ) -> tuple[list[Section], str]:
        p = Presenter(document, problems)
        currency = p.get("price.currencyCode")
        status = p.get("sessionStatus")

        start = p.field("Start", "startTime", decode.timestamp)
        duration = p.field("Duration", "duration", _duration)
        end = _end_field(p, status)
        energy = p.field("Energy", "energy", _energy)
        total = p.field("Total price", "price.minorInclVat", lambda v: decode.money_from_minor(v, currency), note="incl. VAT")
        balance = _balance_field(p, currency)
        key_type = p.enum("Key type", "chargingKeyType", KEY_TYPE)

        overview = section(
            "overview",
            "Overview",
            [
                p.field("Session id", "sessionId", required=True),
                p.enum("Status", "sessionStatus", SESSION_STATUS, required=True),
                start,
                end,
                duration,
                energy,
                total,
                balance,
                p.field("Site", "site"),
                p.field("EVSE id", "charger.evseId", note="" if p.has("charger") else "known once the session has started"),
                p.value("Authorization", key_type.value, note=key_type.note, path="chargingKeyType", raw=key_type.raw, flag=key_type.flag),
            ],
        )
        charging = section(
            "charging",
            "Charging",
            [
                p.enum("Status", "sessionStatus", SESSION_STATUS),
                start,
                end,
                duration,
                energy,
                p.field("Energy unit", "energy.unit", note="as sent"),
                key_type,
            ],
        )
        charger = section(
            "charger",
            "Charger",
            [
                p.field("Site", "site"),
                p.field("Station", "charger.chargingStationName"),
                p.field("Street", "charger.streetName"),
                p.field("City", "charger.city"),
                p.field("EVSE id", "charger.evseId"),
                p.field("Connector label", "charger.connectorLabel"),
                p.field("Connector id", "connectorId", note="base64; known once the session has started"),
            ],
        )
        payment = section(
            "payment",
            "Payment",
            [
                *_money_fields(p, "price", "Price"),
                p.enum("Balance status", "balanceStatus", BALANCE_STATUS),
                balance,
                p.field("Receipt", "receiptAvailable", lambda v: "available" if v is True else "not available" if v is False else None),
                p.enum(
                    "Payment method",
                    "paymentMethod",
                    PAYMENT_METHOD,
                    note="DEPRECATED field: method of the earliest transaction; see Transactions",
                    flag="deprecated",
                ),
            ],
            [_transactions_table(p)],
        )
        sections = [overview, charging, charger, payment]
        other = leftover_fields(document, shown_paths(sections) | {"transactions", "price", "energy"})
        if other:
            sections.append(section("other", "Other fields", other))
        if (ps := problems_section(problems)) is not None:
            sections.append(ps)

        summary = " · ".join(
            x
            for x in (
                str(status or "?"),
                str(p.get("site") or ""),
                total.value if total.value not in ("—", "null") else "",
                f"balance {balance.value}" if p.get("balanceStatus") == "DEBT" else "",
            )
            if x
        )
        return sections, summary


def _duration(value: Any) -> str | None:
    seconds = decode.parse_iso_duration(value)
    if seconds is None:
        return None
    return f"{decode.human_duration(seconds)} ({value})"


def _energy(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    unit = str(value.get("unit") or "").upper()
    amount = value.get("value")
    if unit in ("WH", ""):
        return decode.kwh_from_wh(amount)
    if unit == "KWH":
        return decode.kwh(amount)
    return None


def _end_field(p: Presenter, status: Any) -> Field:
    start = decode.parse_timestamp(p.get("startTime"))
    seconds = decode.parse_iso_duration(p.get("duration"))
    if status not in ENDED_STATUSES:
        return p.value("End", "— (not ended)", note=f"status {status}" if status else "")
    if start is None or seconds is None:
        return p.value("End", "—", note="no start time or duration to derive it from")
    end = derived(lambda: decode.format_timestamp(start + timedelta(seconds=seconds)), None)
    if end is None:
        return p.value("End", "—", note="start + duration is beyond the calendar evtui shows")
    return p.value("End", end, note="derived: start + duration (the API sends no end time)", flag="derived")


def _balance_field(p: Presenter, currency: str | None) -> Field:
    raw = p.get("balanceAmountMinor")
    note = "only meaningful when Corpay/Plugsurfing is the payment service provider, not with External Clearing"
    if raw is None:
        return p.field("Balance", "balanceAmountMinor", note=note)
    amount = decode.to_decimal(raw)
    if amount is None:
        return p.field("Balance", "balanceAmountMinor", lambda v: None, note=note)
    text = decode.money_from_minor(abs(amount), currency) or str(raw)
    if amount < 0:
        value = f"{text} outstanding"
    elif amount == 0:
        value = f"{text} (fully paid)"
    else:
        value = f"{text} in the customer's favour"
    sent = f"sent as {raw!r}" + (" (a string, documented as Long)" if isinstance(raw, str) else "")
    return p.value("Balance", value, note=f"{sent}; {note}", path="balanceAmountMinor", raw=raw)


def _money_fields(p: Presenter, path: str, label: str) -> list[Field]:
    currency = p.get(f"{path}.currencyCode")

    def money(v: Any) -> str | None:
        return decode.money_from_minor(v, currency)

    fields = [
        p.field(f"{label} incl. VAT", f"{path}.minorInclVat", money, note="from minor units"),
        p.field(f"{label} excl. VAT", f"{path}.minorExclVat", money, note="from minor units"),
        p.field("VAT rate", f"{path}.vat", decode.vat_percent),
    ]
    incl = decode.to_decimal(p.get(f"{path}.minorInclVat"))
    excl = decode.to_decimal(p.get(f"{path}.minorExclVat"))
    if incl is not None and excl is not None:
        fields.append(p.value("VAT amount", money(incl - excl) or "", note="derived: incl. − excl.", flag="derived"))
    fields.append(p.field("Currency", f"{path}.currencyCode", note=f"ISO 4217, {decode.currency_exponent(currency)} decimal digits"))
    return fields


def _transactions_table(p: Presenter) -> Table:
    txs = p.get("transactions")
    rows = []
    for i, tx in enumerate(txs if isinstance(txs, list) else []):
        if not isinstance(tx, dict):
            rows.append((str(i + 1), str(tx), "", "", "", "", ""))
            continue
        amount = tx.get("amount") if isinstance(tx.get("amount"), dict) else {}
        cur = amount.get("currencyCode")
        method = tx.get("paymentMethod")
        outcome = tx.get("paymentOutcome")
        for value, known, path in ((method, PAYMENT_METHOD, "paymentMethod"), (outcome, PAYMENT_OUTCOME, "paymentOutcome")):
            if value is not None and value not in known:
                p.problem(f"unknown value {value!r} in transactions[{i}].{path} (shown as sent)")
        rows.append(
            (
                str(i + 1),
                decoded(decode.timestamp, tx.get("time")) or str(tx.get("time") or "—"),
                _described(method, PAYMENT_METHOD),
                _described(outcome, PAYMENT_OUTCOME),
                decode.money_from_minor(amount.get("minorInclVat"), cur) or "—",
                decode.money_from_minor(amount.get("minorExclVat"), cur) or "—",
                decode.vat_percent(amount.get("vat")) or "—",
            )
        )
    return Table(
        "Transactions",
        ("#", "Time", "Method", "Outcome", "Incl. VAT", "Excl. VAT", "VAT"),
        tuple(rows),
        note="" if rows else "no transactions",
    )


def _described(value: Any, meanings: dict[str, str]) -> str:
    if value is None:
        return "—"
    meaning = meanings.get(value)
    return f"{value} ({meaning})" if meaning else f"{value} (unknown value)"
