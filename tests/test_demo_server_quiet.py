"""The demo server says nothing when a client goes away: under `evtui --demo` its stderr is the
terminal the TUI draws on, and a traceback there would be drawn over the record."""

from __future__ import annotations

import pytest

from evtui.demo.server import DemoServer


def _fail_in_handler(server: DemoServer, error: BaseException) -> None:
    """What socketserver does when a request's handler raises: `handle_error` inside the except."""
    try:
        raise error
    except BaseException:
        server.httpd.handle_error(None, ("127.0.0.1", 1))


@pytest.mark.parametrize("error", [ConnectionResetError(104, "reset"), BrokenPipeError(32, "pipe"), TimeoutError()])
def test_a_client_gone_mid_request_prints_nothing(capfd, error):
    server = DemoServer()
    try:
        _fail_in_handler(server, error)
    finally:
        server.httpd.server_close()
    assert capfd.readouterr().err == ""


def test_a_demo_bug_still_prints_its_traceback(capfd):
    server = DemoServer()
    try:
        _fail_in_handler(server, KeyError("bug"))
    finally:
        server.httpd.server_close()
    assert "KeyError" in capfd.readouterr().err


def test_an_answer_goes_out_without_waiting_for_the_clients_ack():
    # Headers and body are two writes: with Nagle's algorithm on, each answer on a kept-alive
    # connection waited for the client's delayed ACK (40 ms on loopback).
    from evtui.demo.server import DemoServer

    with DemoServer() as server:
        assert server.httpd.RequestHandlerClass.disable_nagle_algorithm is True
