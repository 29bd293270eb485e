"""What happens to projects, announced to plugins through ``pf_on_event``.

Plain values only: the project's per-town number, statuses as their string
values and people's public refs, never row ids. Each is emitted by
:mod:`projektfabrik.projects.services` or :mod:`projektfabrik.marketplace.services`
(one ``emit(...)`` line there, built
with the ``of`` constructors here) and delivered after the transaction
commits, like the teams' events (see docs/plugins.md).

There is no "project deleted" event: projects are never deleted; a team that
gives up archives its project, which is a :class:`ProjectStatusChanged` to
``"archived"``. Publishing an idea is :class:`ProjectCreated`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projektfabrik.plugins.types import Event


def _status(value: Any) -> str:
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class ProjectCreated(Event):
    """An idea was published. ``leads``: its author leads it (else it waits to be adopted)."""

    project_number: int
    author_ref: str
    leads: bool

    @classmethod
    def of(cls, project: Any, author: Any, leads: bool) -> ProjectCreated:
        return cls(project_number=project.number, author_ref=author.ref, leads=bool(leads))


@dataclass(frozen=True)
class ProjectEdited(Event):
    """A project's title, pitch, description, category, district or picture was changed."""

    project_number: int

    @classmethod
    def of(cls, project: Any) -> ProjectEdited:
        return cls(project_number=project.number)


@dataclass(frozen=True)
class ProjectStatusChanged(Event):
    """A project's status changed (``"idea"``, ``"team_forming"``, … ``"archived"``)."""

    project_number: int
    from_status: str
    to_status: str
    by_user_ref: str

    @classmethod
    def of(cls, project: Any, to_status: Any, by: Any) -> ProjectStatusChanged:
        """Build it before the project's status is set: ``project.status`` is the old one."""
        return cls(
            project_number=project.number,
            from_status=_status(project.status),
            to_status=_status(to_status),
            by_user_ref=by.ref,
        )


@dataclass(frozen=True)
class ProjectAdopted(Event):
    """Someone took the lead of an idea that had no team."""

    project_number: int
    user_ref: str

    @classmethod
    def of(cls, project: Any, user: Any) -> ProjectAdopted:
        return cls(project_number=project.number, user_ref=user.ref)


@dataclass(frozen=True)
class ProjectSupported(Event):
    """Someone supported a project (``supported=True``) or took the support back."""

    project_number: int
    user_ref: str
    supported: bool

    @classmethod
    def of(cls, project: Any, user: Any, supported: bool) -> ProjectSupported:
        return cls(project_number=project.number, user_ref=user.ref, supported=bool(supported))


@dataclass(frozen=True)
class ProjectFollowed(Event):
    """Someone followed a project with its button (``following=True``) or stopped.

    Following that comes with publishing or adopting a project is not announced.
    """

    project_number: int
    user_ref: str
    following: bool

    @classmethod
    def of(cls, project: Any, user: Any, following: bool) -> ProjectFollowed:
        return cls(project_number=project.number, user_ref=user.ref, following=bool(following))
