"""Everything an adapter author imports, from one module.

    from evtui.adapters.api import Adapter, AdapterSettings, Presenter, ProviderModel, RecordType, Secret, Setting, ...

The contract is `Adapter` (see `evtui.adapters.base` for its hooks); the rest are the
types a presentation is made of, its helpers, the decoders, and the errors a hook raises.
"""

from __future__ import annotations

from evtui import decode
from evtui.adapters.base import Adapter, Found, clean_pasted_id
from evtui.adapters.present import (
    Presenter,
    decoded,
    derived,
    leftover_fields,
    major_money,
    minor_money,
    section,
    sent_value,
    shown_paths,
    summary,
    with_others,
    yes_no,
)
from evtui.adapters.settings import AdapterSettings
from evtui.config.model import Setting, field_check, table_check
from evtui.config.secrets import Secret
from evtui.errors import CredentialsRejected, FetchError, Forbidden, InvalidId, MalformedResponse, NotFound, ProviderError
from evtui.record import Chart, Field, LazyRows, Record, RecordType, Related, Section, Table
from evtui.transport.body import provider_message
from evtui.transport.client import make_client

__all__ = [
    "Adapter",
    "AdapterSettings",
    "Chart",
    "CredentialsRejected",
    "FetchError",
    "Field",
    "Forbidden",
    "Found",
    "InvalidId",
    "LazyRows",
    "MalformedResponse",
    "NotFound",
    "Presenter",
    "ProviderError",
    "ProviderModel",
    "Record",
    "RecordType",
    "Related",
    "Secret",
    "Section",
    "Setting",
    "Table",
    "clean_pasted_id",
    "decode",
    "decoded",
    "derived",
    "field_check",
    "leftover_fields",
    "major_money",
    "make_client",
    "minor_money",
    "provider_message",
    "section",
    "sent_value",
    "shown_paths",
    "summary",
    "table_check",
    "with_others",
    "yes_no",
]


def __getattr__(name: str) -> object:
    # Provider models load with the first record validated: a record shows without them.
    if name == "ProviderModel":
        from evtui.adapters.validation import ProviderModel

        return ProviderModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
