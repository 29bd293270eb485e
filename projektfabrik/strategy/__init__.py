"""The town's strategy goals, the indicators that measure them, and what projects
contribute to them (expected and reported, confirmed by town staff)."""
