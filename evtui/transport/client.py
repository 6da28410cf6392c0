"""The client a profile uses, and `send`: one request under every limit evtui keeps.

Before anything leaves: the URL's origin must be the profile's (see `origins`)
and every header value must be sendable (see `headers`). Then one deadline
covers connect, headers and body together, so a server trickling a byte a
second fails when the time is up, not never. The body is counted as decoded
(after gzip, deflate, br): a small compressed bomb stops at `max_body`.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ssl
import sys
import zlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from evtui import __version__
from evtui.transport.failures import past_deadline, too_large, transport_failure
from evtui.transport.headers import refuse_unsafe_headers
from evtui.transport.origins import Origins
from evtui.transport.tls import ssl_context
from evtui.errors import CannotConnect

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BODY = 20 * 1024 * 1024


def user_agent() -> str:
    return f"evtui/{__version__}"


def warm_up() -> None:
    """What the first request would otherwise wait for: the modules httpx (httpcore) imports on
    its first request (anyio, ~45 ms). Call on a thread, not the UI's, once the client is made
    (with it, the SSL context its profile uses: the default one is not loaded for a profile
    that verifies nothing or brings its own CA bundle)."""
    import anyio._backends._asyncio  # noqa: F401
    import httpcore._backends.anyio  # noqa: F401


def _absent_sniffio_known() -> None:
    """httpcore runs `import sniffio` at every connection checkout and release, four times a
    request; anyio 4 no longer installs sniffio, and each failed import searched sys.path
    again (~40 µs). Marked absent once, the import fails at once, as Python's own idiom has it."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def make_client(timeout: float = DEFAULT_TIMEOUT, *, verify: bool | ssl.SSLContext = True) -> httpx.AsyncClient:
    """The one client a profile uses: keep-alive, bounded timeouts, our User-Agent, no redirects.

    httpx's trust_env (on by default) honours HTTP(S)_PROXY, NO_PROXY and SSL_CERT_FILE.
    `verify` True or False shares the process's SSL context for it; a profile's own CA bundle
    comes as its own context.
    """
    _absent_sniffio_known()
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=timeout),
        headers={"User-Agent": user_agent(), "Accept": "application/json"},
        follow_redirects=False,
        verify=verify if isinstance(verify, ssl.SSLContext) else ssl_context(bool(verify)),
        limits=httpx.Limits(max_connections=8, max_keepalive_connections=4),
    )


async def _decoded_chunks(response: httpx.Response, cap: int) -> AsyncIterator[bytes]:
    """The body decoded, chunk by chunk. gzip is inflated here with a bound on each step, so
    a bomb costs at most `cap` bytes of memory; other encodings are httpx's (one network read
    of them may decode to more)."""
    if response.headers.get("content-encoding", "").strip().lower() not in ("gzip", "x-gzip"):
        async for chunk in response.aiter_bytes():
            yield chunk
        return
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    size = 0
    try:
        async for raw in response.aiter_raw():
            while raw:
                if inflate.eof:  # a gzip body may be several members, one after the other
                    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                out = inflate.decompress(raw, cap + 1 - size)
                size += len(out)
                yield out
                if size > cap:
                    return
                raw = inflate.unconsumed_tail or (inflate.unused_data if inflate.eof else b"")
        yield inflate.flush()
    except zlib.error as exc:
        raise httpx.DecodingError(str(exc), request=response.request) from None


def host_of(url: str) -> str:
    """host[:port] of a URL, never its userinfo."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return "the provider"
    host = parsed.host or "the provider"
    return f"{host}:{parsed.port}" if parsed.port else host


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    profile: str,
    max_body: int = DEFAULT_MAX_BODY,
    origins: Origins | None = None,
    came_from: str = "",
    **kwargs: Any,
) -> httpx.Response:
    """One request, its decoded body read up to `max_body`, every failure a FetchError.

    `came_from` says who handed out the URL when it is not from the config (for the
    origin error). The deadline is the client's read timeout, over the whole exchange."""
    host = host_of(url)
    if origins is not None:
        origins.check(url, came_from=came_from)
    refuse_unsafe_headers(kwargs.get("headers"), profile=profile)
    timeout = client.timeout
    deadline = timeout.read
    answered = False
    try:
        async with asyncio.timeout(deadline):
            async with client.stream(method, url, **kwargs) as response:
                answered = True
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and len(declared) < 20 and int(declared) > max_body:
                    raise too_large(int(declared), max_body)
                chunks = []
                size = 0
                async for chunk in _decoded_chunks(response, max_body):
                    size += len(chunk)
                    if size > max_body:
                        raise too_large(size, max_body)
                    chunks.append(chunk)
                response._content = b"".join(chunks)
                return response
    except TimeoutError:
        raise past_deadline(host, deadline or 0.0, answered=answered) from None
    except httpx.HTTPError as exc:
        raise transport_failure(exc, host=host, url=url, timeout=timeout) from None
    except (httpx.InvalidURL, UnicodeError):
        # Their texts quote the URL or header and the offending character: none of it is shown.
        raise CannotConnect(
            f"The request to {host} could not be built (the URL or a header holds characters HTTP cannot carry).",
            hint="Check the URLs and credentials of this profile.",
        ) from None
