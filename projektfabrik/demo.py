"""Demo content: two towns with people who make the site look alive.

Idempotent: running it again updates the towns from their tenant.toml and adds
only what is missing. Plugins add their own demo content through the
``pf_demo`` hook; this module names no plugin.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from projektfabrik.accounts import services as accounts
from projektfabrik.accounts.models import Kind, Role, User
from projektfabrik.config import DEMO_TENANTS_DIR
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.projects import services as projects
from projektfabrik.tenancy import config_files
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.links import public_url
from projektfabrik.tenancy.models import District, Tenant

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


CATEGORIES = ["Umwelt", "Kultur", "Soziales", "Nachbarschaft", "Bildung"]

# (lead, title, pitch, description, category, district, wanted skills, status,
#  members, supporters, comments as (author, text))
PROJECTS = {
    "musterstadt": [
        (
            "lena",
            "Gemeinschaftsgarten am Hafen",
            "Auf der Brache am Hafen bauen wir Hochbeete und gärtnern gemeinsam – für alle Nachbarn.",
            "Die Fläche gehört der Stadt und liegt seit Jahren brach. Wir möchten dort **zwölf "
            "Hochbeete**, eine Regentonne und eine Sitzecke bauen.\n\n- Pflanzaktion im April\n"
            "- Gießplan für den Sommer\n- Erntefest im September",
            "Umwelt",
            2,
            "Gärtnern, Holzbau, Buchhaltung",
            "planning",
            ["tischlerei", "fatima"],
            ["jonas", "baeckerei", "moderation"],
            [
                ("jonas", "Tolle Idee! Ich kann beim Bau der Beete helfen."),
                ("tischlerei", "Wir liefern das Holz zum Selbstkostenpreis."),
            ],
        ),
        (
            "jonas",
            "Reparaturcafé Neustadt",
            "Einmal im Monat reparieren wir gemeinsam Toaster, Fahrräder und Lieblingspullover.",
            "Wegwerfen war gestern. Im Saal der Bäckerei treffen sich Tüftlerinnen und Tüftler.",
            "Nachbarschaft",
            1,
            "Elektronik, Nähen, Fahrradtechnik",
            "team_forming",
            ["baeckerei"],
            ["lena", "fatima"],
            [("fatima", "Ich bringe meine Nähmaschine mit.")],
        ),
        (
            "fatima",
            "Hausaufgabenhilfe im Nordviertel",
            "Ehrenamtliche helfen Kindern aus der Nachbarschaft zweimal pro Woche bei den Hausaufgaben.",
            "",
            "Bildung",
            3,
            "Mathematik, Deutsch als Zweitsprache, Geduld",
            "running",
            [],
            ["admin", "lena", "jonas", "baeckerei"],
            [],
        ),
        (
            "baeckerei",
            "Sommerkino auf dem Marktplatz",
            "Drei Filmabende unter freiem Himmel im August, mit Brezeln und Limonade.",
            "",
            "Kultur",
            0,
            "Technik, Plakate",
            "idea",
            [],
            ["lena"],
            [],
        ),
    ],
    "beispielhausen": [
        (
            "clara",
            "Bücherschrank an der Bushaltestelle",
            "Eine alte Telefonzelle wird zum offenen Bücherschrank für das ganze Dorf.",
            "",
            "Kultur",
            0,
            "Tischlern, Malen",
            "team_forming",
            ["hofladen"],
            ["admin"],
            [("hofladen", "Wir holen die Telefonzelle mit dem Traktor ab!")],
        ),
        (
            "hofladen",
            "Mitfahrbank nach Unterdorf",
            "Wer auf der Bank sitzt, möchte mitgenommen werden – ganz einfach.",
            "",
            "Nachbarschaft",
            1,
            "",
            "idea",
            [],
            ["clara"],
            [],
        ),
    ],
}


def _seed_projects(slug: str) -> int:
    """Projects with teams, supporters and comments; returns how many were added."""
    from projektfabrik.mail.models import OutboxMessage
    from projektfabrik.marketplace import services as market
    from projektfabrik.projects.models import Category, Membership, Project, Status

    existing = {c.name for c in db.session.scalars(select(Category))}
    for position, name in enumerate(CATEGORIES):
        if name not in existing:
            db.session.add(Category(name=name, position=position))
    db.session.flush()
    districts = list(db.session.scalars(select(District).order_by(District.position)))
    titles = set(db.session.scalars(select(Project.title)))
    people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))}
    added = 0
    for (lead, title, pitch, description, category, district, wanted, status, members,
         supporters, comments) in PROJECTS[slug]:  # fmt: skip
        if title in titles:
            continue
        project = market.publish_idea(
            people[lead],
            market.ProjectInput(
                title=title, pitch=pitch, description_md=description, category=category,
                district=districts[district].name if districts else "", wanted_skills=wanted,
            ),
        )  # fmt: skip
        for member in members:
            db.session.add(Membership(project_id=project.id, user_id=people[member].id))
        for supporter in supporters:
            market.toggle_support(project, people[supporter])
        for author, text in comments:
            market.add_comment(project, people[author], text)
        if status != Status.IDEA.value:
            projects.change_status(project, Status(status), people[lead])
        added += 1
    db.session.flush()
    # Seeded activity sends no mail: the demo's console stays readable.
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).values(sent_at=utcnow())
    )
    return added


def _seed_plugins(town: Tenant) -> list[str]:
    """Each plugin the town has switched on adds its own demo content (``pf_demo``).

    Unlike other request-time hooks a plugin that raises is not skipped: a
    broken demo should be noticed, not half there.
    """
    from projektfabrik.plugins.manager import get_manager
    from projektfabrik.plugins.state import enabled_plugins

    manager = get_manager()
    names = []
    for impl in manager.impls("pf_demo", enabled_plugins()):
        manager.call_one(impl.plugin_name, "pf_demo", town=town)
        db.session.commit()
        names.append(impl.plugin_name)
    return names


def _place_town_folders(tenants_dir: Path) -> Iterator[str]:
    """Copy a demo town's folder into TENANTS_DIR unless it is there (an installed
    wheel brings them in the package; in a checkout they already are in tenants/)."""
    for slug in DEMO_TOWNS:
        target = tenants_dir / slug
        if not (target / "tenant.toml").exists():
            shutil.copytree(DEMO_TENANTS_DIR / slug, target, dirs_exist_ok=True)
            yield f"{slug}: demo town folder copied to {target}"


def seed() -> Iterator[str]:
    tenants_dir = Path(current_app.config["TENANTS_DIR"])
    yield from _place_town_folders(tenants_dir)
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
                if kind == Kind.ADMINISTRATION:
                    accounts.confirm_staff(person, organisation)
                person.district = districts[district] if districts else None
                person.skills = skills
                person.bio = bio
                created += 1
            db.session.flush()
            with current_app.test_request_context(base_url=public_url(town, "/")):
                added = _seed_projects(slug)
                # Commit before the request context ends: its teardown delivers the
                # events committed so far and rolls back what is not committed.
                db.session.commit()
        yield f"{town.name}: {created} people added ({len(PEOPLE[slug])} in the demo)"
        yield f"{town.name}: {added} projects added ({len(PROJECTS[slug])} in the demo)"
    # Before the plugins: their demo content may be regional (funding's regional pot).
    yield from _seed_regions(tenants_dir)
    for slug in DEMO_TOWNS:
        seeded = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        assert seeded is not None
        with (
            tenant_context(seeded),
            current_app.test_request_context(base_url=public_url(seeded, "/")),
        ):
            plugins = _seed_plugins(seeded)
        # The request context's end delivered the messages the plugins sent.
        if plugins:
            yield f"{seeded.name}: demo content of the plugins {', '.join(plugins)} is in place"
    yield f"log in as admin@musterstadt.example with the password {DEMO_PASSWORD!r}"


def _seed_regions(tenants_dir: Path) -> Iterator[str]:
    """The regions of ``tenants/_regions/``; the demo towns in them opt in (once: an
    admin who opted out later is not overruled by running the demo again)."""
    from projektfabrik.regions import config as regions
    from projektfabrik.regions.models import RegionalChoice

    for folder in regions.folders(tenants_dir):
        region = regions.apply(regions.load(folder))
        for member in region.members:
            with tenant_context(member.tenant):
                if db.session.scalar(select(RegionalChoice)) is None:
                    db.session.add(RegionalChoice(opted_in=True, neighbours_section=True))
                    db.session.flush()
        db.session.commit()
        towns = ", ".join(m.tenant.name for m in region.members)
        yield f"{region.name}: {region.host} with {towns}"
