"""Every journey's screens in one table, checked at import: ids unique, every transition
lands somewhere."""

from __future__ import annotations

from typing import Protocol

from menus.journeys import account
from menus.journeys import agent
from menus.journeys import buy
from menus.journeys import buy_abroad
from menus.journeys import buy_order
from menus.journeys import common
from menus.journeys import home
from menus.journeys import list_goods
from menus.journeys import my_money
from menus.journeys import orders
from menus.journeys import origin
from menus.journeys import parcels
from menus.journeys import pay_again
from menus.journeys import sell
from menus.journeys import sell_manage
from menus.screens import Screen


class Journey(Protocol):
    """A journey module: its screens, in the order a caller meets them."""

    def screens(self) -> tuple[Screen, ...]: ...


JOURNEYS: tuple[Journey, ...] = (
    home,
    buy,
    buy_order,
    buy_abroad,
    sell,
    list_goods,
    sell_manage,
    my_money,
    orders,
    pay_again,
    account,
    agent,
    parcels,
    origin,
    common,
)


class InvalidJourney(Exception):
    """A journey declares a screen twice or leads to a screen that does not exist."""


def collect(modules: tuple[Journey, ...] = JOURNEYS) -> dict[str, Screen]:
    screens: dict[str, Screen] = {}
    for module in modules:
        for screen in module.screens():
            if screen.id in screens:
                raise InvalidJourney(f"screen {screen.id!r} declared twice")
            screens[screen.id] = screen
    for screen in screens.values():
        targets = [getattr(screen, "goto", "")] + [c.goto for c in getattr(screen, "choices", ())]
        targets += [target for _, target in getattr(screen, "routes", ())]
        targets += [target for _, target in getattr(screen, "branches", ())]
        for target in filter(None, targets):
            if target not in screens:
                raise InvalidJourney(f"{screen.id!r} leads to unknown screen {target!r}")
    return screens


SCREENS = collect()
