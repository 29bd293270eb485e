"""Seed a PostgreSQL database for the benchmark: 50 towns × 2,000 projects.

    .venv/bin/python bench/seed.py                      # projektfabrik_bench, 50 × 2,000
    .venv/bin/python bench/seed.py --database other --towns 5 --projects 500
    .venv/bin/python bench/seed.py --rev HEAD           # the migrations of one commit

The database is dropped and created afresh, the migrations run, the towns are
created through ``config_files.apply`` (as ``projektfabrik tenant sync`` does)
and everything else is bulk-loaded with ``COPY``. ``COPY`` bypasses the ORM and
so the tenant wall: every row gets its ``tenant_id`` here, explicitly, and the
script checks at the end that no row points across towns. Ids are assigned
here (the database is new) and the sequences are moved past them.

Deterministic for a given ``--seed``; four to five minutes for 100,000 projects
on two (busy) cores, most of it spent in PostgreSQL.
"""

from __future__ import annotations

import argparse
import base64
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import snowballstemmer
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent

import snapshot  # noqa: E402
import wordlists as w  # noqa: E402

SOURCE = snapshot.activate()  # --rev: projektfabrik from that commit

from projektfabrik.app import create_app  # noqa: E402
from projektfabrik.extensions import db  # noqa: E402
from projektfabrik.migrations import runner  # noqa: E402
from projektfabrik.projects import search  # noqa: E402
from projektfabrik.projects.models import Category, Project, Status  # noqa: E402
from projektfabrik.tenancy.config_files import TenantSpec, apply  # noqa: E402
from projektfabrik.tenancy.models import District  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)  # fixed: the same data on every run

# Share of projects per status (archived ones are not on the marketplace).
STATUS_WEIGHTS = {
    Status.IDEA: 30,
    Status.TEAM_FORMING: 14,
    Status.PLANNING: 14,
    Status.FUNDING_APPLIED: 8,
    Status.RUNNING: 17,
    Status.COMPLETED: 11,
    Status.ARCHIVED: 6,
}
LIFECYCLE = [
    Status.IDEA,
    Status.TEAM_FORMING,
    Status.PLANNING,
    Status.FUNDING_APPLIED,
    Status.RUNNING,
    Status.COMPLETED,
]


