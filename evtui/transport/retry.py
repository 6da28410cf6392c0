"""GET with the retry rules, and Retry-After read strictly.

Only idempotent GETs are retried, only where waiting can help, never a storm:
429 honours Retry-After (capped), 502/503/504 and broken connections back off
exponentially with jitter.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from evtui.progress import report
from evtui.transport.failures import ConnectionBroken

RETRY_STATUSES = frozenset({502, 503, 504})
MAX_RETRIES = 3
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 8.0
#: A Retry-After longer than this is reported instead of waited for.
RETRY_AFTER_CAP = 30.0
MAX_RATE_LIMIT_RETRIES = 2

_DELTA_SECONDS = re.compile(r"\d{1,10}")

Send = Callable[..., Awaitable[httpx.Response]]


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if neither.

    A date already past gives 0: the provider says "now"."""
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" dates: UTC, as RFC 5322 says
        from datetime import timezone

        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - time.time())


def retry_after_words(value: str | None) -> str:
    """What an error says about a Retry-After header, e.g. " Retry after 120 s."."""
    seconds = parse_retry_after(value)
    if seconds is None:
        return ""
    if seconds >= 1:
        return f" Retry after {seconds:.0f} s."
    # An HTTP date that has passed (or "0"): the wait is over, say what was sent.
    return f" The provider's Retry-After ({value.strip()[:40]}) has passed: try again now." if value else ""


def backoff(attempt: int) -> float:
    """0.5, 1, 2, 4 ... seconds (capped), each ±25 % so parallel clients do not retry in step."""
    return min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (attempt - 1)) * random.uniform(0.75, 1.25)


async def wait(seconds: float, message: str) -> None:
    report(message, wait=seconds)
    await asyncio.sleep(seconds)


async def get(send: Send, url: str, *, headers: dict[str, str], notes: list[str], **kwargs: Any) -> httpx.Response:
    """GET through `send`, retried by the rules above; at most MAX_RETRIES (plus the 429 ones)."""
    retries = rate_limited = 0
    while True:
        try:
            response = await send("GET", url, headers=headers, **kwargs)
        except ConnectionBroken as exc:
            if retries >= MAX_RETRIES:
                raise
            retries += 1
            pause = backoff(retries)
            notes.append(f"connection broke off ({exc.message}); retry {retries} after {pause:.1f} s")
            await wait(pause, f"Connection broke off; retry {retries} of {MAX_RETRIES}")
            continue
        status = response.status_code
        if status == 429 and rate_limited < MAX_RATE_LIMIT_RETRIES:
            said = response.headers.get("retry-after")
            retry_after = parse_retry_after(said)
            pause = backoff(rate_limited + 1) if not retry_after else retry_after
            if pause > RETRY_AFTER_CAP:
                return response  # the status error reports the wait; nobody should sit through it here
            rate_limited += 1
            notes.append(f"HTTP 429; waited {pause:.1f} s (Retry-After: {(said or 'none')[:40]}) and retried")
            await wait(pause, "Rate limited by the provider; retrying")
            continue
        if status in RETRY_STATUSES and retries < MAX_RETRIES:
            retries += 1
            pause = backoff(retries)
            notes.append(f"HTTP {status}; retry {retries} after {pause:.1f} s")
            await wait(pause, f"HTTP {status} from the provider; retry {retries} of {MAX_RETRIES}")
            continue
        return response
