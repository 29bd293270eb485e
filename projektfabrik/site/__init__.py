"""The town's own pages: landing, legal pages, theme, logo, language switch, health."""
