"""Marketplace operations, testable without a request. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from projektfabrik import workercache
from projektfabrik.accounts.models import Role, User
from projektfabrik.accounts.services import anonymise, deletion_plan, normalise_skills
from projektfabrik.audit import services as audit
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.images import delete_image, save_image
from projektfabrik.marketplace.models import Comment, ProjectUpdate, Report, ReportStatus, Support
from projektfabrik.notifications.mentions import notify_mentions
from projektfabrik.notifications.services import notify
from projektfabrik.plugins.events import emit
from projektfabrik.projects import access, search
from projektfabrik.projects import services as projects
from projektfabrik.projects.events import (
    ProjectAdopted,
    ProjectCreated,
    ProjectEdited,
    ProjectSupported,
)
from projektfabrik.projects.models import (
    Follow,
    Membership,
    Project,
    Status,
    StatusChange,
    TeamRole,
)
from projektfabrik.refusal import Refusal
from projektfabrik.tenancy.districts import district_named
from projektfabrik.throttle import Throttle

IMAGE_AREA = "projects"
IMAGE_SIZE = (960, 540)
COMMENT_EDIT_WINDOW = timedelta(minutes=15)


class MarketplaceError(Refusal):
    """The marketplace refused input; see ``projektfabrik.refusal``."""


@dataclass(frozen=True)
class ProjectInput:
    title: str
    pitch: str
    description_md: str = ""
    category: str = ""  # names, as the forms and URLs carry them
    district: str = ""
    wanted_skills: str = ""
    looking_for_members: bool = True
    image_alt: str = ""  # what the picture shows, for people who cannot see it


# --- lookups -----------------------------------------------------------------


# --- projects ------------------------------------------------------------------


def _apply(project: Project, data: ProjectInput) -> None:
    # Looked up through the wall: another town's category or district is not found.
    category = projects.category_named(data.category)
    if data.category and category is None:
        raise MarketplaceError(_("Please choose a category from the list."), "category")
    district = district_named(data.district)
    if data.district and district is None:
        raise MarketplaceError(_("Please choose a district from the list."), "district")
    project.title = data.title.strip()
    project.pitch = " ".join(data.pitch.split())
    project.description_md = data.description_md.strip()
    project.category_id = category.id if category else None
    project.district_id = district.id if district else None
    project.wanted_skills = normalise_skills(data.wanted_skills)
    project.looking_for_members = data.looking_for_members
    project.image_alt = " ".join(data.image_alt.split())
    project.search_text, project.search_words = search.index_text(
        project.title, project.pitch, project.description_md, project.wanted_skills
    )


def _next_number() -> int:
    return (db.session.scalar(select(func.max(Project.number))) or 0) + 1


def publish_idea(
    author: User, data: ProjectInput, lead: bool = True, image: IO[bytes] | None = None
) -> Project:
    """Publish an idea. ``lead``: the author leads it; otherwise it waits to be adopted."""
    project = Project(created_by_id=author.id, status=Status.IDEA)
    _apply(project, data)
    if image is not None:
        project.image_file = save_image(image, IMAGE_AREA, IMAGE_SIZE)
    for attempt in range(5):
        project.number = _next_number()
        savepoint = db.session.begin_nested()
        try:
            db.session.add(project)
            db.session.flush()
        except IntegrityError:
            # Someone took the number at the same moment; take the next one.
            savepoint.rollback()
            if attempt == 4:
                raise
        else:
            savepoint.commit()
            break
    db.session.add(
        StatusChange(project_id=project.id, to_status=Status.IDEA, changed_by_id=author.id)
    )
    db.session.add(Follow(project_id=project.id, user_id=author.id))
    if lead:
        db.session.add(Membership(project_id=project.id, user_id=author.id, role=TeamRole.OWNER))
    emit(ProjectCreated.of(project, author, lead))
    return project


def update_project(
    project: Project, data: ProjectInput, image: IO[bytes] | None = None, remove_image: bool = False
) -> None:
    _apply(project, data)
    if remove_image or image is not None:
        delete_image(IMAGE_AREA, project.image_file)
        project.image_file = None
    if image is not None:
        project.image_file = save_image(image, IMAGE_AREA, IMAGE_SIZE)
    projects.touch(project)
    emit(ProjectEdited.of(project))


def adopt(project: Project, user: User) -> None:
    """Someone takes the lead of an idea that has no team yet."""
    if access.has_owner(project):
        raise MarketplaceError(_("This project already has a team."))
    existing = access.membership(project, user)
    if existing is not None:
        existing.role = TeamRole.OWNER
    else:
        db.session.add(Membership(project_id=project.id, user_id=user.id, role=TeamRole.OWNER))
    if project.status == Status.IDEA:
        projects.change_status(project, Status.TEAM_FORMING, user)
    projects.follow(project, user)
    projects.touch(project)
    db.session.flush()
    emit(ProjectAdopted.of(project, user))
    notify(
        projects.followers(project),
        "project_adopted",
        lambda: _(
            "%(name)s now leads the project “%(title)s”.",
            name=user.display_name,
            title=project.title,
        ),
        f"/projekte/{project.number}",
        exclude=user,
    )


# --- support and follow --------------------------------------------------------


@dataclass(frozen=True)
class Marks:
    """What the person looking has done about a project: supports it, follows it."""

    supported: bool = False
    following: bool = False


def marks(project: Project, user: User | None) -> Marks:
    """Both marks in one statement, kept per project version and person: pressing
    either button raises the project's version (workercache, tenancy/versioning.py)."""
    if user is None or not user.is_authenticated:
        return Marks()

    def build() -> Marks:
        row = db.session.execute(
            select(
                exists().where(Support.project_id == project.id, Support.user_id == user.id),
                exists().where(Follow.project_id == project.id, Follow.user_id == user.id),
            )
        ).one()
        return Marks(bool(row[0]), bool(row[1]))

    return workercache.town_result("marketplace.marks", user.id, build=build, scope=project)


