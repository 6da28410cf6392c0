"""The small request/response vocabulary the demo providers speak."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoRequest:
    method: str
    #: Path segments after the provider prefix, each percent-decoded on its own.
    segments: list[str]
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def bearer(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else None


@dataclass
class DemoResponse:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering (fault modes).
    delay: float = 0.0

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> DemoResponse:
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload, indent=2, ensure_ascii=False)
        if isinstance(body, str):
            body = body.encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json", **(headers or {})})
