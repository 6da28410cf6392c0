"""One adapter, with one HTTP client, per profile, shared by everything in a process."""

from __future__ import annotations

from evtui import adapters
from evtui.adapters.base import Adapter
from evtui.transport.client import make_client
from evtui.config.schema import Config


class AdapterPool:
    def __init__(self, config: Config, *, timeout: float | None = None) -> None:
        self.config = config
        self.timeout = timeout if timeout is not None else config.settings.timeout
        self._adapters: dict[str, Adapter] = {}

    def get(self, profile_name: str | None = None) -> Adapter:
        profile = self.config.profile(profile_name)
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
