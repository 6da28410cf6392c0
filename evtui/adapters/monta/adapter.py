"""Monta: the settings, the id rules (64-bit integers kept as digits), and the request."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx

from evtui.adapters.api import Adapter, AdapterSettings, RecordType, Secret, Section, field_check
from evtui.adapters.monta import charge
from evtui.adapters.monta.auth import TokenKeeper

if TYPE_CHECKING:
    from pydantic import BaseModel

PRODUCTION_BASE = "https://partner-api.monta.com/api/v1"
#: The documented default; "2024-07-01" is the beta at the time of writing.
DEFAULT_VERSION = "2024-01-18"
INT64_MAX = 2**63 - 1


class MontaSettings(AdapterSettings):
    base_url: str = PRODUCTION_BASE
    client_id: Secret
    client_secret: Secret
    monta_version: str = DEFAULT_VERSION

    @field_check("monta_version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9A-Za-z._-]{1,40}", value):
            raise ValueError("must be an API version such as 2024-01-18")
        return value


class MontaAdapter(Adapter):
    name = "monta"
    title = "Monta"
    settings_model = MontaSettings
    record_types = (RecordType("charge", "Charge", "A charge id, a whole number such as 889559095101176797"),)

    settings: MontaSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tokens = TokenKeeper(self)

    # -- ids: 64-bit integers, kept as their digits ---------------------------------

    def normalise_id(self, record_id: str, record_type: str) -> str:
        # 007 and 7 are one charge: one spelling in the URL and in history.
        if record_id.isascii() and record_id.isdigit():
            return record_id.lstrip("0") or "0"
        return record_id

    def id_problem(self, record_id: str, record_type: str) -> str | None:
        if not (record_id.isascii() and record_id.isdigit()):
            bad = next((ch for ch in record_id if not ("0" <= ch <= "9")), record_id[:1])
            return f"it contains {bad!r}; Monta charge ids are whole numbers, digits only"
        if int(record_id) > INT64_MAX:
            return "it is larger than a 64-bit id can be (9223372036854775807)"
        if record_id == "0":
            return "it is zero, and no Monta charge has id 0"
        return None

    def model_for(self, record_type: str) -> type[BaseModel]:
        from evtui.adapters.monta.models import MontaCharge  # only when a record is validated

        return MontaCharge

    def status_paths(self, record_type: str) -> tuple[str, ...]:
        return ("state", "consumedKwh", "price")

    def final_state(self, record_type: str, document: Any) -> str | None:
        return charge.final_state(document)

    # -- the request -------------------------------------------------------------------

    async def request(
        self, record_type: str, record_id: str, *, since: datetime | None = None
    ) -> tuple[httpx.Response, list[str]]:
        notes: list[str] = []
        url = self.url("charges", record_id)
        token = await self.tokens.bearer(notes)
        response = await self.get(url, headers=self._headers(token), notes=notes)
        if response.status_code == 401:
            # Revoked or expired early: one token from the client credentials, one retry.
            notes.append("HTTP 401 with the current token: fetched a new token and retried once")
            token = await self.tokens.bearer(notes, fresh=True)
            response = await self.get(url, headers=self._headers(token), notes=notes)
        notes.extend(rate_limit_notes(response.headers))
        return response, notes

    def _headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", "Monta-Version": self.settings.monta_version, "Accept": "application/json"}

    def present(self, record_type: str, document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
        return charge.present(document, problems)


#: Header spellings: the IETF draft's RateLimit-* (what Monta's changelog names) and X-RateLimit-*.
_RATE_HEADERS = ("limit", "remaining", "reset")


def rate_limit_notes(headers: httpx.Headers) -> list[str]:
    """Monta's rate-limit headers in words, for the HTTP tab's notes (the headers are there too)."""
    found = {}
    for key in _RATE_HEADERS:
        value = headers.get(f"ratelimit-{key}") or headers.get(f"x-ratelimit-{key}")
        if value is not None and re.fullmatch(r"\d{1,12}", value.strip()):
            found[key] = value.strip()
    if not found:
        return []
    parts = []
    if "remaining" in found:
        parts.append(f"{found['remaining']}" + (f" of {found['limit']}" if "limit" in found else "") + " requests left")
    elif "limit" in found:
        parts.append(f"limit {found['limit']} requests")
    if "reset" in found:
        parts.append(f"the window resets in {found['reset']} s")
    return ["rate limit: " + ", ".join(parts)]
