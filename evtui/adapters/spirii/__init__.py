"""Spirii API: charging transactions and their charge records, API key as a bearer token.

GET {base_url}/v2/transactions/{id} and GET {base_url}/v2/charge-records/{id}
with `Authorization: Bearer <api key>`. A transaction is the live or recent
charging session; its charge record (same numeric id) is the finalised billing
record, created once the transaction has ended.

- `adapter`: the settings, the record types (path, model, presentation each), id rules;
- `models`: both documents (imported when a record is validated); `words`: the words for their documented values;
- `transaction`, `charge_record`: the presentations (`cards`: card numbers guarded).
"""

from evtui.adapters.spirii.adapter import CHARGE_RECORD, PRODUCTION_BASE, SANDBOX_BASE, TRANSACTION, SpiriiAdapter, SpiriiSettings
from evtui.adapters.spirii.words import CHARGE_RECORD_PAYMENT_STATUS, PAYMENT_METHOD, PAYMENT_STATUS

__all__ = [
    "CHARGE_RECORD",
    "CHARGE_RECORD_PAYMENT_STATUS",
    "PAYMENT_METHOD",
    "PAYMENT_STATUS",
    "PRODUCTION_BASE",
    "SANDBOX_BASE",
    "TRANSACTION",
    "SpiriiAdapter",
    "SpiriiChargeRecord",
    "SpiriiSettings",
    "SpiriiTransaction",
]


def __getattr__(name: str) -> object:
    # The models load when first asked for: a record shows without them (see `evtui.lookup.validating_later`).
    if name in ("SpiriiChargeRecord", "SpiriiTransaction"):
        from evtui.adapters.spirii import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
