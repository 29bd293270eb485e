"""Signatures of a residents' motion: paper lists, online support (counted apart), the
duplicate check for the clerks and the purge of signers' personal data. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from projektfabrik.api import _, db, utcnow
from projektfabrik_councilmotion import rules
from projektfabrik_councilmotion.common import MotionError, settings, town_today
from projektfabrik_councilmotion.models import Motion, Path, Signature, SignatureList, State


def required() -> int | None:
    return rules.required_signatures(settings())


@dataclass(frozen=True)
class Counts:
    paper: int
    online: int
    lists: int
    needed: int | None

    @property
    def percent(self) -> int:
        return rules.progress_percent(self.paper, self.needed)

    @property
    def reached(self) -> bool:
        return self.needed is not None and self.paper >= self.needed


def counts(motion: Motion) -> Counts:
    paper, lists = db.session.execute(
        select(func.coalesce(func.sum(SignatureList.count), 0), func.count(SignatureList.id)).where(
            SignatureList.motion_id == motion.id
        )
    ).one()
    online = db.session.scalar(
        select(func.count(Signature.id)).where(
            Signature.motion_id == motion.id, Signature.list_id.is_(None)
        )
    )
    return Counts(paper=int(paper), online=int(online or 0), lists=int(lists), needed=required())


def lists_of(motion: Motion) -> list[SignatureList]:
    return list(
        db.session.scalars(
            select(SignatureList)
            .where(SignatureList.motion_id == motion.id)
            .order_by(SignatureList.number)
        )
    )


def find_list(motion: Motion, ref: str) -> SignatureList | None:
    return db.session.scalar(
        select(SignatureList).where(SignatureList.motion_id == motion.id, SignatureList.ref == ref)
    )


def own_support(motion: Motion, user: Any) -> Signature | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Signature).where(
            Signature.motion_id == motion.id,
            Signature.list_id.is_(None),
            Signature.user_id == user.id,
        )
    )


def online_open(motion: Motion) -> bool:
    return (
        motion.state == State.COLLECTING
        and bool(settings()["online_support"])
        and (motion.collect_until is None or town_today() <= motion.collect_until)
    )


def support(
    motion: Motion,
    user: Any,
    *,
    family_name: str,
    first_name: str,
    birth_date: date | None,
    address: str,
    today: date | None = None,
) -> Signature:
    """Online support (not a legal signature: counted apart from the paper lists)."""
    if not online_open(motion):
        raise MotionError(_("This motion does not take online support at the moment."))
    if own_support(motion, user) is not None:
        raise MotionError(_("You support this motion already."))
    rules_ = settings()
    today = today or town_today()
    if not family_name.strip():
        raise MotionError(_("Please fill in your family name."), "family_name")
    if not first_name.strip():
        raise MotionError(_("Please fill in your first name."), "first_name")
    if not address.strip():
        raise MotionError(_("Please fill in your address."), "address")
    if rules_["ask_birth_date"]:
        if birth_date is None:
            raise MotionError(_("Please fill in your date of birth."), "birth_date")
        if birth_date > today or rules.age_on(birth_date, today) < int(rules_["min_age"]):
            raise MotionError(
                _(
                    "Only residents aged %(age)s and over may support a residents' motion.",
                    age=rules_["min_age"],
                ),
                "birth_date",
            )
    signature = Signature(
        motion_id=motion.id,
        user_id=user.id,
        family_name=family_name.strip()[:200],
        first_name=first_name.strip()[:200],
        birth_date=birth_date if rules_["ask_birth_date"] else None,
        address=address.strip()[:500],
    )
    db.session.add(signature)
    return signature


def parse_signers(text: str) -> list[tuple[str, str, date | None, str]]:
    """Signers typed from a paper list, one per line:
    ``family name; first name; date of birth (DD.MM.YYYY); address``."""
    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise MotionError(
                _(
                    "Line %(number)s: write family name; first name; date of birth; address.",
                    number=number,
                ),
                "signers",
            )
        born = None
        if len(parts) > 2 and parts[2]:
            try:
                born = datetime.strptime(parts[2], "%d.%m.%Y").date()
            except ValueError:
                raise MotionError(
                    _(
                        "Line %(number)s: write the date of birth as 31.12.1990.",
                        number=number,
                    ),
                    "signers",
                ) from None
        found.append((parts[0], parts[1], born, "; ".join(parts[3:])))
    return found


def add_list(
    motion: Motion,
    user: Any,
    count: int,
    signers_text: str = "",
    scan: tuple[str, str, str] | None = None,
) -> SignatureList:
    """A paper list handed in: its count of valid signatures, optionally its signers
    (for the duplicate check) and the name of its stored scan."""
    if motion.state not in (State.COLLECTING, State.FILED, State.RECEIVED):
        raise MotionError(_("Lists can be entered while signatures are collected and checked."))
    if count < 0 or count > 100_000:
        raise MotionError(_("Enter the number of valid signatures on this list."), "count")
    signers = parse_signers(signers_text)
    number = (
        db.session.scalar(
            select(func.coalesce(func.max(SignatureList.number), 0)).where(
                SignatureList.motion_id == motion.id
            )
        )
        or 0
    ) + 1
    entry = SignatureList(
        motion_id=motion.id,
        number=number,
        count=max(count, len(signers)),
        entered_by_id=getattr(user, "id", None),
    )
    if scan is not None:
        entry.scan_name, entry.scan_display_name, entry.scan_kind = scan
    db.session.add(entry)
    db.session.flush()
    for family, first, born, address in signers:
        db.session.add(
            Signature(
                motion_id=motion.id,
                list_id=entry.id,
                family_name=family[:200],
                first_name=first[:200],
                birth_date=born,
                address=address[:500],
            )
        )
    return entry


def signatures(motion: Motion) -> list[Signature]:
    """Personal data: only for clerks (the views check ``is_clerk``)."""
    return list(
        db.session.scalars(
            select(Signature).where(Signature.motion_id == motion.id).order_by(Signature.id)
        )
    )


def _key(signature: Signature) -> tuple[str, str, date | None] | None:
    if signature.purged or not signature.family_name:
        return None
    return (
        rules.normalised_name(signature.family_name),
        rules.normalised_name(signature.first_name),
        signature.birth_date,
    )


def duplicates(motion: Motion) -> list[tuple[Signature, Signature]]:
    """Pairs of an online supporter and a signer on an entered list who look like the
    same person (same names, same date of birth where both have one), for the
    clerks to check. Two entries on paper that match are flagged too."""
    online: dict[tuple[str, str], list[Signature]] = {}
    paper: list[Signature] = []
    for signature in signatures(motion):
        key = _key(signature)
        if key is None:
            continue
        if signature.list_id is None:
            online.setdefault(key[:2], []).append(signature)
        else:
            paper.append(signature)
    pairs = []
    seen: dict[tuple[str, str, date | None], Signature] = {}
    for signer in paper:
        key = _key(signer)
        assert key is not None
        for other in online.get(key[:2], []):
            if (
                other.birth_date is None
                or signer.birth_date is None
                or other.birth_date == signer.birth_date
            ):
                pairs.append((other, signer))
        if key in seen:
            pairs.append((seen[key], signer))
        else:
            seen[key] = signer
    return pairs


def purge_date(motion: Motion) -> date | None:
    """The day the signers' personal data goes: the town's retention period after
    the town decided on admissibility; for a collection that was never filed,
    after the collection's last day."""
    days = timedelta(days=int(settings()["retention_days"]))
    decided = [s.on for s in motion.steps if s.state in (State.ADMISSIBLE, State.INADMISSIBLE)]
    if decided:
        return max(decided) + days
    if motion.state == State.COLLECTING and motion.collect_until is not None:
        return motion.collect_until + days
    return None


def purge_due(today: date | None = None) -> int:
    """Empty the personal data of every motion of the current town whose retention
    period has ended; the counts stay. Returns how many signatures were emptied."""
    today = today or town_today()
    emptied = 0
    stmt = select(Motion).where(
        Motion.path == Path.RESIDENTS, Motion.personal_data_deleted_at.is_(None)
    )
    for motion in db.session.scalars(stmt):
        due = purge_date(motion)
        if due is None or due > today:
            continue
        for signature in signatures(motion):
            if not signature.purged:
                signature.family_name = signature.first_name = signature.address = ""
                signature.birth_date = None
                signature.purged = True
                emptied += 1
        motion.personal_data_deleted_at = utcnow()
    return emptied
