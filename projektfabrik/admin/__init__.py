"""The town admin's area (``/verwaltung``): the admin's overview and the "Module" page."""
