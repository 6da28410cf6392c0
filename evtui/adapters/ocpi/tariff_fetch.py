"""The tariffs a record names but does not embed, from the CPO's Tariffs SENDER list.

OCPI 2.2.1 has no get-by-id on the sender side: the list is paged (as sessions and CDRs
are) until every wanted id is found, within the page cap and the profile's scan_timeout.
Found tariffs are kept per adapter (per profile) for the session: `TariffCache`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from evtui.adapters.ocpi.cpo import Cpo, ms_since
from evtui.adapters.ocpi.words import TARIFFS
from evtui.adapters.running import in_thread
from evtui.errors import FetchError

#: Tariffs are few next to sessions: a CPO listing more pages than this is not scanned further.
MAX_TARIFF_PAGES = 50


class TariffCache:
    """Tariff objects by id (case-insensitive: ids are CiStrings), and ids the CPO did not list."""

    def __init__(self) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}
        self.not_listed: set[str] = set()

    def missing(self, ids: list[str]) -> list[str]:
        return [i for i in ids if i.casefold() not in self.by_id and i.casefold() not in self.not_listed]

    def get(self, ids: list[str]) -> list[dict[str, Any]]:
        return [self.by_id[i.casefold()] for i in ids if i.casefold() in self.by_id]


def needed_ids(document: Any) -> list[str]:
    """The tariff ids a record's charging periods name, when it embeds no tariffs itself."""
    if not isinstance(document, dict) or document.get("tariffs"):
        return []
    periods = document.get("charging_periods")
    ids: list[str] = []
    for period in periods if isinstance(periods, list) else []:
        tariff_id = period.get("tariff_id") if isinstance(period, dict) else None
        if isinstance(tariff_id, str) and tariff_id and tariff_id not in ids:
            ids.append(tariff_id)
    return ids


async def fetch(cpo: Cpo, cache: TariffCache, ids: list[str], notes: list[str], correlation: str) -> None:
    """Page the CPO's tariffs list until every id in `ids` is in `cache`; each request goes to `notes`."""
    wanted = {i.casefold() for i in cache.missing(ids)}
    if not wanted:
        if ids:
            notes.append(f"tariffs {', '.join(ids)}: reused from earlier in this session (or known not listed)")
        return
    endpoint = (await cpo.discover(notes, correlation)).get(TARIFFS)
    if endpoint is None:
        notes.append(f"the CPO offers no {TARIFFS} SENDER endpoint: tariffs {', '.join(ids)} cannot be fetched")
        cache.not_listed |= wanted
        return
    url: str | None = str(httpx.URL(endpoint).copy_merge_params({"offset": "0", "limit": "100"}))
    came_from = "the version details' endpoint"
    seen: set[str] = set()
    pages = 0
    scan_started = time.monotonic()
    limit = cpo.settings.scan_timeout
    while url is not None and wanted and url not in seen and pages < MAX_TARIFF_PAGES:
        seen.add(url)
        started = time.monotonic()
        remaining = limit - (time.monotonic() - scan_started)
        try:
            if remaining <= 0:
                raise TimeoutError
            async with asyncio.timeout(remaining):
                response = await cpo.call(url, notes, correlation, came_from=came_from)
                data, _spans, next_url, _hostile = await in_thread(len(response.content), cpo.list_page, response, TARIFFS, notes, correlation)
        except TimeoutError:
            notes.append(f"the tariffs list reached the {limit:g} s scan_timeout after {pages} page(s): stopped")
            return  # not "not listed": the next lookup tries again
        except FetchError as exc:
            # The record was found: a tariffs list that fails only leaves its price unchecked.
            notes.append(f"the tariffs list failed after {pages} page(s), the price is not checked: {exc.message}")
            return
        pages += 1
        hits = [t for t in data if isinstance(t, dict) and isinstance(t.get("id"), str) and t["id"].casefold() in wanted]
        for tariff in hits:
            cache.by_id[tariff["id"].casefold()] = tariff
            wanted.discard(tariff["id"].casefold())
        notes.append(
            f"tariffs page {pages}: GET {url} -> HTTP {response.status_code} ({ms_since(started)} ms): "
            f"{len(data)} tariffs, {len(hits)} wanted" + ("; every wanted tariff found, stopped" if not wanted else "")
        )
        if not data:
            break
        url, came_from = next_url, f'the Link rel="next" of tariffs page {pages}'
    if wanted:
        notes.append(f"tariffs not listed by the CPO ({pages} page(s) read): {', '.join(sorted(wanted))}")
        cache.not_listed |= wanted
