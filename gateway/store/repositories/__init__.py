"""Queries the domain needs, one module per model module, so `gateway.commerce` never writes SQL."""
