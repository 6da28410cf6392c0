"""A malicious provider on loopback: answers chosen per request, byte by byte if need be.

Raw sockets rather than http.server, so a test can trickle the status line and
headers, not only the body. Bounded: 127.0.0.1 only, every connection has a
socket timeout, a trickle stops after `MAX_TRICKLE` bytes or when the client
hangs up, and `close()` (the context manager's exit) stops everything.
Optionally TLS, with a throwaway self-signed certificate made by `openssl`.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: A trickle sends at most this many bytes (one per `pause`) before giving up on the client.
MAX_TRICKLE = 400


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def segments(self) -> list[str]:
        return [unquote(s) for s in self.path.strip("/").split("/")]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=lambda: [("Content-Type", "application/json")])
    #: Send the status line and headers one byte per `pause` seconds.
    trickle_head: bool = False
    #: Send the body one byte per `pause` seconds.
    trickle_body: bool = False
    pause: float = 0.05


Handler = Callable[[Request], Reply]


class HostileServer:
    def __init__(self, handler: Handler, *, tls_dir: Path | None = None) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._tls: ssl.SSLContext | None = None
        self.ca_file: str | None = None
        if tls_dir is not None:
            self.ca_file = self._make_certificate(tls_dir)
            self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._tls.load_cert_chain(self.ca_file, str(tls_dir / "key.pem"))
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)

    @property
    def origin(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + path

    @staticmethod
    def _make_certificate(directory: Path) -> str:
        cert, key = directory / "cert.pem", directory / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return str(cert)

    def __enter__(self) -> HostileServer:
        self._accepting.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._accepting.join(5)
        for thread in self._threads:
            thread.join(5)
        self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            if self._tls is not None:
                conn = self._tls.wrap_socket(conn, server_side=True)
            reader = conn.makefile("rb")
            while not self._stop.is_set():
                request = _read_request(reader)
                if request is None:
                    return
                self.requests.append(request)
                if not self._answer(conn, self.handler(request)):
                    return
        except (OSError, ssl.SSLError):
            return
        finally:
            conn.close()

    def _answer(self, conn: socket.socket, reply: Reply) -> bool:
        """Send `reply`; False when the connection is done with."""
        reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 429: "Too Many Requests"}.get(reply.status, "Status")
        names = {name.lower() for name, _ in reply.headers}
        headers = list(reply.headers)
        if "content-length" not in names:
            headers.append(("Content-Length", str(len(reply.body))))
        head = f"HTTP/1.1 {reply.status} {reason}\r\n".encode() + b"".join(
            f"{name}: {value}\r\n".encode("latin-1") for name, value in headers
        ) + b"\r\n"
        if not self._send(conn, head, reply.trickle_head, reply.pause):
            return False
        return self._send(conn, reply.body, reply.trickle_body, reply.pause) and not (reply.trickle_head or reply.trickle_body)

    def _send(self, conn: socket.socket, data: bytes, trickle: bool, pause: float) -> bool:
        if not trickle:
            conn.sendall(data)
            return True
        for i in range(min(len(data), MAX_TRICKLE)):
            if self._stop.wait(pause):
                return False
            try:
                conn.sendall(data[i : i + 1])
            except OSError:
                return False  # the client gave up: what a deadline should make it do
        return False


def _read_request(reader: object) -> Request | None:
    line = reader.readline(65536)  # type: ignore[attr-defined]
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        raw = reader.readline(65536)  # type: ignore[attr-defined]
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = reader.read(int(headers.get("content-length", "0") or 0))  # type: ignore[attr-defined]
    parts = urlsplit(target)
    return Request(method, parts.path, parts.query, headers, body)
