"""Other member states a buyer can order from: those with goods in stock, nearest first
(a shared border, then the same part of the region, `config/neighbours.py`)."""

from __future__ import annotations

from config.neighbours import nearness
from gateway.store.uow import UnitOfWork


def markets_for(uow: UnitOfWork, home: str) -> list[tuple[str, int]]:
    """`(country, nearness)` of every other member with goods in stock, nearest first (the
    menus order each group by the country's name in the reader's language); the countries
    in stock are a few seconds old at most (`uow.shelf`)."""

    def read() -> tuple[str, ...]:
        with uow.autocommit() as reading:
            return tuple(reading.listings.countries_in_stock())

    stocked = uow.shelf.get(("countries in stock",), read)
    found = [(iso, nearness(home, iso)) for iso in stocked if iso != home]
    return sorted(found, key=lambda pair: (pair[1], pair[0]))
