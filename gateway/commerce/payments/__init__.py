"""gateway.commerce.payments."""
