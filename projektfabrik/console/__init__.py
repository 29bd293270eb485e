"""The operator console: the deployment's own site, on its own host, for the people
who run it (never a town's admin). Towns at a glance and their life cycle."""
