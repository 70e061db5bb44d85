"""gateway.cli."""
