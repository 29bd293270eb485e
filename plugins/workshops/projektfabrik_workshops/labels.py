"""Words for states and kinds, in the reader's language (one place, never in templates)."""

from __future__ import annotations

from wtforms import SelectChoice

from projektfabrik.api import _
from projektfabrik_workshops.models import Attendance, ItemKind, RegState, WorkshopState


def state_label(state: WorkshopState) -> str:
    return {
        WorkshopState.DRAFT: _("Draft"),
        WorkshopState.PUBLISHED: _("Published"),
        WorkshopState.CANCELLED: _("Cancelled"),
    }[state]


def attendance_label(attendance: Attendance) -> str:
    return {Attendance.ONSITE: _("On site"), Attendance.ONLINE: _("Online")}[attendance]


def registration_label(state: RegState) -> str:
    return {
        RegState.UNCONFIRMED: _("Address not confirmed yet"),
        RegState.CONFIRMED: _("Has a seat"),
        RegState.WAITING: _("Waiting list"),
        RegState.CANCELLED: _("Cancelled"),
    }[state]


def item_kind_label(kind: ItemKind) -> str:
    return {
        ItemKind.IDEA: _("Idea"),
        ItemKind.QUESTION: _("Question"),
        ItemKind.AGREEMENT: _("Agreement"),
        ItemKind.TASK: _("Task"),
        ItemKind.NOTE: _("Note"),
    }[kind]


def repeat_choices() -> list[SelectChoice]:
    return [
        SelectChoice("none", _("Once")),
        SelectChoice("weekly", _("Every week")),
        SelectChoice(
            "monthly_weekday", _("Every month on the same weekday (e.g. every first Tuesday)")
        ),
    ]
