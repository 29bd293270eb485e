"""Projektfabrik: from the idea to the plan to the funding application.

The public entry point is :func:`create_app`.
"""

#: The release, in one place: setup.cfg reads it, CHANGELOG.md lists what each one
#: changed (docs/operations.md, "Releases and upgrades").
__version__ = "0.5.0"

from projektfabrik.app import create_app  # noqa: E402 - after the version, which setup.cfg reads

__all__ = ["__version__", "create_app"]
