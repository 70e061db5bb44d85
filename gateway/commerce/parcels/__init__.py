"""gateway.commerce.parcels."""
