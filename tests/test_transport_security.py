"""Transport against malicious providers on loopback: secrets, origins, limits, redirects, tokens.

Each attack ends in one clear error of the documented kind, with no secret in
any text a person sees, and (where it matters) nothing sent where it must not go.
"""

from __future__ import annotations

import base64
import gzip
import json
import shutil
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
import time
from typing import Any

import pytest

from evtui import redact
from evtui.adapters.base import Adapter
from evtui.config.schema import config_from_data
from evtui.errors import (
    ConfigError,
    CredentialsRejected,
    EvtuiError,
    InvalidId,
    MalformedResponse,
    OriginRefused,
    RateLimited,
    Redirected,
    ResponseTooLarge,
    Timeout,
)
from evtui.pool import AdapterPool
from evtui.record import Record
from evtui.transport.origins import Origins
from evtui.transport.retry import parse_retry_after
from tests.hostile_server import HostileServer, Reply, Request
from tests.test_cli import no_traceback, run, write_config

CLIENT_SECRET = "t13h-client-secret-Qw8rT5yU"
API_KEY = "t13h-api-key-Zx3cV6bN"
OCPI_TOKEN = "t13h-ocpi-token-Lk9jH2gF"
SESSION = {"sessionId": "AAdmD55q8Vz", "sessionStatus": "COMPLETE", "energy": {"unit": "kWh", "value": 12.5}}


@pytest.fixture(autouse=True)
def fresh_redactor() -> Iterator[None]:
    yield
    redact.forget_all()


