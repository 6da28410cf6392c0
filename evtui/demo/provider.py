"""What a demo provider is, and what it may ask of the server that hosts it.

Demo provider modules import this (never `evtui.demo.server`), so the server can
import them all from `evtui.demo.providers` without an import circle.
"""

from __future__ import annotations

from typing import Any, Protocol

from evtui.demo.http import DemoRequest, DemoResponse


class DemoHost(Protocol):
    """The server as a provider sees it: request counting for tests."""

    def count(self, key: str, n: int = 1) -> None: ...


class DemoProvider(Protocol):
    #: The first path segment of the provider's base URL; its demo profile is `demo-<prefix>`.
    prefix: str
    #: Ids worth trying, offered by the TUI for the demo profile.
    examples: tuple[str, ...]
    # Optional: `variants: dict[str, tuple[str, tuple[str, ...]]]`, further demo profiles the provider
    # serves, name -> (path under its base URL, examples); `evtui.demo.server.demo_profiles` reads it.

    def handle(self, request: DemoRequest, host: DemoHost) -> DemoResponse: ...

    def profile(self, base_url: str) -> dict[str, Any]:
        """The config table of the demo profile pointing at this provider."""
        ...
