"""httpx's exceptions as `evtui.errors`, in words a person can act on.

The text of a library's exception can carry a header value (h11 quotes an
illegal header whole), so it is only ever shown redacted and cut short, and
for the errors raised while a request is being built, not at all.
"""

from __future__ import annotations

import errno
import socket
import ssl

import httpx

from evtui.errors import CannotConnect, FetchError, MalformedResponse, ResponseTooLarge, Timeout
from evtui.redact import redact


class ConnectionBroken(CannotConnect):
    """The connection was reset or closed mid-answer: worth a retry."""


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "no limit"
    return f"{seconds:g} s"


def too_large(size: int, cap: int) -> ResponseTooLarge:
    return ResponseTooLarge(
        # MB as config.toml's max_body_mb counts them (MiB).
        f"The answer is larger than the {cap / 2**20:g} MB limit (at least {size / 2**20:.1f} MB once decoded); "
        "the rest was not read.",
        hint="Raise max_body_mb in config.toml if this record really is that large.",
    )


def past_deadline(host: str, seconds: float, *, answered: bool) -> Timeout:
    """The deadline over a whole exchange passed; `answered`: the status and headers had come."""
    if not answered:
        return Timeout(
            f"{host} sent no answer within {fmt_seconds(seconds)} (connect and headers).",
            hint="The provider may be slow or overloaded, or the host unreachable: try again, or raise --timeout.",
        )
    return Timeout(
        f"{host} did not send its whole answer within {fmt_seconds(seconds)} (connect, headers and body).",
        hint="The provider is slow or the connection is throttled: try again, or raise --timeout.",
    )


def transport_failure(exc: Exception, *, host: str, url: str, timeout: httpx.Timeout) -> FetchError:
    """The FetchError for an exception httpx raised while sending or reading."""
    if isinstance(exc, httpx.ConnectTimeout):
        return Timeout(
            f"Connecting to {host} timed out after {fmt_seconds(timeout.connect)}.",
            hint="Check the host is reachable from here (VPN, proxy), or raise --timeout.",
        )
    if isinstance(exc, (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout)):
        return Timeout(
            f"{host} accepted the connection but sent no answer within {fmt_seconds(timeout.read)}.",
            hint="The provider may be slow or overloaded: try again, or raise --timeout.",
        )
    if isinstance(exc, httpx.ConnectError):
        return CannotConnect(connect_message(host, exc), hint=connect_hint(exc))
    if isinstance(exc, httpx.LocalProtocolError):
        # Raised while the request is built: its text is the offending header, whole.
        return CannotConnect(
            f"The request to {host} could not be built (a header value httpx refuses).",
            hint="A credential of this profile holds characters a header cannot carry.",
        )
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return ConnectionBroken(
            f"The connection to {host} broke off ({reason(exc)}).",
            hint="Try again; if it persists, a proxy or the provider is cutting connections.",
        )
    if isinstance(exc, httpx.UnsupportedProtocol):
        return CannotConnect(
            f"Unsupported URL {redact(url)!r}: it must start with https:// (or http:// for local servers).",
            hint="Fix base_url in the profile.",
        )
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponse(
            f"The answer from {host} could not be decompressed ({reason(exc)}).",
            hint="A proxy or the provider sent a damaged compressed body: try again, or report it to the provider.",
        )
    return CannotConnect(f"The request to {host} failed: {type(exc).__name__}.", hint="Try again.")


def reason(exc: BaseException) -> str:
    text = redact(str(exc).strip())
    return text[:160] if text else type(exc).__name__


def _root_causes(exc: BaseException) -> list[BaseException]:
    """The chain under an httpx error: its own text often hides the OS reason."""
    seen: list[BaseException] = []
    stack = [exc]
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.append(e)
        stack += [c for c in (e.__cause__, e.__context__) if c is not None]
        stack += list(getattr(e, "exceptions", ()))  # ExceptionGroup from anyio's happy eyeballs
    return seen


def _connect_kind(exc: BaseException) -> str:
    for e in _root_causes(exc):
        if isinstance(e, ssl.SSLError):
            return "tls"
        if isinstance(e, socket.gaierror):
            return "dns"
        if isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED:
            return "refused"
    text = " ".join(str(e).lower() for e in _root_causes(exc))
    if "certificate" in text or "ssl" in text:
        return "tls"
    if "name or service not known" in text or "name resolution" in text or "nodename nor servname" in text:
        return "dns"
    if "refused" in text:
        return "refused"
    return "other"


def connect_message(host: str, exc: Exception) -> str:
    kind = _connect_kind(exc)
    if kind == "dns":
        return f"The host name of {host} could not be resolved (DNS)."
    if kind == "refused":
        return f"Nothing is listening at {host}: connection refused."
    if kind == "tls":
        return f"The TLS handshake with {host} failed: {reason(exc)}."
    return f"Cannot connect to {host}: {reason(exc)}."


def connect_hint(exc: Exception) -> str:
    if _connect_kind(exc) == "tls":
        return "Behind a corporate proxy? Name its CA bundle in the profile (ca_bundle)."
    return "Check base_url in the profile, and your network, VPN or proxy settings."