def database_url(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def recreate_database(server: str, name: str) -> None:
    admin = create_engine(database_url(server, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


class MemoStemmer:
    """The same Snowball stemmer, remembering words it has seen.

    The pure-Python stemmer does about 10,000 words a second; the seed text has
    a small vocabulary, so memoising turns an hour of stemming into seconds.
    ``index_text`` gives exactly the same result.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._seen: dict[str, str] = {}

    def stemWords(self, words: list[str]) -> list[str]:  # noqa: N802 - the stemmer's API
        seen = self._seen
        out = []
        for word in words:
            stem = seen.get(word)
            if stem is None:
                stem = seen[word] = self._inner.stemWord(word)
            out.append(stem)
        return out


class Ids:
    """Row ids handed out here; the sequences are moved past them at the end."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        value = self._next.get(table, 1)
        self._next[table] = value + 1
        return value


class Town:
    def __init__(self, tenant_id: int, index: int, name: str) -> None:
        self.tenant_id = tenant_id
        self.index = index
        self.name = name
        self.districts: list[tuple[int, str]] = []
        self.categories: list[tuple[int, str]] = []


class Generator:
    """Rows for one town at a time, as tuples in the column order of ``COLUMNS``."""

    def __init__(self, rng: random.Random, ids: Ids) -> None:
        self.rng = rng
        self.ids = ids

    def token(self, nbytes: int) -> str:
        return base64.urlsafe_b64encode(self.rng.randbytes(nbytes)).decode().rstrip("=")

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + timedelta(seconds=self.rng.uniform(0, (end - start).total_seconds()))

    # --- people -------------------------------------------------------------------

    def people(self, town: Town, count: int) -> list[tuple]:
        rng = self.rng
        rows = []
        emails: set[str] = set()
        refs: set[str] = set()
        for i in range(count):
            first, last = rng.choice(w.FIRST_NAMES), rng.choice(w.LAST_NAMES)
            district_id, district = rng.choice(town.districts)
            roll = rng.random()
            role = "admin" if i == 0 else "moderator" if i in (1, 2) else "member"
            if i < 3 or roll < 0.08:
                kind = "administration"
                organisation = rng.choice(w.ADMINISTRATIONS).format(district=district)
                display_name = f"{first} {last}"
            elif roll < 0.20:
                kind = "business"
                organisation = rng.choice(w.BUSINESSES).format(
                    last=last, district=district, town=town.name
                )
                display_name = organisation
            else:
                kind = "citizen"
                organisation = ""
                display_name = f"{first} {last}"
            email = f"{ascii_name(first)}.{ascii_name(last)}@example.org"
            n = 2
            while email in emails:
                email = f"{ascii_name(first)}.{ascii_name(last)}{n}@example.org"
                n += 1
            emails.add(email)
            ref = self.token(6)
            while ref in refs:
                ref = self.token(6)
            refs.add(ref)
            skills = ", ".join(rng.sample(w.SKILLS, rng.randint(0, 4)))
            bio = " ".join(
                s.format(n=rng.randint(1, 40))
                for s in rng.sample(w.BIO_SENTENCES, rng.randint(0, 3))
            )
            created = NOW - timedelta(days=rng.uniform(1, 4 * 365))
            verified = (
                created + timedelta(minutes=rng.randint(1, 600)) if rng.random() < 0.95 else None
            )
            rows.append(
                (
                    self.ids("user_account"), town.tenant_id, ref, email, None, display_name,
                    kind, role, organisation, district_id if rng.random() < 0.8 else None,
                    skills, bio, None, None, verified, created, None, self.token(16),
                )
            )  # fmt: skip
        return rows

    # --- projects and what hangs on them -------------------------------------------

    def title(self, district: str) -> str:
        rng = self.rng
        subject, gender = rng.choice(w.SUBJECTS)
        pattern = rng.choice(w.TITLE_PATTERNS)
        title = pattern.format(
            subject=subject,
            district=district,
            adj=rng.choice(w.ADJECTIVES[gender]),
            place=rng.choice(w.PLACES),
            tagline=rng.choice(w.TAGLINES),
            plural=rng.choice(w.PLURALS),
        )
        return title[:120]

    def pitch(self, district: str) -> str:
        rng = self.rng
        what = rng.choice(w.WHAT)
        return rng.choice(w.PITCHES).format(
            what=what, what_cap=what[0].upper() + what[1:], who=rng.choice(w.WHO), district=district
        )[:280]

    def sentence(self) -> str:
        return self.rng.choice(w.DESCRIPTION_SENTENCES).format(
            place=self.rng.choice(w.PLACES),
            who=self.rng.choice(w.WHO),
            euro=f"{self.rng.randint(2, 250) * 100:,}".replace(",", "."),
        )

    def description(self) -> str:
        rng = self.rng
        parts = []
        for heading in rng.sample(w.HEADINGS, rng.randint(1, 4)):
            parts.append(f"## {heading}")
            if heading == "Was wir brauchen":
                parts.append(
                    "\n".join(f"- {need}" for need in rng.sample(w.NEEDS, rng.randint(2, 5)))
                )
            else:
                parts.append(" ".join(self.sentence() for _ in range(rng.randint(2, 5))))
        return "\n\n".join(parts)

    def town(self, town: Town, people: list[tuple], count: int) -> dict[str, list[tuple]]:
        rng = self.rng
        out: dict[str, list[tuple]] = {t: [] for t in COLUMNS if t != "user_account"}
        user_ids = [p[0] for p in people]
        statuses = list(STATUS_WEIGHTS)
        weights = list(STATUS_WEIGHTS.values())
        start = NOW - timedelta(days=3 * 365)
        step = (NOW - start) / count
        for number in range(1, count + 1):
            project_id = self.ids("project")
            created = (
                start
                + step * (number - 1)
                + timedelta(seconds=rng.uniform(0, step.total_seconds()))
            )
            status = rng.choices(statuses, weights)[0]
            district_id, district = rng.choice(town.districts)
            category = rng.choice(town.categories) if rng.random() < 0.9 else (None, "")
            title = self.title(district)
            pitch = self.pitch(district)
            description = self.description() if rng.random() < 0.95 else ""
            looking = status in (Status.IDEA, Status.TEAM_FORMING) or rng.random() < 0.4
            looking = looking and status not in (Status.COMPLETED, Status.ARCHIVED)
            wanted = ", ".join(rng.sample(w.SKILLS, rng.randint(0, 4))) if looking else ""
            search_text, search_words = search.index_text(title, pitch, description, wanted)

            team = rng.sample(user_ids, rng.choices([1, 2, 3, 4, 5, 6], [30, 22, 18, 13, 10, 7])[0])
            owner = team[0]
            last_activity = created

            for position, user_id in enumerate(team):
                joined = created if position == 0 else self.between(created, NOW)
                role = "owner" if position == 0 or rng.random() < 0.1 else "member"
                out["membership"].append(
                    (self.ids("membership"), town.tenant_id, project_id, user_id, role,
                     rng.choice(w.TASKS), joined,
                     base64.b32encode(rng.randbytes(10)).decode().lower())
                )  # fmt: skip
                out["project_follow"].append(
                    (self.ids("project_follow"), town.tenant_id, project_id, user_id, joined)
                )
                last_activity = max(last_activity, joined)

            supporters = min(support_count(rng, status), len(user_ids))
            for user_id in rng.sample(user_ids, supporters):
                out["project_support"].append(
                    (self.ids("project_support"), town.tenant_id, project_id, user_id,
                     self.between(created, NOW))
                )  # fmt: skip

            # The status history: from idea along the life cycle to where it is now.
            target = LIFECYCLE.index(status) if status in LIFECYCLE else rng.randint(0, 5)
            path = [Status.IDEA] + [s for s in LIFECYCLE[1 : target + 1] if rng.random() < 0.8]
            if status == Status.ARCHIVED:
                path.append(Status.ARCHIVED)
            elif path[-1] != status:
                path.append(status)
            when, previous = created, None
            for to_status in path:
                out["project_status_change"].append(
                    (self.ids("project_status_change"), town.tenant_id, project_id,
                     previous.value if previous else None, to_status.value, owner, when)
                )  # fmt: skip
                last_activity = max(last_activity, when)
                previous = to_status
                when = self.between(when, min(when + timedelta(days=120), NOW))

            if (
                status in (Status.FUNDING_APPLIED, Status.RUNNING, Status.COMPLETED)
                and rng.random() < 0.4
            ):
                for _ in range(rng.randint(1, 3)):
                    at = self.between(created, NOW)
                    body = rng.choice(w.UPDATES).format(
                        n=rng.randint(4, 30),
                        euro=rng.randint(5, 80) * 100,
                        place=rng.choice(w.PLACES),
                    )
                    out["project_update"].append(
                        (self.ids("project_update"), town.tenant_id, self.token(9), project_id,
                         rng.choice(team), body, at)
                    )  # fmt: skip
                    last_activity = max(last_activity, at)

            if rng.random() < 0.35:
                top: list[int] = []
                at = created
                for _ in range(rng.choices(range(1, 11), [25, 18, 14, 10, 9, 7, 6, 5, 3, 3])[0]):
                    at = self.between(at, min(at + timedelta(days=30), NOW))
                    comment_id = self.ids("comment")
                    parent = rng.choice(top) if top and rng.random() < 0.25 else None
                    hidden = rng.random() < 0.01
                    out["comment"].append(
                        (comment_id, town.tenant_id, self.token(9), project_id, parent,
                         rng.choice(user_ids), rng.choice(w.COMMENTS), at, None,
                         at + timedelta(hours=5) if hidden else None,
                         rng.choice(w.HIDDEN_REASONS) if hidden else "")
                    )  # fmt: skip
                    if parent is None:
                        top.append(comment_id)
                    last_activity = max(last_activity, at)

            out["project"].append(
                (project_id, town.tenant_id, number, title, pitch, description,
                 category[0], district_id, None, status.value, looking, wanted, owner,
                 created, last_activity, supporters, search_text, search_words)
            )  # fmt: skip
        return out


def support_count(rng: random.Random, status: Status) -> int:
    """Most projects have a few supporters, some have many (capped by the town's people)."""
    base = rng.expovariate(1 / 6)
    if status in (Status.RUNNING, Status.COMPLETED):
        base *= 2
    if rng.random() < 0.03:
        base *= 6
    return min(int(base), 150)


def ascii_name(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ş": "s"})
    return name.lower().translate(table).replace(" ", "")


COLUMNS: dict[str, tuple[str, ...]] = {
    "user_account": (
        "id", "tenant_id", "ref", "email", "password_hash", "display_name", "kind", "role",
        "organisation", "district_id", "skills", "bio", "avatar_file", "locale",
        "email_verified_at", "created_at", "deleted_at", "session_token",
    ),
    "project": (
        "id", "tenant_id", "number", "title", "pitch", "description_md", "category_id",
        "district_id", "image_file", "status", "looking_for_members", "wanted_skills",
        "created_by_id", "created_at", "last_activity_at", "support_count", "search_text",
        # Before f3b9d1c7a2e5 (German compound search) the column was search_stems.
        "search_words" if hasattr(Project, "search_words") else "search_stems",
    ),
    "membership": (
        "id", "tenant_id", "project_id", "user_id", "role", "task", "joined_at", "reply_key",
    ),
    "project_follow": ("id", "tenant_id", "project_id", "user_id", "created_at"),
    "project_support": ("id", "tenant_id", "project_id", "user_id", "created_at"),
    "project_status_change": (
        "id", "tenant_id", "project_id", "from_status", "to_status", "changed_by_id", "changed_at",
    ),
    "project_update": ("id", "tenant_id", "ref", "project_id", "author_id", "body_md", "created_at"),
    "comment": (
        "id", "tenant_id", "ref", "project_id", "parent_id", "author_id", "body", "created_at",
        "edited_at", "hidden_at", "hidden_reason",
    ),
}  # fmt: skip
# Load order: referenced tables first.
LOAD_ORDER = list(COLUMNS)


def copy_rows(cursor: Any, table: str, rows: list[tuple]) -> None:
    columns = ", ".join(COLUMNS[table])
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def town_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    taken: set[str] = set()
    combinations = len(w.TOWN_PREFIXES) * len(w.TOWN_SUFFIXES)
    while len(names) < count:
        name = rng.choice(w.TOWN_PREFIXES) + rng.choice(w.TOWN_SUFFIXES)
        if len(names) >= combinations:
            # More towns than names (448): number them, as "Neustadt 2" would be.
            name = f"{name} {len(names) + 1}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def create_towns(rng: random.Random, count: int) -> list[Town]:
    """The towns through the same code path as ``projektfabrik tenant sync``."""
    towns = []
    for index, name in enumerate(town_names(rng, count), start=1):
        slug = f"town-{index:02d}"
        districts = rng.sample(w.DISTRICTS, rng.randint(4, 10))
        spec = TenantSpec(
            slug=slug,
            name=name,
            hosts=[f"{slug}.bench.test"],
            mail_sender_name=f"Projektfabrik {name}",
            texts={"welcome_md": f"Willkommen in der Projektfabrik {name}!"},
            districts=districts,
        )
        tenant = apply(spec)
        towns.append(Town(tenant.id, index, name))
        if index % 50 == 0:
            # A session holding every town's objects makes each flush slower:
            # 1,000 towns in one session took longer than half an hour.
            db.session.commit()
            db.session.expunge_all()
    db.session.commit()
    # Categories have no config file; Core insert with the town set explicitly.
    rows = []
    for town in towns:
        names = rng.sample(w.CATEGORIES, rng.randint(6, len(w.CATEGORIES)))
        rows += [
            {"tenant_id": town.tenant_id, "name": n, "position": i} for i, n in enumerate(names)
        ]
    db.session.execute(insert(Category.__table__), rows)
    db.session.commit()
    by_id = {t.tenant_id: t for t in towns}
    # Core selects: outside the tenant wall, which only guards ORM statements.
    for row in db.session.execute(
        select(District.__table__.c.id, District.__table__.c.tenant_id, District.__table__.c.name)
    ):
        by_id[row.tenant_id].districts.append((row.id, row.name))
    for row in db.session.execute(
        select(Category.__table__.c.id, Category.__table__.c.tenant_id, Category.__table__.c.name)
    ):
        by_id[row.tenant_id].categories.append((row.id, row.name))
    return towns


def fix_sequences(conn: Any) -> None:
    for table in COLUMNS:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )


CHECKS = {
    "support_count matches the supports": """
        SELECT count(*) FROM project p
        WHERE p.support_count <> (SELECT count(*) FROM project_support s WHERE s.project_id = p.id)
    """,
    "memberships in the project's town": """
        SELECT count(*) FROM membership m JOIN project p ON p.id = m.project_id
        JOIN user_account u ON u.id = m.user_id
        WHERE m.tenant_id <> p.tenant_id OR u.tenant_id <> p.tenant_id
    """,
    "supports in the project's town": """
        SELECT count(*) FROM project_support s JOIN project p ON p.id = s.project_id
        JOIN user_account u ON u.id = s.user_id
        WHERE s.tenant_id <> p.tenant_id OR u.tenant_id <> p.tenant_id
    """,
    "comments in the project's town": """
        SELECT count(*) FROM comment c JOIN project p ON p.id = c.project_id
        LEFT JOIN comment parent ON parent.id = c.parent_id
        WHERE c.tenant_id <> p.tenant_id OR parent.project_id <> c.project_id
    """,
    "categories and districts in the project's town": """
        SELECT count(*) FROM project p LEFT JOIN category c ON c.id = p.category_id
        LEFT JOIN district d ON d.id = p.district_id
        WHERE c.tenant_id <> p.tenant_id OR d.tenant_id <> p.tenant_id
    """,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="projektfabrik_bench")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="SQLAlchemy URL of the server")
    parser.add_argument("--towns", type=int, default=50)
    parser.add_argument("--projects", type=int, default=2000, help="per town")
    parser.add_argument("--people", type=int, default=200, help="per town")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--rev", help="seed with the migrations of this commit (see snapshot.py)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    rng = random.Random(args.seed)
    url = database_url(args.server, args.database)
    recreate_database(args.server, args.database)
    print(f"database {args.database} created", flush=True)

    stemmer = MemoStemmer(snowballstemmer.stemmer("german"))
    search._stemmer = lambda: stemmer  # type: ignore[assignment]  # see MemoStemmer

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-seed",
            "RATELIMIT_ENABLED": False,
            "UPLOADS_DIR": str(BENCH / "results" / "uploads"),
        }
    )
    with app.app_context():
        runner.upgrade()
        print(f"migrations done ({time.monotonic() - started:.0f} s)", flush=True)
        towns = create_towns(rng, args.towns)
        print(f"{len(towns)} towns created ({time.monotonic() - started:.0f} s)", flush=True)

        ids = Ids()
        gen = Generator(rng, ids)
        totals = dict.fromkeys(COLUMNS, 0)
        raw = db.engine.raw_connection()
        try:
            conn = raw.driver_connection
            with conn.cursor() as cursor:
                for town in towns:
                    people = gen.people(town, args.people)
                    rows = {"user_account": people, **gen.town(town, people, args.projects)}
                    for table in LOAD_ORDER:
                        copy_rows(cursor, table, rows[table])
                        totals[table] += len(rows[table])
                    conn.commit()
                    if town.index % 5 == 0 or town.index == len(towns):
                        print(
                            f"  {town.index}/{len(towns)} towns loaded "
                            f"({time.monotonic() - started:.0f} s)",
                            flush=True,
                        )
        finally:
            raw.close()

        with db.engine.begin() as conn:
            fix_sequences(conn)
            failed = {}
            for label, sql in CHECKS.items():
                bad = conn.execute(text(sql)).scalar_one()
                if bad:
                    failed[label] = bad
        db.engine.dispose()

    analyse = create_engine(url, isolation_level="AUTOCOMMIT")
    with analyse.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
        size = conn.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))"))
        size_text = size.scalar_one()
    analyse.dispose()

    for table, count in totals.items():
        print(f"  {table:24} {count:>9,}")
    print(f"database size {size_text}; done in {time.monotonic() - started:.0f} s")
    if failed:
        print(f"CONSISTENCY CHECKS FAILED: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