def toggle_support(project: Project, user: User) -> bool:
    """Support, or take the support back; return whether the person supports it now."""
    row = db.session.scalar(
        select(Support).where(Support.project_id == project.id, Support.user_id == user.id)
    )
    if row is None:
        db.session.add(Support(project_id=project.id, user_id=user.id))
        delta = 1
    else:
        db.session.delete(row)
        delta = -1
    db.session.flush()
    # Counted in the database, so two people supporting at once both count.
    db.session.execute(
        update(Project)
        .where(Project.id == project.id)
        .values(support_count=Project.support_count + delta)
        .execution_options(projektfabrik_project_ids=[project.id])
    )
    db.session.refresh(project)
    emit(ProjectSupported.of(project, user, delta > 0))
    return delta > 0


# --- updates and comments -------------------------------------------------------


def post_update(project: Project, author: User, body_md: str) -> ProjectUpdate:
    if not body_md.strip():
        raise MarketplaceError(_("Please write something."), "body")
    item = ProjectUpdate(project_id=project.id, author_id=author.id, body_md=body_md.strip())
    db.session.add(item)
    projects.touch(project)
    db.session.flush()
    notify(
        projects.followers(project),
        "project_update",
        lambda: _("News from “%(title)s”", title=project.title),
        f"/projekte/{project.number}#neuigkeit-{item.ref}",
        exclude=author,
    )
    return item


def find_update(project: Project, ref: str) -> ProjectUpdate | None:
    return db.session.scalar(
        select(ProjectUpdate).where(
            ProjectUpdate.project_id == project.id, ProjectUpdate.ref == ref
        )
    )


def updates(project: Project) -> list[ProjectUpdate]:
    return list(
        db.session.scalars(
            select(ProjectUpdate)
            .where(ProjectUpdate.project_id == project.id)
            .options(selectinload(ProjectUpdate.author))
            .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())
        )
    )


