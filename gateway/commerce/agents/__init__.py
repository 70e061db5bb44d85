"""gateway.commerce.agents."""
