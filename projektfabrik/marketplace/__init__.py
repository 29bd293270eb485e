"""The town's public project marketplace."""
