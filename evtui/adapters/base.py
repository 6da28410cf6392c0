"""The adapter interface and the machinery every adapter shares.

An adapter subclass declares its settings model, the record types it serves
and how ids look; it implements `request` (URL and auth for one record) and
`present` (sections of decoded values). `fetch` here does the rest: id
validation before anything is sent, the HTTP call with errors mapped to
`evtui.errors`, JSON parsing, lenient validation, and the `Record`; the last
three in a worker thread, so a UI on the event loop keeps answering keys.

Nothing here imports textual: the TUI and the CLI both sit on top.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import functools
import gc
import json
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar, get_args, get_origin
from urllib.parse import quote, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, ValidationInfo, field_validator

from evtui import transport  # noqa: F401  (the package docstring says what is where)
from evtui.environment import Environment, judge_environment  # noqa: F401  (re-exported)
from evtui.errors import FetchError, InvalidId, MalformedResponse
from evtui.record import Field, HttpExchange, Record, RecordType, Related, Section, Table  # noqa: F401
from evtui.config.secrets import Secret
from evtui.transport import client as http, retry, status
from evtui.transport.body import SentAs, without_sent_as, error_text, exchange_of, load, parse_json_body, parse_json_document, provider_message  # noqa: F401
from evtui.transport.client import DEFAULT_MAX_BODY, DEFAULT_TIMEOUT, make_client, user_agent  # noqa: F401
from evtui.transport.failures import ConnectionBroken  # noqa: F401
from evtui.transport.headers import secret_for_header, unsafe_reason
from evtui.transport.origins import Origins
from evtui.transport.retry import parse_retry_after  # noqa: F401


T = TypeVar("T")

_QUOTES = "\"'`\u2018\u2019\u201c\u201d"


class AdapterSettings(BaseModel):
    """Settings every profile has; adapters subclass it with their own fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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

    @field_validator("*")
    @classmethod
    def _urls_are_http(cls, value: Any, info: ValidationInfo) -> Any:
        # Every `*_url` setting, an adapter's own included: these are where credentials go.
        if info.field_name and info.field_name.endswith("_url") and isinstance(value, str) and value:
            problem = url_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @field_validator("allowed_origins")
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

    @field_validator("ca_bundle")
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


def clean_pasted_id(text: str) -> str:
    """Drop the spaces and quotes a paste from a log or a ticket brings along."""
    s = text.strip()
    while len(s) >= 2 and s[0] in _QUOTES and s[-1] in _QUOTES:
        s = s[1:-1].strip()
    return s.strip(_QUOTES + " \t")


