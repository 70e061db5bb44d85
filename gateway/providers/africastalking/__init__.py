"""gateway.providers.africastalking."""
