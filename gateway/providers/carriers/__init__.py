"""gateway.providers.carriers."""
