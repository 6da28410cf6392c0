"""Every error kind as the TUI shows it, over the real demo server (issue 5).

One parametrised test drives each fault id through the search bar and checks
the panel: the error's title, the provider's or evtui's message, and the hint.
Plus the retry countdown, OCPI scan progress and the TLS OFF badge.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any

import pytest

import evtui.transport.retry as retry_rules
from evtui.config.schema import config_from_data
from evtui.demo.server import DemoServer, demo_config
from evtui.tui.errors import ErrorPanel
from evtui.tui.fields import FieldList
from evtui.tui.raw_json import RawJsonPane
from evtui.tui.switcher import ProfilePicker
from tests.test_tui import _env, make_app, rendered_text, server, settle, until  # noqa: F401

WRONG_SECRET = "wrong-secret-Zq81xV"


def closed_port() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def corpay_config(server: DemoServer, **overrides: Any) -> Any:
    profile = {**server.providers["corpay"].profile(server.base_url("corpay")), **overrides}
    config = config_from_data({"default_profile": "p", "profiles": {"p": profile}}, None)
    config.demo = True
    return config


@dataclass
class Case:
    record_id: str
    title: str
    #: Words the panel must show (message and hint).
    says: tuple[str, ...]
    config: str = "demo"
    timeout: float | None = None
    absent: tuple[str, ...] = field(default_factory=tuple)


CASES = {
    "not_found": Case("Missing0001", "Not found (HTTP 404)", ("Missing0001", "What to try", "Check the id")),
    "credentials_rejected": Case(
        "AAdmD55q8Vz", "Credentials rejected", ("refused client_id/client_secret", "Check client_secret"), config="wrong-secret", absent=(WRONG_SECRET,)
    ),
    "forbidden": Case("fault-forbidden", "Forbidden (HTTP 403)", ("may not read", "These credentials may not read this record", "scope")),
    "rate_limited": Case("fault-rate-limited-long", "Rate limited (HTTP 429)", ("rate-limiting", "3600 s", "Wait a moment")),
    "provider_error": Case("fault-down", "Provider error (HTTP 503)", ("Maintenance until 06:00 UTC", "try again shortly")),
    "server_error": Case("fault-server-error", "Provider error (HTTP 500)", ("Internal error while loading the record",)),
    "timeout": Case("fault-hang", "Timed out", ("sent no answer within 0.5 s", "raise --timeout"), timeout=0.5),
    "cannot_connect": Case("AAdmD55q8Vz", "Cannot connect", ("127.0.0.1", "What to try"), config="closed-port"),
    "malformed": Case("fault-malformed", "Malformed response", ("is not JSON", "check base_url")),
    "truncated": Case("fault-truncated", "Malformed response", ("was cut off",)),
    "html": Case("fault-html", "Malformed response", ("text/html", "error page")),
    "too_large": Case("fault-huge", "Response too large", ("20 MB limit", "max_body_mb")),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_each_error_kind_shows_its_panel(server, monkeypatch, name):
    case = CASES[name]
    monkeypatch.setattr(retry_rules, "BACKOFF_FIRST", 0.01)  # fault-down retries three times
    if case.config == "wrong-secret":
        config = corpay_config(server, client_secret=WRONG_SECRET)
    elif case.config == "closed-port":
        config = corpay_config(server, base_url=f"http://127.0.0.1:{closed_port()}/corpay")
    else:
        config = demo_config(server)
    app = make_app(server, config, timeout=case.timeout)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main
        main.search.input.value = case.record_id
        await pilot.press("enter")
        await until(pilot, lambda: main.detail.mode == "error", f"error panel for {name}", tries=1500)
        await settle(app, pilot)
        panel = main.detail.query_one(ErrorPanel)
        assert panel.failure is not None
        assert panel.failure.title.startswith(case.title), panel.failure.title
        # The panel's lines joined, borders dropped: words wrapped over two lines still match.
        text = " ".join(" ".join(line.strip(" │╭╮╰╯─").split()) for line in rendered_text(panel).splitlines())
        assert case.title in str(panel.border_title)
        for words in case.says:
            assert words in text, f"{words!r} not in {text}"
        for words in case.absent:
            assert words not in text
            assert words not in app.export_screenshot(), "never anywhere on screen"
        assert app.is_running


async def test_invalid_id_sends_nothing(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        before = dict(server.counts)
        main.search.input.value = "no spaces allowed"
        await pilot.press("enter")
        await until(pilot, lambda: main.search_message.has_class("-error"), "inline message")
        text = rendered_text(main.search_message)
        assert "not a valid" in text
        assert main.detail.mode == "welcome" and dict(server.counts) == before


async def test_not_an_object_shows_the_record_with_problems_and_raw_json(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        main.search.input.value = "fault-not-an-object"
        await pilot.press("enter")
        await until(pilot, lambda: main.detail.mode == "record", "record")
        await settle(app, pilot)
        record = main.detail.shown.record
        assert record.problems and record.summary == "unexpected document"
        assert "not a record object" in rendered_text(main.detail.query(FieldList).first())
        assert "1 problem" in rendered_text(main.detail.query_one("#record-header"))
        main.detail.record_view.tabs.active = "tab-raw"
        pane = main.detail.query_one(RawJsonPane)
        await until(pilot, lambda: pane.prepared is not None, "raw json")
        assert pane.view.lines[0].startswith("[")


async def test_hostile_record_renders_literally(server):
    app = make_app(server)
    async with app.run_test(size=(140, 40)) as pilot:
        main = app.main
        main.search.input.value = "fault-hostile"
        await pilot.press("enter")
        await until(pilot, lambda: main.detail.mode == "record", "record")
        await settle(app, pilot)
        view = main.detail.record_view
        texts = [rendered_text(view.query_one("#record-header"))]
        for pane in list(view.tabs.query("TabPane")):
            if pane.id in ("tab-raw", "tab-http"):
                continue
            view.tabs.active = pane.id
            await pilot.pause()
            texts += [rendered_text(w) for w in pane.query("FieldList, SafeTable")]
        joined = "\n".join(texts)
        assert "[bold red]Depot[/]" in joined or "[@click=app.quit]" in joined
        for bad in ("\x1b", "\x07", "\u202e", "\u2066", "\x9b", "\x00"):
            assert bad not in joined, repr(bad)
        assert "\\x1b" in joined or "\\u202e" in joined
        assert app.is_running


# -- progress --------------------------------------------------------------------------------


async def test_rate_limit_retry_counts_down_then_shows_the_record(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        main.search.input.value = "fault-rate-limited"
        await pilot.press("enter")
        await until(pilot, lambda: "retrying in" in main.detail.loading_text, "countdown", tries=300)
        assert "Rate limited by the provider; retrying in 1 s…" in main.detail.loading_text
        assert "Esc cancels" in main.detail.loading_text
        await until(pilot, lambda: main.detail.mode == "record", "record after the retry", tries=600)
        assert main.detail.shown.record.record_id == "fault-rate-limited"


async def test_escape_cancels_during_a_retry_wait(server):
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        main.search.input.value = "fault-rate-limited"
        await pilot.press("enter")
        await until(pilot, lambda: "retrying in" in main.detail.loading_text, "countdown", tries=300)
        await pilot.press("escape")
        assert main.detail.mode == "welcome"
        await settle(app, pilot)
        assert main.detail.mode == "welcome", "the cancelled lookup never shows its record"


async def test_ocpi_scan_reports_pages(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        main.switch_profile("demo-ocpi")
        seen: list[str] = []
        real = main.detail.show_progress

        def spy(message: str, wait: float | None = None) -> None:
            seen.append(message)
            real(message, wait)

        main.detail.show_progress = spy  # type: ignore[method-assign]
        main.search.input.value = "CPO-SES-4711"
        await pilot.press("enter")
        await until(pilot, lambda: main.detail.mode == "record", "record", tries=1000)
        assert any(m.startswith("Scanned 2 pages") for m in seen), seen
        assert any("sessions" in m for m in seen)


# -- TLS ------------------------------------------------------------------------------------


async def test_tls_off_is_badged_in_the_switcher_and_picker(server):
    app = make_app(server, corpay_config(server, verify_tls=False))
    async with app.run_test(size=(120, 30)) as pilot:
        main = app.main
        await pilot.pause()
        assert "TLS OFF" in rendered_text(main.switcher)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, ProfilePicker), "picker")
        assert "TLS OFF" in rendered_text(app.screen.query_one("#picker-list"))
    app = make_app(server)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "TLS OFF" not in rendered_text(app.main.switcher)
