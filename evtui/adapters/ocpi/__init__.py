"""OCPI 2.2.1: sessions and CDRs pulled from a CPO's SENDER interfaces, as an eMSP.

Discovery, once per adapter (one per profile per process), under a lock:
GET versions_url -> the 2.2.1 entry -> GET its details -> the `sessions` and
`cdrs` SENDER endpoints.

The SENDER interfaces have no get-by-id. A lookup lists the objects whose
`last_updated` falls in a window (`window_days`, or `since`), page by page
through `Link: <...>; rel="next"`, and stops at the end of the first page that
holds the id. A CDR is also found by its `session_id`.

`Record.raw` is the matched object's bytes cut out of the page exactly as sent
(the page is parsed value by value with the json module's scanner, which tells
where each element of `data` starts and ends); a page that is not UTF-8 has its
object re-serialised instead, and a note says so. Pages are parsed, and records
built, in worker threads.

- `adapter`: the hooks; `settings`, `models`, `words`;
- `cpo`: discovery, the token, the OCPI envelope; `scan`: the pages scanned; `paging`: a page's byte spans;
- `session`, `cdr`: the presentations, with `common` fields, `cost` and charging `periods`.
"""

from importlib import import_module

__all__ = ["OcpiAdapter", "OcpiCdr", "OcpiSession", "OcpiSettings", "parse_links", "parse_page"]


#: Where each name is: loaded when first asked for, so that importing a submodule (the settings,
#: for a config check) does not bring the adapter; the models, not before a record is validated
#: (see `evtui.lookup.validating_later`).
_WHERE = {
    "OcpiAdapter": "evtui.adapters.ocpi.adapter",
    "OcpiCdr": "evtui.adapters.ocpi.models",
    "OcpiSession": "evtui.adapters.ocpi.models",
    "OcpiSettings": "evtui.adapters.ocpi.settings",
    "parse_links": "evtui.transport.links",
    "parse_page": "evtui.adapters.ocpi.paging",
}


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
