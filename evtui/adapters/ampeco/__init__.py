"""AMPECO Public API: charging sessions and roaming CDRs, per tenant, with a bearer API token.

GET {base_url}/resources/sessions/v1.0/{id}?withPriceBreakdown=1&withChargingPeriods=1  (`query_true`)
GET {base_url}/resources/cdrs/v2.0/{id}
with `Authorization: Bearer {api_token}` (Back Office -> API Access Tokens; each call runs as
the token's owner). base_url is the tenant's `https://{tenant}/public-api`. Records come
as `{"data": {...}}`; errors as `{"message"}` (422 adds `{"errors": {field: [..]}}`); 429
carries Retry-After, which the transport honours.

Presentation: `session.py` and `cdr.py`; words for the enums: `words.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import httpx

from evtui.adapters.ampeco.cdr import present_cdr
from evtui.adapters.ampeco.session import present_session
from evtui.adapters.ampeco.words import FINAL_STATUSES
from evtui.adapters.api import Adapter, AdapterSettings, Presenter, ProviderError, RecordType, Related, Secret, Section
from evtui.redact import redact
from evtui.transport.body import loads

if TYPE_CHECKING:
    from pydantic import BaseModel

SESSION = RecordType("session", "Charging session", "A session id: digits, such as 48213")
CDR = RecordType("cdr", "Roaming CDR", "A CDR id: digits, such as 9051 (a roaming session lists its CDR ids)")
#: What the session is asked for besides itself; `{true}` is the profile's `query_true`.
SESSION_QUERY = "?withPriceBreakdown={true}&withChargingPeriods={true}"
#: Ids are integers; 19 digits is the most a signed 64-bit one has.
MAX_ID_DIGITS = 19


class AmpecoSettings(AdapterSettings):
    #: The tenant's Public API root, e.g. https://cp.example.com/public-api
    base_url: str
    api_token: Secret
    #: How a true query flag is spelled. INFERRED: the reference types the flags as booleans
    #: without saying how; a Laravel back end reads 1 (not "true") as true.
    query_true: Literal["1", "true"] = "1"


class AmpecoAdapter(Adapter):
    name = "ampeco"
    title = "AMPECO"
    settings_model = AmpecoSettings
    record_types = (SESSION, CDR)

    settings: AmpecoSettings

    def normalise_id(self, record_id: str, record_type: str) -> str:
        """"#48213" as the Back Office writes it, and leading zeros, are the same id."""
        digits = record_id.removeprefix("#")
        if not (digits.isascii() and digits.isdigit()):
            return record_id
        return digits.lstrip("0") or digits

    def id_problem(self, record_id: str, record_type: str) -> str | None:
        if not (record_id.isascii() and record_id.isdigit()):
            return "AMPECO ids are whole numbers (digits only)"
        if record_id.strip("0") == "":
            return "0 is no record's id"
        if len(record_id) > MAX_ID_DIGITS:
            return f"it has more than {MAX_ID_DIGITS} digits"
        return None

    def model_for(self, record_type: str) -> type[BaseModel]:
        from evtui.adapters.ampeco.models import CdrDocument, SessionDocument  # only when a record is validated

        return CdrDocument if record_type == CDR.name else SessionDocument

    async def request(self, record_type: str, record_id: str, *, since: datetime | None = None) -> tuple[httpx.Response, list[str]]:
        if record_type == CDR.name:
            url = self.url("resources", "cdrs", "v2.0", record_id)
        else:
            url = self.url("resources", "sessions", "v1.0", record_id) + SESSION_QUERY.format(true=self.settings.query_true)
        notes: list[str] = []
        headers = {"Authorization": f"Bearer {self.secret_header('api_token')}", "Accept": "application/json"}
        return await self.get(url, headers=headers, notes=notes), notes

    def raise_for_status(self, response: httpx.Response, rt: RecordType, record_id: str) -> None:
        # A 422 names what it refused in `errors`; the shared message shape keeps only `message`.
        if response.status_code == 422 and (said := _validation_errors(response)):
            raise ProviderError(
                f"{self.title} refused the request for {rt.title.lower()} {record_id!r} (HTTP 422: {said}).",
                hint="The id or the request is not accepted as sent.",
                status=422,
            )
        super().raise_for_status(response, rt, record_id)

    def related(self, record_type: str, document: dict[str, Any]) -> list[Related]:
        """A session's roaming CDRs, and the sessions of its extension chain."""
        if record_type != SESSION.name:
            return []
        record = _record(document)
        roaming = record.get("roaming") if isinstance(record.get("roaming"), dict) else {}
        cdr_ids = roaming.get("cdrIds") if isinstance(roaming.get("cdrIds"), list) else []
        out: list[Related] = []
        for cdr_id in cdr_ids:
            if (text := _id_text(cdr_id)) is not None:
                out.append(Related(f"Roaming CDR {text}", CDR.name, text))
        for key, title in (
            ("originalSessionId", "Session this one extends"),
            ("extendedBySessionId", "Session extending this one"),
            # Deprecated; set on an extending session (so it links to the session it extends).
            ("extendingSessionId", "Session linked by extendingSessionId (deprecated)"),
        ):
            text = _id_text(record.get(key))
            if text is not None and all(r.record_id != text for r in out if r.record_type == SESSION.name):
                out.append(Related(title, SESSION.name, text))
        return out

    def status_paths(self, record_type: str) -> tuple[str, ...]:
        if record_type == CDR.name:
            return ("data.deliveryResponse",)
        return ("data.status", "data.billingStatus", "data.paymentStatus", "data.energyConsumption.total", "data.totalAmount.withTax")

    def final_state(self, record_type: str, document: Any) -> str | None:
        if record_type == CDR.name:
            return "a CDR is final"
        record = _record(document)
        status, billing = record.get("status"), record.get("billingStatus")
        if status in FINAL_STATUSES and billing in ("completed", None):
            return f"status {status} is final and billing is {billing or 'not needed'}"
        return None

    def present(self, record_type: str, document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
        p = Presenter(document, problems)
        r = "data." if isinstance(document.get("data"), dict) else ""
        if not r:
            p.problem("the record is not wrapped in {\"data\": …} as documented: read as the record itself")
        return (present_cdr if record_type == CDR.name else present_session)(p, r)


def _record(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        return {}
    return document["data"] if isinstance(document.get("data"), dict) else document


def _id_text(value: Any) -> str | None:
    """An id as a link target: integers and digit strings that are valid ids (never a float's spelling)."""
    if isinstance(value, bool):
        return None
    text = str(value) if isinstance(value, int) else value if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and text.strip("0") and len(text) <= MAX_ID_DIGITS:
        return text
    return None


def _validation_errors(response: httpx.Response) -> str:
    try:
        body = loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ""
    if not isinstance(body, dict) or not isinstance(body.get("errors"), dict):
        return ""
    parts = [str(body.get("message") or "").strip()]
    for field, messages in list(body["errors"].items())[:5]:
        said = "; ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
        parts.append(f"{field}: {said}")
    return redact(" — ".join(x for x in parts if x))[:500]
