"""The tenant wall on the ORM session: reads, writes, bulk statements, opt-out."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.tenancy.context import NoTenantError, tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS, CrossTenantWriteError, check_models
from projektfabrik.tenancy.models import District
from projektfabrik.testing import Town


def test_select_sees_only_the_current_town(town_a: Town, town_b: Town) -> None:
    town_a.user("anna@example.org")
    town_b.user("bert@example.org")
    with town_a.context():
        assert [u.email for u in db.session.scalars(select(User))] == ["anna@example.org"]
    with town_b.context():
        assert [u.email for u in db.session.scalars(select(User))] == ["bert@example.org"]


def test_lookup_by_id_of_another_town_finds_nothing(town_a: Town, town_b: Town) -> None:
    anna = town_a.user("anna@example.org")
    with town_b.context():
        assert db.session.scalar(select(User).where(User.id == anna.id)) is None


def test_aggregates_and_joins_are_scoped(town_a: Town, town_b: Town) -> None:
    town_a.user()
    town_a.user()
    town_b.user()
    with town_b.context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        joined = db.session.execute(
            select(User.email, District.name).join(District, isouter=True)
        ).all()
        assert len(joined) == 1


def test_bulk_update_and_delete_are_scoped(town_a: Town, town_b: Town) -> None:
    town_a.user("anna@example.org")
    town_b.user("bert@example.org")
    with town_b.context():
        db.session.execute(update(User).values(organisation="hacked"))
        db.session.execute(delete(District))
        db.session.commit()
    db.session.expire_all()
    with town_a.context():
        anna = db.session.scalar(select(User))
        assert anna.organisation == ""
        assert db.session.scalar(select(func.count()).select_from(District)) == 2


def test_query_without_town_raises(town_a: Town) -> None:
    town_a.user()
    with tenant_context(None), pytest.raises(NoTenantError):
        db.session.scalars(select(User)).all()


def test_explicit_opt_out_reads_across_towns(town_a: Town, town_b: Town) -> None:
    town_a.user()
    town_b.user()
    with tenant_context(None):
        count = db.session.scalar(
            select(func.count()).select_from(User).execution_options(**ALL_TENANTS)
        )
    assert count == 2


def test_insert_is_stamped_with_the_current_town(town_a: Town) -> None:
    with town_a.context():
        district = District(name="Neu")
        db.session.add(district)
        db.session.commit()
        assert district.tenant_id == town_a.tenant.id


def test_insert_for_another_town_is_refused(town_a: Town, town_b: Town) -> None:
    with town_a.context():
        db.session.add(District(name="Fremd", tenant_id=town_b.tenant.id))
        with pytest.raises(CrossTenantWriteError):
            db.session.flush()
    db.session.rollback()


def test_insert_without_town_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(None):
        db.session.add(District(name="Nirgendwo"))
        with pytest.raises(NoTenantError):
            db.session.flush()
    db.session.rollback()


def test_changing_an_object_under_another_town_is_refused(town_a: Town, town_b: Town) -> None:
    with town_a.context():
        district = db.session.scalar(select(District))
    with town_b.context():
        district.name = "Umbenannt"
        with pytest.raises(CrossTenantWriteError):
            db.session.flush()
    db.session.rollback()


def test_moving_a_row_to_another_town_is_refused(town_a: Town, town_b: Town) -> None:
    with town_a.context():
        district = db.session.scalar(select(District))
        district.tenant_id = town_b.tenant.id
        with pytest.raises(CrossTenantWriteError):
            db.session.flush()
    db.session.rollback()


def test_every_model_is_scoped_or_declared_global(app) -> None:  # type: ignore[no-untyped-def]
    assert check_models(db.Model) == []


def test_an_unscoped_model_is_reported() -> None:
    class Base(DeclarativeBase):
        pass

    class Leaky(Base):
        __tablename__ = "leaky"
        id: Mapped[int] = mapped_column(primary_key=True)

    assert check_models(Base) == [f"{__name__}.test_an_unscoped_model_is_reported.<locals>.Leaky"]
