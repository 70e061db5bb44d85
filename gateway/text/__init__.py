"""gateway.text."""
