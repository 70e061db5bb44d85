"""Other member states a buyer can order from: those with goods in stock, nearest first
(a shared border, then the same part of the region, `config/neighbours.py`)."""

from __future__ import annotations

from config.neighbours import nearness
from gateway.store.uow import UnitOfWork


def markets_for(uow: UnitOfWork, home: str) -> list[tuple[str, int]]:
    """`(country, nearness)` of every other member with goods in stock, nearest first (the
    menus order each group by the country's name in the reader's language)."""
    with uow:
        stocked = uow.listings.countries_in_stock()
    found = [(iso, nearness(home, iso)) for iso in stocked if iso != home]
    return sorted(found, key=lambda pair: (pair[1], pair[0]))
