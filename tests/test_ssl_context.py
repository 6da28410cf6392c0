"""One SSL context per process: every profile that verifies TLS the default way shares it.

Loading the CA bundle costs about a tenth of a second; with a context per client each
profile paid it again before its first request. Checked in a fresh process (the
context lives as long as the process), over real TLS to a loopback server whose
throwaway certificate is the trust store (SSL_CERT_FILE, honoured as httpx does).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_server import HostileServer
from tests.test_transport_security import CLIENT_SECRET, SESSION, corpay, json_reply

CLIENT = r"""
import asyncio, ssl, sys

made = []
create_default_context = ssl.create_default_context
def counted(*args, **kwargs):
    made.append(kwargs.get("cafile"))
    return create_default_context(*args, **kwargs)
ssl.create_default_context = counted

from evtui.config.schema import config_from_data
from evtui.pool import AdapterPool

origin, secret = sys.argv[1:3]
profile = {"adapter": "corpay", "base_url": origin, "client_id": "evtui-test", "client_secret": secret}
config = config_from_data({"profiles": {"a": profile, "b": dict(profile), "off": dict(profile, verify_tls=False)}}, None)

async def main():
    async with AdapterPool(config) as pool:
        for name in ("a", "b", "off"):
            record = await pool.get(name).fetch("AAdmD55q8Vz")
            print(name, record.record_id)
asyncio.run(main())
print("contexts", len(made))
"""


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a throwaway certificate")
def test_profiles_verifying_tls_share_one_context(tmp_path: Path) -> None:
    with HostileServer(corpay(lambda r: json_reply(SESSION)), tls_dir=tmp_path) as server:
        assert server.ca_file is not None
        env = dict(os.environ, SSL_CERT_FILE=server.ca_file)
        env.pop("SSL_CERT_DIR", None)
        done = subprocess.run(
            [sys.executable, "-c", CLIENT, server.origin, CLIENT_SECRET], capture_output=True, text=True, env=env, timeout=60
        )
        assert done.returncode == 0, done.stderr
        # Two profiles trusted the certificate through SSL_CERT_FILE with one context; the third checks nothing.
        assert done.stdout.split("\n") == ["a AAdmD55q8Vz", "b AAdmD55q8Vz", "off AAdmD55q8Vz", "contexts 1", ""]
        assert sum(r.path.endswith("/token") for r in server.requests) == 3  # each profile its own token


def _settings_of(context) -> tuple:
    return (context.protocol, context.verify_mode, context.check_hostname, context.options, context.minimum_version,
            context.cert_store_stats(), sorted(c["serialNumber"] for c in context.get_ca_certs()))


@pytest.mark.parametrize("trust", ["certifi", "SSL_CERT_FILE", "no verification"])
def test_our_context_is_the_one_httpx_would_make(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trust: str) -> None:
    # evtui.transport.tls makes it without importing httpx (on a thread at launch): the same trust, the same options.
    import certifi
    import httpx

    from evtui.transport import tls

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    if trust == "SSL_CERT_FILE":
        bundle = Path(certifi.where()).read_text()
        one = bundle[bundle.index("-----BEGIN CERTIFICATE-----") :]
        (tmp_path / "one.pem").write_text(one[: one.index("-----END CERTIFICATE-----") + 25] + "\n")
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "one.pem"))
    verify = trust != "no verification"
    ours, theirs = tls._made(verify), httpx.create_ssl_context(verify=verify, trust_env=True)
    assert _settings_of(ours) == _settings_of(theirs)
    if trust == "SSL_CERT_FILE":
        assert ours.cert_store_stats()["x509_ca"] == 1
