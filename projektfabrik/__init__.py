"""Projektfabrik: from the idea to the plan to the funding application.

The public entry point is :func:`create_app`.
"""

from projektfabrik.app import create_app

__all__ = ["create_app"]
