"""gateway.commerce.messaging."""
