"""The process's SSL contexts: one per `verify`, made as httpx makes them, without httpx.

Loading the CA bundle takes ~40 ms, most of it in OpenSSL with the GIL released. `evtui ID`
starts it on a thread at launch (`load_beside`), so it runs on a second core beside the
imports instead of holding up the first request; importing httpx there would race the UI
thread's imports, hence this module imports nothing of it.
"""

from __future__ import annotations

import os
import ssl
import threading

_contexts: dict[bool, ssl.SSLContext] = {}
_lock = threading.Lock()


def ssl_context(verify: bool = True) -> ssl.SSLContext:
    """The process's one SSL context for `verify`; SSL_CERT_FILE and SSL_CERT_DIR honoured
    (httpx's trust_env), else certifi's bundle, as `httpx.create_ssl_context` does."""
    with _lock:
        context = _contexts.get(verify)
        if context is None:
            context = _contexts[verify] = _made(verify)
        return context


def _made(verify: bool) -> ssl.SSLContext:
    if not verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def verifies_by_default(table: dict[str, object]) -> bool:
    """Whether a [profiles.NAME] table, as read, uses the default context (not its own CA bundle)."""
    return table.get("verify_tls", True) is True and not table.get("ca_bundle")


def load_beside() -> None:
    """Make the verifying context on a thread of its own; a failure is met, and reported, when
    a client is made."""

    def load() -> None:
        try:
            ssl_context(True)
        except Exception:
            pass

    if True not in _contexts:
        threading.Thread(target=load, name="evtui-ca-bundle", daemon=True).start()
