"""Regions: neighbouring towns showing each other their public projects (docs/architecture.md)."""