def add_comment(project: Project, author: User, body: str, parent_id: int | None = None) -> Comment:
    body = body.strip()
    if not body:
        raise MarketplaceError(_("Please write a comment."), "body")
    parent = None
    if parent_id is not None:
        parent = db.session.scalar(
            select(Comment).where(Comment.id == parent_id, Comment.project_id == project.id)
        )
        if parent is None:
            raise MarketplaceError(_("The comment you answer to does not exist."))
        if parent.parent_id is not None:  # one level of replies keeps threads readable
            parent = db.session.get(Comment, parent.parent_id)
    comment = Comment(
        project_id=project.id,
        author_id=author.id,
        body=body,
        parent_id=parent.id if parent else None,
    )
    db.session.add(comment)
    projects.touch(project)
    db.session.flush()
    recipients = projects.followers(project)
    if parent is not None and parent.author is not None:
        recipients.append(parent.author)
    # "@Name" of someone in the team or the discussion: a mention instead.
    mentioned = {
        u.id
        for u in notify_mentions(
            body,
            [m.user for m in project.memberships] + _commenters(project),
            author,
            lambda: _(
                "%(name)s mentioned you in the discussion of “%(title)s”",
                name=author.display_name,
                title=project.title,
            ),
            f"/projekte/{project.number}#kommentar-{comment.ref}",
        )
    }
    recipients = [u for u in recipients if u.id not in mentioned]
    notify(
        recipients,
        "comment",
        lambda: _(
            "%(name)s commented on “%(title)s”", name=author.display_name, title=project.title
        ),
        f"/projekte/{project.number}#kommentar-{comment.ref}",
        exclude=author,
    )
    projects.follow(project, author)
    return comment


def _commenters(project: Project) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(
                User.id.in_(select(Comment.author_id).where(Comment.project_id == project.id))
            )
        )
    )


def comments(project: Project) -> list[tuple[Comment, list[Comment]]]:
    """Top-level comments, oldest first, each with its replies (with their authors:
    kept by the worker until the project or the town's shared rows change,
    workercache.town_objects)."""
    rows: list[Comment] = workercache.town_objects(
        "project-comments",
        load=lambda: list(
            db.session.scalars(
                select(Comment)
                .where(Comment.project_id == project.id)
                .options(selectinload(Comment.author))
                .order_by(Comment.created_at, Comment.id)
            )
        ),
        scope=project,
    )
    replies: dict[int, list[Comment]] = {}
    for row in rows:
        if row.parent_id is not None:
            replies.setdefault(row.parent_id, []).append(row)
    return [(row, replies.get(row.id, [])) for row in rows if row.parent_id is None]


def can_edit_comment(comment: Comment, user: User | None) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and comment.author_id == user.id
        and not comment.is_hidden
        and utcnow() - comment.created_at <= COMMENT_EDIT_WINDOW
    )


def edit_comment(comment: Comment, user: User, body: str) -> None:
    if not can_edit_comment(comment, user):
        raise MarketplaceError(_("Comments can be changed for 15 minutes after writing them."))
    if not body.strip():
        raise MarketplaceError(_("Please write a comment."), "body")
    comment.body = body.strip()
    comment.edited_at = utcnow()


# --- moderation ---------------------------------------------------------------

#: Reports one person may send (each comment once; this bounds the moderators' mail).
REPORTS_PER_PERSON = Throttle("report-person", "10 per hour")


def report_comment(comment: Comment, reporter: User, reason: str) -> Report:
    return _report(comment, reporter, reason)


def report_update(item: ProjectUpdate, reporter: User, reason: str) -> Report:
    """Someone asks the moderators to look at a project's news."""
    return _report(item, reporter, reason)


def _same_item(item: Comment | ProjectUpdate) -> ColumnElement[bool]:
    if isinstance(item, Comment):
        return Report.comment_id == item.id
    return Report.update_id == item.id