def json_reply(payload: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Reply:
    return Reply(status, json.dumps(payload).encode(), [("Content-Type", "application/json"), *(headers or [])])


def corpay_token(token: str = "access-1234567890", **extra: Any) -> Reply:
    return json_reply({"access_token": token, "token_type": "Bearer", **extra})


def corpay(handler: Any, **profile: Any) -> Any:
    """A Corpay server: the token endpoint answers `corpay_token()`, the rest goes to `handler`."""

    def serve(request: Request) -> Reply:
        if request.path.endswith("/token"):
            return corpay_token()
        return handler(request)

    return serve


def pool(server: HostileServer, adapter: str = "corpay", *, timeout: float = 5.0, max_body_mb: float = 20, **table: Any) -> AdapterPool:
    profile: dict[str, Any] = {"adapter": adapter}
    if adapter == "corpay":
        profile |= {"base_url": server.origin, "client_id": "evtui-test", "client_secret": CLIENT_SECRET}
    elif adapter == "spirii":
        profile |= {"base_url": server.origin, "api_key": API_KEY}
    else:
        profile |= {"versions_url": server.url("/ocpi/versions"), "token": OCPI_TOKEN}
    config = config_from_data({"max_body_mb": max_body_mb, "profiles": {"p": profile | table}}, None)
    return AdapterPool(config, timeout=timeout)


async def fetch(server: HostileServer, record_id: str = "AAdmD55q8Vz", adapter: str = "corpay", **kw: Any) -> Record:
    async with pool(server, adapter, **kw) as p:
        found: Adapter = p.get("p")
        return await found.fetch(record_id)


def assert_clean(error: BaseException, *secrets: str) -> None:
    """One line, and not a secret in any form in what a person is shown."""
    assert isinstance(error, EvtuiError)
    text = f"{error.message}\n{error.hint}"
    assert "\n" not in error.message
    for secret in (CLIENT_SECRET, API_KEY, OCPI_TOKEN, *secrets):
        for form in (secret, base64.b64encode(secret.encode()).decode(), repr(secret.encode())[2:-1]):
            assert form not in text, text


# -- secrets that cannot go into a header ----------------------------------------------


@pytest.mark.parametrize(
    ("api_key", "words"),
    [
        (API_KEY + "\nsecond-line-Pq7", "line break"),
        (API_KEY + "\0", "NUL"),
        (API_KEY + "é", "non-ASCII"),
        (API_KEY + "\x1b[2J", "control character"),
    ],
)
async def test_an_unsendable_secret_is_refused_before_sending(api_key: str, words: str) -> None:
    with HostileServer(lambda r: json_reply({"id": 1})) as server:
        with pytest.raises(ConfigError) as info:
            await fetch(server, "12345", "spirii", api_key=api_key)
        assert server.requests == []
    assert words in info.value.message
    assert "'p'" in info.value.message and "api_key" in info.value.message
    assert_clean(info.value, api_key, api_key.splitlines()[0])


@pytest.mark.parametrize("token", ["access-\r\nX-Injected: 1", "access-token\0-rest", "accèss-token-value"])
async def test_an_access_token_that_is_not_header_safe_is_refused(token: str) -> None:
    def serve(request: Request) -> Reply:
        return corpay_token(token) if request.path.endswith("/token") else json_reply(SESSION)

    with HostileServer(serve) as server:
        with pytest.raises(MalformedResponse) as info:
            await fetch(server)
        assert [r.path for r in server.requests] == ["/keycloak/realms/longship/protocol/openid-connect/token"]
    assert "cannot be sent in an HTTP header" in info.value.message
    assert_clean(info.value, token, *token.splitlines())


async def test_an_error_body_echoing_the_client_secret_is_masked() -> None:
    def serve(request: Request) -> Reply:
        body = {"error": "invalid_client", "error_description": f"bad secret {CLIENT_SECRET} for evtui-test"}
        return json_reply(body, 401)

    with HostileServer(serve) as server:
        with pytest.raises(CredentialsRejected) as info:
            await fetch(server)
    assert "invalid_client" in info.value.message and redact.MASK in info.value.message
    assert_clean(info.value)


async def test_the_access_token_is_masked_in_the_exchange_and_errors() -> None:
    token = "access-token-echoed-Mn4bV7"

    def serve(request: Request) -> Reply:
        if request.path.endswith("/token"):
            return corpay_token(token)
        return json_reply({"message": f"token {token} is not allowed here"}, 403, [("X-Echo", token)])

    with HostileServer(serve) as server:
        with pytest.raises(EvtuiError) as info:
            await fetch(server)
    assert_clean(info.value, token)


def test_the_cli_shows_one_line_without_the_secret(config_dir: Path) -> None:
    with HostileServer(lambda r: json_reply({"id": 1})) as server:
        write_config(
            config_dir,
            f'[profiles.s]\nadapter = "spirii"\nbase_url = "{server.origin}"\napi_key = "env:T13H_KEY"\n',
        )
        result = run("get", "-v", "12345", env={"T13H_KEY": API_KEY + "\n" + "metadata: Qz8"})
        assert server.requests == []
    no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert API_KEY not in result.stderr + result.stdout
    assert "api_key" in result.stderr and "line break" in result.stderr


# -- origins -------------------------------------------------------------------------------


def ocpi_versions(details_url: str) -> Reply:
    return json_reply({"status_code": 1000, "data": [{"version": "2.2.1", "url": details_url}]})


def ocpi_details(sessions_url: str) -> Reply:
    endpoints = [{"identifier": "sessions", "role": "SENDER", "url": sessions_url}]
    return json_reply({"status_code": 1000, "data": {"version": "2.2.1", "endpoints": endpoints}})


def ocpi_page(items: list[dict[str, Any]], next_url: str | None = None) -> Reply:
    headers = [("Link", f'<{next_url}>; rel="next"')] if next_url else []
    return json_reply({"status_code": 1000, "data": items}, headers=headers)


def session_doc(session_id: str) -> dict[str, Any]:
    return {"id": session_id, "country_code": "NL", "party_id": "CPO", "last_updated": "2026-11-30T10:00:00Z", "status": "COMPLETED"}


async def test_discovery_pointing_to_another_origin_is_refused() -> None:
    with HostileServer(lambda r: ocpi_page([session_doc("S1")])) as elsewhere:

        def serve(request: Request) -> Reply:
            if request.path == "/ocpi/versions":
                return ocpi_versions(elsewhere.url("/ocpi/2.2.1"))
            return json_reply({}, 404)

        with HostileServer(serve) as cpo:
            with pytest.raises(OriginRefused) as info:
                await fetch(cpo, "S1", "ocpi")
        assert elsewhere.requests == []
    assert cpo.origin in info.value.message and elsewhere.origin in info.value.message
    assert "allowed_origins" in info.value.hint
    assert_clean(info.value)


async def test_an_origin_listed_in_allowed_origins_is_used() -> None:
    def serve_elsewhere(request: Request) -> Reply:
        if request.path == "/ocpi/2.2.1":
            return ocpi_details(elsewhere.url("/ocpi/sessions"))
        return ocpi_page([session_doc("S1")])

    with HostileServer(serve_elsewhere) as elsewhere:
        with HostileServer(lambda r: ocpi_versions(elsewhere.url("/ocpi/2.2.1"))) as cpo:
            record = await fetch(cpo, "S1", "ocpi", allowed_origins=[elsewhere.origin])
    assert record.record_id == "S1"
    assert [r.path for r in elsewhere.requests] == ["/ocpi/2.2.1", "/ocpi/sessions"]


async def test_a_next_link_to_another_origin_is_refused() -> None:
    with HostileServer(lambda r: ocpi_page([session_doc("S2")])) as elsewhere:

        def serve(request: Request) -> Reply:
            if request.path == "/ocpi/versions":
                return ocpi_versions(cpo.url("/ocpi/2.2.1"))
            if request.path == "/ocpi/2.2.1":
                return ocpi_details(cpo.url("/ocpi/sessions"))
            return ocpi_page([session_doc("S1")], next_url=elsewhere.url("/ocpi/sessions?offset=1"))

        with HostileServer(serve) as cpo:
            with pytest.raises(OriginRefused) as info:
                await fetch(cpo, "S2", "ocpi")
        assert elsewhere.requests == []
    assert 'Link rel="next"' in info.value.message
    assert cpo.origin in info.value.message and elsewhere.origin in info.value.message


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a throwaway certificate")
async def test_a_next_link_from_https_down_to_http_is_refused_even_when_listed(tmp_path: Path) -> None:
    with HostileServer(lambda r: ocpi_page([session_doc("S2")])) as plain:

        def serve(request: Request) -> Reply:
            if request.path == "/ocpi/versions":
                return ocpi_versions(cpo.url("/ocpi/2.2.1"))
            if request.path == "/ocpi/2.2.1":
                return ocpi_details(cpo.url("/ocpi/sessions"))
            return ocpi_page([session_doc("S1")], next_url=plain.url("/ocpi/sessions?offset=1"))

        with HostileServer(serve, tls_dir=tmp_path) as cpo:
            with pytest.raises(OriginRefused) as info:
                await fetch(cpo, "S2", "ocpi", ca_bundle=cpo.ca_file, allowed_origins=[plain.origin])
            assert len(cpo.requests) == 3  # discovery and the first page went over https
        assert plain.requests == []
    assert "plain http" in info.value.message and plain.origin in info.value.message


def test_origins_compare_scheme_host_and_port() -> None:
    origins = Origins("p", ["https://CPO.example/ocpi/versions"], ["https://hub.example:8443"])
    origins.check("https://cpo.example:443/ocpi/cdrs")
    origins.check("https://hub.example:8443/x")
    for url in ("https://cpo.example:8443/x", "https://hub.example/x", "https://evil.example/x"):
        with pytest.raises(OriginRefused):
            origins.check(url)
    with pytest.raises(OriginRefused, match="plain http"):
        Origins("p", ["https://cpo.example"], ["http://cpo.example"]).check("http://cpo.example/next")


async def test_a_redirect_is_reported_never_taken_as_the_record() -> None:
    with HostileServer(lambda r: ocpi_page([])) as target:
        location = target.url("/sessions/AAdmD55q8Vz")
        reply = json_reply(SESSION, 302, [("Location", location)])
        with HostileServer(corpay(lambda r: reply)) as server:
            with pytest.raises(Redirected) as info:
                await fetch(server)
        assert target.requests == []
    assert "HTTP 302" in info.value.message and location in info.value.message
    assert info.value.exit_code == 5


# -- limits ------------------------------------------------------------------------------


async def test_a_gzip_bomb_stops_at_the_decoded_cap() -> None:
    bomb = gzip.compress(b'{"sessionId": "' + b"0" * (40 * 2**20) + b'"}', 9)
    assert len(bomb) < 2**20  # under the cap compressed: only decoding shows how big it is
    reply = Reply(200, bomb, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
    with HostileServer(corpay(lambda r: reply)) as server:
        with pytest.raises(ResponseTooLarge) as info:
            await fetch(server, max_body_mb=1)
    assert "1 MB limit" in info.value.message and "decoded" in info.value.message


async def test_a_trickling_body_fails_at_the_deadline() -> None:
    body = json.dumps(SESSION).encode()
    with HostileServer(corpay(lambda r: Reply(200, body, trickle_body=True, pause=0.05))) as server:
        with pytest.raises(Timeout) as info:
            await fetch(server, timeout=0.5)
    assert "whole answer within 0.5 s" in info.value.message


async def test_trickling_headers_fail_at_the_deadline() -> None:
    with HostileServer(corpay(lambda r: Reply(200, b"{}", trickle_head=True, pause=0.05))) as server:
        with pytest.raises(Timeout) as info:
            await fetch(server, timeout=0.5)
    assert "no answer within 0.5 s" in info.value.message


async def test_an_ocpi_scan_stops_at_scan_timeout() -> None:
    def serve(request: Request) -> Reply:
        if request.path == "/ocpi/versions":
            return ocpi_versions(server.url("/ocpi/2.2.1"))
        if request.path == "/ocpi/2.2.1":
            return ocpi_details(server.url("/ocpi/sessions"))
        offset = int(dict(p.split("=") for p in request.query.split("&")).get("offset", "0"))
        # Every page in time, and always another one: only the scan's own deadline ends it.
        page = ocpi_page([session_doc(f"X{offset}")], next_url=server.url(f"/ocpi/sessions?offset={offset + 1}"))
        page.trickle_body, page.pause = True, 0.001
        return page

    with HostileServer(serve) as server:
        with pytest.raises(Timeout) as info:
            await fetch(server, "NOPE", "ocpi", scan_timeout=1.0)
    assert "1 s limit" in info.value.message and "scan_timeout" in info.value.hint


# -- ids, tokens, Retry-After -------------------------------------------------------------


@pytest.mark.parametrize("record_id", [".", "..", " .. ", "'.'"])
async def test_path_steps_are_not_ids(record_id: str) -> None:
    with HostileServer(corpay(lambda r: json_reply(SESSION))) as server:
        with pytest.raises(InvalidId, match="path step"):
            await fetch(server, record_id)
        assert server.requests == []


@pytest.mark.parametrize(
    ("expires_in", "note"),
    [("abc", "not a whole number"), (-5, "not a whole number"), ("NaN", "not a whole number"), (10**30, "not a whole number"), (0, "not a positive"), (10**8, "longer than")],
)
async def test_a_strange_expires_in_gives_a_sane_lifetime(expires_in: Any, note: str) -> None:
    def serve(request: Request) -> Reply:
        return corpay_token(expires_in=expires_in) if request.path.endswith("/token") else json_reply(SESSION)

    with HostileServer(serve) as server:
        record = await fetch(server)
    assert record.exchange is not None
    assert any("expires_in" in n and note in n for n in record.exchange.notes), record.exchange.notes


async def test_retry_after_as_an_http_date_is_read_as_a_date() -> None:
    later = formatdate(time.time() + 3600, usegmt=True)
    with HostileServer(corpay(lambda r: json_reply({}, 429, [("Retry-After", later)]))) as server:
        with pytest.raises(RateLimited) as info:
            await fetch(server)
    assert info.value.retry_after is not None and 3500 < info.value.retry_after <= 3600
    assert "Retry after 3" in info.value.message and "Retry after 0 s" not in info.value.message


def test_retry_after_is_read_strictly() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(formatdate(0, usegmt=True)) == 0.0
    for junk in ("nan", "inf", "-5", "1e9", "soon", "Wed, 99 Foo 2026"):
        assert parse_retry_after(junk) is None, junk


# -- URL settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"adapter": "spirii", "base_url": "ftp://files.example", "api_key": "k"}, "must start with https://"),
        ({"adapter": "spirii", "base_url": "https://user:pw@api.example", "api_key": "k"}, "secret settings"),
        ({"adapter": "ocpi", "versions_url": "https://u:p@cpo.example/ocpi/versions", "token": "t"}, "secret settings"),
        ({"adapter": "corpay", "client_id": "c", "client_secret": "s", "token_url": "file:///etc/passwd"}, "must start"),
        ({"adapter": "spirii", "api_key": "k", "allowed_origins": ["https://a.example/path"]}, "not an origin"),
        ({"adapter": "ocpi", "versions_url": "https://cpo.example/v", "token": "t", "scan_timeout": float("nan")}, "scan_timeout"),
        ({"adapter": "ocpi", "versions_url": "https://cpo.example/v", "token": "t", "scan_timeout": -1}, "scan_timeout"),
    ],
)
def test_url_and_number_settings_are_checked(table: dict[str, Any], words: str) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_data({"profiles": {"p": table}}, None)
    assert words in str(info.value)
    assert "pw" not in str(info.value).replace("https://", "")
    assert "(top level)" not in str(info.value)  # the field is named


