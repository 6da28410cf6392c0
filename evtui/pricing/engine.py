"""The OCPI 2.2.1 price check: what a CDR should have cost under its tariffs.

`check_price(cdr, tariffs=None, time_zone=None)` takes plain dicts as sent
(a CDR, or a Session: an end is then taken from last_updated and said to be an
estimate) and returns a `PriceCheck`. No I/O; `decimal.Decimal` throughout.

How the tariff is applied (mod_tariffs "Tariff object", mod_cdrs "step_size"):
- Each charging period uses the tariff its `tariff_id` names (the only tariff
  when it names none); periods are split where a restriction can change inside
  one (see `periods`).
- For each dimension of a piece (ENERGY, TIME, PARKING_TIME, and
  RESERVATION_TIME priced by TIME components of reservation elements), the
  first element, in the order sent, that has a component of that type and whose
  restrictions hold, supplies the price. None: that dimension is free there.
  For an expired reservation, RESERVATION_EXPIRES elements come first (the note
  under ReservationRestrictionType).
- FLAT is billed once for the charging session and once for a reservation:
  from the first element with a FLAT component whose restrictions hold, at the
  first piece where one does. A FLAT in a reservation element counts as
  reservation cost; in an element that otherwise prices only PARKING_TIME as
  parking cost (total_parking_cost includes "fixed price components");
  otherwise as fixed cost.
- step_size, VAT and min/max price: see `steps`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evtui.decode import currency_exponent, parse_timestamp
from evtui.pricing.periods import CHARGING_VOLUMES, Piece, Session, read_session
from evtui.pricing.restrictions import CHARGING, EXPIRED, RESERVATION, describe, holds
from evtui.pricing.result import CANNOT_CHECK, ZERO, Amount, PriceCheck, PriceLine, Verdict
from evtui.pricing.steps import (
    NO_STEPS,
    PER_PERIOD,
    SESSION,
    Item,
    alternative_totals,
    apply_limits,
    billed_volumes,
    price_lines,
    totals,
)
from evtui.pricing.tariffs import Element, Tariff, read_tariff
from evtui.pricing.verdict import compare, decide

_KIND = {"ENERGY": "energy", "TIME": "time", "PARKING_TIME": "parking", "RESERVATION_TIME": "reservation"}
_UTC = ZoneInfo("UTC")


def _zone(time_zone: ZoneInfo | str | None, warnings: list[str]) -> ZoneInfo:
    if isinstance(time_zone, ZoneInfo):
        return time_zone
    if isinstance(time_zone, str) and time_zone:
        try:
            return ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            warnings.append(f"time zone {time_zone!r} is unknown: restrictions read in UTC, local times may be wrong")
            return _UTC
    warnings.append("station time zone unknown: restrictions read in UTC, local times may be wrong")
    return _UTC


def _candidates(tariff: Tariff, reservation_phase: str) -> dict[str, tuple[str, list[tuple[Element, str]]]]:
    """Per CDR dimension (and FLAT per phase): the phase it is priced in and the elements
    that could price it, in the order to try, each with its restrictions in words."""
    def elements(kind: str, phase: str) -> list[tuple[Element, str]]:
        found = [e for e in tariff.elements if kind in e.components]
        if phase == EXPIRED:  # the note under ReservationRestrictionType
            found.sort(key=lambda e: e.restrictions.reservation != "RESERVATION_EXPIRES")
        return [(e, describe(e.restrictions)) for e in found]

    table = {dimension: (CHARGING, elements(dimension, CHARGING)) for dimension in CHARGING_VOLUMES}
    table["RESERVATION_TIME"] = (reservation_phase, elements("TIME", reservation_phase))
    table["FLAT " + CHARGING] = (CHARGING, elements("FLAT", CHARGING))
    table["FLAT " + RESERVATION] = (reservation_phase, elements("FLAT", reservation_phase))
    return table


def _match(session: Session, unknown: dict[str, int], *, parking_anytime: bool = False, only: str = "") -> list[Item]:
    """Each priced dimension of each piece, and the FLAT fees, with the component that prices it
    (`only`: that one dimension, no FLAT)."""
    tables: dict[int, dict[str, tuple[str, list[tuple[Element, str]]]]] = {}
    items: list[Item] = []
    flat_due = {CHARGING: session.has_charging or not session.has_reservation, RESERVATION: session.has_reservation}
    if only:
        flat_due = {CHARGING: False, RESERVATION: False}
    reservation_phase = EXPIRED if session.expired else RESERVATION
    for piece in session.pieces:
        tariff = piece.tariff
        if tariff is None:
            continue
        table = tables.get(id(tariff))
        if table is None:
            table = tables[id(tariff)] = _candidates(tariff, reservation_phase)
        if flat_due[CHARGING] or flat_due[RESERVATION]:
            _flat(piece, table, flat_due, session.has_charging, items)
        for dimension, volume in piece.volumes.items():
            if not volume or (only and dimension != only):
                continue
            phase, candidates = table[dimension]
            anytime = parking_anytime and dimension == "PARKING_TIME"
            for element, why in candidates:
                ok = holds(element.restrictions, piece.at, phase, ignore_calendar=anytime)
                if ok is None:
                    key = f"tariff {tariff.id!r} element {element.index} ({why})"
                    unknown[key] = unknown.get(key, 0) + 1
                elif ok:
                    component = element.components["TIME" if dimension == "RESERVATION_TIME" else dimension]
                    items.append(Item(piece, dimension, _KIND[dimension], volume, tariff, element, component, why))
                    break
    return items


def _flat(piece: Piece, table: dict, flat_due: dict[str, bool], has_charging: bool, items: list[Item]) -> None:
    """The FLAT fee of each phase, at the first piece where an element with one holds."""
    for phase_key in (CHARGING, RESERVATION):
        if not flat_due[phase_key]:
            continue
        if phase_key == RESERVATION and not piece.volumes.get("RESERVATION_TIME"):
            continue
        if phase_key == CHARGING and has_charging and not any(piece.volumes.get(k) for k in CHARGING_VOLUMES):
            continue
        phase, candidates = table["FLAT " + phase_key]
        for element, why in candidates:
            if holds(element.restrictions, piece.at, phase):
                kind = "reservation" if phase != CHARGING else "parking" if element.parking_only else "fixed"
                items.append(Item(piece, "FLAT", kind, Decimal(1), piece.tariff, element, element.components["FLAT"], why))
                flat_due[phase_key] = False
                break


def _cannot(reason: Sequence[str], currency: str | None, zone: str, warnings: list[str], tolerance: Decimal) -> PriceCheck:
    zero = {kind: ZERO for kind in ("energy", "time", "parking", "fixed", "reservation")}
    verdict = Verdict(CANNOT_CHECK, "cannot check: " + "; ".join(reason), None, tuple(reason))
    return PriceCheck(currency, zone, (), zero, ZERO, (), "nothing computed", tolerance, (), verdict, tuple(warnings))


def _rounding(currency: str | None, tolerance: Decimal) -> str:
    return (
        "amounts are exact decimals, not rounded per line or in total (OCPI leaves price rounding "
        f"to law and contract); compared with the provider's within {tolerance} {currency or ''}; "
        "the verdict's sentences round half-up to the currency's minor unit"
    ).strip()


def check_price(
    cdr: Mapping[str, Any],
    tariffs: Sequence[Mapping[str, Any]] | None = None,
    time_zone: ZoneInfo | str | None = None,
    *,
    tolerance: Decimal | None = None,
) -> PriceCheck:
    """Recompute a CDR's cost from its tariffs (the CDR's own `tariffs` when none are given)."""
    warnings: list[str] = []
    currency = cdr.get("currency") if isinstance(cdr.get("currency"), str) else None
    if tolerance is None:
        tolerance = Decimal(1).scaleb(-currency_exponent(currency))  # one minor unit
    elif not isinstance(tolerance, Decimal):
        tolerance = Decimal(str(tolerance))
    tz = _zone(time_zone, warnings)
    zone_guessed = bool(warnings)  # _zone said it fell back to UTC
    zone = tz.key or str(tz)
    raw_tariffs = tariffs if tariffs is not None else cdr.get("tariffs")
    if not isinstance(raw_tariffs, Sequence) or isinstance(raw_tariffs, str) or not raw_tariffs:
        return _cannot(["no tariff: the CDR carries none and none was given"], currency, zone, warnings, tolerance)
    read: dict[str, Tariff] = {}
    for raw in raw_tariffs:
        tariff = read_tariff(raw, warnings)
        if tariff is not None:
            read.setdefault(tariff.id, tariff)
    mismatched = [t.id for t in read.values() if currency and t.currency and t.currency != currency]
    if mismatched:
        reason = f"tariff(s) {', '.join(mismatched)} priced in another currency than the CDR's {currency}"
        return _cannot([reason], currency, zone, warnings, tolerance)
    session = read_session(dict(cdr), read, tz)
    warnings.extend(session.problems)
    if session.missing:
        return _cannot(session.missing, currency, zone, warnings, tolerance)
    start = parse_timestamp(cdr.get("start_date_time"))
    used = {p.tariff.id: p.tariff for p in session.pieces if p.tariff is not None}
    for t in used.values():
        if start and ((t.start and start < t.start) or (t.end and start > t.end)):
            warnings.append(f"tariff {t.id!r} was not valid when the session started ({start:%Y-%m-%d %H:%M} UTC)")
    if session.splits:
        warnings.append(
            f"{len(session.splits)} period(s) split where a restriction changes inside them, volumes shared "
            "in proportion (mod_cdrs: the CPO SHALL start a new period there): " + "; ".join(session.splits[:3])
        )
    unknown: dict[str, int] = {}
    items = _match(session, unknown)
    unknown_notes = [
        f"{where}: its current/power restriction could not be tested in {n} period(s) (no such dimension); taken as not met"
        for where, n in unknown.items()
    ]
    warnings.extend(unknown_notes)
    lines = price_lines(items, SESSION)
    kinds = totals(lines)
    total, limits = apply_limits(lines, used)
    limit_applied = any(limit.applied for limit in limits)
    comparisons = compare(cdr, kinds, total, tolerance, limit_applied=limit_applied)
    if limit_applied and len(comparisons) > 1:
        warnings.append(
            "min/max price applied: only total_cost is compared, the spec does not say how the "
            "adjustment is shared among the energy, time, parking, fixed and reservation totals"
        )
    provider_total = comparisons[0]
    verdict_notes = list(unknown_notes)
    if zone_guessed and any(e.restrictions.calendar for t in used.values() for e in t.elements):
        verdict_notes.append("the station's time zone is unknown and the tariff has local-time restrictions")
    alternatives: list[tuple[str, Amount]] = []
    if provider_total.matches is False or any(c.matches is False for c in comparisons):
        alternatives = _alternatives(session, items, lines, used, limit_applied, tz, cdr, read)
    verdict = decide(comparisons, lines, currency, tolerance, alternatives, verdict_notes, cdr.get("credit") is True)
    return PriceCheck(
        currency=currency,
        time_zone=zone,
        lines=tuple(lines),
        totals=kinds,
        total=total,
        limits=tuple(limits),
        rounding=_rounding(currency, tolerance),
        tolerance=tolerance,
        comparisons=tuple(comparisons),
        verdict=verdict,
        warnings=tuple(warnings),
    )


def _alternatives(
    session: Session,
    items: list[Item],
    lines: list[PriceLine],
    used: dict[str, Tariff],
    limit_applied: bool,
    tz: ZoneInfo,
    cdr: Mapping[str, Any],
    tariffs: dict[str, Tariff],
) -> list[tuple[str, Amount]]:
    """Other readings of the same CDR, each with the total it gives: the ones that
    reproduce the provider's total are the reasons named in the verdict."""
    out: list[tuple[str, Amount]] = []
    modes = alternative_totals(items, used)
    ours = modes[SESSION]
    rounded_alone = sorted({items[i].piece.period for i in billed_volumes(items, PER_PERIOD)[1]})
    listed = ", ".join(map(str, rounded_alone[:5])) + (" ..." if len(rounded_alone) > 5 else "")
    readings = [
        (
            "step size applied per period instead of once per session (mod_cdrs step_size): "
            f"period(s) {listed} rounded up on their own",
            modes[PER_PERIOD],
        ),
        ("step size not applied: volumes billed as measured", modes[NO_STEPS]),
    ]
    if limit_applied:
        readings.append(("min_price/max_price not applied", modes["unlimited"]))
    else:
        cents = Decimal(1).scaleb(-currency_exponent(cdr.get("currency") if isinstance(cdr.get("currency"), str) else None))
        try:
            excl = sum((ln.excl_vat.quantize(cents, ROUND_HALF_UP) for ln in lines), Decimal(0))
            incl = sum((ln.incl_vat.quantize(cents, ROUND_HALF_UP) for ln in lines), Decimal(0))
            readings.append(("each line rounded to the currency's minor unit before adding up", Amount(excl, incl)))
        except InvalidOperation:  # amounts beyond the decimal context's digits: no such reading
            pass
    if any(e.restrictions.calendar and "PARKING_TIME" in e.components for t in used.values() for e in t.elements):
        parking = _match(session, {}, parking_anytime=True, only="PARKING_TIME")
        anytime = sorted([it for it in items if it.dimension != "PARKING_TIME"] + parking, key=lambda it: it.piece.seq)
        reason = "parking priced outside its hours (the parking restrictions' times and days ignored)"
        readings.append((reason, alternative_totals(anytime, used, per_period=False)[SESSION]))
    if session.splits:
        whole = read_session(dict(cdr), tariffs, tz, split=False)
        reason = "periods crossing a restriction boundary priced whole by their start: " + "; ".join(session.splits[:3])
        readings.append((reason, alternative_totals(_match(whole, {}), used, per_period=False)[SESSION]))
    out.extend((reason, total) for reason, total in readings if total != ours)
    return out
