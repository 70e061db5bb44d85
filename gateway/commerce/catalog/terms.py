"""What can be sold and in what measure: categories, units, and the sizes screens are built for."""

from __future__ import annotations

CATEGORIES = ("grains", "vegetables", "fruit", "livestock", "dairy", "crafts", "tools", "other")
UNITS = ("kg", "bag", "crate", "piece", "litre", "bunch", "tray", "dozen")
NAME_MAX = 24
"""Longest listing name a seller may give; screens are budgeted for it."""
MAX_QUANTITY = 9999
"""Most units one order takes and one listing holds in stock."""