def test_every_configured_url_is_its_own_origin_whatever_its_scheme() -> None:
    # A local plain-http API with an https identity server: both configured, both fine.
    origins = Origins("p", ["http://127.0.0.1:8080", "https://idp.example/token"])
    origins.check("http://127.0.0.1:8080/sessions/1")
    origins.check("https://idp.example/token")
    with pytest.raises(OriginRefused, match="plain http"):
        origins.check("http://127.0.0.1:8081/elsewhere")


async def test_the_http_exchange_kept_masks_an_echoed_token() -> None:
    token = "access-token-in-headers-Rt6yU8"

    def serve(request: Request) -> Reply:
        if request.path.endswith("/token"):
            return corpay_token(token)
        return json_reply(SESSION, headers=[("X-Echo", f"Bearer {token}"), ("Set-Cookie", f"s={token}")])

    with HostileServer(serve) as server:
        record = await fetch(server)
        assert server.requests[-1].headers["authorization"] == f"Bearer {token}"  # it did go to the provider
    assert record.exchange is not None
    kept = repr(record.exchange)
    assert token not in kept and "X-Echo".lower() in kept.lower() and redact.MASK in kept


def test_a_hostile_link_header_is_read_in_one_pass() -> None:
    from evtui.transport.links import next_link, parse_links

    # Shaped to make a backtracking expression retry every split of the parameters.
    hostile = "<https://cpo.example/a>" + ' ; x = "\\' * 5000 + ";" * 5000
    assert parse_links([hostile])[0][0] == "https://cpo.example/a"
    assert next_link(['</b?offset=1>; rel="next"'], "https://cpo.example/ocpi/a") == "https://cpo.example/b?offset=1"


