"""Helpers for the tests of regions: a region of Stadt A and Stadt B, a town opting in."""

from __future__ import annotations

from projektfabrik.accounts.models import Role
from projektfabrik.extensions import db
from projektfabrik.regions import config, services
from projektfabrik.regions.models import Region
from projektfabrik.testing import Town

REGION_HOST = "region-test.test"


def make_region(
    host: str = REGION_HOST,
    members: tuple[str, ...] = ("stadt-a", "stadt-b"),
    welcome_md: str = "",
) -> Region:
    """Create (or change) the region "testkreis" as ``projektfabrik region sync`` would."""
    found = config.apply(
        config.RegionConfig(
            slug="testkreis", name="Landkreis Test", host=host, members=members,
            primary_color="#2e6b30", welcome_md=welcome_md,
        )
    )  # fmt: skip
    db.session.commit()
    return found


def opt_in(town: Town, section: bool = False) -> None:
    """The town's admin (created here) takes part, projects shown unless a team says no."""
    admin = town.user(f"admin-{town.slug}@example.org", role=Role.ADMIN)
    with town.request_context():
        services.set_choice(admin, services.TownChoice(True, True, section))
        db.session.commit()
