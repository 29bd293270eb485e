"""Accounts: one per person and town; the same e-mail may hold one in each town."""