def _report(item: Comment | ProjectUpdate, reporter: User, reason: str) -> Report:
    reason = reason.strip()
    if not reason:
        raise MarketplaceError(_("Please tell the moderators what is wrong."), "reason")
    already = db.session.scalar(
        select(Report).where(_same_item(item), Report.reporter_id == reporter.id)
    )
    if already is not None:
        if isinstance(item, Comment):
            message = _("You have already reported this comment. The moderators will look at it.")
        else:
            message = _("You have already reported this news. The moderators will look at it.")
        raise MarketplaceError(message)
    if not REPORTS_PER_PERSON.hit(reporter.ref):
        raise MarketplaceError(
            _("You have reported many comments in the last hour. Please try again later.")
        )
    # Moderators hear of an item once: later reports join the open one in the queue.
    first = (
        db.session.scalar(
            select(Report.id).where(_same_item(item), Report.status == ReportStatus.OPEN)
        )
        is None
    )
    report = Report(reporter_id=reporter.id, reason=reason)
    if isinstance(item, Comment):
        report.comment_id = item.id
    else:
        report.update_id = item.id
    db.session.add(report)
    db.session.flush()
    if not first:
        return report
    moderators = db.session.scalars(
        select(User).where(User.role.in_([Role.MODERATOR, Role.ADMIN]), User.deleted_at.is_(None))
    )
    if isinstance(item, Comment):
        notify(
            moderators,
            "report",
            lambda: _("A comment was reported: %(reason)s", reason=reason[:200]),
            "/moderation",
            exclude=reporter,
        )
    else:
        notify(
            moderators,
            "report",
            lambda: _("News of a project was reported: %(reason)s", reason=reason[:200]),
            "/moderation",
            exclude=reporter,
        )
    return report


def open_reports() -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.status == ReportStatus.OPEN)
            .options(selectinload(Report.comment), selectinload(Report.update))
            .order_by(Report.created_at, Report.id)
        )
    )


def get_report(report_id: int) -> Report | None:
    return db.session.scalar(select(Report).where(Report.id == report_id))


def hide_comment(report: Report, moderator: User, reason: str) -> None:
    """Hide what was reported (a comment or news; the name is older than news
    reports), tell its author why, and tell every reporter."""
    reason = reason.strip()
    if not reason:
        raise MarketplaceError(_("Please give the reason; the author will read it."), "reason")
    item = report.item
    item.hidden_at = utcnow()
    item.hidden_reason = reason
    _decide_all(item, moderator, ReportStatus.HIDDEN)
    project = db.session.get(Project, item.project_id)
    if item.author is None or project is None:
        return
    title = project.title
    if isinstance(item, Comment):
        notify(
            [item.author],
            "comment_hidden",
            lambda: _(
                "Your comment on “%(title)s” was hidden by the moderators. Reason: %(reason)s",
                title=title,
                reason=reason,
            ),
            f"/projekte/{project.number}#kommentar-{item.ref}",
        )
    else:
        notify(
            [item.author],
            "comment_hidden",
            lambda: _(
                "Your news on “%(title)s” was hidden by the moderators. Reason: %(reason)s",
                title=title,
                reason=reason,
            ),
            f"/projekte/{project.number}#neuigkeit-{item.ref}",
        )


def dismiss_report(report: Report, moderator: User) -> None:
    _decide_all(report.item, moderator, ReportStatus.DISMISSED)


def _decide_all(item: Comment | ProjectUpdate, moderator: User, status: ReportStatus) -> None:
    """Close every open report on the item with the same decision, and tell
    each person who reported it what the moderators decided."""
    reporters = []
    for report in db.session.scalars(
        select(Report).where(_same_item(item), Report.status == ReportStatus.OPEN)
    ):
        report.status = status
        report.decided_at = utcnow()
        report.decided_by_id = moderator.id
        if report.reporter is not None:
            reporters.append(report.reporter)
    project = db.session.get(Project, item.project_id)
    if not reporters or project is None:
        return
    title = project.title
    comment = isinstance(item, Comment)
    anchor = f"#kommentar-{item.ref}" if comment else f"#neuigkeit-{item.ref}"
    if status == ReportStatus.HIDDEN:
        notify(
            reporters,
            "report_outcome",
            (lambda: _("Thank you: the comment you reported on “%(title)s” is hidden now.",
                       title=title))
            if comment
            else (lambda: _("Thank you: the news you reported on “%(title)s” is hidden now.",
                            title=title)),
            f"/projekte/{project.number}",
        )  # fmt: skip
    else:
        notify(
            reporters,
            "report_outcome",
            (lambda: _(
                "The moderators looked at the comment you reported on “%(title)s” and "
                "left it visible: it breaks none of the site's rules.",
                title=title,
            ))
            if comment
            else (lambda: _(
                "The moderators looked at the news you reported on “%(title)s” and "
                "left it visible: it breaks none of the site's rules.",
                title=title,
            )),
            f"/projekte/{project.number}{anchor}",
        )  # fmt: skip


