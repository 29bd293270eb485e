"""Business plans from project plans: a Projektfabrik plugin."""
