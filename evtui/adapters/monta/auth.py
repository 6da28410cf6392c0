"""Monta's token pair: client credentials for an access token, the refresh token to renew it.

POST auth/token {"clientId", "clientSecret"} and POST auth/refresh {"refreshToken"} both
answer {"accessToken", "refreshToken", "accessTokenExpirationDate", "refreshTokenExpirationDate"}.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from evtui import decode, redact
from evtui.adapters.api import CredentialsRejected, MalformedResponse, ProviderError, provider_message
from evtui.transport.body import load
from evtui.transport.headers import token_for_header
from evtui.transport.status import raise_for_status

if TYPE_CHECKING:
    from evtui.adapters.monta.adapter import MontaAdapter

#: An access token whose expiry cannot be read lives this long (then it is renewed).
DEFAULT_LIFETIME = 300.0
#: Longer lifetimes are taken as this: a token kept for days outlives its revocation.
MAX_LIFETIME = 24 * 3600.0


def lifetime_until(value: Any, now: datetime) -> tuple[float | None, str]:
    """Seconds from `now` to an expiration date as sent, and what was wrong with it ("" if nothing).

    None when the date cannot be read."""
    if value is None:
        return None, "is not sent"
    when = decode.parse_timestamp(value)
    if when is None:
        return None, f"{str(value)[:40]!r} is not a date"
    seconds = (when - now).total_seconds()
    if seconds > MAX_LIFETIME:
        return MAX_LIFETIME, f"is more than {MAX_LIFETIME / 3600:g} h away, longer than evtui keeps a token"
    return seconds, ""


class TokenKeeper:
    """One token pair per adapter, shared by concurrent lookups (one exchange at a time)."""

    def __init__(self, adapter: MontaAdapter) -> None:
        self.adapter = adapter
        self._lock = asyncio.Lock()
        self._access: str | None = None
        self._access_due = 0.0
        self._refresh: str | None = None
        self._refresh_due = 0.0

    async def bearer(self, notes: list[str], *, fresh: bool = False) -> str:
        """A usable access token; `fresh` after a 401: a new pair from the client credentials."""
        async with self._lock:
            now = time.monotonic()
            if not fresh and self._access is not None and now < self._access_due:
                notes.append("reused the access token")
                return self._access
            if not fresh and self._refresh is not None and now < self._refresh_due:
                try:
                    return await self._exchange("refresh", {"refreshToken": self._refresh}, notes)
                except CredentialsRejected:
                    notes.append("the refresh token was refused: signed in again with the client credentials")
            settings = self.adapter.settings
            body = {"clientId": settings.client_id.reveal(), "clientSecret": settings.client_secret.reveal()}
            return await self._exchange("token", body, notes)

    async def _exchange(self, endpoint: str, payload: dict[str, str], notes: list[str]) -> str:
        adapter = self.adapter
        url = adapter.url("auth", endpoint)
        what = "the refresh token" if endpoint == "refresh" else "client_id/client_secret"
        started = time.monotonic()
        response = await adapter.send(
            "POST", url, json=payload, headers={"Monta-Version": adapter.settings.monta_version, "Accept": "application/json"}
        )
        elapsed = (time.monotonic() - started) * 1000
        notes.append(f"POST {url} -> HTTP {response.status_code} ({elapsed:.0f} ms): " + ("refreshed the access token" if endpoint == "refresh" else "access token"))
        status = response.status_code
        said = provider_message(response)
        if status in (400, 401, 403):
            raise CredentialsRejected(
                f"Monta's auth/{endpoint} refused {what} of profile {adapter.profile!r} (HTTP {status}{': ' + said if said else ''}).",
                hint=adapter.credentials_hint(),
                status=status,
            )
        if status == 404:
            # Not "no such record": the profile points where Monta's API is not.
            raise ProviderError(
                f"Monta's auth/{endpoint} answered HTTP 404{': ' + said if said else ''}.",
                hint="Check base_url of the profile: it must end in /api/v1.",
                status=status,
            )
        # Redirects, 429 with its Retry-After, server errors: reported as for a record.
        raise_for_status(
            response, title="Monta", profile=adapter.profile, what=f"auth/{endpoint}", credentials_hint=adapter.credentials_hint()
        )
        try:
            body = load(response.content)[0]
            access = body["accessToken"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
            raise MalformedResponse(
                f"Monta's auth/{endpoint} answer has no accessToken.", hint="Check base_url: it must end in /api/v1."
            ) from None
        if not isinstance(access, str) or not access:
            raise MalformedResponse(f"Monta's auth/{endpoint} accessToken is not a string.", hint="Report it to Monta.")
        # Masked from here on in every error and note, even if the header check refuses it.
        redact.remember(access)
        refresh = body.get("refreshToken")
        if isinstance(refresh, str) and refresh:
            redact.remember(refresh)
        self._access = token_for_header(access, profile=adapter.profile, source=f"Monta's auth/{endpoint}")
        self._set_expiry(body, refresh if isinstance(refresh, str) and refresh else None, notes)
        return self._access

    def _set_expiry(self, body: dict[str, Any], refresh: str | None, notes: list[str]) -> None:
        now, wall = time.monotonic(), datetime.now(timezone.utc)
        seconds, problem = lifetime_until(body.get("accessTokenExpirationDate"), wall)
        if seconds is None:
            seconds = DEFAULT_LIFETIME
            notes.append(f"the accessTokenExpirationDate {problem}: the token is renewed after {seconds:g} s")
        elif problem:
            notes.append(f"the accessTokenExpirationDate {problem}")
        if seconds <= 0:
            notes.append("the access token's expiry date has already passed: used for this request only")
        # Renew a little before expiry so a lookup never goes out with a dying token.
        self._access_due = now + seconds - min(60.0, max(seconds, 0.0) * 0.1)
        if refresh is None:
            self._refresh, self._refresh_due = None, 0.0
            return
        refresh_seconds, problem = lifetime_until(body.get("refreshTokenExpirationDate"), wall)
        if refresh_seconds is None:
            # Unknown lifetime: try it once when the access token is due; a refusal falls back.
            refresh_seconds = MAX_LIFETIME
        self._refresh = refresh
        self._refresh_due = now + refresh_seconds - min(60.0, max(refresh_seconds, 0.0) * 0.1)
