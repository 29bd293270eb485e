"""Moderated project workshops (Projektwerkstätten): a Projektfabrik plugin."""
