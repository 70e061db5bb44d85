"""gateway.providers.payments."""
