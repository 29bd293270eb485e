"""The team space's shared things: the board, team mail and shared files. Callers commit.

Every member may post, mail the team and share files; the author or an owner
may delete what was shared, and the author may edit a post for a day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.notifications.mentions import notify_mentions
from projektfabrik.notifications.services import notify
from projektfabrik.projects import access as project_access
from projektfabrik.projects import services as projects
from projektfabrik.projects.models import Project, new_reply_key
from projektfabrik.teams import files
from projektfabrik.teams.models import (
    PostSource,
    TeamFile,
    TeamPost,
)
from projektfabrik.teams.services import TeamError, board_path
from projektfabrik.teams.tokens import (
    reply_address,
)

POSTS_PER_PAGE = 30
#: How long the author may change a board post (like the marketplace's comment window,
#: but longer: the team knows each other, and a fixed date or a typo matters for a day).
POST_EDIT_WINDOW = timedelta(hours=24)
#: Posts that went out by mail, or came in by mail: the mailed text cannot be changed.
MAILED = frozenset({PostSource.TEAM_MAIL, PostSource.MAIL_REPLY})


# --- the board --------------------------------------------------------------------


def post(
    project: Project,
    author: User,
    body: str,
    subject: str = "",
    source: PostSource = PostSource.BOARD,
) -> TeamPost:
    """A post on the board; members hear of it, people it mentions get a mention."""
    body = body.strip()
    if not body:
        raise TeamError(_("Please write something."), "body")
    if project_access.membership(project, author) is None:
        raise TeamError(_("Only members of the team can post here."))
    item = TeamPost(
        project_id=project.id,
        author_id=author.id,
        body=body,
        subject=" ".join(subject.split())[:200],
        source=source,
    )
    db.session.add(item)
    projects.touch(project)
    db.session.flush()
    link = board_path(project, f"#beitrag-{item.ref}")
    members = project_access.team(project)
    if source == PostSource.TEAM_MAIL:
        return item
    mentioned = notify_mentions(
        body,
        members,
        author,
        lambda: _(
            "%(name)s mentioned you on the board of “%(title)s”.",
            name=author.display_name,
            title=project.title,
        ),
        link,
    )
    told = {u.id for u in mentioned}
    notify(
        [u for u in members if u.id not in told],
        "team_post",
        lambda: _(
            "%(name)s wrote on the board of “%(title)s”.",
            name=author.display_name,
            title=project.title,
        ),
        link,
        exclude=author,
        details=lambda: body[:4000],
        reply_to=reply_addresses(project),
    )
    return item


def reply_addresses(project: Project) -> Callable[[User], str | None]:
    """Each member's own reply address for the project's team mail (none for others)."""
    keys = {m.user_id: m.reply_key for m in project_access.memberships(project)}

    def address(user: User) -> str | None:
        key = keys.get(user.id)
        return reply_address(project.number, key) if key else None

    return address


def rotate_reply_address(project: Project, user: User) -> None:
    """Give the member a new reply address; mail to the old one is refused from now on."""
    member = project_access.membership(project, user)
    if member is None:
        raise TeamError(_("You are not a member of this team."))
    member.reply_key = new_reply_key()
    db.session.flush()


def send_team_mail(project: Project, author: User, subject: str, body: str) -> TeamPost:
    """Write to every member by mail (no one sees an address); it is on the board too.

    Each member gets their own mail from the town's sender, with a Reply-To
    that brings replies back to the board (``projektfabrik mail receive``).
    """
    subject = " ".join(subject.split())
    if not subject:
        raise TeamError(_("Please give the mail a subject."), "subject")
    item = post(project, author, body, subject=subject, source=PostSource.TEAM_MAIL)
    text = item.body
    notify(
        project_access.team(project),
        "team_mail",
        lambda: _(
            "[%(title)s] %(subject)s (team mail from %(name)s)",
            title=project.title,
            subject=subject,
            name=author.display_name,
        ),
        board_path(project, f"#beitrag-{item.ref}"),
        exclude=author,
        details=lambda: (
            text
            + "\n\n"
            + _("Reply to this mail to answer on the team's board (your address stays hidden).")
        ),
        reply_to=reply_addresses(project),
    )
    return item


def posts(project: Project, page: int = 1) -> tuple[list[TeamPost], bool]:
    """A page of posts, newest first, and whether older ones exist."""
    page = max(page, 1)
    rows = list(
        db.session.scalars(
            select(TeamPost)
            .where(TeamPost.project_id == project.id)
            .options(selectinload(TeamPost.author))
            .order_by(TeamPost.created_at.desc(), TeamPost.id.desc())
            .limit(POSTS_PER_PAGE + 1)
            .offset((page - 1) * POSTS_PER_PAGE)
        )
    )
    return rows[:POSTS_PER_PAGE], len(rows) > POSTS_PER_PAGE


def post_by_ref(project: Project, ref: str) -> TeamPost | None:
    return db.session.scalar(
        select(TeamPost).where(TeamPost.project_id == project.id, TeamPost.ref == ref)
    )


def delete_post(project: Project, item: TeamPost, user: User) -> None:
    if not project_access.may_change(project_access.membership(project, user), item.author_id):
        raise TeamError(_("Only the author or an owner can delete a post."))
    db.session.delete(item)


def is_own_post(item: TeamPost, user: User | None) -> bool:
    return user is not None and user.is_authenticated and item.author_id == user.id


def can_edit_post(item: TeamPost, user: User | None) -> bool:
    """Only the author, within the window, and only what was never sent by mail."""
    return (
        is_own_post(item, user)
        and item.source not in MAILED
        and utcnow() - item.created_at <= POST_EDIT_WINDOW
    )


def edit_post(project: Project, item: TeamPost, user: User, body: str) -> None:
    """Change the text of one's own post; nobody is notified (they were told of the post)."""
    if project_access.membership(project, user) is None or not is_own_post(item, user):
        raise TeamError(_("Only the author can change a post."))
    if item.source in MAILED:
        raise TeamError(_("This post was sent by mail and cannot be changed any more."), "body")
    if not can_edit_post(item, user):
        raise TeamError(_("Posts can be changed for 24 hours after writing them."), "body")
    body = body.strip()
    if not body:
        raise TeamError(_("Please write something."), "body")
    if body != item.body:
        item.body = body
        item.edited_at = utcnow()


