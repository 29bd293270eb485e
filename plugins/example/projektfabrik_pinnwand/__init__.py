"""Pinnwand: a notice board for the town. The example plugin of docs/plugins.md."""

NAME = "pinnwand"
