"""Price check: what an OCPI 2.2.1 CDR should have cost under its tariffs. Pure core code.

    from evtui.pricing import check_price
    check = check_price(cdr_dict, tariffs=None, time_zone="Europe/Amsterdam")
    check.verdict.outcome   # "matches" | "differs" | "cannot check"
    check.verdict.text      # "differs by +0.45 EUR excl. VAT / +0.54 EUR incl. VAT"
    check.lines, check.totals, check.total, check.limits, check.comparisons, check.warnings
    json.dumps(as_json(check))   # amounts as decimal strings

    from evtui.pricing import for_record   # any record: OCPI cdr/session, Spirii, Corpay, Monta, AMPECO
    check = for_record("spirii", "transaction", document)   # None: the type carries no price
"""

from evtui.pricing.engine import check_price
from evtui.pricing.records import for_record
from evtui.pricing.result import (
    CANNOT_CHECK,
    DIFFERS,
    KINDS,
    MATCHES,
    Amount,
    Comparison,
    Limit,
    PriceCheck,
    PriceLine,
    Verdict,
    as_json,
)

__all__ = [
    "CANNOT_CHECK",
    "DIFFERS",
    "KINDS",
    "MATCHES",
    "Amount",
    "Comparison",
    "Limit",
    "PriceCheck",
    "PriceLine",
    "Verdict",
    "as_json",
    "check_price",
    "for_record",
]
