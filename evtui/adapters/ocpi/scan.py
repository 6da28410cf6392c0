"""Finding one object in the CPO's lists: pages of objects last updated in a window, scanned
until the page that holds the id (or, for a CDR, the session it bills)."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import httpx

from evtui import decode
from evtui.adapters.api import Field, Found, MalformedResponse, NotFound, ProviderError, RecordType
from evtui.adapters.ocpi.cpo import Cpo, as_int, host_of, ms_since
from evtui.adapters.ocpi.words import MODULE, PLURAL
from evtui.adapters.running import in_thread
from evtui.errors import Timeout, UsageError
from evtui.progress import report

#: Objects asked for per page; servers may cap it lower (X-Limit says so).
PAGE_LIMIT = 100
#: A scan never follows more pages than this (a server ignoring offset would loop).
MAX_PAGES = 2000


async def find(
    cpo: Cpo, rt: RecordType, record_id: str, since: datetime | None, *, now: datetime, others: list[str] | None = None
) -> Found:
    """The object with `record_id` (a CDR: or the session it bills) in the CPO's list, with the page it is on.

    The window ends `now`, and starts `since` or the profile's window_days before. A party-qualified
    id, `country_code/party_id/id` as in OCPI's receiver URLs, asks for that party's object among
    several with one id. `others` gets the party-qualified ids of the other parties' objects with
    the found one's id on its page (a choice to offer)."""
    correlation = str(uuid4())
    notes = [f"X-Correlation-ID {correlation} on every request of this lookup (quote it to the CPO)"]
    endpoints = await cpo.discover(notes, correlation)
    module = MODULE[rt.name]
    plural = PLURAL[rt.name]
    endpoint = endpoints.get(module)
    if endpoint is None:
        offered = ", ".join(cpo.offered) or "none"
        raise ProviderError(
            f"The CPO at {host_of(cpo.settings.versions_url)} offers no {module} SENDER endpoint in its OCPI 2.2.1 "
            f"details (offered: {offered}).",
            hint=f"The CPO does not share {plural} with you over OCPI 2.2.1: ask them to enable the {module} module.",
        )
    date_to = now
    if since is not None:
        date_from = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
        source = "--since"
    else:
        date_from = date_to - timedelta(days=cpo.settings.window_days)
        source = f"window_days = {cpo.settings.window_days}"
    if date_from >= date_to:
        raise UsageError(f"--since {_iso(date_from)} is not in the past: there is nothing to scan.")
    window = f"{_words_time(date_from)} to {_words_time(date_to)}"
    notes.append(f"scanning {plural} last updated from {_iso(date_from)} to {_iso(date_to)} ({source})")
    url = str(
        httpx.URL(endpoint).copy_merge_params(
            {"date_from": _iso(date_from), "date_to": _iso(date_to), "offset": "0", "limit": str(PAGE_LIMIT)}
        )
    )
    party, bare = split_party(record_id)
    wanted = bare.casefold()  # ids are CiStrings: case-insensitive
    pages = objects = 0
    total: int | None = None
    seen: set[str] = set()
    stopped = ""
    came_from = "the version details' endpoint"
    scan_started = time.monotonic()
    scan_limit = cpo.settings.scan_timeout
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
                response = await cpo.call(url, notes, correlation, came_from=came_from)
                # Parsing a page of big objects (and its Link header) takes a while: not on the event loop.
                data, spans, next_url, hostile = await in_thread(
                    len(response.content), cpo.list_page, response, module, notes, correlation
                )
        except TimeoutError:
            raise Timeout(
                f"The scan of the CPO's {plural} reached its {scan_limit:g} s limit after {pages} "
                f"page{'s' if pages != 1 else ''} ({objects} {plural}) without finding {record_id!r}.",
                hint=f"Narrow the window with --since, or raise scan_timeout (now {scan_limit:g}) in profile {cpo.adapter.profile!r}.",
            ) from None
        pages += 1
        objects += len(data)
        total = as_int(response.headers.get("x-total-count"), total)
        limit = as_int(response.headers.get("x-limit"), None)
        notes.append(
            f"page {pages}: GET {url} -> HTTP {response.status_code} ({ms_since(started)} ms): {len(data)} {plural} "
            f"(X-Total-Count {total if total is not None else 'not sent'}, "
            f"X-Limit {limit if limit is not None else 'not sent'})"
        )
        elapsed = time.monotonic() - scan_started
        took = f", {elapsed:.0f} s of the {scan_limit:g} s scan_timeout" if elapsed >= 10 else ""
        report(f"Scanned {pages} page{'s' if pages != 1 else ''}, {objects} of {total if total is not None else '?'} {plural}{took}")
        match = _match(
            rt, record_id, wanted, data, spans, response, pages, notes,
            more=next_url is not None, window=window, party=party, others=others, hostile=hostile,
        )
        if match is not None:
            return match
        came_from = f'the Link rel="next" of page {pages}'
        if next_url is None and data and total is not None and objects < total:
            offset = as_int(httpx.URL(url).params.get("offset"), 0) or 0
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
            f"or days such as {cpo.settings.window_days * 2}d), or raise window_days "
            f"(now {cpo.settings.window_days}) in profile {cpo.adapter.profile!r}."
            + (" A CDR appears only once the CPO has billed the ended session." if rt.name == "cdr" else "")
        ),
        status=response.status_code,
    )

