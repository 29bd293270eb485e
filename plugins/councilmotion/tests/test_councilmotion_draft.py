"""The team's draft: prefilled from the project, edited with versions, checked."""

from __future__ import annotations

from councilmotion_support import Team, find
from projektfabrik_councilmotion.models import MotionVersion


def test_the_draft_is_prefilled_from_the_project(team_a: Team) -> None:
    team_a.draft()
    motion = team_a.motion()
    assert motion.title == "Platz an der Bibliothek"
    assert "Bänke, Schatten und ein Trinkbrunnen." in motion.resolution  # the goal
    assert "Der Platz ist grau und heiß." in motion.justification  # the profile
    assert "12.000,00" in motion.financial_effects and "10.000,00" in motion.financial_effects
    assert motion.submitters == "Olga Owner"
    assert motion.state.value == "draft"


def test_starting_twice_opens_the_same_draft(team_a: Team) -> None:
    first = team_a.draft()
    assert team_a.draft() == first


def test_each_save_is_a_version_and_an_old_one_comes_back(team_a: Team) -> None:
    ref = team_a.draft()
    first_title = team_a.motion().title
    assert team_a.save(ref, title="Neuer Titel").status_code == 302
    assert team_a.motion().version == 2
    page = team_a.team.get(f"/antraege/{ref}/versionen").get_data(as_text=True)
    assert "Version 1" in page and "Version 2" in page
    response = team_a.team.post(f"/antraege/{ref}/versionen/1", data={"version": "2"})
    assert response.status_code == 302
    motion = team_a.motion()
    assert motion.title == first_title and motion.version == 3
    latest = find(team_a.town, MotionVersion, motion_id=motion.id, number=3)
    assert latest.restored_from == 1


def test_a_stale_save_is_refused_and_keeps_what_was_typed(team_a: Team) -> None:
    ref = team_a.draft()
    assert team_a.save(ref, title="Erster").status_code == 302
    response = team_a.save(ref, title="Zweiter, veraltet", version="1")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Zweiter, veraltet" in page
    assert "Jemand anderes hat den Antrag inzwischen gespeichert" in page
    assert team_a.motion().title == "Erster"


def test_checks_name_missing_parts_limits_and_stories(team_a: Team) -> None:
    ref = team_a.draft()
    team_a.save(
        ref,
        justification="",
        resolution="Wir haben den Platz besucht und wollen Bänke. Ist das nicht schön?",
    )
    page = team_a.team.get(f"/antraege/{ref}").get_data(as_text=True)
    assert "Der Antrag braucht eine Begründung." in page
    assert "„haben" not in page  # only first-person words are named
    assert "wir" in page and "Beschlusstext" in page
    response = team_a.team.post(f"/antraege/{ref}/schritt", data={"state": "collecting"})
    assert response.status_code == 302
    assert team_a.motion().state.value == "draft"


def test_the_towns_length_limit_is_a_check(town_a) -> None:  # type: ignore[no-untyped-def]
    from councilmotion_support import make_team

    team = make_team(town_a, max_resolution=20)
    ref = team.draft()
    team.save(ref, resolution="Die Verwaltung wird beauftragt, zu handeln.")
    page = team.team.get(f"/antraege/{ref}").get_data(as_text=True)
    assert "Höchstens 20 Zeichen" in page


def test_outsiders_see_no_draft_and_cannot_edit(team_a: Team) -> None:
    ref = team_a.draft()
    outsider = team_a.client(team_a.town.user("x@example.org"))
    assert outsider.get(f"/antraege/{ref}").status_code == 404
    assert team_a.town.client().get(f"/antraege/{ref}").status_code == 404
    assert outsider.get(f"/antraege/{ref}/bearbeiten").status_code == 404
    assert outsider.post(f"/antraege/projekt/{team_a.project.ref}/entwurf").status_code == 403


def test_a_goal_told_as_a_story_stays_out_of_the_text_to_vote_on(team_a: Team) -> None:
    from projektfabrik_councilmotion import services

    from projektfabrik.extensions import db
    from projektfabrik.planning import services as planning
    from projektfabrik.projects.models import Project

    with team_a.town.request_context():
        project = db.session.get(Project, team_a.project.id)
        owner = db.session.get(type(team_a.owner), team_a.owner.id)
        planning.save_profile(project, owner, {"goal": "Wir wollen Bänke."}, 1)
        draft = services.prefilled(project)
        assert "Wir wollen Bänke." not in draft["resolution"]
        assert "Ziel: Wir wollen Bänke." in draft["justification"]
        assert not services.problems(draft)


def test_the_councils_deadline_counts_from_filing(team_a: Team) -> None:
    from datetime import UTC, date, datetime

    from projektfabrik_councilmotion import services
    from projektfabrik_councilmotion.models import Path

    from projektfabrik.extensions import db
    from projektfabrik.projects.models import Project

    with team_a.town.request_context():
        motion = services.start_draft(db.session.get(Project, team_a.project.id), None)
        motion.path = Path.RESIDENTS
        motion.filed_at = datetime(2026, 11, 30, 12, tzinfo=UTC)
        assert services.council_deadline(motion) == date(2027, 2, 28)  # three months
        motion.path = Path.GROUP
        assert services.council_deadline(motion) is None


def test_the_demo_seeds_one_motion_collecting_signatures_once(team_a: Team) -> None:
    from projektfabrik_councilmotion import demo, services
    from projektfabrik_councilmotion.models import Motion
    from sqlalchemy import select

    from projektfabrik.extensions import db

    for _run in range(2):
        with team_a.town.request_context():
            demo.seed()
            db.session.commit()
    with team_a.town.request_context():
        motions = db.session.scalars(select(Motion)).all()
        assert len(motions) == 1
        assert motions[0].state.value == "collecting"
        assert services.counts(motions[0]).paper == 37
        assert services.counts(motions[0]).online == 1
