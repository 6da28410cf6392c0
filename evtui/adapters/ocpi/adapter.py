"""The OCPI adapter: id rules, the lookup by scanning the CPO's lists, related records, watching."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import httpx

from evtui.adapters.api import Adapter, Found, Record, Related, Section
from evtui.adapters.ocpi import scan, tariff_fetch
from evtui.adapters.ocpi.cpo import Cpo
from evtui.adapters.ocpi.localtime import station_zone
from evtui.adapters.ocpi.settings import OcpiSettings
from evtui.adapters.ocpi.words import CDR, SESSION
from evtui.adapters.present import Presenter

if TYPE_CHECKING:
    from pydantic import BaseModel


class OcpiAdapter(Adapter):
    name = "ocpi"
    settings_model = OcpiSettings
    record_types = (SESSION, CDR)

    settings: OcpiSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cpo = Cpo(self, self.settings)
        #: Tariffs fetched from the CPO for records that do not embed theirs, for this session.
        self.tariffs = tariff_fetch.TariffCache()
        #: (record type, party-qualified id) -> the other parties' objects with that id the last scan saw.
        self.same_id: dict[tuple[str, str], list[str]] = {}

    @property  # type: ignore[override]
    def title(self) -> str:
        """The version discovery negotiated with this CPO (2.2.1, or 2.1.1 when that is all it offers);
        before the first lookup none is, and the title claims none."""
        return f"CPO (OCPI {self.cpo.version})" if self.cpo.version else "CPO (OCPI)"

    def now(self) -> datetime:
        """The end of the scan window (tests pin it)."""
        return datetime.now(timezone.utc)

    def id_problem(self, record_id: str, record_type: str) -> str | None:
        if len(record_id) > 255:
            return f"it has {len(record_id)} characters; OCPI ids have at most 36"
        bad = next((ch for ch in record_id if not ("!" <= ch <= "~")), None)
        if bad is not None:
            what = "a space" if bad == " " else repr(bad)
            return f"it contains {what}; OCPI ids are printable ASCII without spaces"
        return None

    def model_for(self, record_type: str) -> type[BaseModel]:
        from evtui.adapters.ocpi.models import OcpiCdr, OcpiSession  # only when a record is validated

        return OcpiCdr if record_type == "cdr" else OcpiSession

    async def find(self, record_type: str, record_id: str, *, since: datetime | None = None) -> Found:
        """The SENDER interfaces have no get-by-id: the object is found by scanning list pages."""
        others: list[str] = []
        found = await scan.find(self.cpo, self.record_type(record_type), record_id, since, now=self.now(), others=others)
        if isinstance(found.document, dict):
            self.same_id[(record_type, scan.qualified(found.document).casefold())] = others
        # Fetched here, not when the record is built: `pricing_inputs` runs in a worker thread and only reads the cache.
        ids = tariff_fetch.needed_ids(found.document)
        if ids:
            correlation = found.notes[0].split()[1] if found.notes else ""
            await tariff_fetch.fetch(self.cpo, self.tariffs, ids, found.notes, correlation)
        return found

    def pricing_inputs(self, record_type: str, document: Any) -> tuple[list[dict[str, Any]] | None, Any]:
        """The tariffs the record names but does not embed (as fetched by `find`), and the station's zone."""
        if not isinstance(document, dict):
            return None, None
        zone = station_zone(Presenter(document, []))
        fetched = self.tariffs.get(tariff_fetch.needed_ids(document))
        return (fetched or None), (zone[0] if zone is not None else None)

    async def fetch(self, raw_id: str, record_type: str | None = None, *, since: datetime | None = None) -> Record:
        """A CDR found by its session id is still that CDR: its own id labels it, in history and copies
        (the overview's "Found by" says which session id found it)."""
        record = await super().fetch(raw_id, record_type, since=since)
        own = record.document.get("id") if isinstance(record.document, dict) else None
        asked = scan.split_party(record.record_id)[1]  # a party-qualified id keeps its party
        if isinstance(own, str) and own and own.casefold() != asked.casefold():
            record.record_id = own
        return record

    async def request(
        self, record_type: str, record_id: str, *, since: datetime | None = None
    ) -> tuple[httpx.Response, list[str]]:
        """The matched object as a response of its own (the page's URL, status and headers)."""
        found = await self.find(record_type, record_id, since=since)
        return scan.as_response(found), found.notes

    def present(self, record_type: str, document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
        # Imported with the first record (built in a worker thread), not with the adapter: a
        # profile that is only configured, or idle, does without the presentations.
        if record_type == "cdr":
            from evtui.adapters.ocpi.cdr import present
        else:
            from evtui.adapters.ocpi.session import present
        return present(document, problems)

    def status_paths(self, record_type: str) -> tuple[str, ...]:
        return ("status", "end_date_time", "kwh", "total_cost.incl_vat", "total_cost.excl_vat")

    def final_state(self, record_type: str, document: Any) -> str | None:
        """A CDR is final by definition; a session once COMPLETED or INVALID."""
        if record_type == "cdr":
            return "a CDR is final"
        status = document.get("status") if isinstance(document, dict) else None
        return f"status {status} is final" if status in ("COMPLETED", "INVALID") else None

    def related(self, record_type: str, document: dict[str, Any]) -> list[Related]:
        # The same id from other parties, as the last scan found them: the choice of which one to show.
        out = [
            Related(f"Same id from party {other.rsplit('/', 1)[0].replace('/', '*')}", record_type, other)
            for other in self.same_id.get((record_type, scan.qualified(document).casefold()), [])
        ]
        if record_type == "session":
            if document.get("status") == "COMPLETED" and isinstance(document.get("id"), str):
                out.append(Related("CDR of this session", "cdr", document["id"]))
        else:
            if isinstance(document.get("session_id"), str) and document["session_id"]:
                out.append(Related("Session of this CDR", "session", document["session_id"]))
            if document.get("credit") is True and isinstance(document.get("credit_reference_id"), str):
                out.append(Related("CDR this credit CDR reverses", "cdr", document["credit_reference_id"]))
        return out

