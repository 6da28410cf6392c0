"""One entry point for every record evtui can price-check: `for_record`.

OCPI CDRs go through the tariff engine, OCPI sessions too (an estimate so far
when they have no end), Spirii transactions and charge records, Corpay sessions,
Monta charges and AMPECO sessions through their own arithmetic checks. Record
types that carry no price give None. Provider data never makes it raise: anything the checks did not
foresee becomes "cannot check", saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from evtui.pricing.ampeco import check_ampeco
from evtui.pricing.amounts import cannot, text_at, tolerance_for
from evtui.pricing.corpay import check_corpay
from evtui.pricing.engine import check_price
from evtui.pricing.monta import check_monta
from evtui.pricing.result import PriceCheck
from evtui.pricing.spirii import check_spirii

#: (adapter name, record type) -> where the record's currency is, for a cannot-check.
CHECKABLE: dict[tuple[str, str], str] = {
    ("ocpi", "cdr"): "currency",
    ("ocpi", "session"): "currency",
    ("spirii", "transaction"): "price.currency",
    ("spirii", "charge-record"): "price.currency",
    ("corpay", "session"): "price.currencyCode",
    ("monta", "charge"): "currency.identifier",
    ("ampeco", "session"): "data.currency",
}


def for_record(
    adapter_name: str,
    record_type: str,
    document: Any,
    *,
    tariffs: Sequence[Mapping[str, Any]] | None = None,
    time_zone: Any = None,
) -> PriceCheck | None:
    """The price check of one record as sent, or None when its type carries no price."""
    where = CHECKABLE.get((adapter_name, record_type))
    if where is None:
        return None
    currency = text_at(document, where)
    if not isinstance(document, Mapping):
        return cannot(["the record is not a JSON object"], None, tolerance_for(None, None))
    run: Callable[[], PriceCheck]
    if adapter_name == "ocpi":
        def run() -> PriceCheck:
            return check_price(document, tariffs, time_zone)
    elif adapter_name == "spirii":
        def run() -> PriceCheck:
            return check_spirii(document, record_type)
    elif adapter_name == "monta":
        def run() -> PriceCheck:
            return check_monta(document)
    elif adapter_name == "ampeco":
        def run() -> PriceCheck:
            return check_ampeco(document)
    else:
        def run() -> PriceCheck:
            return check_corpay(document)
    try:
        return run()
    except Exception as exc:  # noqa: BLE001 - provider data must never end a batch; the bug is named instead
        reason = f"the price check failed on this record ({type(exc).__name__}); please report it"
        return cannot([reason], currency, tolerance_for(currency, None))
