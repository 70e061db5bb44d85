"""gateway.commerce.catalog."""
