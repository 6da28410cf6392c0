"""One adapter, with one HTTP client, per profile, shared by everything in a process."""

from __future__ import annotations

from collections.abc import Callable

from evtui import adapters
from evtui.adapters.base import Adapter
from evtui.transport.client import make_client
from evtui.config.schema import Config


class AdapterPool:
    def __init__(
        self, config: Config, *, timeout: float | None = None, whole: Callable[[], Config] | None = None
    ) -> None:
        """`whole`: when `config` holds only some profiles (the TUI's start profile), what
        validates the whole config for any other one (raising ConfigError if it is bad)."""
        self.config = config
        self.timeout = timeout if timeout is not None else config.settings.timeout
        self._whole = whole
        self._adapters: dict[str, Adapter] = {}

    def get(self, profile_name: str | None = None) -> Adapter:
        config = self.config
        if self._whole is not None and (profile_name is None or profile_name not in config.profiles):
            config = self.config = self._whole()
            self._whole = None
        profile = config.profile(profile_name)
        adapter = self._adapters.get(profile.name)
        if adapter is None:
            cls = adapters.load(profile.adapter)
            adapter = cls(
                profile.name,
                profile.settings,
                lambda: make_client(self.timeout, verify=profile.settings.tls_verify()),
                max_body=int(self.config.settings.max_body_mb * 1024 * 1024),
            )
            self._adapters[profile.name] = adapter
        return adapter

    async def aclose(self) -> None:
        adapters_, self._adapters = list(self._adapters.values()), {}
        for adapter in adapters_:
            await adapter.aclose()

    async def __aenter__(self) -> AdapterPool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
