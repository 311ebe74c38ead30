"""Personal data helpers: phone normalisation and masking."""

from __future__ import annotations

import re

from allo.domain.errors import ValidationFailed

_DIGITS = re.compile(r"\d")
MASK = "\u2022\u2022"  # ••


def normalize_phone(raw: str, default_country_code: str = "33") -> str:
    """Return an E.164 number ("+33612345642") from what people type ("06 12 34 56 42")."""
    text = raw.strip()
    if not text:
        raise ValidationFailed("phone number is empty", code="invalid_phone")
    digits = "".join(_DIGITS.findall(text))
    if text.startswith("+"):
        e164 = "+" + digits
    elif text.startswith("00"):
        e164 = "+" + digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        e164 = "+" + default_country_code + digits[1:]
    else:
        raise ValidationFailed(f"cannot read phone number {raw!r}: add the country code", code="invalid_phone")
    if not 8 <= len(e164) - 1 <= 15:
        raise ValidationFailed(f"phone number {raw!r} has the wrong length", code="invalid_phone")
    return e164


def mask_phone(e164: str) -> str:
    """"+33612345642" → "+33 6 •• •• •• 42": country code, first digit and the last two kept."""
    if not e164.startswith("+") or len(e164) < 8:
        return MASK
    # French-style numbering (+33, +377) reads best in pairs; others keep the same shape.
    cc_len = 3 if e164[1:4] in ("377", "352") else 2
    cc = e164[1 : 1 + cc_len]
    national = e164[1 + cc_len :]
    middle_pairs = max(1, (len(national) - 3 + 1) // 2)
    return f"+{cc} {national[0]} " + " ".join([MASK] * middle_pairs) + f" {national[-2:]}"


def mask_name(name: str | None) -> str | None:
    """First name only, as couriers see it ("Marie Dupont" → "Marie D.")."""
    if not name:
        return name
    parts = name.split()
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]} {parts[-1][0]}."
