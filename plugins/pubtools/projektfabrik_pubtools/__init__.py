"""Kneipentools: printable worksheets that lead back online, a Projektfabrik plugin."""
