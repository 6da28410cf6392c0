"""What a price check returns: lines, totals, limits, the comparison and its verdict.

Plain frozen dataclasses with `Decimal` amounts, so the TUI, the CLI and JSON
output can each present them their own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

MATCHES, DIFFERS, CANNOT_CHECK = "matches", "differs", "cannot check"
KINDS = ("energy", "time", "parking", "fixed", "reservation")


@dataclass(frozen=True, slots=True)
class Amount:
    excl_vat: Decimal | None
    incl_vat: Decimal | None

    def __add__(self, other: Amount) -> Amount:
        return Amount(_add(self.excl_vat, other.excl_vat), _add(self.incl_vat, other.incl_vat))

    def __neg__(self) -> Amount:
        return Amount(_neg(self.excl_vat), _neg(self.incl_vat))


ZERO = Amount(Decimal(0), Decimal(0))


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b


def _neg(a: Decimal | None) -> Decimal | None:
    return None if a is None else -a


@dataclass(slots=True)  # not frozen: a 14,000-period CDR makes ~30,000 of them, twice as fast
class PriceLine:
    kind: str  # one of KINDS
    dimension: str  # ENERGY, TIME, PARKING_TIME, RESERVATION_TIME or FLAT
    period: int  # index of the charging period (as sent) the line comes from
    start: datetime
    end: datetime
    volume: Decimal  # as consumed, in `unit`
    billed_volume: Decimal  # after step_size
    unit: str  # "kWh", "h" or "" (FLAT)
    price: Decimal  # per unit, excl. VAT
    excl_vat: Decimal
    vat_percent: Decimal | None  # None: the component gives no VAT
    vat: Decimal
    incl_vat: Decimal
    tariff_id: str
    element: int  # index of the tariff element that supplied the component
    why: str  # the element's restrictions that held ("no restrictions" for a fallback)
    step_note: str = ""  # how step_size changed this line, if it did


@dataclass(frozen=True, slots=True)
class Limit:
    """A tariff's min_price or max_price and whether it changed the total."""

    kind: str  # "min_price" | "max_price"
    tariff_id: str
    limit: Amount
    before: Amount
    after: Amount

    @property
    def applied(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class Comparison:
    """One provider total beside the computed one."""

    field: str  # total_cost, total_energy_cost, ...
    provider: Amount | None
    computed: Amount
    difference: Amount | None  # provider - computed, where both are known
    matches: bool | None  # None: not compared


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: str  # MATCHES | DIFFERS | CANNOT_CHECK
    text: str  # "matches (within 0.01 EUR)", "differs by +0.45 EUR incl. VAT", "cannot check: ..."
    difference: Amount | None = None  # on total_cost, provider - computed
    reasons: tuple[str, ...] = ()  # what explains a difference, or what is missing


@dataclass(frozen=True)
class PriceCheck:
    currency: str | None
    time_zone: str
    lines: tuple[PriceLine, ...]
    totals: dict[str, Amount]  # KINDS, each excl./incl. VAT, before min/max price
    total: Amount  # after min_price / max_price
    limits: tuple[Limit, ...]
    rounding: str  # how amounts were rounded, in words
    tolerance: Decimal
    comparisons: tuple[Comparison, ...]
    verdict: Verdict
    warnings: tuple[str, ...] = field(default=())

    @property
    def limit_applied(self) -> bool:
        return any(limit.applied for limit in self.limits)


def as_json(value: Any) -> Any:
    """A PriceCheck (or any part of it) as JSON-ready data: amounts as decimal strings,
    never floats, so `--json` output keeps every digit; times in ISO 8601."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 5.6250 -> "5.625", 1E+1 -> "10"
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        out = {f.name: as_json(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, Limit):
            out["applied"] = value.applied
        return out
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value