def _match(
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
    window: str,
    party: tuple[str, str] | None = None,
    others: list[str] | None = None,
    hostile: bool = True,
) -> Found | None:
    by_id = [i for i, o in enumerate(data) if isinstance(o, dict) and _ci(o.get("id")) == wanted]
    by_session = (
        [i for i, o in enumerate(data) if isinstance(o, dict) and _ci(o.get("session_id")) == wanted]
        if rt.name == "cdr"
        else []
    )
    group, matched_on = (by_id, "id") if by_id else (by_session, "session_id")
    asked = [i for i in group if _of_party(data[i], party)] if party is not None else group
    if not asked:
        return None
    # Most recently updated wins; on a tie, the later one in the list.
    chosen = max(asked, key=lambda i: (_updated(data[i]), i))
    document = data[chosen]
    if others is not None and matched_on == "id":
        others.extend(qualified(data[i]) for i in group if i != chosen and not _of_party(data[i], _party_of(document)))
    findings: list[str] = []
    plural = PLURAL[rt.name]
    if len(group) > 1:
        who = "; ".join(
            f"{_party(data[i])} {data[i].get('id')!s} last updated {data[i].get('last_updated')}" for i in group
        )
        # Say exactly what was compared: the scan stops at the first page with a match.
        scanned = f"Scanned: {pages} page{'s' if pages != 1 else ''} of {plural} last updated from {window}" + (
            "; later pages were not scanned, so a newer one may be there." if more else ", the last page of that window."
        )
        if matched_on == "id":
            findings.append(
                f"{len(group)} {plural} on page {pages} have the id {split_party(record_id)[1]!r} (ids are unique only per "
                f"country_code and party_id): {who}. Shown: "
                + (f"{_party(document)}'s, as asked." if party is not None else f"the most recently updated of these {len(group)}, {_party(document)}.")
                + f" {scanned}"
            )
        else:
            findings.append(
                f"{len(group)} CDRs on page {pages} bill session {record_id!r} (e.g. a credit CDR and its "
                f"replacement): {who}. Shown: the most recently updated of these {len(group)}, CDR {document.get('id')!s}. {scanned}"
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
    found_by = _found_by(record_id) if matched_on == "session_id" else None
    return Found(page, notes, raw, document, findings, found_by, may_hold_hostile=hostile or spans is None)


def _found_by(asked: str) -> Field:
    return Field(
        "Found by",
        f"session id {asked}",
        note="you gave a session id: this is the CDR that bills that session",
        path="session_id",
        raw=asked,
        flag="derived",
    )


def as_response(found: Found) -> httpx.Response:
    """The found object as a response of its own (the page's URL, status and headers)."""
    page = found.response
    headers = [(k, v) for k, v in page.headers.items() if k.lower() not in ("content-length", "content-encoding")]
    return httpx.Response(page.status_code, headers=headers, content=found.raw, request=page.request)


def split_party(record_id: str) -> tuple[tuple[str, str] | None, str]:
    """("DE", "ABC"), "101" from "DE/ABC/101"; (None, id) for an id without a party."""
    parts = record_id.split("/", 2)
    if len(parts) == 3 and len(parts[0]) == 2 and len(parts[1]) == 3 and parts[0].isalpha() and parts[1].isalnum() and parts[2]:
        return (parts[0].upper(), parts[1].upper()), parts[2]
    return None, record_id


def qualified(obj: dict[str, Any]) -> str:
    """The party-qualified id of an object: country_code/party_id/id."""
    return f"{obj.get('country_code')}/{obj.get('party_id')}/{obj.get('id')}"


def _party_of(obj: dict[str, Any]) -> tuple[str, str]:
    return str(obj.get("country_code") or "").upper(), str(obj.get("party_id") or "").upper()


def _of_party(obj: Any, party: tuple[str, str] | None) -> bool:
    return isinstance(obj, dict) and _party_of(obj) == party


def _ci(value: Any) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _updated(obj: dict[str, Any]) -> float:
    dt = decode.parse_timestamp(obj.get("last_updated"))
    return dt.timestamp() if dt is not None else float("-inf")


def _party(obj: dict[str, Any]) -> str:
    return f"{obj.get('country_code', '?')}*{obj.get('party_id', '?')}"


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _words_time(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
