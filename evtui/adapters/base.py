"""The adapter contract: what one provider's adapter declares and implements.

Required: `name`, `title`, `settings_model`, `record_types`; `id_problem` (which ids
cannot be valid), `request` (the GET for one record) and `present` (sections of
decoded values). Optional: `normalise_id`, `model_for` (lenient validation),
`related`, `status_paths`, `final_state`, `find` (a record that is not one GET away),
`raise_for_status` (other words for an HTTP status). Helpers for `request`: `url`,
`get`, `send`, `secret_header`.

Everything else is evtui's: `fetch` validates the id before anything is sent, asks,
and has `records` build the `Record` (validation, presentation, Problems, related
records) in a worker thread, so a UI on the event loop keeps answering keys.
Nothing here imports textual.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import importlib
import sys
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

import httpx

from evtui.adapters.running import in_thread
from evtui.adapters.settings import AdapterSettings
from evtui.environment import Environment, judge_environment
from evtui.errors import InvalidId, MalformedResponse
from evtui.record import Field, Record, RecordType, Related, Section
from evtui.transport import client as http, retry, status
from evtui.transport.body import load
from evtui.transport.client import DEFAULT_MAX_BODY
from evtui.transport.headers import secret_for_header, unsafe_reason
from evtui.transport.origins import Origins

if TYPE_CHECKING:
    from pydantic import BaseModel

_QUOTES = "\"'`\u2018\u2019\u201c\u201d"


#: The module that builds a Record from an answer: presentation, the price check, Problems.
#: Its imports (~20 ms of CPU and 0.6 MB, the pricing engine among them) are made while the first request
#: is on its way (`fetch`), not before it is sent, and not by an app sitting idle.
RECORDS = "evtui.adapters.records"

#: Set while records are built for a screen (`evtui.lookup.validating_later`): each is presented
#: without waiting for model validation (0.8 s for 14,000 charging periods), left to
#: `records.validated`. Here, not in `records`: it is set before the request is sent.
VALIDATE_LATER: contextvars.ContextVar[bool] = contextvars.ContextVar("validate_later", default=False)


@dataclasses.dataclass
class Found:
    """What a lookup brought back, before it is a Record (`evtui.adapters.records` builds it).

    Here, not beside the builder: an adapter is imported before its first request, the
    builder only once there is an answer to build."""

    #: The answer: its status was checked; the HTTP tab shows it.
    response: httpx.Response
    #: Requests made besides it (token fetches, retries, pages scanned).
    notes: list[str]
    #: The record's exact bytes when they are a part of the answer (an object on a list
    #: page), with `document` parsed from them (`evtui.transport.body.decoder`). None: the body.
    raw: bytes | None = None
    document: Any = None
    #: Findings about how it was found (duplicate ids), listed first under Problems.
    findings: list[str] = dataclasses.field(default_factory=list)
    #: How it was found when not by its own id: shown second in the overview.
    found_by: Field | None = None
    #: False when the text `document` was parsed from holds no sign of a hostile value
    #: (`transport.body.may_hold_hostile`): it is not walked again looking for one.
    may_hold_hostile: bool = True


class Adapter(ABC):
    """Base class for provider adapters: one instance per profile serves all its lookups."""

    #: Entry-point name, the `adapter = "..."` value in config.
    name: ClassVar[str]
    #: The provider and API, for people.
    title: ClassVar[str]
    settings_model: ClassVar[type[AdapterSettings]] = AdapterSettings
    #: The first one is the default.
    record_types: ClassVar[tuple[RecordType, ...]]

    # -- required hooks ----------------------------------------------------------

    @abstractmethod
    def id_problem(self, record_id: str, record_type: str) -> str | None:
        """Why this cleaned id cannot be valid (a clause), or None; nothing is sent for an invalid id."""

    @abstractmethod
    async def request(
        self, record_type: str, record_id: str, *, since: datetime | None = None
    ) -> tuple[httpx.Response, list[str]]:
        """Send the GET for one record (auth included, with `self.get`); return the response,
        unchecked, and notes about extra requests made (token fetches)."""

    @abstractmethod
    def present(self, record_type: str, document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
        """Sections (overview first) and a one-line summary; append findings to `problems`
        (evtui adds the Problems section after yours)."""

    # -- optional hooks ----------------------------------------------------------

    def normalise_id(self, record_id: str, record_type: str) -> str:
        """The provider's canonical spelling of a cleaned id (e.g. digit groups joined)."""
        return record_id

    def model_for(self, record_type: str) -> type[BaseModel] | None:
        """The pydantic model (a `ProviderModel`) the document is validated against, leniently."""
        return None

    def related(self, record_type: str, document: dict[str, Any]) -> list[Related]:
        """Records of this profile a person may want to open from this one."""
        return []

    def status_paths(self, record_type: str) -> tuple[str, ...]:
        """Document paths whose changes matter most (listed first when watching)."""
        return ()

    def final_state(self, record_type: str, document: Any) -> str | None:
        """Why this record will not change any more (watching stops), or None: it may."""
        return None

    async def find(self, record_type: str, record_id: str, *, since: datetime | None = None) -> Found:
        """The answer holding the record. Override when it is not one GET away (OCPI scans list
        pages: return the page, the object's bytes and its parsed document). `since` bounds a scan."""
        response, notes = await self.request(record_type, record_id, since=since)
        self.raise_for_status(response, self.record_type(record_type), record_id)
        return Found(response, notes)

    def raise_for_status(self, response: httpx.Response, rt: RecordType, record_id: str) -> None:
        """An error status as `evtui.errors` (override to add words, e.g. why a record may not exist yet)."""
        status.raise_for_status(
            response,
            title=self.title,
            profile=self.profile,
            what=f"{rt.title.lower()} {record_id!r}",
            credentials_hint=self.credentials_hint(),
        )

    # -- helpers for the hooks ------------------------------------------------------

    def url(self, *segments: str) -> str:
        """base_url + segments, each percent-encoded as one path segment (`/`, `+`, `=` included)."""
        return self.base_url + "".join("/" + quote(s, safe="") for s in segments)

    async def get(self, url: str, *, headers: dict[str, str], notes: list[str], came_from: str = "") -> httpx.Response:
        """GET with the retry rules (see `evtui.transport.retry`): 429 honours Retry-After
        (capped), 502/503/504 and broken connections back off exponentially with jitter."""
        return await retry.get(self.send, url, headers=headers, notes=notes, came_from=came_from)

    async def send(self, method: str, url: str, *, came_from: str = "", **kwargs: Any) -> httpx.Response:
        """One request under the profile's limits (see `evtui.transport.client.send`).

        `came_from` names who handed out `url` when it is not from the config (discovery, a Link)."""
        self._refuse_unsendable_secrets(kwargs.get("headers"))
        origins = Origins(self.profile, self.settings.own_urls(), self.settings.allowed_origins)
        return await http.send(
            self.client, method, url, profile=self.profile, max_body=self.max_body, origins=origins, came_from=came_from, **kwargs
        )

    def secret_header(self, field: str) -> str:
        """The value of Secret setting `field`, checked to be sendable in a header (ConfigError if not:
        naming the profile and the field, never the value)."""
        secret = getattr(self.settings, field)
        return secret_for_header(secret.reveal(), profile=self.profile, field=field)

    def credentials_hint(self) -> str:
        names = ", ".join(self.settings.secrets()) or "the credentials"
        return f"Check {names} of profile {self.profile!r} in the config file (`evtui profiles` shows which file)."

    # -- what evtui calls ----------------------------------------------------------------

    def __init__(
        self,
        profile: str,
        settings: AdapterSettings,
        client: httpx.AsyncClient | Callable[[], httpx.AsyncClient],
        *,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.profile = profile
        self.settings = settings
        # A secret's errors name where it is set, however the settings were made.
        for field, secret in settings.secrets().items():
            secret.located(profile, field)
        #: The client, or what makes it: building one costs an SSL context (tens of ms),
        #: which a TUI would rather pay after its first frame than before.
        self._client = client
        self.max_body = max_body

    @property
    def client(self) -> httpx.AsyncClient:
        if not isinstance(self._client, httpx.AsyncClient):
            self._client = self._client()
        return self._client

    async def aclose(self) -> None:
        """Close the client, if one was ever made."""
        if isinstance(self._client, httpx.AsyncClient):
            await self._client.aclose()

    @property
    def base_url(self) -> str:
        return self.settings.base_url.rstrip("/")

    @property
    def environment(self) -> Environment:
        return self.settings.environment or judge_environment(self.base_url)

    def record_type(self, name: str | None = None) -> RecordType:
        if name is None:
            return self.record_types[0]
        for rt in self.record_types:
            if rt.name == name:
                return rt
        known = ", ".join(rt.name for rt in self.record_types)
        raise InvalidId(f"{self.title} has no record type {name!r} (it serves: {known})")

    def validate_id(self, raw: str, record_type: str | None = None) -> str:
        """The id cleaned of paste debris, or InvalidId; called before any request."""
        rt = self.record_type(record_type)
        cleaned = clean_pasted_id(raw)
        if not cleaned:
            raise InvalidId("No id given.", hint=rt.id_hint)
        cleaned = self.normalise_id(cleaned, rt.name)
        # "." and ".." survive percent-encoding and are then resolved away by the URL: the
        # bearer token would go to the collection or the root instead of one record.
        problem = "it is a path step (. or ..), not an id" if cleaned in (".", "..") else self.id_problem(cleaned, rt.name)
        if problem:
            raise InvalidId(f"{cleaned!r} is not a valid {self.title} {rt.title.lower()} id: {problem}.", hint=rt.id_hint)
        return cleaned

    async def fetch(self, raw_id: str, record_type: str | None = None, *, since: datetime | None = None) -> Record:
        """One lookup: `since` bounds how far back adapters that must scan a list look (OCPI)."""
        rt = self.record_type(record_type)
        record_id = self.validate_id(raw_id, rt.name)
        # Every Secret resolved off the event loop (a `cmd:` command runs in a thread,
        # cancelled with the lookup), so `reveal()` in the hooks only reads the cache.
        for secret in self.settings.secrets().values():
            await secret.reveal_async()
        builder = _records_module()
        found = await self.find(rt.name, record_id, since=since)
        records = await builder
        # Parsing, validating and presenting a big document takes a while: not on the event loop.
        size = len(found.raw if found.raw is not None else found.response.content)
        return await in_thread(size, records.record_of, self, rt.name, record_id, found)

    def record_from_body(self, record_type: str, record_id: str, body: bytes, *, fetched_at: float) -> Record:
        """A record rebuilt from bytes kept earlier (the history cache): no request made."""
        try:
            document, findings = load(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise MalformedResponse(
                "The cached copy of this record is not JSON (a damaged cache).",
                hint="Fetch it again (F5 in the inspector).",
            ) from None
        from evtui.adapters import records

        return records.build_record(self, record_type, record_id, body, document, fetched_at=fetched_at, findings=findings)

    def validate(self, record_type: str, document: Any) -> tuple[Any, list[str]]:
        """The document's model (None without one) and what validation found."""
        from evtui.adapters import validation  # with the models: only once a record is validated

        return validation.validate(self.model_for(record_type), document)

    def model_of(self, record_type: str, document: Any) -> Any:
        """The document's validated model (what `Record.model` gives)."""
        return self.validate(record_type, document)[0]

    def _refuse_unsendable_secrets(self, headers: dict[str, str] | None) -> None:
        """A header carrying a Secret setting that cannot be sent: the error names that setting
        (also for an adapter that puts `secret.reveal()` in a header itself)."""
        for value in (headers or {}).values():
            if unsafe_reason(value) is None:
                continue
            for field, secret in self.settings.secrets().items():
                revealed = secret.reveal()
                if revealed and revealed in value:
                    secret_for_header(revealed, profile=self.profile, field=field)


def _records_module() -> Awaitable[ModuleType]:
    """The record builder's module: imported in a thread while the caller awaits the provider."""
    module = sys.modules.get(RECORDS)
    if module is not None and getattr(module, "record_of", None) is not None:
        done: asyncio.Future[ModuleType] = asyncio.get_running_loop().create_future()
        done.set_result(module)
        return done
    importing = asyncio.ensure_future(asyncio.to_thread(importlib.import_module, RECORDS))
    # A lookup that fails never awaits it: its outcome is collected here, not logged as lost.
    importing.add_done_callback(lambda f: f.cancelled() or f.exception())
    return importing


def clean_pasted_id(text: str) -> str:
    """Drop the spaces and quotes a paste from a log or a ticket brings along."""
    s = text.strip()
    while len(s) >= 2 and s[0] in _QUOTES and s[-1] in _QUOTES:
        s = s[1:-1].strip()
    return s.strip(_QUOTES + " \t")
