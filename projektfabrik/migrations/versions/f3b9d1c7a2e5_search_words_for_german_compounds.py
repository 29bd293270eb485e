"""search words for German compounds

Revision ID: f3b9d1c7a2e5
Revises: f3a9c1d7e5b2
Create Date: 2026-11-27 10:00:00

Search finds parts of compound words, prefixes, words without accents and
small typos (docs/search.md). A project keeps its folded words (lower case,
no accents, title words before a ``|``) in ``search_words``, filled here for
every existing row; ``search_stems`` (SQLite) and the PostgreSQL ``german``
tsvector ``search_vector`` with its GIN index are no longer read and go.

On PostgreSQL a trigram GIN index (extension ``pg_trgm``, created here: the
role that runs migrations must be allowed to, see deploy/README.md) answers
the ``LIKE`` patterns of a search. Downgrading keeps the extension: other
databases objects may use it, and it costs nothing unused.
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "f3b9d1c7a2e5"
down_revision = "f3a9c1d7e5b2"
branch_labels = None
depends_on = None

BATCH = 1000
WORD = re.compile(r"[^\W_]+", re.UNICODE)


# A frozen copy of projects/search.py at this revision: a migration must not
# change when that module does.
def _words(text: str) -> list[str]:
    text = (text or "").lower().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c)))


def _search_words(title: str, *parts: str) -> str:
    rest = " ".join(p for p in parts if p)
    title_words = list(dict.fromkeys(_words(title)))
    return " " + " ".join([*title_words, "|", *dict.fromkeys(_words(rest))]) + " "


def _search_stems(text: str) -> str:
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("german")
    stems = stemmer.stemWords(re.findall(r"\w+", (text or "").lower()))
    return " " + " ".join(dict.fromkeys(stems)) + " "


project = sa.table(
    "project",
    sa.column("id", sa.Integer),
    sa.column("title", sa.Text),
    sa.column("pitch", sa.Text),
    sa.column("description_md", sa.Text),
    sa.column("wanted_skills", sa.Text),
    sa.column("search_text", sa.Text),
    sa.column("search_words", sa.Text),
    sa.column("search_stems", sa.Text),
)


def _fill(column: str, compute) -> None:  # type: ignore[no-untyped-def]
    """Set ``column`` of every project (all towns: a migration crosses them), in batches."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(
                project.c.id,
                project.c.title,
                project.c.pitch,
                project.c.description_md,
                project.c.wanted_skills,
                project.c.search_text,
            )
            .where(project.c.id > last)
            .order_by(project.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            project.update()
            .where(project.c.id == sa.bindparam("row_id"))
            .values({column: sa.bindparam("value")}),
            [{"row_id": row.id, "value": compute(row)} for row in rows],
        )
        last = rows[-1].id


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.add_column("project", sa.Column("search_words", sa.Text(), nullable=True))
    _fill(
        "search_words",
        lambda r: _search_words(r.title, r.pitch, r.description_md, r.wanted_skills),
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.alter_column("search_words", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("search_stems")
    if postgres:
        op.execute("DROP INDEX IF EXISTS ix_project_search_vector")
        op.execute("ALTER TABLE project DROP COLUMN IF EXISTS search_vector")
        op.execute(
            "CREATE INDEX ix_project_search_words ON project USING gin (search_words gin_trgm_ops)"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP INDEX IF EXISTS ix_project_search_words")
        op.execute(
            "ALTER TABLE project ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('german', coalesce(search_text, ''))) STORED"
        )
        op.execute("CREATE INDEX ix_project_search_vector ON project USING gin (search_vector)")
    op.add_column("project", sa.Column("search_stems", sa.Text(), nullable=True))
    _fill("search_stems", lambda r: _search_stems(r.search_text))
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.alter_column("search_stems", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("search_words")
