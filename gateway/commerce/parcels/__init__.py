"""Parcels: the status machine, recording events, codes, news, carriers, tracking."""
