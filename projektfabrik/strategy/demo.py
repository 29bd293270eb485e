"""Musterstadt's goals with contributions of its projects and a few reported results
(``projektfabrik demo``, through the strategy's ``pf_demo``). Safe to run again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.projects.models import Project
from projektfabrik.strategy import contributions, services
from projektfabrik.strategy.models import Goal

#: Only this demo town has goals; the other shows the dashboard's empty state.
TOWN = "musterstadt"

# (field of action, title, summary, source, [(indicator, unit, target year, target)])
GOALS: list[tuple[str, str, str, str, list[tuple[str, str, int | None, str | None]]]] = [
    (
        "Klima und Energie",
        "Klimaschutz",
        "Musterstadt will bis 2040 klimaneutral sein. Jedes Projekt, das CO₂ spart oder "
        "die Stadt grüner macht, hilft.",
        "https://musterstadt.example/klimaschutzkonzept",
        [
            ("CO₂-Einsparung", "t CO₂ pro Jahr", 2030, "500"),
            ("Gepflanzte Bäume", "Bäume", 2030, "1000"),
        ],
    ),
    (
        "Zusammenleben",
        "Lebendige Nachbarschaft",
        "Menschen in allen Ortsteilen kennen sich, helfen sich und gestalten ihr Viertel.",
        "",
        [
            ("Erreichte Menschen", "Personen", 2027, "2000"),
            ("Ehrenamtliche Stunden", "Stunden", None, None),
        ],
    ),
    (
        "Zusammenleben",
        "Bildung für alle",
        "Kinder und Erwachsene lernen dort, wo sie wohnen.",
        "",
        [("Geförderte Kinder", "Kinder", 2027, "150")],
    ),
]

# (project title, goal, [(indicator, expected, basis)], [(indicator, value, date, confirmed)])
CONTRIBUTIONS = [
    (
        "Gemeinschaftsgarten am Hafen",
        "Klimaschutz",
        [("Gepflanzte Bäume", "12", "12 Obstbäume an den Hochbeeten"),
         ("CO₂-Einsparung", "4.8", "12 Haushalte × 0,4 t CO₂ durch Gemüse aus dem Garten")],
        [("Gepflanzte Bäume", "8", date(2026, 4, 18), True)],
    ),
    (
        "Gemeinschaftsgarten am Hafen",
        "Lebendige Nachbarschaft",
        [("Erreichte Menschen", "120", "Nachbarn aus 40 Haushalten")],
        [("Erreichte Menschen", "85", date(2026, 9, 1), False)],
    ),
    (
        "Reparaturcafé Neustadt",
        "Klimaschutz",
        [("CO₂-Einsparung", "2.5", "250 Reparaturen × 10 kg CO₂")],
        [("CO₂-Einsparung", "1.2", date(2025, 12, 31), True)],
    ),
    (
        "Reparaturcafé Neustadt",
        "Lebendige Nachbarschaft",
        [("Ehrenamtliche Stunden", "300", "10 Helfende × 30 Stunden")],
        [("Ehrenamtliche Stunden", "140", date(2026, 6, 30), True)],
    ),
    (
        "Hausaufgabenhilfe im Nordviertel",
        "Bildung für alle",
        [("Geförderte Kinder", "25", "zwei Gruppen à 12 Kinder")],
        [("Geförderte Kinder", "18", date(2026, 7, 15), False)],
    ),
]  # fmt: skip


def seed(town: Any) -> None:
    if town.slug != TOWN or db.session.scalar(select(Goal.id).limit(1)) is not None:
        return
    groups = {}
    for group_name, title, summary, source, indicators in GOALS:
        if group_name not in groups:
            groups[group_name] = services.add_group(group_name, actor=None)
        goal = services.save_goal(
            None, title=title, summary=summary, source_url=source, group=groups[group_name],
            actor=None,
        )  # fmt: skip
        for name, unit, year, target in indicators:
            indicator = services.add_indicator(goal, name=name, unit=unit, actor=None)
            db.session.flush()
            if year is not None and target is not None:
                services.set_target(indicator, year, Decimal(target), actor=None)
            indicator.headline = name in ("CO₂-Einsparung", "Erreichte Menschen")
    db.session.flush()
    goals = {g.title: g for g in services.goals()}
    projects = {p.title: p for p in db.session.scalars(select(Project))}
    staff = db.session.scalar(select(User).where(User.email == f"admin@{TOWN}.example"))
    for title, goal_title, expected, reported in CONTRIBUTIONS:
        project = projects.get(title)
        if project is None:
            continue
        goal = goals[goal_title]
        by_name = {i.name: i for i in goal.indicators}
        contributions.set_goals(project, contributions.goal_ids(project) | {goal.id}, actor=None)
        db.session.flush()
        for name, value, basis in expected:
            contributions.set_expected(project, by_name[name], Decimal(value), basis, actor=None)
        for name, value, day, confirmed in reported:
            result = contributions.report(
                project, by_name[name], value=Decimal(value), achieved_on=day,
                actor=project.created_by,
                today=max(day, date.today()),
            )  # fmt: skip
            db.session.flush()
            if confirmed and staff is not None:
                contributions.confirm(result, actor=staff)
    db.session.flush()
