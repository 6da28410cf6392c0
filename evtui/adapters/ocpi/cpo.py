"""Talking to the CPO: discovery of the SENDER endpoints, the token (base64 or raw), the OCPI envelope.

One `Cpo` per adapter (per profile per process) keeps what discovery found and which token
encoding worked, under a lock.
"""

from __future__ import annotations

import asyncio
import base64
import time
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit
from uuid import uuid4

import httpx

from evtui.adapters.api import Adapter, CredentialsRejected, Forbidden, MalformedResponse, ProviderError, provider_message
from evtui.adapters.ocpi.paging import read_page
from evtui.adapters.ocpi.settings import OcpiSettings
from evtui.adapters.ocpi.words import MODULE, OCPI_211, OCPI_VERSION, SESSION, STATUS_CLASSES, STATUS_CODES, TARIFFS
from evtui.transport.body import loads, parse_json_body
from evtui.transport.links import next_link
from evtui.transport.status import redirect_error


class Cpo:
    """The CPO one profile talks to."""

    def __init__(self, adapter: Adapter, settings: OcpiSettings) -> None:
        #: The adapter's requests (`get`), profile and secrets; `settings` are its own.
        self.adapter = adapter
        self.settings = settings
        self._discovery_lock = asyncio.Lock()
        #: module ("sessions", "cdrs", "tariffs") -> SENDER url, once discovered.
        self._endpoints: dict[str, str] | None = None
        self.offered: list[str] = []
        self._discovered_at = ""
        #: The OCPI version discovery chose ("2.2.1", or "2.1.1" when that is all the CPO offers); None before.
        self.version: str | None = None
        #: The token encoding that worked (auto mode), for the rest of the process.
        self._encoding: str | None = None

    async def discover(self, notes: list[str], correlation: str) -> dict[str, str]:
        async with self._discovery_lock:
            if self._endpoints is not None:
                where = ", ".join(f"{m} {u}" for m, u in self._endpoints.items()) or "none"
                notes.append(f"reused the endpoints discovered at {self._discovered_at} ({where})")
                return self._endpoints
            versions_url = self.settings.versions_url
            started = time.monotonic()
            response = await self.call(versions_url, notes, correlation)
            body = self.envelope(response, "the versions list", notes, correlation)
            data = body.get("data")
            if not isinstance(data, list):
                raise MalformedResponse(
                    f"The versions list at {versions_url} has no list in `data`.",
                    hint="Check versions_url: it must be the CPO's OCPI versions endpoint.",
                )
            offered = [str(v.get("version")) for v in data if isinstance(v, dict)]
            notes.append(
                f"GET {versions_url} -> HTTP {response.status_code} ({ms_since(started)} ms): versions {', '.join(offered) or 'none'}"
            )
            # 2.2.1 when offered; else 2.1.1, whose objects are read in their own shape (v211).
            chosen = next(
                (
                    v
                    for wanted in (OCPI_VERSION, OCPI_211)
                    for v in data
                    if isinstance(v, dict) and str(v.get("version")) == wanted and isinstance(v.get("url"), str)
                ),
                None,
            )
            if chosen is None:
                listed = ", ".join(offered) if offered else "no versions at all"
                raise ProviderError(
                    f"The CPO at {host_of(versions_url)} offers neither OCPI {OCPI_VERSION} nor {OCPI_211}: its versions list offers {listed}.",
                    hint=f"evtui speaks OCPI {OCPI_VERSION} and {OCPI_211}. Ask the CPO for a {OCPI_VERSION} versions URL, or check versions_url.",
                )
            self.version = version_used = str(chosen["version"])
            details_url = urljoin(versions_url, chosen["url"])
            started = time.monotonic()
            response = await self.call(details_url, notes, correlation, came_from=f"the versions list's {version_used} entry")
            body = self.envelope(response, f"the {version_used} version details", notes, correlation)
            details = body.get("data")
            endpoints = details.get("endpoints") if isinstance(details, dict) else None
            if not isinstance(endpoints, list):
                raise MalformedResponse(
                    f"The {version_used} version details at {details_url} list no endpoints.",
                    hint="The CPO's version details must carry data.endpoints.",
                )
            entries = [e for e in endpoints if isinstance(e, dict)]
            self.offered = [f"{e.get('identifier')} ({e.get('role', 'no role')})" for e in entries]
            found: dict[str, str] = {}
            # The tariffs module too: a CDR without embedded tariffs is priced from it (tariff_fetch).
            for module in (*MODULE.values(), TARIFFS):
                senders = [e for e in entries if e.get("identifier") == module and isinstance(e.get("url"), str)]
                sender = next((e for e in senders if e.get("role") == "SENDER"), None)
                if sender is None:
                    sender = next((e for e in senders if "role" not in e), None)
                    if sender is not None:
                        notes.append(f"the {module} endpoint has no role (as in OCPI 2.1.1): used as the SENDER")
                if sender is not None:
                    found[module] = urljoin(details_url, sender["url"])
            version = details.get("version") if isinstance(details, dict) else None
            if version != version_used:
                notes.append(f"the {version_used} details call themselves version {version!r}")
            notes.append(
                f"GET {details_url} -> HTTP {response.status_code} ({ms_since(started)} ms): "
                + ", ".join(f"{m} SENDER {found.get(m, 'not offered')}" for m in (*MODULE.values(), TARIFFS))
            )
            self._endpoints = found
            self._discovered_at = datetime.now(timezone.utc).strftime("%H:%M:%S UTC")
            return found

    # -- one request: auth, envelope ---------------------------------------------------

    def _headers(self, encoding: str, correlation: str) -> dict[str, str]:
        token = self.adapter.secret_header("token")
        value = base64.b64encode(token.encode("utf-8")).decode("ascii") if encoding == "base64" else token
        headers = {"Authorization": f"Token {value}", "X-Request-ID": str(uuid4()), "X-Correlation-ID": correlation}
        if self.settings.country_code:
            headers["OCPI-from-country-code"] = self.settings.country_code
        if self.settings.party_id:
            headers["OCPI-from-party-id"] = self.settings.party_id
        return headers

    async def call(self, url: str, notes: list[str], correlation: str, *, came_from: str = "") -> httpx.Response:
        """`came_from` names who handed out `url` when the CPO did (discovery, paging): see origins."""
        mode = self.settings.token_encoding
        encoding = self._encoding or ("base64" if mode == "auto" else mode)
        response = await self.adapter.get(url, headers=self._headers(encoding, correlation), notes=notes, came_from=came_from)
        tried = f"sent {encoding}" if mode != "auto" else f"sent {encoding} (remembered)" if self._encoding else "sent base64"
        if response.status_code == 401 and mode == "auto" and self._encoding is None:
            notes.append('HTTP 401 with the base64-encoded token: retried once with the raw token (token_encoding = "auto")')
            response = await self.adapter.get(url, headers=self._headers("raw", correlation), notes=notes, came_from=came_from)
            tried = "tried base64-encoded, then raw"
            if 200 <= response.status_code < 300:
                self._encoding = "raw"
                notes.append("the raw token was accepted: this profile sends it raw from now on")
        elif 200 <= response.status_code < 300 and mode == "auto" and self._encoding is None:
            self._encoding = encoding
        if response.status_code == 401:
            said = provider_message(response)
            raise CredentialsRejected(
                f"The CPO at {host_of(url)} rejected the token of profile {self.adapter.profile!r} "
                f"(HTTP 401{': ' + said if said else ''}; {tried}).",
                hint=self._token_hint(mode),
                status=401,
            )
        return response

    def _token_hint(self, mode: str) -> str:
        first = (
            f"Check token of profile {self.adapter.profile!r}: it is the credentials token the CPO issued to you "
            "(OCPI's token C), as it appears in the config file (`evtui profiles` shows which)."
        )
        if mode == "base64":
            return first + ' OCPI 2.1.1 and some 2.2 servers want the raw token: try token_encoding = "raw" or "auto".'
        if mode == "raw":
            return first + ' OCPI 2.2.1 wants it base64-encoded: try token_encoding = "base64" or "auto".'
        if self._encoding:
            return first + f" It was accepted {self._encoding} earlier in this process: it may have been revoked."
        return first + " Both encodings were tried, so the token itself is not accepted."

    def envelope(self, response: httpx.Response, what: str, notes: list[str], correlation: str) -> dict[str, Any]:
        """The OCPI envelope of an answer; errors in the HTTP status or status_code raised."""
        self._refuse_errors(response, what, correlation)
        return self._checked(parse_json_body(response), response, what, notes, correlation)

    def list_page(
        self, response: httpx.Response, module: str, notes: list[str], correlation: str
    ) -> tuple[list[Any], list[tuple[int, int]] | None, str | None, bool]:
        """A list page's `data`, where each element sits in the body (None: cannot tell), its next link,
        and whether an element may hold a hostile value (`paging.read_page`)."""
        what = f"the {module} list"
        self._refuse_errors(response, what, correlation)
        try:
            body, spans, hostile = read_page(response.content)
        except (ValueError, RecursionError):
            body, spans, hostile = parse_json_body(response), None, True  # raises, saying what is wrong
        data = self._checked(body, response, what, notes, correlation).get("data")
        if not isinstance(data, list):
            raise MalformedResponse(
                f"The CPO's {module} list at {host_of(str(response.request.url))} has no list in `data` ({type(data).__name__}).",
                hint="An OCPI list answer carries the objects as a JSON list in data.",
            )
        return data, spans, next_link(response.headers.get_list("link"), str(response.request.url)), hostile

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
                    f"The CPO at {host} refused profile {self.adapter.profile!r} access to {what} (HTTP 403{suffix}).",
                    hint="The token works but lacks access: ask the CPO which modules your credentials cover.",
                    status=status,
                )
            if status == 404:
                is_versions = what == "the versions list"
                raise ProviderError(
                    f"{what[0].upper() + what[1:]} is not at {url} (HTTP 404{suffix}).",
                    hint=f"Check versions_url of profile {self.adapter.profile!r}."
                    if is_versions
                    else "The CPO advertises an endpoint it does not serve: report it to the CPO. " + quote,
                    status=status,
                )
            if status == 429:
                self.adapter.raise_for_status(response, SESSION, "")  # RateLimited, with Retry-After
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
        code = as_int(body.get("status_code"), None)
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


def as_int(value: Any, default: int | None) -> int | None:
    """A header's or a status_code's whole number (sent as a number or digits), else `default`."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return default


def host_of(url: str) -> str:
    return urlsplit(url).netloc or url


def ms_since(started: float) -> str:
    """Milliseconds since a `time.monotonic()` reading, for the notes."""
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
    code = as_int(body.get("status_code"), None) if isinstance(body, dict) else None
    if code is not None and code != 1000:
        message = body.get("status_message")
        return f"OCPI {code} {_status_words(code)}" + (f": {message}" if message else "")
    return said
