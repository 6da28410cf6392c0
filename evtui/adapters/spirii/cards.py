"""Card numbers in a charge record: never more than the last four digits shown."""

from __future__ import annotations

import json
import re
from typing import Any

from evtui.adapters.api import Field, Presenter, decode
from evtui.adapters.spirii.transaction import none_field

#: A card number sent in full: 12 to 19 digits, spaces or dashes between groups allowed.
_FULL_PAN = re.compile(r"(?<!\d)\d(?:[ \-]?\d){11,18}(?!\d)")
BULLETS = "••••"


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _last_four(value: Any) -> tuple[str, str, bool] | None:
    """(display, note, sent in full) for a card-number-like value; None when it holds no digits.

    A full number (12-19 digits, no mask) is shown as its last four and flagged;
    a masked value that also shows the first digits (BIN) is shown as its last four.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    if _FULL_PAN.search(text):
        return f"{BULLETS} {digits[-4:]}", "a full card number was sent; shown masked (the raw JSON holds it as sent)", True
    tail = re.search(r"(\d{1,4})\D*$", text)
    shown = tail.group(1) if tail else digits[-4:]
    note = "shown as its last four digits" if len(digits) > 4 else ""
    return f"{BULLETS} {shown}", note, False


def masked_pan_field(p: Presenter) -> Field:
    path = "paymentMetadata.maskedPan"
    label = "Card number"
    raw = p.get(path)
    guarded = _last_four(raw)
    if guarded is None:
        return p.field(label, path, note="masked")
    display, note, leaked = guarded
    if leaked:
        p.problem(f"{path} holds a full card number, not a masked one (shown masked)")
        return p.value(label, display, note=note, path=path, raw=display, flag="invalid")
    return p.value(label, display, note=note or "masked", path=path, raw=display)


def card_summary(p: Presenter) -> Field:
    card = p.get("card")
    if not isinstance(card, dict):
        method = p.get("paymentMethod")
        why = f"paid by {method}" if isinstance(method, str) else "no card sent"
        return p.value("Card", "none", note=f"{why}; card is {'null' if p.has('card') else 'not sent'}", path="card")
    brand = card.get("brand") if isinstance(card.get("brand"), str) else None
    four = _last_four(card.get("lastFour"))
    if four is None:
        four = _last_four(p.get("paymentMetadata.maskedPan"))
    parts = [x for x in (brand, four[0] if four else None) if x]
    return p.value("Card", " ".join(parts) if parts else "(no brand or digits)", note="brand and last four digits", path="card")


def card_fields(p: Presenter, card_number: Field) -> list[Field]:
    if not isinstance(p.get("card"), dict):
        return [none_field(p, "Card", "card", "none (not paid by card)"), card_number]
    fields = [p.field("Brand", "card.brand"), _last_four_field(p), card_number, _expiry_field(p)]
    fields += [
        p.field("Funding", "card.funding", note="credit, debit or prepaid"),
        p.field("Issuer country", "card.country", note="ISO 3166 alpha-2"),
        p.field("Wallet", "card.wallet", note="paid through a phone wallet" if p.get("card.wallet") else "", absent="none", null="none"),
    ]
    known = {"brand", "lastFour", "expiryMonth", "expiryYear", "funding", "country", "wallet"}
    extras = [
        Field(f"card.{k}", v if isinstance(v, str) else json.dumps(v, ensure_ascii=False),
              note="not described by evtui; shown as sent", path=f"card.{k}", raw=v, flag="unknown")
        for k, v in p.get("card").items()
        if k not in known
    ]
    return fields + guard_pans(p, extras)


def _last_four_field(p: Presenter) -> Field:
    path = "card.lastFour"
    raw = p.get(path)
    guarded = _last_four(raw)
    if guarded is None:
        return p.field("Last four", path)
    display, note, leaked = guarded
    digits = display.removeprefix(BULLETS).strip()
    if leaked:
        p.problem(f"{path} holds a full card number (shown masked)")
        return p.value("Last four", digits, note=note, path=path, raw=digits, flag="invalid")
    if isinstance(raw, int) and len(digits) < 4:
        return p.value("Last four", digits.zfill(4), note="sent as a number; leading zeros restored", path=path, raw=raw)
    return p.value("Last four", digits, note=note, path=path, raw=digits)


def _expiry_field(p: Presenter) -> Field:
    month, year = decode.to_decimal(p.get("card.expiryMonth")), decode.to_decimal(p.get("card.expiryYear"))
    if month is None or year is None or not (1 <= month <= 12) or month != month.to_integral_value():
        if p.get("card.expiryMonth") is None and p.get("card.expiryYear") is None:
            return p.field("Expiry", "card.expiryMonth")
        sent = f"{p.get('card.expiryMonth')}/{p.get('card.expiryYear')}"
        return p.value("Expiry", sent, note="not a month and a year, shown as sent", path="card.expiryMonth", flag="invalid")
    y = int(year) + (2000 if year < 100 else 0)
    text = f"{int(month):02d}/{y}"
    note = "month/year"
    when = decode.parse_timestamp(p.get("paymentMetadata.paidAt")) or decode.parse_timestamp(p.get("endedAt"))
    if when is not None and (when.year, when.month) > (y, int(month)):
        note = "expired before the payment"
        return p.value("Expiry", text, note=note, path="card.expiryMonth", raw=p.get("card.expiryMonth"), flag="derived")
    return p.value("Expiry", text, note=note, path="card.expiryMonth", raw=p.get("card.expiryMonth"))


def guard_pans(p: Presenter, fields: list[Field]) -> list[Field]:
    """Fields not described by evtui under card / paymentMetadata: a full card number in them is masked."""
    out = []
    for f in fields:
        if f.path.startswith(("card.", "paymentMetadata.")) and isinstance(f.raw, (str, int)) and not isinstance(f.raw, bool):
            m = _FULL_PAN.search(str(f.raw))
            if m and _luhn(re.sub(r"\D", "", m.group(0))):
                guarded = _last_four(f.raw)
                assert guarded is not None
                p.problem(f"{f.path} holds a full card number (shown masked)")
                f = Field(f.label, guarded[0], note=guarded[1], path=f.path, raw=guarded[0], flag="invalid")
        out.append(f)
    return out
