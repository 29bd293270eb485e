"""Demo content: two towns with people who make the site look alive.

Idempotent: running it again updates the towns from their tenant.toml and adds
only what is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from projektfabrik.accounts import services as accounts
from projektfabrik.accounts.models import Kind, Role
from projektfabrik.extensions import db
from projektfabrik.tenancy import config_files
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import District

DEMO_TOWNS = ("musterstadt", "beispielhausen")
DEMO_PASSWORD = "demo-passwort"

# (e-mail local part, name, kind, role, organisation, district index, skills, bio)
PEOPLE = {
    "musterstadt": [
        (
            "admin",
            "Andrea Amtmann",
            Kind.ADMINISTRATION,
            Role.ADMIN,
            "Amt für Bürgerbeteiligung",
            0,
            "Moderation, Fördermittel, Verwaltungsrecht",
            "Ich betreue die Projektfabrik und die Fördertöpfe der Stadt.",
        ),
        (
            "moderation",
            "Mehmet Moderator",
            Kind.ADMINISTRATION,
            Role.MODERATOR,
            "Stadtteilbüro Neustadt",
            1,
            "Moderation, Konfliktlösung",
            "Ich moderiere die Projektwerkstätten.",
        ),
        (
            "lena",
            "Lena Lindner",
            Kind.CITIZEN,
            Role.MEMBER,
            "",
            2,
            "Gärtnern, Social Media, Fotografie",
            "Ich möchte am Hafen einen Gemeinschaftsgarten anlegen.",
        ),
        (
            "jonas",
            "Jonas Jäger",
            Kind.CITIZEN,
            Role.MEMBER,
            "",
            1,
            "Elektronik, Reparieren",
            "Reparaturcafé-Fan. Bringt Lötkolben mit.",
        ),
        (
            "baeckerei",
            "Bäckerei Brotzeit",
            Kind.BUSINESS,
            Role.MEMBER,
            "Bäckerei Brotzeit GmbH",
            0,
            "Catering, Räume",
            "Wir stellen gern unseren Saal für Treffen zur Verfügung.",
        ),
        (
            "fatima",
            "Fatima Fischer",
            Kind.CITIZEN,
            Role.MEMBER,
            "Nachbarschaftsverein Nordviertel",
            3,
            "Buchhaltung, Vereinsrecht, Arabisch",
            "Kassenwartin im Nachbarschaftsverein.",
        ),
        (
            "tischlerei",
            "Tischlerei Holzwurm",
            Kind.BUSINESS,
            Role.MEMBER,
            "Holzwurm & Söhne",
            4,
            "Tischlern, Werkzeug, Transporter",
            "Wir bauen Hochbeete und Bänke.",
        ),
    ],
    "beispielhausen": [
        (
            "admin",
            "Bernd Bürgermeister",
            Kind.ADMINISTRATION,
            Role.ADMIN,
            "Gemeindeverwaltung",
            0,
            "Verwaltung, Förderanträge",
            "Ansprechpartner für alle Projekte der Gemeinde.",
        ),
        (
            "clara",
            "Clara Claussen",
            Kind.CITIZEN,
            Role.MEMBER,
            "Heimatverein",
            1,
            "Feste organisieren, Backen",
            "Organisiert das Dorffest seit zehn Jahren.",
        ),
        (
            "hofladen",
            "Hofladen Sonnenhof",
            Kind.BUSINESS,
            Role.MEMBER,
            "Sonnenhof GbR",
            2,
            "Regionale Lebensmittel, Traktor",
            "Frisches vom Hof und gern mit anpacken.",
        ),
    ],
}


def seed() -> Iterator[str]:
    tenants_dir = Path(current_app.config["TENANTS_DIR"])
    for slug in DEMO_TOWNS:
        town = config_files.apply(config_files.load(tenants_dir / slug))
        db.session.commit()
        with tenant_context(town):
            districts = list(db.session.scalars(select(District).order_by(District.position)))
            created = 0
            for local, name, kind, role, organisation, district, skills, bio in PEOPLE[slug]:
                email = f"{local}@{slug}.example"
                if accounts.find_by_email(email) is not None:
                    continue
                person = accounts.create_user(
                    email, DEMO_PASSWORD, role=role, display_name=name, kind=kind
                )
                person.organisation = organisation
                person.district = districts[district] if districts else None
                person.skills = skills
                person.bio = bio
                created += 1
            db.session.commit()
        yield f"{town.name}: {created} people added ({len(PEOPLE[slug])} in the demo)"
    yield f"log in as admin@musterstadt.example with the password {DEMO_PASSWORD!r}"
