"""Spirii: the settings, the record types with their paths and presentations, the id rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx

from evtui.adapters.api import Adapter, AdapterSettings, NotFound, RecordType, Related, Secret, Section
from evtui.adapters.spirii import charge_record, transaction
from evtui.adapters.spirii.words import DIGITS, SETTLED_PAYMENT_STATUSES, id_text

if TYPE_CHECKING:
    from pydantic import BaseModel

PRODUCTION_BASE = "https://api.spirii.com"
SANDBOX_BASE = "https://sandbox.api.spirii.com"
#: Documented path ids are numbers; 19 digits hold any 64-bit id.
MAX_ID_DIGITS = 19


class SpiriiSettings(AdapterSettings):
    base_url: str = PRODUCTION_BASE
    api_key: Secret


TRANSACTION = RecordType("transaction", "Transaction", "A numeric transaction id such as 12345678")
CHARGE_RECORD = RecordType(
    "charge-record",
    "Charge record",
    "A numeric charge record id such as 12345678 (its transaction's id; it exists once the transaction has ended)",
)


@dataclass(frozen=True)
class _Kind:
    """What differs between record types: where they live, their model, their presentation."""

    #: Path segments before the id.
    path: tuple[str, ...]
    #: Its model's name in `models` (imported only when a record is validated).
    model: str
    present: Callable[[dict[str, Any], list[str]], tuple[list[Section], str]]


class SpiriiAdapter(Adapter):
    name = "spirii"
    title = "Spirii"
    settings_model = SpiriiSettings
    #: Each needs an entry in `_KINDS`.
    record_types = (TRANSACTION, CHARGE_RECORD)

    settings: SpiriiSettings

    def id_problem(self, record_id: str, record_type: str) -> str | None:
        kind = self.record_type(record_type).title.lower()
        if not DIGITS.fullmatch(record_id):
            bad = next((ch for ch in record_id if ch not in "0123456789"), record_id[:1])
            what = f"Spirii {kind} ids are whole numbers, digits only" if bad in "-+.," else f"Spirii {kind} ids are numbers"
            return f"it contains {bad!r}; {what}"
        if len(record_id) > MAX_ID_DIGITS:
            return f"it has {len(record_id)} digits; Spirii ids have at most {MAX_ID_DIGITS}"
        if record_id.strip("0") == "":
            return f"it is zero, and no Spirii {kind} has id 0"
        return None

    def model_for(self, record_type: str) -> type[BaseModel]:
        from evtui.adapters.spirii import models

        return getattr(models, _kind(record_type).model)  # type: ignore[no-any-return]

    async def request(
        self, record_type: str, record_id: str, *, since: datetime | None = None
    ) -> tuple[httpx.Response, list[str]]:
        url = self.url(*_kind(record_type).path, record_id)
        headers = {"Authorization": f"Bearer {self.secret_header('api_key')}"}
        notes: list[str] = []
        return await self.get(url, headers=headers, notes=notes), notes

    def present(self, record_type: str, document: dict[str, Any], problems: list[str]) -> tuple[list[Section], str]:
        return _kind(record_type).present(document, problems)

    def related(self, record_type: str, document: dict[str, Any]) -> list[Related]:
        """A transaction that has ended has a charge record (same id); a charge record has its transaction."""
        if record_type == TRANSACTION.name:
            tid = id_text(document.get("id"))
            if tid is not None and document.get("endedAt") is not None:
                return [Related("Charge record", CHARGE_RECORD.name, tid)]
            return []
        if record_type == CHARGE_RECORD.name:
            tid = id_text(document.get("transactionId"))
            return [Related("Transaction", TRANSACTION.name, tid)] if tid is not None else []
        return []

    def status_paths(self, record_type: str) -> tuple[str, ...]:
        if record_type == CHARGE_RECORD.name:
            return ("paymentStatus", "paymentMetadata.paymentStatus", "price.amount")
        return ("endedAt", "paymentStatus", "chargingDetails.consumed", "price.amount")

    def final_state(self, record_type: str, document: Any) -> str | None:
        """A transaction is final once it has ended (endedAt); a charge record once its
        payment is settled. Watching stops there."""
        if not isinstance(document, dict):
            return None
        status = document.get("paymentStatus")
        if record_type == CHARGE_RECORD.name:
            return f"payment status {status} is final" if status in SETTLED_PAYMENT_STATUSES else None
        if document.get("endedAt") is None:
            return None
        return f"the transaction has ended (endedAt {document['endedAt']}; payment status {status})"

    def raise_for_status(self, response: httpx.Response, rt: RecordType, record_id: str) -> None:
        try:
            super().raise_for_status(response, rt, record_id)
        except NotFound as exc:
            if rt.name != CHARGE_RECORD.name:
                raise
            # The usual reason: the transaction has not ended (or not been finalised) yet.
            raise NotFound(
                exc.message,
                hint=(
                    f"A charge record exists only once its transaction has ended and been billed: "
                    f"look up transaction {record_id} (--type transaction) to see whether it has. "
                    f"Else check the id and that profile {self.profile!r} is the right environment."
                ),
                status=exc.status,
            ) from None


# -- record types -------------------------------------------------------------------

_KINDS: dict[str, _Kind] = {
    TRANSACTION.name: _Kind(("v2", "transactions"), "SpiriiTransaction", transaction.present),
    CHARGE_RECORD.name: _Kind(("v2", "charge-records"), "SpiriiChargeRecord", charge_record.present),
}


def _kind(record_type: str) -> _Kind:
    return _KINDS[record_type]
