"""Funding pots, applications from the project plan, review and decision: a Projektfabrik plugin."""

NAME = "funding"
