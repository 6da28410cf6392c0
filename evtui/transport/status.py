"""An HTTP status that is not a record, as the `evtui.errors` exception it means."""

from __future__ import annotations

import httpx

from evtui.errors import CredentialsRejected, Forbidden, NotFound, ProviderError, RateLimited, Redirected
from evtui.transport.body import provider_message
from evtui.transport.retry import parse_retry_after, retry_after_words


def redirect_error(response: httpx.Response, what: str, *, hint: str = "") -> Redirected:
    """A 3xx, reported with its Location: never followed with credentials, never the record."""
    status = response.status_code
    location = response.headers.get("location", "")[:300]
    return Redirected(
        f"{response.request.url.host} redirected {what} (HTTP {status}{' to ' + location if location else ' without a Location'}).",
        hint=hint or "evtui does not follow redirects with credentials: put the final URL in the profile.",
        status=status,
    )


def raise_for_status(response: httpx.Response, *, title: str, profile: str, what: str, credentials_hint: str) -> None:
    """Nothing for a 2xx; the error the status means otherwise. `what` names the record asked for."""
    status = response.status_code
    if status < 300:
        return
    if status < 400:
        raise redirect_error(response, what)
    said = provider_message(response)
    suffix = f": {said}" if said else ""
    if status == 404:
        raise NotFound(
            f"{title} has no {what} (HTTP 404{suffix}).",
            hint=f"Check the id and that profile {profile!r} is the right provider and environment.",
            status=status,
        )
    if status == 401:
        raise CredentialsRejected(
            f"{title} rejected the credentials of profile {profile!r} (HTTP 401{suffix}).",
            hint=credentials_hint,
            status=status,
        )
    if status == 403:
        raise Forbidden(
            f"Profile {profile!r} may not read {what} (HTTP 403{suffix}).",
            hint="The credentials work but lack access to this record: ask the provider about their scope.",
            status=status,
        )
    if status == 429:
        said_after = response.headers.get("retry-after")
        raise RateLimited(
            f"{title} is rate-limiting profile {profile!r} (HTTP 429{suffix}).{retry_after_words(said_after)}",
            hint="Wait a moment before the next lookup.",
            retry_after=parse_retry_after(said_after),
        )
    if status >= 500:
        raise ProviderError(
            f"{title} answered with a server error (HTTP {status}{suffix}).",
            hint="The provider has a problem on its side: try again shortly.",
            status=status,
        )
    raise ProviderError(
        f"{title} refused the request for {what} (HTTP {status}{suffix}).",
        hint="The id or the request is not accepted as sent.",
        status=status,
    )
