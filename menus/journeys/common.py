"""Screens every journey may lead to."""

from menus.screens import End
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (End("confirm.cancelled"),)
