"""OCPI 2.2.1: sessions and CDRs pulled from a CPO's SENDER interfaces, as an eMSP.

Discovery, once per adapter (one per profile per process), under a lock:
GET versions_url -> the 2.2.1 entry -> GET its details -> the `sessions` and
`cdrs` SENDER endpoints.

The SENDER interfaces have no get-by-id. A lookup lists the objects whose
`last_updated` falls in a window (`window_days`, or `since`), page by page
through `Link: <...>; rel="next"`, and stops at the end of the first page that
holds the id. A CDR is also found by its `session_id`.

`Record.raw` is the matched object's bytes cut out of the page exactly as sent
(the page is parsed value by value with the json module's scanner, which tells
where each element of `data` starts and ends); a page that is not UTF-8 has its
object re-serialised instead, and a note says so. Pages are parsed, and records
built, in worker threads.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import functools
import json
import math
import re
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit
from uuid import uuid4

import httpx
from pydantic import BaseModel, field_validator, model_validator
from pydantic import Field as Setting

from evtui import decode
from evtui.adapters.base import (
    Adapter,
    AdapterSettings,
    Presenter,
    ProviderModel,
    decoded,
    derived,
    exchange_of,
    in_thread,
    leftover_fields,
    parse_json_body,
    problems_section,
    provider_message,
    section,
    shown_paths,
    url_problem,
    validate_leniently,
)
from evtui.errors import (
    CredentialsRejected,
    Forbidden,
    MalformedResponse,
    NotFound,
    ProviderError,
    Timeout,
    UsageError,
)
from evtui.progress import report
from evtui.record import Chart, Field, LazyRows, Record, RecordType, Related, Section, Table
from evtui.config.secrets import Secret
from evtui.transport.links import next_link, parse_links  # noqa: F401  (parse_links: public here before)
from evtui.transport.body import decoder, flatten_deep, hostile_findings, loads, without_sent_as
from evtui.transport.status import redirect_error

OCPI_VERSION = "2.2.1"
#: Objects asked for per page; servers may cap it lower (X-Limit says so).
PAGE_LIMIT = 100
#: A scan never follows more pages than this (a server ignoring offset would loop).
MAX_PAGES = 2000
#: Chart points beyond this (in kWh, kW, A) are left out of charts; tables show them as sent.
MAX_PLOTTED = 1e9
NOT_SENT_COST = "not sent (unknown, not zero)"
NOT_SENT_COST_NOTE = "absent is not free: the CPO has not priced it (yet)"


class OcpiSettings(AdapterSettings):
    #: The CPO's versions endpoint, e.g. https://cpo.example.com/ocpi/versions
    versions_url: str
    #: The credentials token the CPO issued to you (OCPI's "token C").
    token: Secret
    #: auto: base64 (as 2.2.1 says) first, the raw token after a 401; remembered per process.
    token_encoding: Literal["auto", "base64", "raw"] = "auto"
    #: Your own party, sent as OCPI-from-country-code / OCPI-from-party-id when set.
    country_code: str | None = None
    party_id: str | None = None
    #: How many days back a lookup scans (by last_updated); --since overrides it.
    window_days: int = Setting(30, ge=1, le=3650)
    #: Seconds one lookup's scan may take in all, beside the MAX_PAGES cap (each request has --timeout too).
    scan_timeout: float = Setting(300.0, gt=0, le=24 * 3600, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _base_from_versions(cls, data: Any) -> Any:
        # base_url drives the environment badge and `evtui profiles`: the versions URL is the base.
        # (Not a URL that cannot be used: versions_url's own check then names the right field.)
        versions = data.get("versions_url") if isinstance(data, dict) else None
        if isinstance(data, dict) and not data.get("base_url") and isinstance(versions, str) and not url_problem(versions):
            data = {**data, "base_url": data["versions_url"]}
        return data

    @field_validator("versions_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value.strip()):
            raise ValueError("must be the CPO's versions URL, e.g. https://cpo.example.com/ocpi/versions")
        return value.strip()

    @field_validator("country_code")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z]{2}", value):
            raise ValueError("must be two letters (ISO 3166-1 alpha-2), e.g. NL")
        return value.upper() if value else value

    @field_validator("party_id")
    @classmethod
    def _party(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9]{3}", value):
            raise ValueError("must be three letters or digits (ISO 15118 party id), e.g. EMP")
        return value.upper() if value else value


# -- models (OCPI 2.2.1; every field optional so validation stays lenient) ----------

Number = float | int


class Price(ProviderModel):
    excl_vat: Number | None = None
    incl_vat: Number | None = None


class CdrToken(ProviderModel):
    country_code: str | None = None
    party_id: str | None = None
    uid: str | None = None
    type: str | None = None
    contract_id: str | None = None


class Dimension(ProviderModel):
    type: str | None = None
    volume: Number | None = None


class ChargingPeriod(ProviderModel):
    start_date_time: str | None = None
    #: Items optional: lenient validation replaces a bad item by None, which must then fit.
    dimensions: list[Dimension | None] | None = None
    tariff_id: str | None = None


class GeoLocation(ProviderModel):
    #: Strings in OCPI ("51.047599"); numbers are flagged.
    latitude: str | None = None
    longitude: str | None = None


class CdrLocation(ProviderModel):
    id: str | None = None
    name: str | None = None
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    state: str | None = None
    #: ISO 3166-1 alpha-3.
    country: str | None = None
    coordinates: GeoLocation | None = None
    evse_uid: str | None = None
    evse_id: str | None = None
    connector_id: str | None = None
    connector_standard: str | None = None
    connector_format: str | None = None
    connector_power_type: str | None = None


class PriceComponent(ProviderModel):
    type: str | None = None
    price: Number | None = None
    vat: Number | None = None
    step_size: int | None = None


class TariffElement(ProviderModel):
    price_components: list[PriceComponent | None] | None = None
    restrictions: dict[str, Any] | None = None


class Tariff(ProviderModel):
    country_code: str | None = None
    party_id: str | None = None
    id: str | None = None
    currency: str | None = None
    type: str | None = None
    tariff_alt_text: list[dict[str, Any] | None] | None = None
    tariff_alt_url: str | None = None
    min_price: Price | None = None
    max_price: Price | None = None
    elements: list[TariffElement | None] | None = None
    energy_mix: dict[str, Any] | None = None
    start_date_time: str | None = None
    end_date_time: str | None = None
    last_updated: str | None = None


class SignedValue(ProviderModel):
    nature: str | None = None
    plain_data: str | None = None
    signed_data: str | None = None


class SignedData(ProviderModel):
    encoding_method: str | None = None
    encoding_method_version: int | None = None
    public_key: str | None = None
    signed_values: list[SignedValue | None] | None = None
    url: str | None = None


class _Common(ProviderModel):
    country_code: str | None = None
    party_id: str | None = None
    id: str | None = None
    start_date_time: str | None = None
    end_date_time: str | None = None
    cdr_token: CdrToken | None = None
    auth_method: str | None = None
    authorization_reference: str | None = None
    meter_id: str | None = None
    currency: str | None = None
    charging_periods: list[ChargingPeriod | None] | None = None
    #: A number in OCPI 2.1.1 (flagged), {excl_vat, incl_vat} in 2.2.1.
    total_cost: Price | Number | None = None
    last_updated: str | None = None
    # OCPI 2.1.1 spellings, accepted and flagged by the presentation.
    start_datetime: str | None = None
    end_datetime: str | None = None
    stop_date_time: str | None = None
    auth_id: str | None = None


class OcpiSession(_Common):
    kwh: Number | None = None
    location_id: str | None = None
    evse_uid: str | None = None
    connector_id: str | None = None
    status: str | None = None


class OcpiCdr(_Common):
    session_id: str | None = None
    cdr_location: CdrLocation | None = None
    tariffs: list[Tariff | None] | None = None
    signed_data: SignedData | None = None
    total_fixed_cost: Price | None = None
    total_energy: Number | None = None
    total_energy_cost: Price | None = None
    total_time: Number | None = None
    total_time_cost: Price | None = None
    total_parking_time: Number | None = None
    total_parking_cost: Price | None = None
    total_reservation_cost: Price | None = None
    remark: str | None = None
    invoice_reference_id: str | None = None
    credit: bool | None = None
    credit_reference_id: str | None = None
    home_charging_compensation: bool | None = None


# -- words ------------------------------------------------------------------------

SESSION_STATUS = {
    "ACTIVE": "ongoing: charging or still plugged in",
    "COMPLETED": "ended; a CDR should follow",
    "INVALID": "declared invalid by the CPO: it will not be billed (no CDR)",
    "PENDING": "not started yet: not all pre-conditions are met",
    "RESERVATION": "a reservation of the EVSE, not charging yet",
}
TOKEN_TYPE = {
    "AD_HOC_USER": "ad hoc: paid on the spot, no contract with an eMSP",
    "APP_USER": "started from an app",
    "OTHER": "another kind of token",
    "RFID": "an RFID card or tag",
}
AUTH_METHOD = {
    "AUTH_REQUEST": "authorised by a real-time request to the eMSP",
    "COMMAND": "started by a remote command (e.g. from an app)",
    "WHITELIST": "authorised from the CPO's local copy of the eMSP's tokens",
}
CONNECTOR_FORMAT = {"SOCKET": "a socket: the driver brings the cable", "CABLE": "a cable fixed to the charger"}
POWER_TYPE = {
    "AC_1_PHASE": "AC, single phase",
    "AC_2_PHASE": "AC, two phases",
    "AC_2_PHASE_SPLIT": "AC, two phases split (North America)",
    "AC_3_PHASE": "AC, three phases",
    "DC": "DC",
}
STATUS_CODES = {
    1000: "success",
    2000: "generic client error",
    2001: "invalid or missing parameters",
    2002: "not enough information",
    2003: "unknown location",
    2004: "unknown token",
    3000: "generic server error",
    3001: "unable to use the client's API",
    3002: "unsupported version",
    3003: "no matching endpoints",
    4000: "generic hub error",
    4001: "unknown receiver",
    4002: "timeout on forwarded request",
    4003: "connection problem",
}
STATUS_CLASSES = {
    1: "success",
    2: "client error: the CPO did not accept the request",
    3: "server error at the CPO",
    4: "hub error: a roaming hub between you and the CPO",
}

#: Dimension type -> (column label, unit, kind); kind "h" shows hours with a duration too.
DIMENSIONS: dict[str, tuple[str, str, str]] = {
    "ENERGY": ("Energy", "kWh", "n"),
    "ENERGY_IMPORT": ("Energy import", "kWh", "n"),
    "ENERGY_EXPORT": ("Energy export", "kWh", "n"),
    "TIME": ("Charging time", "h", "h"),
    "PARKING_TIME": ("Parking time", "h", "h"),
    "RESERVATION_TIME": ("Reservation time", "h", "h"),
    "MAX_POWER": ("Max power", "kW", "n"),
    "MIN_POWER": ("Min power", "kW", "n"),
    "POWER": ("Power", "kW", "n"),
    "MAX_CURRENT": ("Max current", "A", "n"),
    "MIN_CURRENT": ("Min current", "A", "n"),
    "CURRENT": ("Current", "A", "n"),
    "STATE_OF_CHARGE": ("State of charge", "%", "n"),
}
PRICE_UNITS = {"ENERGY": ("/kWh", "Wh"), "TIME": ("/h", "s"), "PARKING_TIME": ("/h", "s"), "FLAT": (" per session", "")}

#: Rough mainland boxes (lat min, lat max, lon min, lon max): enough to tell swapped coordinates.
COUNTRY_BOXES: dict[str, tuple[float, float, float, float]] = {
    "AUT": (46.3, 49.1, 9.5, 17.2), "BEL": (49.4, 51.6, 2.5, 6.5), "CHE": (45.8, 47.9, 5.9, 10.5),
    "CZE": (48.5, 51.1, 12.1, 18.9), "DEU": (47.2, 55.1, 5.8, 15.1), "DNK": (54.5, 57.8, 8.0, 15.2),
    "ESP": (36.0, 43.8, -9.4, 3.4), "FIN": (59.7, 70.1, 20.5, 31.6), "FRA": (41.3, 51.2, -5.2, 9.6),
    "GBR": (49.8, 60.9, -8.7, 1.8), "IRL": (51.4, 55.4, -10.5, -6.0), "ITA": (36.6, 47.1, 6.6, 18.6),
    "LUX": (49.4, 50.2, 5.7, 6.6), "NLD": (50.7, 53.7, 3.2, 7.3), "NOR": (57.9, 71.2, 4.5, 31.2),
    "POL": (49.0, 54.9, 14.1, 24.2), "PRT": (36.9, 42.2, -9.6, -6.1), "SWE": (55.3, 69.1, 11.0, 24.2),
}

SESSION = RecordType(
    "session",
    "Session",
    "A session id as the CPO sends it, e.g. CPO-SES-4711; sessions updated in the last window_days are scanned",
)
CDR = RecordType("cdr", "CDR", "A CDR id, or the id of the session it bills")
_PLURAL = {"session": "sessions", "cdr": "CDRs"}
_MODULE = {"session": "sessions", "cdr": "cdrs"}


@dataclasses.dataclass
class _Found:
    page: httpx.Response
    raw: bytes
    document: dict[str, Any]
    notes: list[str]
    findings: list[str]
    #: "id", or "session_id" when a CDR was found by the session it bills.
    matched_on: str

    def as_response(self) -> httpx.Response:
        headers = [(k, v) for k, v in self.page.headers.items() if k.lower() not in ("content-length", "content-encoding")]
        return httpx.Response(self.page.status_code, headers=headers, content=self.raw, request=self.page.request)


class OcpiAdapter(Adapter):
    name = "ocpi"
    title = "CPO (OCPI 2.2.1)"
    settings_model = OcpiSettings
    record_types = (SESSION, CDR)

    settings: OcpiSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._discovery_lock = asyncio.Lock()
        #: module ("sessions", "cdrs") -> SENDER url, once discovered.
        self._endpoints: dict[str, str] | None = None
        self._offered: list[str] = []
        self._discovered_at = ""
        #: The token encoding that worked (auto mode), for the rest of the process.
        self._encoding: str | None = None

    def now(self) -> datetime:
        """The end of the scan window (tests pin it)."""
        return datetime.now(timezone.utc)

    # -- ids -----------------------------------------------------------------------

    def id_problem(self, record_id: str, record_type: str) -> str | None:
        if len(record_id) > 255:
            return f"it has {len(record_id)} characters; OCPI ids have at most 36"
        bad = next((ch for ch in record_id if not ("!" <= ch <= "~")), None)
        if bad is not None:
            what = "a space" if bad == " " else repr(bad)
            return f"it contains {what}; OCPI ids are printable ASCII without spaces"
        return None

    def model_for(self, record_type: str) -> type[BaseModel]:
        return OcpiCdr if record_type == "cdr" else OcpiSession

    # -- fetching ---------------------------------------------------------------------

    async def fetch(self, raw_id: str, record_type: str | None = None, *, since: datetime | None = None) -> Record:
        rt = self.record_type(record_type)
        record_id = self.validate_id(raw_id, rt.name)
        await self.resolve_secrets()
        found = await self._find(rt, record_id, since)
        # Validating and presenting a big object takes a while: not on the event loop.
        return await in_thread(len(found.raw), self._record, rt, record_id, found)

    def _record(self, rt: RecordType, record_id: str, found: _Found) -> Record:
        document, hostile = hostile_findings(found.document)
        problems, sections, summary = self.present_safely(rt.name, document, [*found.findings, *hostile])
        shown = without_sent_as(document) if hostile else document
        if found.matched_on == "session_id":
            sections = [_with_found_by(s, record_id) if s.key == "overview" else s for s in sections]
        return Record(
            profile=self.profile,
            adapter=self.name,
            record_type=rt.name,
            record_id=record_id,
            raw=found.raw,
            document=document,
            make_model=functools.partial(self.model_of, rt.name, shown),
            sections=sections,
            summary=summary,
            exchange=exchange_of(found.page, found.notes),
            problems=problems,
            fetched_at=time.time(),
            related=self.related(rt.name, shown),
        )

    async def request(
        self, record_type: str, record_id: str, *, since: datetime | None = None
    ) -> tuple[httpx.Response, list[str]]:
        """The matched object as a response of its own (the page's URL, status and headers)."""
        found = await self._find(self.record_type(record_type), record_id, since)
        return found.as_response(), found.notes

    async def _find(self, rt: RecordType, record_id: str, since: datetime | None) -> _Found:
        correlation = str(uuid4())
        notes = [f"X-Correlation-ID {correlation} on every request of this lookup (quote it to the CPO)"]
        endpoints = await self._discover(notes, correlation)
        module = _MODULE[rt.name]
        plural = _PLURAL[rt.name]
        endpoint = endpoints.get(module)
        if endpoint is None:
            offered = ", ".join(self._offered) or "none"
            raise ProviderError(
                f"The CPO at {_host(self.settings.versions_url)} offers no {module} SENDER endpoint in its OCPI 2.2.1 "
                f"details (offered: {offered}).",
                hint=f"The CPO does not share {plural} with you over OCPI 2.2.1: ask them to enable the {module} module.",
            )
        date_to = self.now()
        if since is not None:
            date_from = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
            source = "--since"
        else:
            date_from = date_to - timedelta(days=self.settings.window_days)
            source = f"window_days = {self.settings.window_days}"
        if date_from >= date_to:
            raise UsageError(f"--since {_iso(date_from)} is not in the past: there is nothing to scan.")
        window = f"{_words_time(date_from)} to {_words_time(date_to)}"
        notes.append(f"scanning {plural} last updated from {_iso(date_from)} to {_iso(date_to)} ({source})")
        url = str(
            httpx.URL(endpoint).copy_merge_params(
                {"date_from": _iso(date_from), "date_to": _iso(date_to), "offset": "0", "limit": str(PAGE_LIMIT)}
            )
        )
        wanted = record_id.casefold()  # ids are CiStrings: case-insensitive
        pages = objects = 0
        total: int | None = None
        seen: set[str] = set()
        stopped = ""
        came_from = "the version details' endpoint"
        scan_started = time.monotonic()
        scan_limit = self.settings.scan_timeout
        while True:
            if url in seen:
                raise MalformedResponse(
                    f"The CPO's {module} list sent page {pages}'s next link back to a page already read ({url}).",
                    hint="The CPO's paging is broken: report it to the CPO with the X-Correlation-ID in the notes.",
                )
            seen.add(url)
            started = time.monotonic()
            remaining = scan_limit - (time.monotonic() - scan_started)
            try:
                if remaining <= 0:
                    raise TimeoutError
                async with asyncio.timeout(remaining):
                    response = await self._call(url, notes, correlation, came_from=came_from)
                    # Parsing a page of big objects (and its Link header) takes a while: not on the event loop.
                    data, spans, next_url = await in_thread(
                        len(response.content), self._list_page, response, module, notes, correlation
                    )
            except TimeoutError:
                raise Timeout(
                    f"The scan of the CPO's {plural} reached its {scan_limit:g} s limit after {pages} "
                    f"page{'s' if pages != 1 else ''} ({objects} {plural}) without finding {record_id!r}.",
                    hint=f"Narrow the window with --since, or raise scan_timeout (now {scan_limit:g}) in profile {self.profile!r}.",
                ) from None
            pages += 1
            objects += len(data)
            total = _int(response.headers.get("x-total-count"), total)
            limit = _int(response.headers.get("x-limit"), None)
            notes.append(
                f"page {pages}: GET {url} -> HTTP {response.status_code} ({_ms(started)} ms): {len(data)} {plural} "
                f"(X-Total-Count {total if total is not None else 'not sent'}, "
                f"X-Limit {limit if limit is not None else 'not sent'})"
            )
            elapsed = time.monotonic() - scan_started
            took = f", {elapsed:.0f} s of the {scan_limit:g} s scan_timeout" if elapsed >= 10 else ""
            report(f"Scanned {pages} page{'s' if pages != 1 else ''}, {objects} of {total if total is not None else '?'} {plural}{took}")
            match = self._match(rt, record_id, wanted, data, spans, response, pages, notes, more=next_url is not None)
            if match is not None:
                return match
            came_from = f'the Link rel="next" of page {pages}'
            if next_url is None and data and total is not None and objects < total:
                offset = _int(httpx.URL(url).params.get("offset"), 0) or 0
                next_url = str(httpx.URL(url).copy_set_param("offset", str(offset + len(data))))
                came_from = f"page {pages}'s URL with the offset moved on"
                notes.append(f"page {pages} has no Link rel=\"next\" though X-Total-Count says {total}: continued with offset {offset + len(data)}")
            if next_url is None:
                break
            if not data:
                stopped = f"; page {pages} was empty though it linked a next page: stopped there"
                notes.append(stopped[2:])
                break
            if pages >= MAX_PAGES:
                stopped = f"; stopped after {MAX_PAGES} pages"
                notes.append(stopped[2:])
                break
            url = next_url
        what = "id or session_id" if rt.name == "cdr" else "id"
        raise NotFound(
            f"No {rt.title if rt.name == 'cdr' else rt.name} with {what} {record_id!r} among the {objects} {plural} "
            f"the CPO lists as last updated from {window} ({pages} page{'s' if pages != 1 else ''} scanned{stopped}).",
            hint=(
                f"The CPO lists {plural} by last_updated: one last changed before {_words_time(date_from)} is not in "
                f"the window. Look further back with --since (a date such as {date_from.date() - timedelta(days=30)}, "
                f"or days such as {self.settings.window_days * 2}d), or raise window_days "
                f"(now {self.settings.window_days}) in profile {self.profile!r}."
                + (" A CDR appears only once the CPO has billed the ended session." if rt.name == "cdr" else "")
            ),
            status=response.status_code,
        )

    def _match(
        self,
        rt: RecordType,
        record_id: str,
        wanted: str,
        data: list[Any],
        spans: list[tuple[int, int]] | None,
        page: httpx.Response,
        pages: int,
        notes: list[str],
        *,
        more: bool,
    ) -> _Found | None:
        by_id = [i for i, o in enumerate(data) if isinstance(o, dict) and _ci(o.get("id")) == wanted]
        by_session = (
            [i for i, o in enumerate(data) if isinstance(o, dict) and _ci(o.get("session_id")) == wanted]
            if rt.name == "cdr"
            else []
        )
        group, matched_on = (by_id, "id") if by_id else (by_session, "session_id")
        if not group:
            return None
        # Most recently updated wins; on a tie, the later one in the list.
        chosen = max(group, key=lambda i: (_updated(data[i]), i))
        document = data[chosen]
        findings: list[str] = []
        plural = _PLURAL[rt.name]
        if len(group) > 1:
            who = "; ".join(
                f"{_party(data[i])} {data[i].get('id')!s} last updated {data[i].get('last_updated')}" for i in group
            )
            if matched_on == "id":
                findings.append(
                    f"{len(group)} {plural} on page {pages} have the id {record_id!r} (ids are unique only per "
                    f"country_code and party_id): {who}. Shown: the most recently updated, {_party(document)}."
                    + (" Later pages were not scanned." if more else "")
                )
            else:
                findings.append(
                    f"{len(group)} CDRs on page {pages} bill session {record_id!r} (e.g. a credit CDR and its "
                    f"replacement): {who}. Shown: the most recently updated, CDR {document.get('id')!s}."
                )
        if matched_on == "session_id":
            notes.append(f"found CDR {document.get('id')!s} by its session_id {record_id!r}")
        else:
            notes.append(f"found {rt.name} {document.get('id')!s} ({_party(document)}) on page {pages}; stopped scanning")
        if by_id and by_session:
            notes.append(f"{len(by_session)} CDR(s) on that page also bill a session with this id; the CDR id match is shown")
        raw = page.content[slice(*spans[chosen])] if spans is not None else None
        if raw is None:
            raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
            notes.append("the object's bytes could not be cut out of the page: Raw JSON is re-serialised from the parsed page")
        return _Found(page, raw, document, notes, findings, matched_on)

    # -- discovery -------------------------------------------------------------------

    async def _discover(self, notes: list[str], correlation: str) -> dict[str, str]:
        async with self._discovery_lock:
            if self._endpoints is not None:
                where = ", ".join(f"{m} {u}" for m, u in self._endpoints.items()) or "none"
                notes.append(f"reused the endpoints discovered at {self._discovered_at} ({where})")
                return self._endpoints
            versions_url = self.settings.versions_url
            started = time.monotonic()
            response = await self._call(versions_url, notes, correlation)
            body = self._envelope(response, "the versions list", notes, correlation)
            data = body.get("data")
            if not isinstance(data, list):
                raise MalformedResponse(
                    f"The versions list at {versions_url} has no list in `data`.",
                    hint="Check versions_url: it must be the CPO's OCPI versions endpoint.",
                )
            offered = [str(v.get("version")) for v in data if isinstance(v, dict)]
            notes.append(
                f"GET {versions_url} -> HTTP {response.status_code} ({_ms(started)} ms): versions {', '.join(offered) or 'none'}"
            )
            chosen = next(
                (v for v in data if isinstance(v, dict) and str(v.get("version")) == OCPI_VERSION and isinstance(v.get("url"), str)),
                None,
            )
            if chosen is None:
                listed = ", ".join(offered) if offered else "no versions at all"
                raise ProviderError(
                    f"The CPO at {_host(versions_url)} does not offer OCPI {OCPI_VERSION}: its versions list offers {listed}.",
                    hint=f"evtui speaks OCPI {OCPI_VERSION}. Ask the CPO for a {OCPI_VERSION} versions URL, or check versions_url.",
                )
            details_url = urljoin(versions_url, chosen["url"])
            started = time.monotonic()
            response = await self._call(details_url, notes, correlation, came_from=f"the versions list's {OCPI_VERSION} entry")
            body = self._envelope(response, f"the {OCPI_VERSION} version details", notes, correlation)
            details = body.get("data")
            endpoints = details.get("endpoints") if isinstance(details, dict) else None
            if not isinstance(endpoints, list):
                raise MalformedResponse(
                    f"The {OCPI_VERSION} version details at {details_url} list no endpoints.",
                    hint="The CPO's version details must carry data.endpoints.",
                )
            entries = [e for e in endpoints if isinstance(e, dict)]
            self._offered = [f"{e.get('identifier')} ({e.get('role', 'no role')})" for e in entries]
            found: dict[str, str] = {}
            for module in _MODULE.values():
                senders = [e for e in entries if e.get("identifier") == module and isinstance(e.get("url"), str)]
                sender = next((e for e in senders if e.get("role") == "SENDER"), None)
                if sender is None:
                    sender = next((e for e in senders if "role" not in e), None)
                    if sender is not None:
                        notes.append(f"the {module} endpoint has no role (as in OCPI 2.1.1): used as the SENDER")
                if sender is not None:
                    found[module] = urljoin(details_url, sender["url"])
            version = details.get("version") if isinstance(details, dict) else None
            if version != OCPI_VERSION:
                notes.append(f"the {OCPI_VERSION} details call themselves version {version!r}")
            notes.append(
                f"GET {details_url} -> HTTP {response.status_code} ({_ms(started)} ms): "
                + ", ".join(f"{m} SENDER {found.get(m, 'not offered')}" for m in _MODULE.values())
            )
            self._endpoints = found
            self._discovered_at = datetime.now(timezone.utc).strftime("%H:%M:%S UTC")
            return found

    # -- one request: auth, envelope ---------------------------------------------------

    def _headers(self, encoding: str, correlation: str) -> dict[str, str]:
        token = self.secret_header("token")
        value = base64.b64encode(token.encode("utf-8")).decode("ascii") if encoding == "base64" else token
        headers = {"Authorization": f"Token {value}", "X-Request-ID": str(uuid4()), "X-Correlation-ID": correlation}
        if self.settings.country_code:
            headers["OCPI-from-country-code"] = self.settings.country_code
        if self.settings.party_id:
            headers["OCPI-from-party-id"] = self.settings.party_id
        return headers

    async def _call(self, url: str, notes: list[str], correlation: str, *, came_from: str = "") -> httpx.Response:
        """`came_from` names who handed out `url` when the CPO did (discovery, paging): see origins."""
        mode = self.settings.token_encoding
        encoding = self._encoding or ("base64" if mode == "auto" else mode)
        response = await self.get(url, headers=self._headers(encoding, correlation), notes=notes, came_from=came_from)
        tried = f"sent {encoding}" if mode != "auto" else f"sent {encoding} (remembered)" if self._encoding else "sent base64"
        if response.status_code == 401 and mode == "auto" and self._encoding is None:
            notes.append('HTTP 401 with the base64-encoded token: retried once with the raw token (token_encoding = "auto")')
            response = await self.get(url, headers=self._headers("raw", correlation), notes=notes, came_from=came_from)
            tried = "tried base64-encoded, then raw"
            if 200 <= response.status_code < 300:
                self._encoding = "raw"
                notes.append("the raw token was accepted: this profile sends it raw from now on")
        elif 200 <= response.status_code < 300 and mode == "auto" and self._encoding is None:
            self._encoding = encoding
        if response.status_code == 401:
            said = provider_message(response)
            raise CredentialsRejected(
                f"The CPO at {_host(url)} rejected the token of profile {self.profile!r} "
                f"(HTTP 401{': ' + said if said else ''}; {tried}).",
                hint=self._token_hint(mode),
                status=401,
            )
        return response

    def _token_hint(self, mode: str) -> str:
        first = (
            f"Check token of profile {self.profile!r}: it is the credentials token the CPO issued to you "
            "(OCPI's token C), as it appears in the config file (`evtui profiles` shows which)."
        )
        if mode == "base64":
            return first + ' OCPI 2.1.1 and some 2.2 servers want the raw token: try token_encoding = "raw" or "auto".'
        if mode == "raw":
            return first + ' OCPI 2.2.1 wants it base64-encoded: try token_encoding = "base64" or "auto".'
        if self._encoding:
            return first + f" It was accepted {self._encoding} earlier in this process: it may have been revoked."
        return first + " Both encodings were tried, so the token itself is not accepted."

    def _envelope(self, response: httpx.Response, what: str, notes: list[str], correlation: str) -> dict[str, Any]:
        """The OCPI envelope of an answer; errors in the HTTP status or status_code raised."""
        self._refuse_errors(response, what, correlation)
        return self._checked(parse_json_body(response), response, what, notes, correlation)

    def _list_page(
        self, response: httpx.Response, module: str, notes: list[str], correlation: str
    ) -> tuple[list[Any], list[tuple[int, int]] | None, str | None]:
        """A list page's `data`, where each element sits in the body (None: cannot tell), and its next link."""
        what = f"the {module} list"
        self._refuse_errors(response, what, correlation)
        try:
            body, spans = parse_page(response.content)
        except (ValueError, RecursionError):
            body, spans = parse_json_body(response), None  # raises, saying what is wrong
        data = self._checked(body, response, what, notes, correlation).get("data")
        if not isinstance(data, list):
            raise MalformedResponse(
                f"The CPO's {module} list at {_host(str(response.request.url))} has no list in `data` ({type(data).__name__}).",
                hint="An OCPI list answer carries the objects as a JSON list in data.",
            )
        return data, spans, next_link(response.headers.get_list("link"), str(response.request.url))

    def _refuse_errors(self, response: httpx.Response, what: str, correlation: str) -> None:
        status = response.status_code
        host = response.request.url.host
        url = str(response.request.url)
        quote = f"Quote X-Correlation-ID {correlation} to the CPO."
        if 300 <= status < 400:
            raise redirect_error(response, what, hint="evtui does not follow redirects with your token: put the final URL in versions_url.")
        if status >= 400:
            said = _ocpi_said(response)
            suffix = f": {said}" if said else ""
            if status == 403:
                raise Forbidden(
                    f"The CPO at {host} refused profile {self.profile!r} access to {what} (HTTP 403{suffix}).",
                    hint="The token works but lacks access: ask the CPO which modules your credentials cover.",
                    status=status,
                )
            if status == 404:
                is_versions = what == "the versions list"
                raise ProviderError(
                    f"{what[0].upper() + what[1:]} is not at {url} (HTTP 404{suffix}).",
                    hint=f"Check versions_url of profile {self.profile!r}."
                    if is_versions
                    else "The CPO advertises an endpoint it does not serve: report it to the CPO. " + quote,
                    status=status,
                )
            if status == 429:
                self.raise_for_status(response, SESSION, "")  # RateLimited, with Retry-After
            if status >= 500:
                raise ProviderError(
                    f"The CPO at {host} answered {what} with a server error (HTTP {status}{suffix}).",
                    hint="The CPO has a problem on its side: try again shortly. " + quote,
                    status=status,
                )
            raise ProviderError(
                f"The CPO at {host} refused the request for {what} (HTTP {status}{suffix}).",
                hint="The CPO did not accept the request as sent; a date window longer than it serves is a common "
                "cause: try a shorter --since. " + quote,
                status=status,
            )

    def _checked(self, body: Any, response: httpx.Response, what: str, notes: list[str], correlation: str) -> dict[str, Any]:
        host = response.request.url.host
        status = response.status_code
        quote = f"Quote X-Correlation-ID {correlation} to the CPO."
        if not isinstance(body, dict) or ("data" not in body and "status_code" not in body):
            raise MalformedResponse(
                f"The answer to {what} from {host} is not an OCPI envelope ({{data, status_code, timestamp}}).",
                hint="Check versions_url: it must be the CPO's OCPI versions endpoint, not a web page or another API.",
            )
        code = _int(body.get("status_code"), None)
        if code is None:
            notes.append(f"the answer to {what} has no numeric status_code (OCPI requires one): taken as success")
        elif not 1000 <= code < 2000:
            message = body.get("status_message")
            said = f": {message}" if isinstance(message, str) and message else ""
            hint = {
                2: "The CPO did not accept the request as sent; a date window longer than it serves is a common cause: try a shorter --since. ",
                3: "The CPO has a problem on its side: try again later. ",
                4: "A hub between you and the CPO could not forward the request: try again later, or ask the hub. ",
            }.get(code // 1000, "")
            raise ProviderError(
                f"The CPO at {host} answered {what} with OCPI status_code {code} ({_status_words(code)}){said} "
                f"(HTTP {status}).",
                hint=hint + quote,
                status=status,
            )
        return body

    # -- related ----------------------------------------------------------------------

    def status_paths(self, record_type: str) -> tuple[str, ...]:
        return ("status", "end_date_time", "kwh", "total_cost.incl_vat", "total_cost.excl_vat")

    def final_state(self, record_type: str, document: Any) -> str | None:
        """A CDR is final by definition; a session once COMPLETED or INVALID."""
        if record_type == "cdr":
            return "a CDR is final"
        status = document.get("status") if isinstance(document, dict) else None
        return f"status {status} is final" if status in ("COMPLETED", "INVALID") else None

    def related(self, record_type: str, document: dict[str, Any]) -> list[Related]:
        out: list[Related] = []
        if record_type == "session":
            if document.get("status") == "COMPLETED" and isinstance(document.get("id"), str):
                out.append(Related("CDR of this session", "cdr", document["id"]))
        else:
            if isinstance(document.get("session_id"), str) and document["session_id"]:
                out.append(Related("Session of this CDR", "session", document["session_id"]))
            if document.get("credit") is True and isinstance(document.get("credit_reference_id"), str):
                out.append(Related("CDR this credit CDR reverses", "cdr", document["credit_reference_id"]))
        return out

    # -- presentation -----------------------------------------------------------------

    def present(
        self, record_type: str, document: dict[str, Any], model: Any, problems: list[str]
    ) -> tuple[list[Section], str]:
        p = Presenter(document, problems)
        sections, summary = (_present_cdr if record_type == "cdr" else _present_session)(p, document)
        if (ps := problems_section(problems)) is not None:
            sections.append(ps)
        return sections, summary


# -- presentation ------------------------------------------------------------------


def present_cdr(document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
    """Sections and summary of an OCPI CDR (2.2.1, or 2.1.1 spellings flagged) that came inside
    another provider's record (AMPECO's roaming CDRs): validated leniently, findings to `problems`.
    Field paths are the CDR's own."""
    problems.extend(validate_leniently(OcpiCdr, document)[1])
    return _present_cdr(Presenter(document, problems), document)


def _present_session(p: Presenter, document: dict[str, Any]) -> tuple[list[Section], str]:
    currency = p.get("currency")
    status = p.get("status")
    start = _start(p)
    end = _end(p, status)
    duration = _duration(p, status)
    energy = p.field("Energy", "kwh", decode.kwh, note="kWh, as sent", required=True)
    incl, excl = _total_fields(p, currency)
    location = p.field("Location", "location_id", required=True)
    evse = _session_evse(p)
    auth = _authorization(p)
    overview = section(
        "overview",
        "Overview",
        [
            p.field("Session id", "id", required=True),
            p.enum("Status", "status", SESSION_STATUS, required=True),
            start,
            end,
            duration,
            energy,
            incl,
            excl,
            location,
            evse,
            auth,
            _cpo(p),
        ],
    )
    periods = _Periods(p, total_path="kwh")
    charging = section(
        "charging",
        "Charging",
        [start, end, duration, energy, *periods.fields, p.field("Meter id", "meter_id")],
        [periods.table],
    )
    charging = dataclasses.replace(charging, charts=periods.charts)
    cost = section("cost", "Cost", [*_cost_fields(p, currency, ("total_cost",))])
    place = section(
        "location",
        "Location",
        [
            p.field("Location id", "location_id", required=True),
            p.field("EVSE uid", "evse_uid", required=True),
            p.field("Connector id", "connector_id", required=True),
        ],
    )
    token = section("token", "Token", _token_fields(p))
    identity = section("identity", "Identity", _identity_fields(p, "Session id"))
    sections = [overview, charging, cost, place, token, identity]
    _add_leftovers(sections, document)
    summary = " · ".join(
        x for x in (str(status) if status else "", str(p.get("location_id") or ""), _summary_cost(incl, excl), _sent(energy)) if x
    )
    return sections, summary


def _present_cdr(p: Presenter, document: dict[str, Any]) -> tuple[list[Section], str]:
    currency = p.get("currency")
    start = _start(p)
    end = _end(p, None)
    duration = _duration(p, None)
    energy = p.field("Energy", "total_energy", decode.kwh, note="kWh, as sent", required=True)
    incl, excl = _total_fields(p, currency)
    credit = p.get("credit") is True
    first = [p.field("CDR id", "id", required=True)]
    if credit:
        first.append(
            p.value(
                "Credit CDR",
                f"yes: reverses CDR {p.get('credit_reference_id') or '(credit_reference_id not sent)'}",
                note="amounts are negative: the earlier CDR is cancelled",
                path="credit",
                raw=True,
            )
        )
    overview = section(
        "overview",
        "Overview",
        [
            *first,
            p.field("Session id", "session_id", absent="not sent", note="the session this CDR bills"),
            start,
            end,
            duration,
            energy,
            incl,
            excl,
            _cdr_site(p),
            p.field("EVSE", "cdr_location.evse_id", required=True, note=_evse_note(p, "cdr_location.evse_uid", "cdr_location.connector_id")),
            _authorization(p),
            _cpo(p),
        ],
    )
    periods = _Periods(p, total_path="total_energy")
    charging = section(
        "charging",
        "Charging",
        [
            start,
            end,
            duration,
            energy,
            p.field("Total time", "total_time", _hours, note="hours, as sent: start to end", required=True),
            p.field("Parking time", "total_parking_time", _hours, note="hours, as sent: plugged in but not charging"),
            _charging_time(p),
            *periods.fields,
            p.field("Meter id", "meter_id"),
            _signed(p),
        ],
        [periods.table],
    )
    charging = dataclasses.replace(charging, charts=periods.charts)
    cost_paths = (
        "total_cost",
        "total_fixed_cost",
        "total_energy_cost",
        "total_time_cost",
        "total_parking_cost",
        "total_reservation_cost",
    )
    cost = section(
        "cost",
        "Cost",
        [
            *_cost_fields(p, currency, cost_paths),
            _components_check(p, currency),
            p.field("Credit", "credit", _yes_no, absent="no (not sent)"),
            p.field("Credit reference id", "credit_reference_id", note="the CDR a credit CDR reverses"),
            p.field("Invoice reference id", "invoice_reference_id"),
            p.field("Home charging compensation", "home_charging_compensation", _yes_no, note="the CPO pays the driver back (charging at home)"),
            p.field("Remark", "remark"),
        ],
    )
    location = section("location", "Location", _location_fields(p))
    token = section("token", "Token", _token_fields(p))
    tariffs = _tariffs_section(p, currency)
    identity = section("identity", "Identity", _identity_fields(p, "CDR id"))
    sections = [overview, charging, cost, location, token, tariffs, identity]
    _add_leftovers(sections, document)
    site = p.get("cdr_location.name")
    summary = " · ".join(
        x
        for x in ("credit CDR" if credit else "CDR", str(site) if isinstance(site, str) else "", _summary_cost(incl, excl), _sent(energy))
        if x
    )
    return sections, summary


def _add_leftovers(sections: list[Section], document: dict[str, Any]) -> None:
    shown = shown_paths(sections) | {"charging_periods", "tariffs", "signed_data"}
    other = leftover_fields(document, shown)
    if other:
        sections.append(section("other", "Other fields", other))


def _with_found_by(overview: Section, asked: str) -> Section:
    field = Field(
        "Found by",
        f"its session_id {asked}",
        note="you gave a session id: this is the CDR that bills that session",
        path="session_id",
        raw=asked,
        flag="derived",
    )
    return dataclasses.replace(overview, fields=(overview.fields[0], field, *overview.fields[1:]))


# -- fields shared by sessions and CDRs -------------------------------------------------


def _start(p: Presenter) -> Field:
    if not p.has("start_date_time") and p.get("start_datetime") is not None:
        p.problem("start_datetime is the OCPI 2.1.1 spelling of start_date_time")
        return p.field("Start", "start_datetime", decode.timestamp, note="OCPI 2.1.1 spelling start_datetime", flag="deprecated")
    return p.field("Start", "start_date_time", decode.timestamp, note=_utc_note(p.get("start_date_time")), required=True)


def _end_path(p: Presenter) -> tuple[str, str]:
    for path, spelling in (("end_date_time", ""), ("end_datetime", "end_datetime"), ("stop_date_time", "stop_date_time")):
        if p.get(path) is not None:
            return path, spelling
    return "end_date_time", ""


def _end(p: Presenter, status: Any) -> Field:
    path, spelling = _end_path(p)
    if spelling:
        p.problem(f"{spelling} is the OCPI 2.1.1 spelling of end_date_time")
        return p.field("End", path, decode.timestamp, note=f"OCPI 2.1.1 spelling {spelling}", flag="deprecated")
    if p.get(path) is None and status is not None:
        if status in ("ACTIVE", "PENDING", "RESERVATION"):
            return p.value("End", "— (not ended)", note=f"no end_date_time: the session is {str(status).lower()}", path=path)
        return p.field("End", path, absent="not sent", note=f"the session is {status} but carries no end_date_time")
    return p.field("End", path, decode.timestamp, note=_utc_note(p.get(path)), required=status is None)


def _duration(p: Presenter, status: Any) -> Field:
    start = decode.parse_timestamp(p.get("start_date_time") or p.get("start_datetime"))
    end = decode.parse_timestamp(p.get(_end_path(p)[0]))
    if start is not None and end is not None:
        return p.value("Duration", decode.human_duration((end - start).total_seconds()) or "", note="derived: end − start", flag="derived")
    updated = decode.parse_timestamp(p.get("last_updated"))
    if start is not None and updated is not None and status == "ACTIVE":
        so_far = decode.human_duration((updated - start).total_seconds())
        return p.value("Duration", f"{so_far} so far", note="derived: last_updated − start (still going)", flag="derived")
    return p.value("Duration", "—", note="needs both start and end")


def _utc_note(raw: Any) -> str:
    if isinstance(raw, str) and decode.parse_timestamp(raw) is not None and not re.search(r"(Z|[+-]\d\d:?\d\d)$", raw.strip(), re.I):
        return "sent without a zone: UTC, as OCPI defines"
    return ""


def _cpo(p: Presenter) -> Field:
    cc, pid = p.get("country_code"), p.get("party_id")
    if not cc and not pid:
        return p.field("CPO", "party_id", required=True)
    return p.value("CPO", f"{cc or '?'}*{pid or '?'}", note="country_code*party_id of the CPO that sent it", path="party_id", raw=pid)


def _authorization(p: Presenter) -> Field:
    token = p.get("cdr_token")
    if not isinstance(token, dict):
        if p.get("auth_id") is not None:
            p.problem("auth_id is the OCPI 2.1.1 field; 2.2.1 sends cdr_token")
            return p.field("Authorization", "auth_id", note="OCPI 2.1.1 auth_id (2.2.1 sends cdr_token)", flag="deprecated")
        return p.field("Authorization", "cdr_token", required=True)
    uid, kind, contract = token.get("uid"), token.get("type"), token.get("contract_id")
    value = f"{uid} ({kind})" if kind else str(uid)
    parts = []
    if contract:
        parts.append(f"contract {contract}")
    method = p.get("auth_method")
    if method:
        parts.append(f"{method}: {AUTH_METHOD.get(str(method), 'not a documented value')}")
    return p.value("Authorization", value, note="; ".join(parts), path="cdr_token.uid", raw=uid)


def _token_fields(p: Presenter) -> list[Field]:
    fields: list[Field] = []
    if not isinstance(p.get("cdr_token"), dict) and p.get("auth_id") is not None:
        fields.append(_authorization(p))
    else:
        fields += [
            p.field("Token uid", "cdr_token.uid", required=True, note="the RFID uid or app user id the CPO saw"),
            p.enum("Token type", "cdr_token.type", TOKEN_TYPE, required=True),
            p.field("Contract id", "cdr_token.contract_id", required=True, note="the driver's contract (eMA id) at the eMSP"),
            p.field("Token country code", "cdr_token.country_code", note="of the eMSP that issued the token"),
            p.field("Token party id", "cdr_token.party_id", note="of the eMSP that issued the token"),
        ]
    fields += [
        p.enum("Auth method", "auth_method", AUTH_METHOD, required=True),
        p.field("Authorization reference", "authorization_reference", note="the eMSP's reference from the real-time authorisation"),
    ]
    return fields


def _identity_fields(p: Presenter, label: str) -> list[Field]:
    return [
        p.field(label, "id", required=True),
        p.field("Country code", "country_code", required=True, note="of the CPO (ISO 3166-1 alpha-2)"),
        p.field("Party id", "party_id", required=True, note="of the CPO"),
        p.field("Last updated", "last_updated", decode.timestamp, required=True, note=_utc_note(p.get("last_updated")) or "lists are filtered and ordered by this"),
    ]


def _session_evse(p: Presenter) -> Field:
    uid = p.get("evse_uid")
    if uid is None:
        return p.field("EVSE", "evse_uid", required=True)
    connector = p.get("connector_id")
    value = f"{uid}, connector {connector}" if connector is not None else str(uid)
    return p.value("EVSE", value, note="evse_uid, connector_id (the CPO's internal ids)", path="evse_uid", raw=uid)


def _evse_note(p: Presenter, uid_path: str, connector_path: str) -> str:
    parts = []
    if p.get(uid_path) is not None:
        parts.append(f"evse_uid {p.get(uid_path)}")
    if p.get(connector_path) is not None:
        parts.append(f"connector {p.get(connector_path)}")
    return ", ".join(parts)


def _cdr_site(p: Presenter) -> Field:
    name, city = p.get("cdr_location.name"), p.get("cdr_location.city")
    if not isinstance(p.get("cdr_location"), dict):
        return p.field("Location", "cdr_location", required=True)
    value = ", ".join(str(x) for x in (name, city) if x) or str(p.get("cdr_location.id") or "—")
    return p.value("Location", value, note=f"location id {p.get('cdr_location.id')}", path="cdr_location.name", raw=name)


def _location_fields(p: Presenter) -> list[Field]:
    base = "cdr_location"
    if not isinstance(p.get(base), dict):
        return [p.field("Location", base, required=True)]
    country = p.get(f"{base}.country")
    return [
        p.field("Name", f"{base}.name"),
        p.field("Address", f"{base}.address", required=True),
        p.field("Postal code", f"{base}.postal_code"),
        p.field("City", f"{base}.city", required=True),
        p.field("State", f"{base}.state"),
        p.field(
            "Country",
            f"{base}.country",
            required=True,
            note="ISO 3166-1 alpha-3" + (" (2.2.1 sends three letters)" if isinstance(country, str) and len(country) != 3 else ""),
        ),
        _coordinates(p, f"{base}.coordinates", country),
        p.field("Location id", f"{base}.id", required=True),
        p.field("EVSE id", f"{base}.evse_id", required=True, note="the EVSE id printed on the charger (eMI3)"),
        p.field("EVSE uid", f"{base}.evse_uid", required=True, note="the CPO's internal id"),
        p.field("Connector id", f"{base}.connector_id", required=True),
        p.field("Connector standard", f"{base}.connector_standard", required=True),
        p.enum("Connector format", f"{base}.connector_format", CONNECTOR_FORMAT, required=True),
        p.enum("Power type", f"{base}.connector_power_type", POWER_TYPE, required=True),
    ]


def _coordinates(p: Presenter, path: str, country: Any) -> Field:
    lat_raw, lon_raw = p.get(f"{path}.latitude"), p.get(f"{path}.longitude")
    if lat_raw is None or lon_raw is None:
        return p.field("Coordinates", path, required=True)
    lat, lon = decode.to_decimal(lat_raw), decode.to_decimal(lon_raw)
    value = f"{lat_raw}, {lon_raw}"
    note = "latitude, longitude as sent"
    if not (isinstance(lat_raw, str) and isinstance(lon_raw, str)):
        note += "; sent as numbers (OCPI sends strings)"
    if lat is None or lon is None:
        return p.value("Coordinates", value, note=note + "; not numbers", path=path, raw=p.get(path), flag="invalid")
    if abs(lat) > 90 or abs(lon) > 180:
        swapped = abs(lon) <= 90 and abs(lat) <= 180
        why = "latitude outside ±90" if abs(lat) > 90 else "longitude outside ±180"
        p.problem(f"{path}: {why}" + ("; latitude and longitude look swapped" if swapped else ""))
        return p.value(
            "Coordinates", value, note=f"{note}; {why}" + (": looks swapped" if swapped else ""), path=path, raw=p.get(path), flag="invalid"
        )
    box = COUNTRY_BOXES.get(str(country).upper()) if isinstance(country, str) else None
    if box is not None:
        inside = _in_box(box, float(lat), float(lon))
        if not inside and _in_box(box, float(lon), float(lat)):
            p.problem(f"{path}: latitude and longitude look swapped ({lon_raw}, {lat_raw} lies in {country}; as sent it does not)")
            return p.value(
                "Coordinates",
                value,
                note=f"{note}; inferred: looks swapped: {lon_raw}, {lat_raw} lies in {country}, the pair as sent does not",
                path=path,
                raw=p.get(path),
                flag="inferred",
            )
        if not inside:
            return p.value("Coordinates", value, note=f"{note}; inferred: outside {country}", path=path, raw=p.get(path), flag="inferred")
    return p.value("Coordinates", value, note=note, path=path, raw=p.get(path))


def _in_box(box: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    return box[0] <= lat <= box[1] and box[2] <= lon <= box[3]


# -- cost --------------------------------------------------------------------------------


def _total_fields(p: Presenter, currency: Any) -> tuple[Field, Field]:
    raw = p.get("total_cost")
    if _is_number(raw):
        p.problem("total_cost is a bare number (OCPI 2.1.1 style; 2.2.1 sends {excl_vat, incl_vat})")
        money = decode.money_major(raw, currency) or str(raw)
        return (
            p.value("Total incl. VAT", NOT_SENT_COST, note="OCPI 2.1.1 sends one amount, excl. VAT", path="total_cost"),
            p.value("Total excl. VAT", money, note="OCPI 2.1.1 style: total_cost is a bare number", path="total_cost", raw=raw, flag="deprecated"),
        )

    def money(v: Any) -> str | None:
        return decode.money_major(v, currency)

    return (
        p.field("Total incl. VAT", "total_cost.incl_vat", money, absent=NOT_SENT_COST, null=NOT_SENT_COST, note=_absent_note(p, "total_cost.incl_vat")),
        p.field("Total excl. VAT", "total_cost.excl_vat", money, absent=NOT_SENT_COST, null=NOT_SENT_COST, note=_absent_note(p, "total_cost.excl_vat")),
    )


def _absent_note(p: Presenter, path: str) -> str:
    return "" if p.get(path) is not None else NOT_SENT_COST_NOTE


_COST_LABELS = {
    "total_cost": "Total cost",
    "total_fixed_cost": "Fixed cost",
    "total_energy_cost": "Energy cost",
    "total_time_cost": "Time cost",
    "total_parking_cost": "Parking cost",
    "total_reservation_cost": "Reservation cost",
}


def _cost_fields(p: Presenter, currency: Any, paths: tuple[str, ...]) -> list[Field]:
    fields = [p.field("Currency", "currency", required=True, note=f"ISO 4217, {decode.currency_exponent(currency)} decimal digits" if currency else "")]
    for path in paths:
        fields.append(_price_field(p, _COST_LABELS[path], path, currency))
        if path == "total_cost":
            fields.append(derived(lambda: _vat_field(p, currency), p.value("VAT", "— (beyond what evtui can compute from the totals sent)", flag="derived")))
    return fields


def _price_field(p: Presenter, label: str, path: str, currency: Any) -> Field:
    raw = p.get(path)
    if raw is None:
        return p.value(label, NOT_SENT_COST, note=NOT_SENT_COST_NOTE if path == "total_cost" else "", path=path, raw=raw)
    if _is_number(raw):
        return p.value(label, f"{decode.money_major(raw, currency)} excl. VAT", note="OCPI 2.1.1 style: a bare number", path=path, raw=raw, flag="deprecated")
    if not isinstance(raw, dict):
        return p.field(label, path)
    excl = decode.money_major(raw.get("excl_vat"), currency)
    incl = decode.money_major(raw.get("incl_vat"), currency)
    value = " · ".join(
        [f"{incl} incl. VAT" if incl else "incl. VAT not sent", f"{excl} excl. VAT" if excl else "excl. VAT not sent"]
    )
    flag = "invalid" if p.is_invalid(path) else None
    return p.value(label, value, note="major units" + ("; not of the documented type, shown as sent" if flag else ""), path=path, raw=raw, flag=flag)


def _vat_field(p: Presenter, currency: Any) -> Field:
    excl = decode.to_decimal(p.get("total_cost.excl_vat"))
    incl = decode.to_decimal(p.get("total_cost.incl_vat"))
    if excl is None or incl is None:
        return p.value("VAT", "—", note="needs total_cost incl. and excl. VAT")
    vat = incl - excl
    rate = f" ({decode.number((vat / excl * 100).quantize(Decimal('0.1')))} % of excl. VAT)" if excl else ""
    return p.value("VAT", f"{decode.money_major(vat, currency)}{rate}", note="derived: incl. − excl. VAT", flag="derived")


def _components_check(p: Presenter, currency: Any) -> Field:
    parts = [p.get(k) for k in ("total_fixed_cost", "total_energy_cost", "total_time_cost", "total_parking_cost", "total_reservation_cost")]
    sent = [x for x in parts if isinstance(x, dict)]
    total = decode.to_decimal(p.get("total_cost.excl_vat"))
    note = "derived: fixed + energy + time + parking + reservation, excl. VAT (a min/max price may explain a difference)"
    if not sent or total is None:
        return p.value("Components check", "— (no cost components sent)" if not sent else "— (no total excl. VAT)", note=note, flag="derived")
    amounts = [decode.to_decimal(x.get("excl_vat")) for x in sent]
    s = sum((a for a in amounts if a is not None), Decimal(0))
    if (s - total).copy_abs() <= Decimal("0.01"):
        text = f"agrees: components sum to {decode.money_major(s, currency)}"
    else:
        text = f"differs: components sum to {decode.money_major(s, currency)}, total is {decode.money_major(total, currency)}"
    return p.value("Components check", text, note=note, flag="derived")


def _summary_cost(incl: Field, excl: Field) -> str:
    for f in (incl, excl):
        if f.value not in (NOT_SENT_COST, "—", "null") and f.flag != "invalid":
            return f.value
    return "cost not sent"


def _sent(field: Field) -> str:
    return field.value if field.value not in ("—", "null", "(missing)") else ""


# -- charging periods -------------------------------------------------------------------


class _Periods:
    """The charging periods as a table, its findings as fields, and charts."""

    def __init__(self, p: Presenter, *, total_path: str) -> None:
        self.fields: list[Field] = []
        self.charts: tuple[Chart, ...] = ()
        raw = p.get("charging_periods")
        if not isinstance(raw, list) or not raw:
            note = "none sent" if raw is None else "empty list" if raw == [] else "not a list: see Other fields"
            self.table = Table("Charging periods", ("Start",), (), note=note)
            return
        periods = [x if isinstance(x, dict) else {} for x in raw]
        starts = [decode.parse_timestamp(x.get("start_date_time")) for x in periods]
        end = decode.parse_timestamp(p.get(_end_path(p)[0]))
        same_day = len({s.date() for s in starts if s is not None}) <= 1
        label = (lambda d: d.strftime("%H:%M:%S")) if same_day else (lambda d: d.strftime("%m-%d %H:%M"))

        def duration(i: int) -> float | None:
            start, nxt = starts[i], starts[i + 1] if i + 1 < len(starts) else end
            return (nxt - start).total_seconds() if start is not None and nxt is not None else None

        per_dims = [_dims(x) for x in periods]
        sent = set().union(*per_dims)
        kinds = [k for k in DIMENSIONS if k in sent]
        unknown = sorted(sent - DIMENSIONS.keys())
        for k in unknown:
            p.problem(f"unknown charging period dimension {k!r} (shown as sent)")
        energy = [decode.to_decimal(d.get("ENERGY")) for d in per_dims]
        wh = self._looks_like_wh(p, energy, total_path)
        columns = ("Start", "Duration", *[DIMENSIONS[k][0] for k in kinds], *unknown, "Tariff")

        def row(i: int) -> tuple[str, ...]:
            period, d, start, dur = periods[i], _dims(periods[i]), starts[i], duration(i)
            start_text = label(start) if start is not None else str(period.get("start_date_time", "—"))
            if dur is not None:
                dur_text = decode.human_duration(dur) or "—"
            else:
                dur_text = "ongoing" if i == len(periods) - 1 and start is not None else "—"
            cells = [_dimension_text(k, d[k], wh) if k in d else "—" for k in kinds]
            cells += [json.dumps(d[k], ensure_ascii=False) if k in d else "—" for k in unknown]
            return (start_text, dur_text, *cells, str(period.get("tariff_id") or "—"))

        note = "times UTC; each period lasts until the next starts, the last until the end"
        if wh:
            note += "; ENERGY volumes look like Wh (inferred), kWh in brackets"
        self.table = Table("Charging periods", columns, LazyRows(len(periods), row), note=note)

        # Energy in the periods against the record's total.
        known = [e for e in energy if e is not None]
        if known:
            s = sum(known, Decimal(0))
            total = decode.to_decimal(p.get(total_path))
            in_kwh = s / 1000 if wh else s
            verdict = ""
            if total is not None:
                agrees = (in_kwh - total).copy_abs() <= max(Decimal("0.01"), total.copy_abs() * Decimal("0.01"))
                verdict = f"; {'agrees with' if agrees else 'differs from'} {total_path} {decode.kwh(total)}"
            text = f"{decode.number(s)} (looks like Wh = {decode.kwh(in_kwh)})" if wh else f"{decode.kwh(s)}"
            self.fields.append(
                p.value(
                    "Energy in periods",
                    text + verdict,
                    note="derived: sum of the periods' ENERGY volumes",
                    flag="inferred" if wh else "derived",
                )
            )

        # Charts: energy per period, average power (energy / duration), max power if sent.
        points_e: list[tuple[str, float]] = []
        points_p: list[tuple[str, float]] = []
        points_max: list[tuple[str, float]] = []
        for i, e in enumerate(energy):
            start = starts[i]
            if start is None:
                continue
            x = label(start)
            if e is not None:
                kwh = e / 1000 if wh else e
                points_e.append((x, float(kwh)))
                dur = duration(i)
                if dur and dur > 0:
                    points_p.append((x, round(float(kwh) / (dur / 3600), 3)))
            mx = decode.to_decimal(per_dims[i].get("MAX_POWER"))
            if mx is not None:
                points_max.append((x, float(mx)))
        converted = " (converted from what looks like Wh)" if wh else ""
        # A chart scales to its largest point: one absurd or infinite value would flatten (or break) it.
        points_e, points_p, points_max = (
            [(x, v) for x, v in points if math.isfinite(v) and abs(v) <= MAX_PLOTTED] for points in (points_e, points_p, points_max)
        )
        charts = []
        if points_e:
            charts.append(Chart("Energy per period", "kWh", tuple(points_e), note="ENERGY of each period" + converted + "; periods without ENERGY left out"))
        if points_p:
            charts.append(Chart("Average power", "kW", tuple(points_p), note="derived: period energy ÷ period duration" + converted))
        if points_max:
            charts.append(Chart("Max power", "kW", tuple(points_max), note="MAX_POWER of each period, as sent"))
        self.charts = tuple(charts)

    def _looks_like_wh(self, p: Presenter, energy: list[Decimal | None], total_path: str) -> bool:
        known = [e for e in energy if e is not None]
        if not known:
            return False
        s = sum(known, Decimal(0))
        total = decode.to_decimal(p.get(total_path))
        if total is not None and total > 0:
            wh = Decimal(500) <= s / total <= Decimal(2000)
        else:
            wh = any(e > 1000 for e in known)  # over a MWh in one period: no car takes that
        if wh:
            why = f"they sum to {decode.number(s)} while {total_path} is {decode.number(total)}" if total else "a period holds over 1000"
            p.problem(f"charging_periods: ENERGY volumes look like Wh, not the kWh OCPI defines ({why}); inferred")
            self.fields.append(
                p.value(
                    "Period energy unit",
                    "looks like Wh, not kWh",
                    note=f"inferred: {why}; OCPI defines kWh",
                    path="charging_periods",
                    flag="inferred",
                )
            )
        return wh


def _dims(period: dict[str, Any]) -> dict[str, Any]:
    """A period's dimensions by type (the first of a type counts)."""
    out: dict[str, Any] = {}
    for d in period.get("dimensions") or []:
        if isinstance(d, dict) and isinstance(d.get("type"), str):
            out.setdefault(d["type"], d.get("volume"))
    return out


def _dimension_text(kind: str, volume: Any, wh: bool) -> str:
    d = decode.to_decimal(volume)
    if d is None:
        return json.dumps(volume, ensure_ascii=False)
    _, unit, how = DIMENSIONS[kind]
    if kind == "ENERGY" and wh:
        return f"{decode.number(d)} (looks like Wh: {decode.kwh(d / 1000)})"
    if how == "h":
        return f"{decode.number(d)} h ({decode.hours_duration(d)})"
    return f"{decode.number(d)} {unit}"


def _hours(value: Any) -> str | None:
    d = decode.to_decimal(value)
    return None if d is None else f"{decode.hours_duration(d)} ({decode.number(d)} h)"


def _charging_time(p: Presenter) -> Field:
    total = decode.to_decimal(p.get("total_time"))
    parking = decode.to_decimal(p.get("total_parking_time"))
    if total is None:
        return p.value("Charging time", "—", note="needs total_time")
    hours = total - (parking or 0)
    return p.value(
        "Charging time", _hours(hours) or "", note="derived: total_time − total_parking_time" if parking is not None else "derived: total_time (no parking time sent)", flag="derived"
    )


def _signed(p: Presenter) -> Field:
    signed = p.get("signed_data")
    if not isinstance(signed, dict):
        return p.field("Signed data", "signed_data", absent="not sent (no calibration-law signed meter values)")
    values = signed.get("signed_values") if isinstance(signed.get("signed_values"), list) else []
    method = " ".join(str(x) for x in (signed.get("encoding_method"), signed.get("encoding_method_version")) if x is not None)
    natures = ", ".join(str(v.get("nature")) for v in values if isinstance(v, dict))
    return p.value(
        "Signed data",
        f"{method or 'encoding not named'}: {len(values)} signed value{'s' if len(values) != 1 else ''}" + (f" ({natures})" if natures else ""),
        note="signed meter values for calibration law (Eichrecht); verify with the encoding's transparency software",
        path="signed_data",
        raw=signed,
    )


# -- tariffs ----------------------------------------------------------------------------


def _tariffs_section(p: Presenter, currency: Any) -> Section:
    raw = p.get("tariffs")
    used = []
    for period in p.get("charging_periods") or []:
        if isinstance(period, dict) and period.get("tariff_id") and period["tariff_id"] not in used:
            used.append(period["tariff_id"])
    fields = [p.value("Used by periods", ", ".join(map(str, used)) or "none named", note="tariff_id of the charging periods", path="charging_periods")]
    if not isinstance(raw, list) or not raw:
        table = Table("Tariffs", ("Id",), (), note="none sent" if raw is None else "empty")
        return section("tariffs", "Tariffs", fields, [table])
    rows = []
    for t in raw:
        if not isinstance(t, dict):
            rows.append((json.dumps(t, ensure_ascii=False), "", "", "", "", ""))
            continue
        cur = t.get("currency") or currency
        elements = t.get("elements") if isinstance(t.get("elements"), list) else []
        rows.append(
            (
                f"{t.get('country_code', '?')}*{t.get('party_id', '?')} {t.get('id', '?')}",
                str(cur or "—"),
                str(t.get("type") or "—"),
                " | ".join(_element_text(e, cur) for e in elements) or "—",
                _min_max(t, cur),
                decoded(decode.timestamp, t.get("last_updated")) or str(t.get("last_updated") or "—"),
            )
        )
    table = Table(
        "Tariffs",
        ("Tariff", "Currency", "Type", "Price components (excl. VAT)", "Min/max price", "Last updated"),
        tuple(rows),
        note="elements separated by |; restrictions in brackets",
    )
    return section("tariffs", "Tariffs", fields, [table])


def _element_text(element: Any, currency: Any) -> str:
    if not isinstance(element, dict):
        return json.dumps(element, ensure_ascii=False)
    parts = []
    for c in element.get("price_components") or []:
        if not isinstance(c, dict):
            continue
        kind = str(c.get("type"))
        per, step_unit = PRICE_UNITS.get(kind, ("", ""))
        text = f"{kind} {decode.money_major(c.get('price'), currency) or c.get('price')}{per}"
        if c.get("vat") is not None:
            text += f" + {decode.number(c.get('vat'))} % VAT"
        if c.get("step_size") not in (None, 0, 1) or (step_unit == "s" and c.get("step_size") == 1):
            text += f", billed in steps of {c.get('step_size')} {step_unit}".rstrip()
        parts.append(text)
    restrictions = element.get("restrictions")
    if isinstance(restrictions, dict) and restrictions:
        parts.append("(" + ", ".join(f"{k} {v}" for k, v in restrictions.items()) + ")")
    return "; ".join(parts) or "—"


def _min_max(tariff: dict[str, Any], currency: Any) -> str:
    out = []
    for key, word in (("min_price", "min"), ("max_price", "max")):
        v = tariff.get(key)
        if isinstance(v, dict) and v.get("excl_vat") is not None:
            out.append(f"{word} {decode.money_major(v.get('excl_vat'), currency)}")
    return ", ".join(out) or "—"


# -- small helpers -------------------------------------------------------------------------


def _yes_no(value: Any) -> str | None:
    return "yes" if value is True else "no" if value is False else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _ci(value: Any) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _updated(obj: dict[str, Any]) -> float:
    dt = decode.parse_timestamp(obj.get("last_updated"))
    return dt.timestamp() if dt is not None else float("-inf")


def _party(obj: dict[str, Any]) -> str:
    return f"{obj.get('country_code', '?')}*{obj.get('party_id', '?')}"


def _int(value: Any, default: int | None) -> int | None:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return default


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _words_time(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _ms(started: float) -> str:
    return f"{(time.monotonic() - started) * 1000:.0f}"


def _status_words(code: int) -> str:
    return STATUS_CODES.get(code) or STATUS_CLASSES.get(code // 1000, "not an OCPI status code")


def _ocpi_said(response: httpx.Response) -> str:
    """An error body's words, with the OCPI status_code in words when there is one."""
    said = provider_message(response)
    try:
        body = loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return said
    code = _int(body.get("status_code"), None) if isinstance(body, dict) else None
    if code is not None and code != 1000:
        message = body.get("status_message")
        return f"OCPI {code} {_status_words(code)}" + (f": {message}" if message else "")
    return said


# -- the page parsed, with the byte span of each element of `data` --------------------------

_WS = re.compile(r"[ \t\n\r]*")


def parse_page(body: bytes) -> tuple[Any, list[tuple[int, int]] | None]:
    """The page as json.loads parses it, and the byte span of each element of its `data` list.

    The json module's own scanner reads the page value by value, so a span is exactly
    what the parser read for that element: the bytes cut out need no second check, and
    the page is parsed once. Spans are None unless the body is UTF-8 and an object with
    a `data` list. A body that is not JSON raises ValueError, as json.loads does.
    """
    encoding = json.detect_encoding(body)
    if encoding in ("utf-8", "utf-8-sig"):
        text = body.decode(encoding, "surrogatepass")
        try:
            try:
                page, spans = _walk_object(text, decoder(text).scan_once)
            except RecursionError:
                # Nesting too deep for the json module: such values become marked strings
                # (see transport.body), and the spans are mapped back to the bytes as sent.
                flat, to_original = flatten_deep(text)
                page, spans = _walk_object(flat, decoder(flat).scan_once)
                spans = None if spans is None else [(to_original(a), to_original(b)) for a, b in spans]
        except (ValueError, StopIteration, RecursionError):
            pass  # json.loads below says what is wrong (or parses what this walk does not know)
        else:
            bom = len(body) - len(text.encode("utf-8", "surrogatepass"))
            return page, None if spans is None else _byte_spans(text, spans, bom)
    return loads(body), None


def _walk_object(text: str, scan: Any) -> tuple[dict[str, Any], list[tuple[int, int]] | None]:
    i = _WS.match(text).end()
    if text[i : i + 1] != "{":
        raise ValueError("not an object")
    page: dict[str, Any] = {}
    spans = None
    i = _WS.match(text, i + 1).end()
    while text[i : i + 1] != "}":
        if text[i : i + 1] != '"':
            raise ValueError("a key expected")
        key, i = scan(text, i)
        i = _WS.match(text, i).end()
        if text[i : i + 1] != ":":
            raise ValueError("':' expected")
        i = _WS.match(text, i + 1).end()
        # json.loads keeps the last of duplicate keys: so do the spans.
        if key == "data" and text[i : i + 1] == "[":
            page[key], i, spans = _walk_array(text, i, scan)
        else:
            page[key], i = scan(text, i)
            spans = None if key == "data" else spans
        i = _WS.match(text, i).end()
        if text[i : i + 1] == ",":
            i = _WS.match(text, i + 1).end()
            if text[i : i + 1] == "}":
                raise ValueError("a trailing comma")
        elif text[i : i + 1] != "}":
            raise ValueError("',' or '}' expected")
    if _WS.match(text, i + 1).end() != len(text):
        raise ValueError("extra data")
    return page, spans


def _walk_array(text: str, i: int, scan: Any) -> tuple[list[Any], int, list[tuple[int, int]]]:
    items: list[Any] = []
    spans: list[tuple[int, int]] = []
    i = _WS.match(text, i + 1).end()
    while text[i : i + 1] != "]":
        item, end = scan(text, i)
        items.append(item)
        spans.append((i, end))
        i = _WS.match(text, end).end()
        if text[i : i + 1] == ",":
            i = _WS.match(text, i + 1).end()
            if text[i : i + 1] == "]":
                raise ValueError("a trailing comma")
        elif text[i : i + 1] != "]":
            raise ValueError("',' or ']' expected")
    return items, i + 1, spans


def _byte_spans(text: str, spans: list[tuple[int, int]], bom: int) -> list[tuple[int, int]]:
    """Character spans as byte spans of the UTF-8 body (after `bom` bytes)."""
    if text.isascii():
        return [(start + bom, end + bom) for start, end in spans]
    out = []
    at, pos = bom, 0
    for start, end in spans:
        at += len(text[pos:start].encode("utf-8", "surrogatepass"))
        first = at
        at += len(text[start:end].encode("utf-8", "surrogatepass"))
        out.append((first, at))
        pos = end
    return out


__all__ = ["OcpiAdapter", "OcpiSettings", "parse_links", "parse_page"]
