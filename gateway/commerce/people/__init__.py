"""gateway.commerce.people."""
