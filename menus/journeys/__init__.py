"""Every journey's screens, checked at import: ids unique, every transition lands somewhere."""

from __future__ import annotations

from menus.journeys import buy
from menus.journeys import common
from menus.journeys import home
from menus.screens import Screen

JOURNEYS = (home, buy, common)


class InvalidJourney(Exception):
    """A journey declares a screen twice or leads to a screen that does not exist."""


def collect(modules: tuple = JOURNEYS) -> dict[str, Screen]:
    screens: dict[str, Screen] = {}
    for module in modules:
        for screen in module.SCREENS:
            if screen.id in screens:
                raise InvalidJourney(f"screen {screen.id!r} declared twice")
            screens[screen.id] = screen
    for screen in screens.values():
        targets = [getattr(screen, "goto", "")] + [c.goto for c in getattr(screen, "choices", ())]
        for target in filter(None, targets):
            if target not in screens:
                raise InvalidJourney(f"{screen.id!r} leads to unknown screen {target!r}")
    return screens


SCREENS = collect()
