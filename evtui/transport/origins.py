"""Where a profile's credentials may go: its own origins as configured, nowhere else.

An origin is (scheme, host, port), as in RFC 6454. A profile's origins are those
of the URLs in its config (base_url, versions_url, token_url) plus any it lists
in `allowed_origins`. A URL a provider hands out (OCPI version discovery, a
`Link: rel="next"`) that points elsewhere is refused before anything is sent,
and a step down from https to plain http is refused even when listed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from evtui.errors import OriginRefused

_DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL; None for anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[scheme]


def origin_text(origin: Origin) -> str:
    scheme, host, port = origin
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" if port == _DEFAULT_PORTS[scheme] else f"{scheme}://{host}:{port}"


class Origins:
    """The origins one profile's requests may go to."""

    def __init__(self, profile: str, own: list[str], allowed: list[str] = ()) -> None:  # type: ignore[assignment]
        self.profile = profile
        self.own = [o for o in map(origin_of, own) if o is not None]
        self.allowed = [o for o in map(origin_of, allowed) if o is not None]

    def check(self, url: str, *, came_from: str = "") -> None:
        """Nothing, or OriginRefused naming both origins; `came_from` says who pointed there."""
        target = origin_of(url)
        if target is None or not self.own:
            return  # not http(s): httpx refuses it with its own error; no origin configured: nothing to hold to
        if target in self.own:
            return  # configured as it is, by the person who owns the credentials
        via = f" ({came_from})" if came_from else ""
        home = origin_text(self.own[0])
        secure = next((o for o in self.own if o[0] == "https"), None)
        if target[0] == "http" and secure is not None:
            raise OriginRefused(
                f"Refused to send profile {self.profile!r}'s credentials over plain http to {origin_text(target)}{via}: "
                f"the profile's origin is {origin_text(secure)}.",
                hint="evtui never steps down from https to http with credentials: report the link to the provider.",
            )
        if target in self.allowed:
            return
        raise OriginRefused(
            f"Refused to send profile {self.profile!r}'s credentials to {origin_text(target)}{via}: "
            f"the profile's origin is {home}.",
            hint=f"If {origin_text(target)} really is this provider's, list it in allowed_origins of profile {self.profile!r}.",
        )
