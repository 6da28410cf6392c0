"""The settings of an OCPI profile: the CPO's versions URL, the token, the scan window."""

from __future__ import annotations

import re
from typing import Any, Literal

from evtui.adapters.api import AdapterSettings, Secret, Setting, field_check, table_check
from evtui.adapters.settings import url_problem


class OcpiSettings(AdapterSettings):
    #: The CPO's versions endpoint, e.g. https://cpo.example.com/ocpi/versions
    versions_url: str
    #: The credentials token the CPO issued to you (OCPI's "token C").
    token: Secret
    #: auto: base64 (as 2.2.1 says) first, the raw token after a 401; remembered per process.
    token_encoding: Literal["auto", "base64", "raw"] = "auto"
    #: Your own party, sent as OCPI-from-country-code / OCPI-from-party-id when set.
    country_code: str | None = None
    party_id: str | None = None
    #: How many days back a lookup scans (by last_updated); --since overrides it.
    window_days: int = Setting(30, ge=1, le=3650)
    #: Seconds one lookup's scan may take in all, beside the MAX_PAGES cap (each request has --timeout too).
    scan_timeout: float = Setting(300.0, gt=0, le=24 * 3600, allow_inf_nan=False)

    @table_check
    @classmethod
    def _base_from_versions(cls, data: Any) -> Any:
        # base_url drives the environment badge and `evtui profiles`: the versions URL is the base.
        # (Not a URL that cannot be used: versions_url's own check then names the right field.)
        versions = data.get("versions_url") if isinstance(data, dict) else None
        if isinstance(data, dict) and not data.get("base_url") and isinstance(versions, str) and not url_problem(versions):
            data = {**data, "base_url": data["versions_url"]}
        return data

    @field_check("versions_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value.strip()):
            raise ValueError("must be the CPO's versions URL, e.g. https://cpo.example.com/ocpi/versions")
        return value.strip()

    @field_check("country_code")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z]{2}", value):
            raise ValueError("must be two letters (ISO 3166-1 alpha-2), e.g. NL")
        return value.upper() if value else value

    @field_check("party_id")
    @classmethod
    def _party(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9]{3}", value):
            raise ValueError("must be three letters or digits (ISO 15118 party id), e.g. EMP")
        return value.upper() if value else value