# --- shared files -----------------------------------------------------------------


def team_files(project: Project) -> list[TeamFile]:
    return list(
        db.session.scalars(
            select(TeamFile)
            .where(TeamFile.project_id == project.id)
            .options(selectinload(TeamFile.uploaded_by))
            .order_by(TeamFile.created_at.desc(), TeamFile.id.desc())
        )
    )


def file_by_ref(project: Project, ref: str) -> TeamFile | None:
    return db.session.scalar(
        select(TeamFile).where(TeamFile.project_id == project.id, TeamFile.ref == ref)
    )


def add_file(project: Project, user: User, stream: IO[bytes], original_name: str) -> TeamFile:
    """Check and store an upload for the team (``UploadRefused`` if refused)."""
    if project_access.membership(project, user) is None:
        raise TeamError(_("Only members of the team can share files."))
    stored = files.store(stream, original_name)
    item = TeamFile(
        project_id=project.id,
        uploaded_by_id=user.id,
        filename=stored.filename,
        stored_name=stored.stored_name,
        mimetype=stored.mimetype,
        size=stored.size,
    )
    db.session.add(item)
    projects.touch(project)
    return item


def delete_file(project: Project, item: TeamFile, user: User) -> str:
    """Delete the row; return the stored name, to remove the file after the commit."""
    if not project_access.may_change(project_access.membership(project, user), item.uploaded_by_id):
        raise TeamError(_("Only the person who shared it or an owner can delete a file."))
    db.session.delete(item)
    return item.stored_name