async def test_a_third_party_adapter_revealing_a_secret_into_a_header_gets_the_same_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example adapter puts api_key.reveal() in X-API-Key itself: still refused, naming the field.

    (A literal like this is refused when the config is read; an env: value only when resolved.)"""
    monkeypatch.setenv("ACME_KEY_T13H", API_KEY + "\r\nX: 1")
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "acme_evtui"))
    try:
        from acme_evtui import AcmeAdapter, AcmeSettings
    finally:
        sys.path.pop(0)
    from evtui.transport.client import make_client

    with HostileServer(lambda r: json_reply({"id": "ch_1"})) as server:
        settings = AcmeSettings.model_validate({"adapter": "acme", "base_url": server.origin, "api_key": "env:ACME_KEY_T13H"})
        async with make_client(timeout=5) as client:
            with pytest.raises(ConfigError) as info:
                await AcmeAdapter("acme-p", settings, client).fetch("ch_7Hq2LmX9aP4s")
        assert server.requests == []
    assert "api_key" in info.value.message and "'acme-p'" in info.value.message
    assert_clean(info.value, API_KEY + "\r\nX: 1")


def _cli_case(kind: str) -> Any:
    bomb = gzip.compress(b'{"a": "' + b"0" * (3 * 2**20) + b'"}', 9)
    session = json.dumps(SESSION).encode()
    return {
        "crlf token": lambda r: corpay_token("tok-\r\nX-Evil: 1") if r.path.endswith("/token") else json_reply(SESSION),
        "gzip bomb": corpay(lambda r: Reply(200, bomb, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])),
        "redirect": corpay(lambda r: json_reply(SESSION, 301, [("Location", "http://127.0.0.1:9/elsewhere")])),
        "trickle": corpay(lambda r: Reply(200, session, trickle_body=True, pause=0.05)),
        "secret echoed": lambda r: json_reply({"error": "invalid_client", "error_description": f"no {CLIENT_SECRET}"}, 401),
    }[kind]


@pytest.mark.parametrize(
    ("kind", "code", "words"),
    [
        ("crlf token", 5, "cannot be sent in an HTTP header"),
        ("gzip bomb", 5, "1 MB limit"),
        ("redirect", 5, "redirected"),
        ("trickle", 5, "within 0.5 s"),
        ("secret echoed", 4, "invalid_client"),
    ],
)
def test_each_attack_is_one_line_with_its_exit_code_on_the_command_line(config_dir: Path, kind: str, code: int, words: str) -> None:
    with HostileServer(_cli_case(kind)) as server:
        write_config(
            config_dir,
            f'max_body_mb = 1\n[profiles.c]\nadapter = "corpay"\nbase_url = "{server.origin}"\n'
            f'client_id = "evtui-test"\nclient_secret = "{CLIENT_SECRET}"\n',
        )
        result = run("get", "-v", "--timeout", "0.5", "AAdmD55q8Vz")
    no_traceback(result)
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("evtui: AAdmD55q8Vz: "), result.stderr
    assert words in lines[0], lines[0]
    assert CLIENT_SECRET not in result.stderr + result.stdout and "X-Evil" not in result.stderr


async def test_a_gzip_body_is_read_and_a_damaged_one_is_reported() -> None:
    packed = gzip.compress(json.dumps(SESSION).encode())
    damaged = packed[:20] + bytes(b ^ 0xFF for b in packed[20:40]) + packed[40:]
    gz = [("Content-Type", "application/json"), ("Content-Encoding", "gzip")]
    with HostileServer(corpay(lambda r: Reply(200, packed, gz))) as server:
        record = await fetch(server)
    assert record.document == SESSION and record.raw == json.dumps(SESSION).encode()
    with HostileServer(corpay(lambda r: Reply(200, damaged, gz))) as server:
        with pytest.raises(MalformedResponse, match="could not be decompressed"):
            await fetch(server)