# --- moderation beyond one report: restoring, a person's comments, spam ------------------


def recently_hidden(limit: int = 20) -> list[Comment]:
    """Comments the moderators hid, newest first: any of them can be restored."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.hidden_at.is_not(None))
            .options(selectinload(Comment.author))
            .order_by(Comment.hidden_at.desc(), Comment.id.desc())
            .limit(limit)
        )
    )


def find_comment(ref: str) -> Comment | None:
    return db.session.scalar(select(Comment).where(Comment.ref == ref))


def restore_comment(comment: Comment, moderator: User) -> None:
    """Show a hidden comment again and tell its author."""
    if comment.hidden_at is None:
        return
    comment.hidden_at = None
    comment.hidden_reason = ""
    audit.record("comment.restored", actor=moderator, subject=comment.author, target=comment.ref)
    project = db.session.get(Project, comment.project_id)
    if comment.author is not None and project is not None:
        title = project.title
        notify(
            [comment.author],
            "comment_hidden",
            lambda: _("Your comment on “%(title)s” is visible again.", title=title),
            f"/projekte/{project.number}#kommentar-{comment.ref}",
        )


def hide_comments_of(person: User, moderator: User, reason: str) -> int:
    """Hide every visible comment of ``person`` (an account that posts spam or abuse);
    their open reports are closed as decided. Return how many were hidden."""
    reason = reason.strip()
    if not reason:
        raise MarketplaceError(_("Please give the reason; the author will read it."), "reason")
    comments = list(
        db.session.scalars(
            select(Comment).where(Comment.author_id == person.id, Comment.hidden_at.is_(None))
        )
    )
    now = utcnow()
    for comment in comments:
        comment.hidden_at = now
        comment.hidden_reason = reason
        _decide_all(comment, moderator, ReportStatus.HIDDEN)
    if comments:
        audit.record(
            "comments.hidden_all",
            actor=moderator,
            subject=person,
            detail={"count": len(comments)},
        )
    return len(comments)


def delete_spam_account(person: User, admin: User) -> int:
    """Delete a spam account with its comments: the account is anonymised (as when
    its owner deletes it) and every comment it wrote is deleted. Return how many."""
    if person.id == admin.id:
        raise MarketplaceError(_("You cannot delete your own account here."))
    if person.role == Role.ADMIN:
        raise MarketplaceError(
            _("Admins cannot be deleted as spam. Make %(name)s a member first.",
              name=person.display_name)
        )  # fmt: skip
    comments = list(db.session.scalars(select(Comment).where(Comment.author_id == person.id)))
    answered = set(
        db.session.scalars(
            select(Comment.parent_id).where(
                Comment.parent_id.in_([c.id for c in comments]),
                Comment.author_id.is_distinct_from(person.id),
            )
        )
    )
    now = utcnow()
    for comment in comments:
        if comment.id in answered:
            # Others replied: deleting would take their replies along; hide it instead.
            comment.hidden_at = comment.hidden_at or now
            comment.hidden_reason = comment.hidden_reason or _("Deleted as spam.")
            _decide_all(comment, admin, ReportStatus.HIDDEN)
        else:
            db.session.delete(comment)
    audit.record(
        "account.deleted_as_spam",
        actor=admin,
        subject=person,
        detail={"comments": len(comments), "name": person.display_name},
    )
    # What the modules delete with an account (funding: the drafts) goes too; what
    # would block a person's own deletion (a project they lead alone) does not
    # stop the admin: the project stays, without its lead.
    deletion_plan(person).run()
    anonymise(person)
    return len(comments)
