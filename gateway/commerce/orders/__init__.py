"""gateway.commerce.orders."""
