"""The kinds of notification people can choose about, and their defaults.

A kind that is not listed here (a plugin's, say) is mailed immediately and
cannot be chosen on the settings page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from projektfabrik.notifications.models import Delivery


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    default: Delivery
    #: Only people with this town role see the choice ("moderator"), else everyone.
    audience: str = ""


KINDS: tuple[NotificationKind, ...] = (
    NotificationKind(
        "join_request", _l("Someone asks to join a team I lead"), Delivery.IMMEDIATELY
    ),
    NotificationKind(
        "join_decision", _l("The decision on my request to join a team"), Delivery.IMMEDIATELY
    ),
    NotificationKind("team_invitation", _l("A team invites me to join"), Delivery.IMMEDIATELY),
    NotificationKind(
        "team_change",
        _l("People join or leave my teams, ownership changes"),
        Delivery.IMMEDIATELY,
    ),
    NotificationKind("team_mail", _l("Team mail to all members of my teams"), Delivery.IMMEDIATELY),
    NotificationKind("team_post", _l("New posts on my teams' boards"), Delivery.DAILY),
    NotificationKind(
        "team_meeting", _l("Meetings of my teams: new, changed, cancelled"), Delivery.IMMEDIATELY
    ),
    NotificationKind("mention", _l("Someone mentions me with @"), Delivery.IMMEDIATELY),
    NotificationKind(
        "status_change", _l("The status of a project I follow changes"), Delivery.IMMEDIATELY
    ),
    NotificationKind(
        "comment", _l("Comments on projects I follow, replies to me"), Delivery.IMMEDIATELY
    ),
    NotificationKind("project_update", _l("News from projects I follow"), Delivery.IMMEDIATELY),
    NotificationKind(
        "project_adopted", _l("Someone takes the lead of an idea I follow"), Delivery.IMMEDIATELY
    ),
    NotificationKind(
        "comment_hidden", _l("The moderators hide a comment of mine"), Delivery.IMMEDIATELY
    ),
    NotificationKind(
        "report", _l("A comment is reported (moderators)"), Delivery.IMMEDIATELY, "moderator"
    ),
)

BY_KEY = {kind.key: kind for kind in KINDS}
#: The unsubscribe link of a digest: every kind the person gets daily.
DIGEST = "digest"


def default_for(key: str) -> Delivery:
    kind = BY_KEY.get(key)
    return kind.default if kind is not None else Delivery.IMMEDIATELY


def label_for(key: str) -> str:
    kind = BY_KEY.get(key)
    return str(kind.label) if kind is not None else key


def kinds_for(user: object) -> list[NotificationKind]:
    """The kinds a person can choose about on the settings page."""
    is_moderator = bool(getattr(user, "is_moderator", False))
    return [k for k in KINDS if k.audience != "moderator" or is_moderator]
