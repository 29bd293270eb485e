"""What happens in teams, announced to plugins through ``pf_on_event``.

Plain values only: the project's per-town number and people's public refs,
never row ids. Each is emitted by :mod:`projektfabrik.teams.services` and
delivered after the transaction commits (see docs/plugins.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from projektfabrik.plugins.types import Event


@dataclass(frozen=True)
class JoinRequested(Event):
    """Someone asked to join a project's team."""

    project_number: int
    user_ref: str
    request_ref: str
    invited: bool


@dataclass(frozen=True)
class JoinDecided(Event):
    """An owner accepted or declined a request to join."""

    project_number: int
    user_ref: str
    request_ref: str
    accepted: bool
    decided_by_ref: str


@dataclass(frozen=True)
class TeamJoined(Event):
    """Someone became a member. ``via``: ``"request"``, ``"code"``."""

    project_number: int
    user_ref: str
    via: str


@dataclass(frozen=True)
class MemberLeft(Event):
    """Someone left the team, or was removed (``removed_by_ref`` is then set)."""

    project_number: int
    user_ref: str
    removed_by_ref: str | None = None


@dataclass(frozen=True)
class OwnershipHandedOver(Event):
    """An owner handed the project over (``from_user_ref`` is a member now)."""

    project_number: int
    from_user_ref: str
    to_user_ref: str
