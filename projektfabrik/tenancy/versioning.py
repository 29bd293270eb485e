"""A town's content version: raised by one with every commit that changes the town.

The page cache (:mod:`projektfabrik.pagecache`) keys every stored page on
``Tenant.content_version``. The number is read with the town itself, which
every request loads anyway, so telling a fresh cached page from a stale one
costs no query.

What raises it: any commit whose flush inserted, changed or deleted a row of a
:class:`TenantScoped` model, the :class:`Tenant` row or one of its
:class:`TenantHost` rows, and any ORM bulk ``insert``/``update``/``delete`` on
such a model. Models whose changes can
never show on a page that is cached (the mail outbox, notifications) say so
with ``__affects_public_pages__ = False`` and are left out: they change all the
time and would empty the cache for nothing. Everything else counts, plugins'
models included, so forgetting to declare something costs cache hits, never
correctness.

The raise is the last statement of the committing transaction (``before_commit``),
so the new number and the new data become visible together: a request that
sees the new number also sees the new data. Taking the town row's lock last,
just before the commit, keeps it held for microseconds and cannot deadlock
with another transaction's row locks.

Writes that bypass the ORM session (raw SQL, ``COPY``) do not raise it; the
cache's time limit (``PAGE_CACHE_SECONDS``) bounds how long they go unseen.

Two finer versions let what a worker keeps for **one project's pages** outlive
changes to other projects (workercache.py, ``scope=project``):

* ``Project.version``, raised by a commit that changed a row of a model that
  declares ``__project_key__`` (the attribute naming the row's project: a
  support, a comment, a team membership, a plan section, the project itself)
  or a bulk statement that names its projects
  (``execution_options(projektfabrik_project_ids=[...])``);
* ``Tenant.shared_version``, raised by every other change of the town (its
  settings, categories, people, and every model that declares nothing).

A model declares ``__project_key__`` only when its rows show, besides the
town's lists (which follow ``content_version``), on that project's pages and
nowhere else. Declaring it for anything else would leave another page stale;
declaring nothing costs hits only. Every change raises ``content_version``
as before.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any

from sqlalchemy import case, event, inspect, update
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session

from projektfabrik.tenancy.context import current_tenant_id_or_none
from projektfabrik.tenancy.isolation import TenantScoped
from projektfabrik.tenancy.models import Tenant, TenantHost

#: Key in ``Session.info``: the ids of the towns changed in this transaction.
_CHANGED = "projektfabrik_changed_tenants"
#: Stands for "every town" (an operator's bulk statement across towns).
EVERY_TOWN = 0
#: Key in ``Session.info``: the towns with a change that is not one project's.
_SHARED = "projektfabrik_changed_shared"
#: Key in ``Session.info``: the projects changed in this transaction (ids).
_PROJECTS = "projektfabrik_changed_projects"
#: Key in ``Session.info``: the towns whose versions this transaction raised,
#: for what keeps things per town beyond the version (requestmemo.py).
_RAISED = "projektfabrik_raised_towns"


def affects_public_pages(cls: type) -> bool:
    """Whether a change to a row of ``cls`` may change what a cached page shows.

    The town itself and its host names count too: pages carry links built
    from the canonical host.
    """
    if issubclass(cls, (Tenant, TenantHost)):
        return True
    return issubclass(cls, TenantScoped) and getattr(cls, "__affects_public_pages__", True)


def _changed(session: Session) -> set[int]:
    return session.info.setdefault(_CHANGED, set())


def _note(session: Session, tenant_id: int, project_id: int | None) -> None:
    """Count a change of this town, and of this project or else of the town's shared rows."""
    _changed(session).add(tenant_id)
    if project_id is None:
        session.info.setdefault(_SHARED, set()).add(tenant_id)
    else:
        session.info.setdefault(_PROJECTS, set()).add(project_id)


def has_uncommitted_changes(session: Session) -> bool:
    """Whether this transaction has flushed a change of some town (not yet committed)."""
    return bool(session.info.get(_CHANGED))


def mark_changed(session: Session | scoped_session[Any], tenant_ids: set[int]) -> None:
    """Count other towns as changed by this transaction: their cached pages show
    something of this one (a region's neighbours, projektfabrik/regions)."""
    session.info.setdefault(_CHANGED, set()).update(tenant_ids)
    session.info.setdefault(_SHARED, set()).update(tenant_ids)


