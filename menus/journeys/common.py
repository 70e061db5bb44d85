"""Screens every journey may lead to."""

from menus.screens import End

SCREENS = (End("confirm.cancelled", "confirm.cancelled"),)
