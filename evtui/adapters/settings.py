"""Settings every profile has, and the rules for its URL settings (where credentials go)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from evtui.config.model import SettingsModel, field_check
from evtui.config.secrets import Secret
from evtui.environment import Environment


class AdapterSettings(SettingsModel):
    """Settings every profile has; adapters subclass it with their own fields (`evtui.config.model`)."""

    adapter: str
    #: Overrides the environment badge judged from the URL.
    environment: Environment | None = None
    base_url: str = ""
    #: A CA bundle (PEM) to trust, e.g. a corporate proxy's; system CAs otherwise.
    ca_bundle: str | None = None
    #: Turning this off is shown as a warning everywhere the profile is used.
    verify_tls: bool = True
    #: Origins (scheme://host[:port]) besides those of the profile's URLs that may receive
    #: its credentials, e.g. the host an OCPI CPO's endpoints live on. Never http for an https profile.
    allowed_origins: tuple[str, ...] = ()

    @field_check("*")
    @classmethod
    def _urls_are_http(cls, value: Any, name: str) -> Any:
        # Every `*_url` setting, an adapter's own included: these are where credentials go.
        if name.endswith("_url") and isinstance(value, str) and value:
            problem = url_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @field_check("allowed_origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if url_problem(item) or urlsplit(item).path.strip("/"):
                raise ValueError(f"{item!r} is not an origin such as https://host.example or https://host.example:8443")
        return value

    def own_url_items(self) -> list[tuple[str, str]]:
        """(field, URL) of every URL setting (`*_url`) the profile sets."""
        return [
            (name, value)
            for name in type(self).model_fields
            if name.endswith("_url") and isinstance(value := getattr(self, name), str) and value
        ]

    def own_urls(self) -> list[str]:
        return [value for _, value in self.own_url_items()]

    @field_check("ca_bundle")
    @classmethod
    def _bundle_exists(cls, value: str | None) -> str | None:
        if value is not None and not Path(value).expanduser().is_file():
            raise ValueError(f"no such file: {value}")
        return value

    def tls_verify(self) -> Any:
        """What httpx's `verify` takes for this profile."""
        if not self.verify_tls:
            return False
        if self.ca_bundle:
            import ssl

            return ssl.create_default_context(cafile=str(Path(self.ca_bundle).expanduser()))
        return True

    def secrets(self) -> dict[str, Secret]:
        return {name: v for name in type(self).model_fields if isinstance(v := getattr(self, name), Secret)}


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a provider URL setting, or None."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  (raises for a port that is not a number)
    except ValueError:
        return "not a URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"must start with https:// (or http://), not {parts.scheme + '://' if parts.scheme else 'no scheme'}"
    if "@" in parts.netloc:
        return "a user name or password in the URL is not allowed: put credentials in the profile's secret settings"
    if not parts.hostname:
        return "has no host"
    return None