class Adapter(ABC):
    """Base class for provider adapters."""

    #: Entry-point name, the `adapter = "..."` value in config.
    name: ClassVar[str]
    #: The provider and API, for people.
    title: ClassVar[str]
    settings_model: ClassVar[type[AdapterSettings]] = AdapterSettings
    #: The first one is the default.
    record_types: ClassVar[tuple[RecordType, ...]]
    #: Documented base URLs by environment, for `evtui config init` and badges.
    known_bases: ClassVar[dict[str, str]] = {}

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

    # -- facts about the profile ------------------------------------------

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

    # -- ids --------------------------------------------------------------

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

    def normalise_id(self, record_id: str, record_type: str) -> str:
        """The provider's canonical spelling of a cleaned id (e.g. digit groups joined)."""
        return record_id

    @abstractmethod
    def id_problem(self, record_id: str, record_type: str) -> str | None:
        """Why this cleaned id cannot be valid, or None."""

    # -- fetching ---------------------------------------------------------

    async def fetch(self, raw_id: str, record_type: str | None = None, *, since: datetime | None = None) -> Record:
        """`since` bounds how far back adapters that must scan a list look (OCPI); others ignore it."""
        rt = self.record_type(record_type)
        record_id = self.validate_id(raw_id, rt.name)
        await self.resolve_secrets()
        response, notes = await self.request(rt.name, record_id, since=since)
        exchange = exchange_of(response, notes)
        self.raise_for_status(response, rt, record_id)
        # Parsing, validating and presenting a big document takes a while: not on the event loop.
        return await in_thread(len(response.content), self._record_of, rt.name, record_id, response, exchange)

    def _record_of(self, record_type: str, record_id: str, response: httpx.Response, exchange: HttpExchange) -> Record:
        document, findings = parse_json_document(response)
        return self.build_record(record_type, record_id, response.content, document, exchange=exchange, findings=findings)

    def record_from_body(self, record_type: str, record_id: str, body: bytes, *, fetched_at: float) -> Record:
        """A record rebuilt from bytes kept earlier (the history cache): no request made."""
        try:
            document, findings = load(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise MalformedResponse(
                "The cached copy of this record is not JSON (a damaged cache).",
                hint="Press r to fetch it again.",
            ) from None
        return self.build_record(record_type, record_id, body, document, exchange=None, fetched_at=fetched_at, findings=findings)

    def build_record(
        self,
        record_type: str,
        record_id: str,
        raw: bytes,
        document: Any,
        *,
        exchange: HttpExchange | None,
        fetched_at: float | None = None,
        findings: list[str] = (),  # type: ignore[assignment]
    ) -> Record:
        """Validate and present a document; shared by fresh and cached records.

        `findings` are hostile values the JSON parse kept as sent (see `transport.body`)."""
        shown = without_sent_as(document) if findings else document
        if isinstance(document, dict):
            problems, sections, summary = self.present_safely(record_type, document, findings)
            related = self.related(record_type, shown)
        else:
            # Not a record at all: say so, and leave the Raw JSON view to show what came.
            problems = [*findings, *self.validate(record_type, document)[1]]
            sections = [
                section("overview", "Overview", [Field("Document", f"a JSON {type(document).__name__}, not a record object", flag="invalid")]),
                *filter(None, [problems_section(problems)]),
            ]
            summary = "unexpected document"
            related = []
        return Record(
            profile=self.profile,
            adapter=self.name,
            record_type=record_type,
            record_id=record_id,
            raw=raw,
            document=document,
            make_model=functools.partial(self.model_of, record_type, shown),
            sections=sections,
            summary=summary,
            exchange=exchange,
            problems=problems,
            fetched_at=time.time() if fetched_at is None else fetched_at,
            related=related,
        )

    def present_safely(
        self, record_type: str, document: dict[str, Any], findings: list[str]
    ) -> tuple[list[str], list[Section], str]:
        """Problems, sections and summary of a document with hostile values (`findings`, see `load`).

        Hostile values are kept from validation and presentation (no derived value is computed
        from 1e400: they are None there), then each field at such a path shows the value as
        sent, flagged. A value that still breaks the presentation gives a plain one of the
        document as sent, never a failure of the whole record."""
        shown = without_sent_as(document) if findings else document
        model, problems = self.validate(record_type, shown)
        problems[:0] = findings
        found = list(problems)
        refused = [p for p in _sent_paths(found) if p not in _sent_paths(findings)]
        try:
            sections, summary = self.present(record_type, shown, model, problems)
        except PROVIDER_DATA_ERRORS as first:
            if isinstance(first, (TypeError, AttributeError)) and not refused:
                raise  # no value of another type than documented to blame: a bug, reported as one
            # A value of another JSON type than documented (a number for a currency) reached code
            # that trusts the type: present again with every value validation refused as None.
            problems[:] = found
            try:
                sections, summary = self.present(record_type, _without_paths(shown, refused), model, problems)
            except PROVIDER_DATA_ERRORS as exc:
                problems[:] = found
                sections, summary = self._plain_presentation(document, problems, exc)
            else:
                sections = _with_sent_values(sections, document, refused, "not of the documented type, shown as sent")
        if findings:
            sections = _with_sent_values(sections, document, _sent_paths(findings), "beyond what evtui reads: shown as sent")
        return problems, sections, summary

    def _plain_presentation(self, document: dict[str, Any], problems: list[str], exc: BaseException) -> tuple[list[Section], str]:
        problems.append(f"the record could not be presented field by field ({type(exc).__name__}): shown as sent")
        note = section("overview", "Overview", [Field("Presentation", "values beyond what evtui reads: every field is shown as sent", flag="invalid")])
        sent = section("sent", "As sent", leftover_fields(document, set()))
        return [note, sent, *filter(None, [problems_section(problems)])], "shown as sent"

    @abstractmethod
    async def request(
        self, record_type: str, record_id: str, *, since: datetime | None = None
    ) -> tuple[httpx.Response, list[str]]:
        """Send the GET for one record (auth included); return the response and notes
        about extra requests made (token fetches, retries)."""

    def model_of(self, record_type: str, document: Any) -> Any:
        """The document's validated model (what `Record.model` gives)."""
        return self.validate(record_type, document)[0]

    def validate(self, record_type: str, document: Any) -> tuple[Any, list[str]]:
        model_cls = self.model_for(record_type)
        if not isinstance(document, dict):
            return None, [f"the document is a JSON {type(document).__name__}, not an object"]
        return validate_leniently(model_cls, document)

    @abstractmethod
    def model_for(self, record_type: str) -> type[BaseModel]: ...

    def related(self, record_type: str, document: dict[str, Any]) -> list[Related]:
        """Records a person may want to open from this one; none by default."""
        return []

    def status_paths(self, record_type: str) -> tuple[str, ...]:
        """Document paths whose changes matter most (listed first when watching)."""
        return ()

    def final_state(self, record_type: str, document: Any) -> str | None:
        """Why this record will not change any more (watching stops), or None.

        The default says a record never settles, so watching goes on until stopped."""
        return None

    @abstractmethod
    def present(
        self, record_type: str, document: dict[str, Any], model: Any, problems: list[str]
    ) -> tuple[list[Section], str]:
        """Sections (overview first) and a one-line summary. Append findings to `problems`."""

    # -- HTTP helpers shared by adapters ----------------------------------

    def url(self, *segments: str) -> str:
        """base_url + segments, each percent-encoded as one path segment (`/`, `+`, `=` included)."""
        return self.base_url + "".join("/" + quote(s, safe="") for s in segments)

    async def resolve_secrets(self) -> None:
        """Resolve every Secret setting off the event loop (a `cmd:` command runs in a
        thread, cancelled with the lookup), so later `reveal()` calls only read the cache."""
        for secret in self.settings.secrets().values():
            await secret.reveal_async()

    def secret_header(self, field: str) -> str:
        """The value of Secret setting `field`, checked to be sendable in a header (ConfigError if not:
        naming the profile and the field, never the value)."""
        secret = getattr(self.settings, field)
        return secret_for_header(secret.reveal(), profile=self.profile, field=field)

    def _refuse_unsendable_secrets(self, headers: dict[str, str] | None) -> None:
        """A header carrying a Secret setting that cannot be sent: the error names that setting.

        (An adapter that puts `secret.reveal()` in a header itself gets the same error
        as one using `secret_header`.)"""
        for value in (headers or {}).values():
            if unsafe_reason(value) is None:
                continue
            for field, secret in self.settings.secrets().items():
                revealed = secret.reveal()
                if revealed and revealed in value:
                    secret_for_header(revealed, profile=self.profile, field=field)

    def origins(self) -> Origins:
        """Where this profile's credentials may go: the origins of its configured URLs and allowed_origins."""
        return Origins(self.profile, self.settings.own_urls(), self.settings.allowed_origins)

    async def get(self, url: str, *, headers: dict[str, str], notes: list[str], came_from: str = "") -> httpx.Response:
        """GET with the retry rules (see `evtui.transport.retry`): 429 honours Retry-After
        (capped), 502/503/504 and broken connections back off exponentially with jitter."""
        return await retry.get(self.send, url, headers=headers, notes=notes, came_from=came_from)

    async def send(self, method: str, url: str, *, came_from: str = "", **kwargs: Any) -> httpx.Response:
        """One request under the profile's limits (see `evtui.transport.client.send`).

        `came_from` names who handed out `url` when it is not from the config (discovery, a Link)."""
        self._refuse_unsendable_secrets(kwargs.get("headers"))
        return await http.send(
            self.client, method, url, profile=self.profile, max_body=self.max_body, origins=self.origins(), came_from=came_from, **kwargs
        )

    def raise_for_status(self, response: httpx.Response, rt: RecordType, record_id: str) -> None:
        status.raise_for_status(
            response,
            title=self.title,
            profile=self.profile,
            what=f"{rt.title.lower()} {record_id!r}",
            credentials_hint=self.credentials_hint(),
        )

    def credentials_hint(self) -> str:
        names = ", ".join(self.settings.secrets()) or "the credentials"
        return f"Check {names} of profile {self.profile!r} in the config file (`evtui profiles` shows which file)."


# -- module helpers -----------------------------------------------------------


#: From this size on, a document is built with the cyclic GC paused (see in_thread).
BIG_DOCUMENT = 1 << 20


async def in_thread(size: int, func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` (building a record from `size` bytes) in a worker thread.

    For a big document the cyclic GC is off meanwhile: validating it makes models by the
    ten thousand, and each full collection would walk them all holding the GIL (three
    pauses of up to 90 ms for a 5 MB session, keys unanswered meanwhile) to find nothing,
    as documents and models hold no cycles. The collection that is then due runs here,
    once, before the caller goes on (the UI laying out the record, answering keys)."""
    if size < BIG_DOCUMENT or not gc.isenabled():
        return await asyncio.to_thread(func, *args)
    gc.disable()
    try:
        return await asyncio.to_thread(func, *args)
    finally:
        gc.enable()
        gc.collect()


# -- lenient validation ---------------------------------------------------------

#: Items of a long list validated per call. Pydantic holds the GIL for a whole call: a
#: record validated in a worker thread would stall the UI for as long as one call takes.
CHUNK = 1000


class _GaveUp(Exception):
    """Dropping values did not make the document fit (or a long list cannot be split)."""


def validate_leniently(model_cls: type[BaseModel], document: dict[str, Any]) -> tuple[BaseModel, list[str]]:
    """Validate, dropping values that do not fit (reported) instead of failing.

    A provider that changes a type must not make the record unreadable: the
    presentation shows such values as sent, flagged, from the raw document.
    """
    problems: list[str] = []
    doc = document
    try:
        # Long lists (charging periods by the ten thousand) first, in chunks; their items
        # then pass the whole document's validation as they are.
        if parts := _validate_long_lists(model_cls, document, problems):
            doc = {**document, **parts}
    except _GaveUp:
        problems = []
    try:
        model = _lenient(model_cls.model_validate, doc, problems)
    except _GaveUp:  # pragma: no cover - needs a pathological document
        model = model_cls.model_construct()
    problems.extend(f"unknown field {path} (shown as sent)" for path in unknown_fields(model))
    return model, problems


def _validate_long_lists(model_cls: type[BaseModel], document: dict[str, Any], problems: list[str]) -> dict[str, list[Any]]:
    parts: dict[str, list[Any]] = {}
    for key, value in document.items():
        if not isinstance(value, list) or len(value) <= CHUNK or (adapter := _list_adapter(model_cls, key)) is None:
            continue
        items: list[Any] = []
        for start in range(0, len(value), CHUNK):
            items += _lenient(adapter.validate_python, value[start : start + CHUNK], problems, at=(key, start))
        parts[key] = items
    return parts


@functools.lru_cache(maxsize=64)
def _list_adapter(model_cls: type[BaseModel], key: str) -> TypeAdapter[Any] | None:
    """A validator for the items of the list field sent as `key`; None if there is no such field."""
    for name, info in model_cls.model_fields.items():
        if key in (name, info.alias):
            annotation = info.annotation
            is_list = any(get_origin(a) is list for a in (annotation, *get_args(annotation)))
            return TypeAdapter(annotation) if is_list else None
    return None


def _lenient(validate: Any, document: Any, problems: list[str], at: tuple[str, int] | None = None) -> Any:
    """`validate(document)`, values that do not fit set to None (in a copy) until it passes.

    `at` is (key, offset) when `document` is a slice of the list sent as `key`."""
    doc = document
    dropped: set[tuple[Any, ...]] = set()
    for _ in range(50):
        try:
            return validate(doc)
        except ValidationError as exc:
            if doc is document:
                doc = copy.deepcopy(document)
            seen: set[tuple[Any, ...]] = set()
            dropped_before = set(dropped)
            for err in exc.errors():
                # Union errors name the union member after the field: keep the part that exists.
                loc = _existing_prefix(doc, err["loc"])
                message = err["msg"]
                # None did not fit either (a list of non-optional items): drop the container.
                while loc in dropped_before and loc:
                    loc = loc[:-1]
                    message = "holds a value of an unexpected type"
                if at is not None and not loc:
                    raise _GaveUp  # the container is the whole list: validate the document whole
                if loc in seen or not loc:
                    continue
                seen.add(loc)
                dropped.add(loc)
                where = loc if at is None else (at[0], at[1] + loc[0], *loc[1:])
                problem = f"{_dotted(where)}: {message} (shown as sent)"
                if problem not in problems:
                    problems.append(problem)
                _drop(doc, loc)
    raise _GaveUp


def _existing_prefix(doc: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    node, found = doc, []
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
        found.append(part)
    return tuple(found)


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _drop(doc: Any, loc: tuple[Any, ...]) -> None:
    if not loc:
        return
    target = doc
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = None


def unknown_fields(model: BaseModel, prefix: str = "") -> list[str]:
    found = [f"{prefix}{k}" for k in (model.__pydantic_extra__ or {})]
    for name, key in _model_fields(type(model)):
        value = model.__dict__.get(name)
        if isinstance(value, BaseModel):
            found.extend(unknown_fields(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            # Lists run to thousands: items that cannot hold findings are passed over quickly.
            for i, item in enumerate(value):
                if isinstance(item, BaseModel) and (item.__pydantic_extra__ or _model_fields(type(item))):
                    found.extend(f"{prefix}{key}[{i}].{path}" for path in unknown_fields(item))
    return found


@functools.lru_cache(maxsize=256)
def _model_fields(model_cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, key as sent) of the fields whose values can hold models."""

    def holds_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(holds_model(a) for a in get_args(annotation))

    return tuple((name, info.alias or name) for name, info in model_cls.model_fields.items() if holds_model(info.annotation))


class ProviderModel(BaseModel):
    """Base for provider models: extra fields kept (and reported), everything optional-friendly."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


# -- presentation helpers ---------------------------------------------------------


class Presenter:
    """Builds fields from a raw document, collecting findings as it goes.

    Values are read from the document as the provider sent them (so a value the
    model had to drop still shows) and decoded by the given function.
    """

    def __init__(self, document: dict[str, Any], problems: list[str]) -> None:
        self.document = document
        self.problems = problems
        # "transactions[0].amount" marks "transactions" too: the list is shown from the document.
        self._invalid = {re.sub(r"\[\d+\].*$", "", p.split(":", 1)[0]) for p in problems} | {
            p.split(":", 1)[0] for p in problems
        }

    def is_invalid(self, path: str) -> bool:
        """Whether validation rejected the value at this path (or one inside it)."""
        return path in self._invalid or any(p.startswith(path + ".") for p in self._invalid)

    def problem(self, text: str) -> None:
        """Record a finding once, however many sections show the field."""
        if text not in self.problems:
            self.problems.append(text)

    def get(self, path: str) -> Any:
        node: Any = self.document
        for part in path.split("."):
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    def has(self, path: str) -> bool:
        node: Any = self.document
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def field(
        self,
        label: str,
        path: str,
        decode: Any = None,
        *,
        note: str = "",
        required: bool = False,
        absent: str = "—",
        null: str = "null",
        flag: Any = None,
    ) -> Field:
        """`absent` is shown when the key is not sent, `null` when it is sent as null."""
        raw = self.get(path)
        if raw is None:
            if required and not self.has(path):
                self.problem(f"missing required field {path}")
                return Field(label, "(missing)", note=note, path=path, flag="missing")
            return Field(label, absent if not self.has(path) else null, note=note, path=path, raw=raw, flag=flag)
        text = decoded(decode, raw) if decode and not isinstance(raw, SentAs) else None
        if text is None:
            text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
            if decode and path not in self._invalid:
                flag = flag or "invalid"
                note = (note + "; " if note else "") + "could not be decoded, shown as sent"
        if path in self._invalid:
            flag = "invalid"
            note = (note + "; " if note else "") + "not of the documented type, shown as sent"
        return Field(label, text, note=note, path=path, raw=raw, flag=flag)

    def enum(self, label: str, path: str, meanings: dict[str, str], *, required: bool = False, note: str = "", flag: Any = None) -> Field:
        raw = self.get(path)
        if raw is None:
            return self.field(label, path, required=required, note=note, flag=flag)
        meaning = meanings.get(raw) if isinstance(raw, str) else None
        if meaning is None:
            self.problem(f"unknown value {raw!r} in {path} (shown as sent)")
            return Field(label, str(raw), note="not a documented value", path=path, raw=raw, flag="unknown")
        return Field(label, str(raw), note=(meaning + (f"; {note}" if note else "")), path=path, raw=raw, flag=flag)

    @staticmethod
    def value(label: str, value: str, *, note: str = "", path: str = "", raw: Any = None, flag: Any = None) -> Field:
        return Field(label, value, note=note, path=path, raw=raw, flag=flag)


#: What provider data (not a bug) can make presentation code raise: arithmetic on 1e30 quantized
#: to cents, a value of another type than documented where code trusts the type.
PROVIDER_DATA_ERRORS = (ValueError, ArithmeticError, OverflowError, RecursionError, TypeError, AttributeError)


def derived(make: Callable[[], T], fallback: T) -> T:
    """A derived value (a VAT check, a sum), or `fallback` when the values sent are beyond its arithmetic."""
    try:
        return make()
    except (ArithmeticError, ValueError):
        return fallback


def _sent_paths(problems: list[str]) -> list[str]:
    """Paths of the values findings and validation say are shown as sent."""
    return [p.partition(": ")[0] for p in problems if p.endswith("(shown as sent)") and ": " in p]


def _without_paths(document: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """A copy of `document` with the value at each path (dotted, [i] indexes) set to None."""
    doc = copy.deepcopy(document)
    for path in paths:
        parts = [int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"[^.\[\]]+|\[\d+\]", path)]
        node: Any = doc
        for part in parts[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if parts and isinstance(node, (dict, list)):
            try:
                node[parts[-1]] = None
            except (IndexError, TypeError):
                pass
    return doc


def _with_sent_values(sections: list[Section], document: dict[str, Any], hostile: list[str], note: str) -> list[Section]:
    """`sections` with each field holding a value at one of the `hostile` paths showing it as sent, flagged."""

    def holds_hostile(path: str) -> bool:
        return bool(path) and any(h == path or h.startswith((path + ".", path + "[")) for h in hostile)

    out = []
    for s in sections:
        fields = []
        for f in s.fields:
            if holds_hostile(f.path):
                sent = _at_path(document, f.path)
                text = sent if isinstance(sent, str) else json.dumps(sent, ensure_ascii=False)
                f = dataclasses.replace(f, value=_sent_text(text), raw=sent, note=note, flag="invalid")
            fields.append(f)
        out.append(dataclasses.replace(s, fields=tuple(fields)))
    return out


def _at_path(document: Any, path: str) -> Any:
    """The value at a dotted path with [i] indexes ("transactions[0].amount"), or None."""
    if not path:
        return None
    node = document
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("[") and isinstance(node, list):
            i = int(part[1:-1])
            node = node[i] if i < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def _sent_text(value: str, limit: int = 200) -> str:
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value)} characters)"


def decoded(decode: Callable[..., T | None], raw: Any, *args: Any) -> T | None:
    """decode(raw, *args), or None when a hostile value makes it fail (a time past year 9999 in
    local time, a number beyond arithmetic): shown as sent by the caller, the record still shows."""
    try:
        return decode(raw, *args)
    except (ValueError, ArithmeticError, OverflowError, RecursionError, MemoryError, TypeError, AttributeError):
        # TypeError, AttributeError: a value of another JSON type than documented (a list for a currency).
        return None


def leftover_fields(document: dict[str, Any], shown: set[str], prefix: str = "") -> list[Field]:
    """Fields the presentation did not cover (new in the API): shown as sent, flagged."""
    out: list[Field] = []
    for key, value in document.items():
        path = f"{prefix}{key}"
        if path in shown or any(s.startswith(path + ".") for s in shown):
            if isinstance(value, dict) and path not in shown:
                out.extend(leftover_fields(value, shown, path + "."))
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        out.append(Field(path, text, note="not described by evtui; shown as sent", path=path, raw=value, flag="unknown"))
    return out


def section(key: str, title: str, fields: list[Field] | tuple[Field, ...] = (), tables: list[Table] | tuple[Table, ...] = ()) -> Section:
    return Section(key=key, title=title, fields=tuple(fields), tables=tuple(tables))


def shown_paths(sections: list[Section]) -> set[str]:
    return {f.path for s in sections for f in s.fields if f.path}


def problems_section(problems: list[str]) -> Section | None:
    if not problems:
        return None
    return section(
        "problems",
        "Problems",
        [Field(f"#{i}", p, flag="invalid") for i, p in enumerate(problems, 1)],
    )


async def gather_bounded(coros: list[Any], limit: int = 4) -> list[Any]:
    """Run coroutines with at most `limit` at once; results (or exceptions) in order."""
    sem = asyncio.Semaphore(limit)

    async def one(coro: Any) -> Any:
        async with sem:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros), return_exceptions=True)


__all__ = [
    "Adapter",
    "AdapterSettings",
    "Environment",
    "FetchError",
    "Field",
    "Presenter",
    "ProviderModel",
    "RecordType",
    "Section",
    "Table",
    "clean_pasted_id",
    "make_client",
    "section",
]
