"""Checked, not trusted: what a Spirii transaction's or charge record's values say about each other.

The price check (evtui.pricing.spirii) already compares the totals, VAT and breakdown lines with
the price; here: energy against the meters, the durations against start and end and against each
other, net against gross, timestamps in order, and the end against the durations Spirii fills
only when a transaction ends."""

from __future__ import annotations

from decimal import Decimal

from evtui.adapters.api import Field, Presenter, Section, decode
from evtui.adapters.consistency import checks_section

#: consumed against (meterStop − meterStart) / 1000: 0.01 kWh, or 1 %.
ENERGY_TOLERANCE = Decimal("0.01")
#: duration.total against endedAt − startedAt, in seconds.
DURATION_TOLERANCE_S = 60

CHECKED = (
    "consumed vs (meterStop − meterStart) / 1000 (±0.01 kWh or 1 %); duration.total vs endedAt − startedAt (±60 s); "
    "charging + idle = total (±60 s); amount ≥ amountExVat; startedAt ≤ endedAt, updatedAt; durations only once ended"
)


def spirii_checks(p: Presenter, *, charge_record: bool) -> Section:
    checks = (_meters, _durations, _net_gross, _order, _ended) + ((_billed_energy,) if charge_record else ())
    checked = CHECKED + ("; consumed vs chargingDetails.consumed (±0.001 kWh)" if charge_record else "")
    return checks_section(p, checks, checked)


def meter_energy(p: Presenter) -> tuple[Decimal, Decimal] | None:
    """(consumed, what the meters give in kWh), when all three are sent."""
    consumed = decode.to_decimal(p.get("chargingDetails.consumed"))
    start = decode.to_decimal(p.get("chargingDetails.meterStart"))
    stop = decode.to_decimal(p.get("chargingDetails.meterStop"))
    if consumed is None or start is None or stop is None:
        return None
    return consumed, (stop - start) / 1000


def energy_agrees(consumed: Decimal, measured: Decimal) -> bool:
    return (measured - consumed).copy_abs() <= max(ENERGY_TOLERANCE, consumed.copy_abs() * Decimal("0.01"))


def _meters(p: Presenter) -> list[Field]:
    both = meter_energy(p)
    if both is None or energy_agrees(*both):
        return []
    consumed, measured = both
    if energy_agrees(consumed, measured * 1000):
        return [p.value("Meters", f"meterStop − meterStart is {decode.number(measured * 1000)}: the meters look like kWh, not Wh",
                        note="inferred: the meter difference itself matches consumed", path="chargingDetails.meterStop",
                        raw=p.get("chargingDetails.meterStop"), flag="inferred")]
    return [p.value("Energy", f"{decode.kwh(consumed)} consumed, the meters give {decode.kwh(measured)}",
                    note="consumed ≈ (meterStop − meterStart) / 1000 (meters in Wh)", path="chargingDetails.consumed",
                    raw=p.get("chargingDetails.consumed"), flag="invalid")]


def _seconds(p: Presenter, path: str) -> Decimal | None:
    return decode.to_decimal(p.get(path))


def _durations(p: Presenter) -> list[Field]:
    out = []
    total = _seconds(p, "duration.total")
    start, end = decode.parse_timestamp(p.get("startedAt")), decode.parse_timestamp(p.get("endedAt"))
    if total is not None and start is not None and end is not None and end >= start:
        span = Decimal(str((end - start).total_seconds()))
        if (total - span).copy_abs() > DURATION_TOLERANCE_S:
            should = f"should be {decode.number(span)} s ({decode.human_duration(span)})"
            unit = next((u for factor, u in ((60, "minutes"), (Decimal("0.001"), "milliseconds")) if span > 0 and (total * factor - span).copy_abs() <= DURATION_TOLERANCE_S), None)
            out.append(p.value("Total duration", f"{decode.number(total)} looks like {unit}, not seconds: {should}" if unit else f"{decode.number(total)} s differs from endedAt − startedAt: {should}",
                               note="duration.total is start to end, in seconds", path="duration.total", raw=p.get("duration.total"),
                               flag="inferred" if unit else "invalid"))
    charging, idle = _seconds(p, "duration.charging"), _seconds(p, "duration.idle")
    if total is not None and charging is not None and idle is not None and (charging + idle - total).copy_abs() > DURATION_TOLERANCE_S:
        out.append(p.value("Durations", f"charging {decode.number(charging)} s + idle {decode.number(idle)} s = {decode.number(charging + idle)} s, total is {decode.number(total)} s",
                           note="the total is charging plus idle time", path="duration.total", raw=p.get("duration.total"), flag="invalid"))
    for key in ("charging", "idle", "total"):
        value = _seconds(p, f"duration.{key}")
        if value is not None and value < 0:
            out.append(p.value(f"Duration {key}", f"negative: {decode.number(value)} s", note="a duration is never negative", path=f"duration.{key}", raw=p.get(f"duration.{key}"), flag="invalid"))
    return out


def _net_gross(p: Presenter) -> list[Field]:
    amount, net = decode.to_decimal(p.get("price.amount")), decode.to_decimal(p.get("price.amountExVat"))
    if amount is None or net is None or amount >= net:
        return []
    money = decode.money_major(amount, p.get("price.currency")), decode.money_major(net, p.get("price.currency"))
    return [p.value("Total incl. VAT", f"{money[0]} is below the {money[1]} excl. VAT", note="VAT is never negative: amount ≥ amountExVat",
                    path="price.amount", raw=p.get("price.amount"), flag="invalid")]


def _order(p: Presenter) -> list[Field]:
    start = decode.parse_timestamp(p.get("startedAt"))
    if start is None:
        return []
    out = []
    for path, label, what in (("endedAt", "End", "endedAt"), ("updatedAt", "Updated", "updatedAt"), ("paymentMetadata.paidAt", "Paid", "paidAt")):
        when = decode.parse_timestamp(p.get(path))
        if when is not None and when < start:
            out.append(p.value(label, f"before the start ({decode.format_timestamp(start)})", note=f"{what} precedes startedAt",
                               path=path, raw=p.get(path), flag="invalid"))
    return out


def _ended(p: Presenter) -> list[Field]:
    if p.get("endedAt") is not None or _seconds(p, "duration.total") in (None, Decimal(0)):
        return []
    return [p.value("End", f"no endedAt, but duration.total is {decode.number(p.get('duration.total'))} s",
                    note="Spirii fills the durations only when the transaction ends: endedAt or the durations are stale",
                    path="endedAt", flag="invalid")]


def _billed_energy(p: Presenter) -> list[Field]:
    billed, metered = decode.to_decimal(p.get("consumed")), decode.to_decimal(p.get("chargingDetails.consumed"))
    if billed is None or metered is None or (billed - metered).copy_abs() <= Decimal("0.001"):
        return []
    return [p.value("Energy billed", f"{decode.kwh(billed)} billed, {decode.kwh(metered)} in the charging details",
                    note="the charge record's consumed is the transaction's chargingDetails.consumed", path="consumed", raw=p.get("consumed"), flag="invalid")]
