"""The town admin's and a team's regional choices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice

from projektfabrik.regions.services import TownChoice


class TownRegionForm(FlaskForm):
    opted_in = BooleanField(
        _l("Take part in the region"),
        description=_l(
            "The town's public projects appear on the region's site. You can leave at any "
            "time; they disappear at once."
        ),
    )
    projects_shown_by_default = BooleanField(
        _l("Show projects in the region unless their team says no"),
        description=_l("Each project's team can decide otherwise for its project."),
    )
    neighbours_section = BooleanField(
        _l("Show projects nearby looking for help on the start page"),
        description=_l("Projects of the other towns in the region that look for skills."),
    )

    def fill(self, choice: TownChoice) -> None:
        self.opted_in.data = choice.opted_in
        self.projects_shown_by_default.data = choice.projects_shown_by_default
        self.neighbours_section.data = choice.neighbours_section

    def choice(self) -> TownChoice:
        return TownChoice(
            opted_in=bool(self.opted_in.data),
            projects_shown_by_default=bool(self.projects_shown_by_default.data),
            neighbours_section=bool(self.neighbours_section.data),
        )


class ProjectRegionForm(FlaskForm):
    shown = RadioField(
        _l("Show this project on the region's site"),
        choices=[
            SelectChoice("town", _l("As the town decided for all projects")),
            SelectChoice("yes", _l("Yes, show it")),
            SelectChoice("no", _l("No, only on our town's site")),
        ],
        default="town",
    )

    def fill(self, shown: bool | None) -> None:
        self.shown.data = {True: "yes", False: "no", None: "town"}[shown]

    def shown_choice(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.shown.data or "")


class JoinConsentForm(FlaskForm):
    """What the person shares with the neighbouring town (regions/joining.py)."""

    name = BooleanField(_l("My name"), default=True)
    email = BooleanField(
        _l("My e-mail address"),
        default=True,
        description=_l("Needed: the other town writes to you about the project."),
    )
    skills = BooleanField(_l("My skills"), default=True)
