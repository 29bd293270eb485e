"""Shared fixtures for core and plugin tests live in projektfabrik.testing."""

pytest_plugins = ["projektfabrik.testing"]
