"""The demo provider server: stdlib HTTP in a daemon thread, one handler per provider
(the providers are listed in `evtui.demo.providers`).

A thread, not the app's event loop, so a slow or hung demo answer never
blocks the UI, exactly like a remote server would not.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl, unquote, urlsplit

from evtui.config.file import ConfigFile
from evtui.demo.http import DemoRequest, DemoResponse
from evtui.demo.provider import DemoProvider
from evtui.demo.providers import PROVIDERS

if TYPE_CHECKING:
    from evtui.config.schema import Config


class _QuietHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away mid-request (a cancelled lookup, a test's timeout) is no error;
        socketserver would print its traceback to stderr, which under `evtui --demo` is the
        terminal the TUI draws on."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class DemoServer:
    """Start with `start()` or as a context manager; `base_url(prefix)` gives a provider's base."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.providers: dict[str, DemoProvider] = {p.prefix: p for p in (cls() for cls in PROVIDERS)}
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        handler = _make_handler(self)
        self.httpd = _QuietHTTPServer((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def base_url(self, prefix: str) -> str:
        return f"{self.root}/{prefix}"

    def count(self, key: str, n: int = 1) -> None:
        with self._lock:
            self.counts[key] += n

    def start(self) -> DemoServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), name="evtui-demo", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait(self, seconds: float) -> None:
        """Sleep for a delayed answer, cut short when the server stops."""
        self._stopping.wait(seconds)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def dispatch(self, request: DemoRequest, prefix: str) -> DemoResponse:
        provider = self.providers.get(prefix)
        if provider is None:
            return DemoResponse.json({"message": f"no demo provider at /{prefix}"}, 404)
        return provider.handle(request, self)


def _make_handler(server: DemoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "evtui-demo"
        # The headers and the body go out in two writes: with Nagle's algorithm the body waited
        # for the client's delayed ACK of the headers, 40 ms on every answer of a kept-alive
        # connection in quick succession (a loopback GET took 44 ms; 1 ms without).
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the TUI owns the terminal
            pass

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            raw_segments = [s for s in parts.path.split("/") if s != ""]
            if not raw_segments:
                self._send(DemoResponse.json({"message": "evtui demo server"}))
                return
            prefix, rest = raw_segments[0], raw_segments[1:]
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            request = DemoRequest(
                method=self.command,
                segments=[unquote(s) for s in rest],
                query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            try:
                response = server.dispatch(request, prefix)
            except Exception as exc:  # a demo bug answers 500, like a real server would
                response = DemoResponse.json({"message": f"demo server bug: {type(exc).__name__}"}, 500)
            if response.delay:
                server.wait(response.delay)
            self._send(response)

        def _send(self, response: DemoResponse) -> None:
            if response.status == 0:  # fault: drop the connection with a reset, no answer
                import socket
                import struct

                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            try:
                self.send_response(response.status)
                headers = {"Content-Length": str(len(response.body)), **response.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = _serve

    return Handler


def demo_profiles(server: DemoServer) -> dict[str, tuple[dict[str, Any], tuple[str, ...]]]:
    """Every demo profile, in the order `--demo` lists them: name -> (config table, ids worth trying).

    A provider's own profile is `demo-<prefix>`; each of its `variants` (another API it serves under
    a path of its base, e.g. OCPI 2.1.1 at /ocpi/v211) is `demo-<variant name>`, listed after every
    provider's own, so the providers keep their places in the picker."""
    out: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}
    for prefix, provider in server.providers.items():
        out[f"demo-{prefix}"] = (provider.profile(server.base_url(prefix)), tuple(provider.examples))
    for prefix, provider in server.providers.items():
        for name, (path, examples) in getattr(provider, "variants", {}).items():
            out[f"demo-{name}"] = (provider.profile(f"{server.base_url(prefix)}/{path}"), tuple(examples))
    return out


#: What `evtui --demo` takes from the user's config.toml: how evtui behaves, not what it talks to.
USER_SETTINGS = ("timeout", "max_body_mb", "watch_interval", "keymap", "history")


def demo_data(server: DemoServer) -> dict[str, Any]:
    """config.toml's data for profiles that all point at the running demo server."""
    profiles = {name: table for name, (table, _) in demo_profiles(server).items()}
    return {"default_profile": "demo-corpay", "profiles": profiles}


def demo_config(server: DemoServer) -> Any:
    """A Config whose profiles all point at the running demo server."""
    from evtui.config.schema import config_from_data

    config = config_from_data(demo_data(server), None)
    config.demo = True
    return config


@dataclass
class DemoConfigFile(ConfigFile):
    """`evtui --demo`'s config, not yet validated, as the TUI takes a config.toml (painted first,
    the start profile validated alone, the rest after): the demo's profiles and `user`'s
    USER_SETTINGS. The user's file is validated first, its errors reported as without --demo."""

    demo: ClassVar[bool] = True
    user: ConfigFile | None = None

    def validate(self) -> Config:
        if self.user is not None:
            self.user.validate()
        config = super().validate()
        config.demo = True
        return config

    def validate_start(self, profile: str) -> Config:
        config = super().validate_start(profile)
        config.demo = True
        return config


def demo_file(server: DemoServer, user: ConfigFile) -> DemoConfigFile:
    data = {k: v for k, v in user.data.items() if k in USER_SETTINGS} | demo_data(server)
    return DemoConfigFile(path=None, exists=True, data=data, user=user)  # type: ignore[arg-type]  # no file of its own


def main() -> None:  # python -m evtui.demo.server [PORT]
    import sys

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    server = DemoServer(port=port).start()
    for prefix in server.providers:
        print(f"{prefix}: {server.base_url(prefix)}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
