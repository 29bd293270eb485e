"""Run Alembic from inside the app (``projektfabrik db upgrade``, tests)."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).resolve().parent

#: Indexes that exist only on PostgreSQL, written by hand in migrations; the
#: models cannot declare them, so comparisons leave them out.
DIALECT_SPECIFIC_INDEXES = {"ix_project_search_words"}

#: Columns that exist only on PostgreSQL, left out likewise (none since
#: ``project.search_vector`` went, see projects/search.py).
DIALECT_SPECIFIC_COLUMNS: set[str] = set()


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Alembic filter: compare everything but the dialect-specific indexes and columns."""
    if type_ == "index":
        return name not in DIALECT_SPECIFIC_INDEXES
    if type_ == "column":
        return name not in DIALECT_SPECIFIC_COLUMNS
    return True


def plugin_locations() -> list[str]:
    """The revisions folder of each installed plugin (one branch each), from the current app."""
    from projektfabrik.plugins import get_manager

    return [str(path) for path in get_manager().migration_locations().values()]


def alembic_config(extra_locations: list[str] | None = None) -> Config:
    """Alembic's config: the core's revisions plus (by default) every installed plugin's."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    if extra_locations is None:
        extra_locations = plugin_locations()
    locations = [str(HERE / "versions"), *extra_locations]
    config.set_main_option("version_locations", " ".join(locations))
    config.set_main_option("path_separator", "space")
    return config


def upgrade(revision: str = "heads") -> None:
    command.upgrade(alembic_config(), revision)


def revision(message: str, autogenerate: bool = True, plugin: str | None = None) -> None:
    """A new revision on the core's branch, or with ``plugin`` on that plugin's branch."""
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    if plugin is None:
        core = HERE / "versions"
        heads = [h for h in script.get_heads() if Path(script.get_revision(h).path).parent == core]
        command.revision(
            config,
            message=message,
            autogenerate=autogenerate,
            head=heads[0] if heads else "base",
            version_path=str(core),
        )
        return
    from projektfabrik.plugins import get_manager

    folder = get_manager().migration_locations().get(plugin)
    if folder is None:
        raise LookupError(f"plugin {plugin!r} is not installed or has no migrations folder")
    branch_exists = any(plugin in (r.branch_labels or ()) for r in script.walk_revisions())
    command.revision(
        config,
        message=message,
        autogenerate=autogenerate,
        head=f"{plugin}@head" if branch_exists else "base",
        branch_label=None if branch_exists else plugin,
        version_path=str(folder),
        depends_on=None if branch_exists else _core_base(script),
    )


def _core_base(script) -> str:  # type: ignore[no-untyped-def]
    core = HERE / "versions"
    bases = [b for b in script.get_bases() if Path(script.get_revision(b).path).parent == core]
    return bases[0]


def heads() -> list[str]:
    """The revisions the installed code (core and plugins) expects the database at."""
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


@functools.cache
def code_heads() -> tuple[str, ...]:
    """:func:`heads`, read once per process: the code does not change while it runs."""
    return tuple(sorted(heads()))
