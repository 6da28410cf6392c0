"""Corpay EV Drive: the settings, the id rules, and the request with its OAuth2 token."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx

from evtui import redact
from evtui.adapters.api import (
    Adapter,
    AdapterSettings,
    CredentialsRejected,
    MalformedResponse,
    ProviderError,
    RecordType,
    Secret,
    Section,
    provider_message,
)
from evtui.adapters.corpay import present
from evtui.adapters.corpay.words import FINAL_STATUSES
from evtui.transport.body import load
from evtui.transport.headers import token_for_header
from evtui.transport.status import redirect_error

if TYPE_CHECKING:
    from pydantic import BaseModel

UAT_BASE = "https://apigwuat.corpay.com"
TOKEN_PATH = "/keycloak/realms/longship/protocol/openid-connect/token"


class CorpaySettings(AdapterSettings):
    base_url: str = UAT_BASE
    client_id: str
    client_secret: Secret
    token_url: str | None = None


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
        from evtui.adapters.corpay.models import CorpaySession  # only when a record is validated

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


    def present(self, record_type: str, document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
        return present.session(document, problems)
