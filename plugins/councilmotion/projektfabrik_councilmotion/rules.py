"""The town's rules as plain values, and the arithmetic on them (no request, no database).

Every rule of a residents' motion differs by Land (DOMAIN.md), so each is a
per-town setting; the defaults follow Saxony (§ 23 SächsGemO): 5 % of the
residents aged 16 and over, no cap, the council deals with it within three
months.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

DEFAULTS: dict[str, Any] = {
    "council_name": "Stadtrat",
    "offer_group": True,
    "offer_residents": True,
    # one group per line: "Name | address"
    "council_groups": "",
    "max_title": 200,
    "max_resolution": 3000,
    "max_justification": 6000,
    # "share": quorum_share_bp of eligible_residents; "count": quorum_count
    "quorum_kind": "share",
    "quorum_share_bp": 500,
    "quorum_count": 0,
    # at most this many signatures are needed (0: no cap)
    "quorum_cap": 0,
    "eligible_residents": 0,
    "min_age": 16,
    "residence_months": 0,
    "collection_days": 180,
    "council_deadline_months": 3,
    "online_support": True,
    "ask_birth_date": True,
    "retention_days": 90,
    "privacy_notice": "",
}


@dataclass(frozen=True)
class CouncilGroup:
    name: str
    email: str


def council_groups(text: str) -> list[CouncilGroup]:
    """``Name | address`` per line; lines without a plausible address are left out."""
    found = []
    for line in (text or "").splitlines():
        name, _sep, email = line.partition("|")
        name, email = name.strip(), email.strip()
        if name and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            found.append(CouncilGroup(name[:200], email[:320]))
    return found


def _int(value: Any, default: int = 0) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return default


def required_signatures(settings: Mapping[str, Any]) -> int | None:
    """How many valid signatures the residents' motion needs, or ``None`` while the
    town has not said (a share of residents without the number of residents).

    A share is rounded up (5 % of 10,001 residents is 501: 500 would be less
    than 5 %); a cap above 0 limits the result (NRW, Baden-Württemberg,
    Thüringen; Niedersachsen's "always suffice" numbers are caps too).
    """
    cap = _int(settings.get("quorum_cap"))
    if settings.get("quorum_kind") == "count":
        needed = _int(settings.get("quorum_count"))
        if needed == 0:
            return None
    else:
        residents = _int(settings.get("eligible_residents"))
        share_bp = _int(settings.get("quorum_share_bp"))
        if residents == 0 or share_bp == 0:
            return None
        needed = -(-residents * share_bp // 10_000)  # ceiling without floats
    if cap:
        needed = min(needed, cap)
    return max(needed, 1)


def progress_percent(valid: int, needed: int | None) -> int:
    """Whole percent towards the quorum for the progress bar, at most 100."""
    if not needed:
        return 0
    return min(100, valid * 100 // needed)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


def normalised_name(text: str) -> str:
    """For finding duplicates: lower case, no accents' variants of umlauts, no spaces."""
    text = text.casefold().strip()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return re.sub(r"[\s\-.']+", "", text)


#: Words that tell a story (first person) rather than decide something.
_FIRST_PERSON = re.compile(
    r"\b(ich|wir|uns|unser\w*|mein\w*|mir|mich|i|we|us|our|my|me)\b", re.IGNORECASE
)


def story_words(text: str) -> list[str]:
    """First-person words in the text to vote on: a council decides about the town,
    it does not tell what a team did or wants ("wir haben …" belongs in the
    justification)."""
    return sorted({m.group(0).lower() for m in _FIRST_PERSON.finditer(text or "")})
