"""Council motions from a planned project: a Projektfabrik plugin."""
