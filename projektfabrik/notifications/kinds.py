"""The kinds of notification people can choose about, and their defaults.

The core's kinds are listed here; plugins declare theirs with
``pf_notification_kinds`` (keys ``"<plugin>.<name>"``), asked only of the
plugins the current town has switched on. So a switched-off plugin's kind is
neither offered on the settings page nor sent (see
:func:`projektfabrik.notifications.services.notify`), and its waiting daily
notifications are dropped from the digest. A core kind that is not listed is
mailed immediately and cannot be chosen.
"""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l

from projektfabrik.notifications.models import Delivery
from projektfabrik.plugins.types import NotificationKind
from projektfabrik.tenancy.context import current_tenant_id_or_none

log = logging.getLogger(__name__)

#: Room for a kind's key in ``notification.kind`` and ``notification_preference.kind``.
KEY_LENGTH = 40
AUDIENCES = ("", "moderator", "admin")


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
    NotificationKind("account_role", _l("My role on the site changes"), Delivery.IMMEDIATELY),
    NotificationKind(
        "report_outcome", _l("What the moderators decided on my report"), Delivery.IMMEDIATELY
    ),
)

BY_KEY = {kind.key: kind for kind in KINDS}
#: The unsubscribe link of a digest: every kind the person gets daily.
DIGEST = "digest"


def is_plugin_kind(key: str) -> bool:
    """A plugin's kinds are named ``"<plugin>.<name>"``; the core's have no dot."""
    return "." in key


def _valid(plugin: str, kind: NotificationKind, seen: set[str]) -> bool:
    problem = ""
    if not kind.key.startswith(f"{plugin}.") or kind.key == f"{plugin}.":
        problem = "its key does not start with the plugin's name and a dot"
    elif len(kind.key) > KEY_LENGTH:
        problem = f"its key is longer than {KEY_LENGTH} characters"
    elif kind.key in seen:
        problem = "its key is declared twice"
    elif kind.default not in {d.value for d in Delivery}:
        problem = "its default is not immediately, daily or off"
    elif kind.audience not in AUDIENCES:
        problem = "its audience is not '', 'moderator' or 'admin'"
    if problem:
        log.error("plugin %s: notification kind %r skipped: %s", plugin, kind.key, problem)
    return not problem


def plugin_kinds() -> list[NotificationKind]:
    """The kinds of the plugins the current town has switched on (none without a town)."""
    if current_tenant_id_or_none() is None:
        return []
    from projektfabrik.plugins.manager import get_manager
    from projektfabrik.plugins.state import enabled_plugins

    seen: set[str] = set(BY_KEY)
    found = []
    for plugin, kind in get_manager().collect(
        "pf_notification_kinds", NotificationKind, enabled_plugins()
    ):
        if _valid(plugin, kind, seen):
            seen.add(kind.key)
            found.append(kind)
    return found


def find(key: str) -> NotificationKind | None:
    """The kind with this key: the core's, or an enabled plugin's of the current town."""
    if not is_plugin_kind(key):
        return BY_KEY.get(key)
    return next((k for k in plugin_kinds() if k.key == key), None)


def default_for(key: str) -> Delivery:
    kind = find(key)
    return Delivery(kind.default) if kind is not None else Delivery.IMMEDIATELY


def label_for(key: str) -> str:
    kind = find(key)
    return str(kind.label) if kind is not None else key


def _sees(user: object, audience: str) -> bool:
    if audience == "admin":
        return bool(getattr(user, "is_admin", False))
    if audience == "moderator":
        return bool(getattr(user, "is_moderator", False))
    return True


def kinds_for(user: object) -> list[NotificationKind]:
    """The kinds a person can choose about on the settings page: the core's, then
    the current town's enabled plugins'."""
    return [k for k in (*KINDS, *plugin_kinds()) if _sees(user, k.audience)]
