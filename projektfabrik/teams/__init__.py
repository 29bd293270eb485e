"""Teams: the people behind a project."""
