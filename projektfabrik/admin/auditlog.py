"""The audit log's entries as sentences for the admin's page."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from projektfabrik.audit.models import AuditEntry


def _role(value: object) -> str:
    return {
        "member": _("Member"),
        "moderator": _("Moderator"),
        "admin": _("Admin"),
    }.get(str(value), str(value))


def _legal(value: str) -> str:
    return {
        "impressum": _("Legal notice"),
        "privacy": _("Privacy notice"),
        "accessibility": _("Accessibility statement"),
    }.get(value, value)


def describe(entry: AuditEntry) -> str:
    """One sentence; an action this page does not know (a plugin's) shows its key."""
    who = entry.subject.display_name if entry.subject is not None else _("a deleted account")
    detail = entry.detail or {}
    match entry.action:
        case "role.changed":
            return _(
                "Role of %(name)s changed from %(before)s to %(after)s",
                name=who,
                before=_role(detail.get("from")),
                after=_role(detail.get("to")),
            )
        case "account.blocked":
            return _("%(name)s blocked", name=who)
        case "account.unblocked":
            return _("%(name)s unblocked", name=who)
        case "region.joined":
            return _("The town joined the region %(region)s", region=str(detail.get("region", "")))
        case "region.left":
            return _("The town left the region %(region)s", region=str(detail.get("region", "")))
        case "region.settings":
            return _("Region settings changed")
        case "region.project":
            return _(
                "Whether project %(number)s is shown in the region changed", number=entry.target
            )
        case "region.linked":
            return _(
                "%(name)s linked their account with %(town)s",
                name=who,
                town=str(detail.get("town", "")),
            )
        case "region.unlinked":
            return _(
                "The link of %(name)s with %(town)s ended",
                name=who,
                town=str(detail.get("town", "")),
            )
        case "appearance.saved":
            return _("Appearance and contact changed")
        case "logo.uploaded":
            return _("New logo uploaded")
        case "logo.removed":
            return _("Logo removed")
        case "legal.saved":
            return _("%(page)s saved", page=_legal(entry.target))
        case "staff.confirmed":
            return _("%(name)s confirmed as staff", name=who)
        case "organisation.confirmed":
            return _(
                "%(name)s confirmed as %(organisation)s",
                name=who,
                organisation=str(detail.get("organisation", "")),
            )
        case "organisation.revoked":
            return _("Confirmation of %(name)s taken back", name=who)
        case "comment.restored":
            return _("A comment of %(name)s restored", name=who)
        case "comments.hidden_all":
            return ngettext(
                "%(num)d comment of %(name)s hidden",
                "%(num)d comments of %(name)s hidden",
                int(detail.get("count", 0)),
                name=who,
            )
        case "account.deleted_as_spam":
            return _("Account of %(name)s deleted as spam", name=str(detail.get("name", who)))
        case "module.switched":
            if detail.get("on"):
                return _("Module %(name)s switched on", name=entry.target)
            return _("Module %(name)s switched off", name=entry.target)
        case "module.settings_saved":
            return _("Settings of module %(name)s saved", name=entry.target)
        case "staff.revoked":
            return _("%(name)s no longer staff", name=who)
    subject = f" ({who})" if entry.subject_id is not None or entry.subject is not None else ""
    return f"{entry.action}{subject}"
