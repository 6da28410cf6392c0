"""Signed meter data (calibration law, Eichrecht): a summary field and a table of the signed values."""

from __future__ import annotations

from typing import Any

from evtui.adapters.api import Field, Presenter, Table

#: What the Signed values table shows; other fields of a value go to Other fields.
SIGNED_VALUE_PATHS = tuple(f"signed_data.signed_values[].{k}" for k in ("nature", "plain_data", "signed_data"))


def signed_fields(p: Presenter) -> list[Field]:
    signed = p.get("signed_data")
    if not isinstance(signed, dict):
        return [p.field("Signed data", "signed_data", absent="not sent (no calibration-law signed meter values)")]
    note = "signed meter values for calibration law (Eichrecht); verify with the encoding's transparency software"
    return [
        p.field("Signing encoding", "signed_data.encoding_method", note=note),
        p.field("Encoding version", "signed_data.encoding_method_version"),
        p.field("Public key", "signed_data.public_key", absent="not sent (the transparency software needs it from the meter)"),
        p.field("Signed data URL", "signed_data.url", note="where the CPO publishes the signed data (QR code on the charger)"),
    ]


def signed_table(p: Presenter) -> Table:
    columns = ("Nature", "Meter id", "Plain data", "Signed data")
    values = p.get("signed_data.signed_values")
    if not isinstance(values, list) or not values:
        return Table("Signed values", columns, (), note="none sent", shows=SIGNED_VALUE_PATHS)
    meter = p.get("meter_id")
    rows = tuple(
        (_text(v.get("nature")), _text(meter), _text(v.get("plain_data")), _text(v.get("signed_data")))
        if isinstance(v, dict)
        else (_text(v), "", "", "")
        for v in values
    )
    return Table("Signed values", columns, rows, note="as sent; meter id is the CDR's meter_id", shows=SIGNED_VALUE_PATHS)


def _text(value: Any) -> str:
    return "—" if value is None else str(value)
