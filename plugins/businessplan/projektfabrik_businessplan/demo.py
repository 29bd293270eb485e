"""The demo's business plan: the repair café of Musterstadt becomes an association
with a small shop for spare parts. Only once: a second run finds the plan."""

from __future__ import annotations

from typing import Any

from projektfabrik.api import find_project, project_team
from projektfabrik_businessplan import services

DEMO_PROJECT = "Reparaturcafé Neustadt"
EURO = 100

TEXTS = {
    "offer": (
        "Einmal im Monat reparieren Ehrenamtliche mit den Besucherinnen und Besuchern "
        "zusammen, was kaputt ist. Neu: ein kleiner Verkauf von Ersatzteilen und "
        "Reparaturkurse für Anfängerinnen und Anfänger. Anders als ein Fachgeschäft "
        "reparieren wir jede Marke und zeigen, wie es geht."
    ),
    "market": (
        "Neustadt hat rund 12.000 Einwohnerinnen und Einwohner. Zu den bisherigen Treffen "
        "kamen jeweils 30 bis 50 Menschen, vor allem Familien und ältere Nachbarn."
    ),
    "location": "Im Saal der Bäckerei am Marktplatz, barrierefrei erreichbar, 150 € Miete im Monat.",
    "implementation": (
        "- bis März: Verein gründen und eintragen lassen\n"
        "- April: Werkbänke und Werkzeug kaufen\n"
        "- ab Mai: monatliche Treffen und Kurse"
    ),
    "finance": (
        "Die Ersatzteile verkaufen wir mit 50 % Aufschlag. Mitgliedsbeiträge: 60 € im Jahr. "
        "Personalkosten erst ab dem zweiten Jahr für eine Minijobberin, die die Werkstatt betreut."
    ),
    "competition": (
        "Im Umkreis von zehn Kilometern gibt es kein Reparaturcafé. Elektrofachgeschäfte "
        "reparieren nur eigene Marken und zu Preisen, die sich für einen Toaster nicht lohnen."
    ),
    "marketing": (
        "- Aushänge in der Bäckerei, in der Bibliothek und im Stadtteilzentrum\n"
        "- ein Stand auf dem Wochenmarkt einmal im Quartal\n"
        "- Ersatzteile zum Einkaufspreis plus einem kleinen Aufschlag; die Reparatur selbst "
        "gegen Spende"
    ),
    "legal_form": (
        "Wir gründen einen gemeinnützigen Verein: sieben Gründungsmitglieder haben wir, "
        "Spenden können wir dann quittieren."
    ),
    "risks": (
        "**Chancen:** Die Stadt plant ein Abfallkonzept, in dem Reparatur eine Rolle spielt.\n\n"
        "**Risiken:** Wenn Ehrenamtliche wegfallen, sinkt die Zahl der Reparaturen. Wir "
        "schulen deshalb jedes Halbjahr neue Helferinnen und Helfer."
    ),
}

NUMBERS: dict[str, Any] = {
    "investments": [
        {"name": "Werkzeug und Messgeräte", "amount": 6_000 * EURO, "years": 5},
        {"name": "Werkbänke und Regale", "amount": 3_000 * EURO, "years": 10},
    ],
    "startup_costs": [{"name": "Notar und Vereinsregister", "amount": 400 * EURO}],
    "cash_reserve": 2_000 * EURO,
    "own_funds": 1_400 * EURO,
    "loans": [
        {
            "name": "Mikrokredit",
            "amount": 5_000 * EURO,
            "rate_bp": 550,
            "months": 48,
            "grace_months": 6,
        }
    ],
    "grants": [{"name": "Umweltstiftung", "amount": 3_000 * EURO}],
    "donations": [{"name": "Spendenaktion", "amount": 2_000 * EURO}],
    "products": [
        {"name": "Ersatzteile", "price": 1_200, "unit_cost": 800, "quantities": [600, 800, 1000]},
        {"name": "Reparaturkurs", "price": 3_500, "unit_cost": 500, "quantities": [80, 120, 160]},
        {"name": "Mitgliedsbeitrag", "price": 6_000, "unit_cost": 0, "quantities": [40, 60, 80]},
    ],
    "staff": [0, 2_400 * EURO, 4_800 * EURO],
    "rent": [1_800 * EURO, 1_800 * EURO, 1_800 * EURO],
    "other": [600 * EURO, 700 * EURO, 800 * EURO],
    "tax_rate_bp": 0,
}


def _demo_project() -> Any:
    for number in range(1, 200):
        project = find_project(number)
        if project is not None and project.title == DEMO_PROJECT:
            return project
    return None


def seed(town: Any) -> None:
    project = _demo_project()
    if project is None or services.find(project) is not None:
        return
    team = project_team(project)
    if not team:
        return
    lead = project.created_by or team[0]
    plan = services.create(project, lead, "classic")
    for key, text in TEXTS.items():
        services.save_section(
            plan, key, text, lead, legal_form="ev" if key == "legal_form" else None
        )
    services.save_numbers(plan, NUMBERS, lead)
