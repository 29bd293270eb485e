"""Tenancy: one deployment, many municipalities, no data crossing between them."""
