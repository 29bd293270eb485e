"""The jury: handing an application over, jurors' ratings and their weighted scores. Callers commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from projektfabrik.api import (
    User,
    _,
    db,
    utcnow,
)
from projektfabrik_funding.access import ADMIN, rating_of
from projektfabrik_funding.errors import FundingError
from projektfabrik_funding.models import (
    Application,
    Rating,
    State,
)
from projektfabrik_funding.pots import jurors
from projektfabrik_funding.workflow import transition


def start_rating(application: Application, by: User) -> None:
    """Hand the application to the jury: assign the jurors with the fewest open ratings."""
    pot = application.pot
    pool = jurors(pot)
    if len(pool) < pot.jurors_per_application:
        raise FundingError(
            _(
                "This pot needs %(n)d jurors per application; assign them on the pot's page first.",
                n=pot.jurors_per_application,
            )
        )
    load = dict(
        db.session.execute(
            select(Rating.juror_id, func.count())
            .where(Rating.submitted_at.is_(None))
            .group_by(Rating.juror_id)
        ).all()
    )
    chosen = sorted(pool, key=lambda j: (load.get(j.user_id, 0), j.id))[
        : pot.jurors_per_application
    ]
    transition(application, State.RATING, by, ADMIN)
    for juror in chosen:
        db.session.add(Rating(application_id=application.id, juror_id=juror.user_id, scores={}))
    db.session.flush()


def ratings(application: Application) -> list[Rating]:
    return list(
        db.session.scalars(
            select(Rating).where(Rating.application_id == application.id).order_by(Rating.id)
        )
    )


def rate(application: Application, juror: User, scores: dict[str, int], comment: str) -> None:
    rating = rating_of(application, juror)
    if rating is None:
        raise FundingError(_("You are not a juror of this application."))
    if application.state != State.RATING:
        raise FundingError(_("The rating of this application has ended."))
    if rating.submitted_at is not None:
        raise FundingError(_("You have rated this application already."))
    ends = application.pot.rating_ends_on
    if ends is not None and date.today() > ends:
        raise FundingError(_("The rating period of this pot has ended."))
    names = [c["name"] for c in application.pot.jury_criteria]
    if sorted(scores) != sorted(names) or any(not 0 <= s <= 10 for s in scores.values()):
        raise FundingError(_("Please give every criterion a score from 0 to 10."))
    rating.scores = dict(scores)
    rating.comment = comment.strip()
    rating.submitted_at = utcnow()
    db.session.flush()


def weighted_score(application: Application, rating: Rating) -> float | None:
    criteria = application.pot.jury_criteria
    weights = sum(int(c.get("weight") or 1) for c in criteria)
    if rating.submitted_at is None or not weights:
        return None
    total = sum(int(c.get("weight") or 1) * rating.scores.get(c["name"], 0) for c in criteria)
    return round(total / weights, 2)


def juror_applications(user: Any) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .join(Rating, Rating.application_id == Application.id)
            .where(Rating.juror_id == user.id)
            .order_by(Application.submitted_at)
        )
    )