def _note_flush(session: Session, flush_context: Any) -> None:
    # after_flush: tenant ids are stamped by now, and new/dirty/deleted still
    # describe what this flush wrote.
    for obj in chain(session.new, session.deleted):
        _note_object(session, obj)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            _note_object(session, obj)


def _note_object(session: Session, obj: Any) -> None:
    cls = type(obj)
    if not affects_public_pages(cls):
        return
    tenant_id = obj.id if isinstance(obj, Tenant) else obj.tenant_id
    if tenant_id is None:
        return
    key = getattr(cls, "__project_key__", None)
    project_id = None
    if key:
        state = inspect(obj)
        # Read from the row's loaded values: a deleted row cannot load anything.
        project_id = state.dict.get(key)
        if any(old is not None for old in state.attrs[key].history.deleted):
            # Moved to another project: both projects' pages change.
            project_id = None
    _note(session, tenant_id, project_id)


def _note_bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.execution_options.get("projektfabrik_version_bump"):
        return
    if not any(affects_public_pages(m.class_) for m in state.all_mappers):
        return
    tenant_id = current_tenant_id_or_none()
    town = EVERY_TOWN if tenant_id is None else tenant_id
    projects = state.execution_options.get("projektfabrik_project_ids")
    if projects and tenant_id is not None:
        for project_id in projects:
            _note(state.session, town, project_id)
    else:
        _note(state.session, town, None)


def taken_at_commit(session: Session, key: str) -> Any:
    """What a version keeper noted in ``session.info[key]`` during this
    transaction, taken out as it commits; ``None`` when there is nothing, or
    inside a savepoint (its changes count when the whole transaction commits)."""
    if session.in_nested_transaction():
        return None
    # Commit flushes after this hook; flush first so those changes count too.
    session.flush()
    return session.info.pop(key, None) or None


def note_raised(session: Session, tenant_ids: set[int]) -> None:
    """Record that this transaction raises a version of these towns (or people in them)."""
    session.info.setdefault(_RAISED, set()).update(tenant_ids)


def take_raised(session: Session) -> set[int]:
    """The towns :func:`note_raised` recorded, taken out (after commit or rollback)."""
    return set(session.info.pop(_RAISED, ()))


def _raise_versions(session: Session) -> None:
    changed = taken_at_commit(session, _CHANGED)
    if not changed:
        return
    shared: set[int] = session.info.pop(_SHARED, None) or set()
    projects: set[int] = session.info.pop(_PROJECTS, None) or set()
    note_raised(session, changed)
    bump = {"projektfabrik_version_bump": True, "synchronize_session": False}
    if EVERY_TOWN in shared:
        raise_shared: Any = 1
    else:
        raise_shared = case((Tenant.id.in_(sorted(shared)), 1), else_=0) if shared else 0
    statement = update(Tenant).values(
        content_version=Tenant.content_version + 1,
        shared_version=Tenant.shared_version + raise_shared,
    )
    if EVERY_TOWN not in changed:
        statement = statement.where(Tenant.id.in_(sorted(changed)))
    session.execute(statement.execution_options(**bump))
    if projects:
        from projektfabrik.projects.models import Project

        # The ids are of rows this transaction wrote, whichever towns they are in.
        session.execute(
            update(Project)
            .where(Project.id.in_(sorted(projects)))
            .values(version=Project.version + 1)
            .execution_options(projektfabrik_all_tenants=True, **bump)
        )


def _forget(session: Session) -> None:
    if session.in_nested_transaction():
        # Rolling back to a savepoint: what came before it still commits. (What
        # the savepoint wrote stays counted; one needless raise does no harm.)
        return
    for key in (_CHANGED, _SHARED, _PROJECTS):
        session.info.pop(key, None)


def install(session_class: type[Session]) -> None:
    """Attach the version keeping to a session class. Safe to call more than once."""
    attach(
        session_class,
        [
            ("after_flush", _note_flush),
            ("do_orm_execute", _note_bulk_statement),
            ("before_commit", _raise_versions),
            ("after_rollback", _forget),
        ],
    )


def attach(session_class: type[Session], listeners: list[tuple[str, Callable[..., Any]]]) -> None:
    """Listen to session events, each listener once however often this is called.

    Other version keepers (notifications/counting.py) use it too.
    """
    for name, listener in listeners:
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
