"""Bank account numbers: normalising, checking (ISO 13616) and masking an IBAN."""

from __future__ import annotations

import re

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def normalise_iban(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def iban_valid(text: str) -> bool:
    """ISO 13616 check: the format, then mod-97 of the rearranged digits is 1."""
    iban = normalise_iban(text)
    if not _IBAN.match(iban):
        return False
    if iban.startswith("DE") and len(iban) != 22:
        return False
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


def mask_iban(text: str) -> str:
    """``DE89 •••• •••• •••• •••• 00``: country, check digits and the last two only."""
    iban = normalise_iban(text)
    if len(iban) < 8:
        return "•" * len(iban)
    hidden = iban[:4] + "•" * (len(iban) - 6) + iban[-2:]
    return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))
