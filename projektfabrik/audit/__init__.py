"""The town's audit log: who changed what, when (read by the town's admin)."""
