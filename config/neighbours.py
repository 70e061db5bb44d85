"""Which COMESA members share a land border, and which part of the region each lies in.

"Buy -> Other countries" lists neighbours first, then members of the same part of the region,
then the rest (`gateway.commerce.origin.markets`). Borders between two members only: a
border with a non-member (Tanzania, South Sudan, Mozambique...) is no shortcut here.
"""

from __future__ import annotations

BORDERS = (
    ("BI", "CD"),
    ("BI", "RW"),
    ("CD", "RW"),
    ("CD", "UG"),
    ("CD", "ZM"),
    ("DJ", "ER"),
    ("DJ", "ET"),
    ("DJ", "SO"),
    ("EG", "LY"),
    ("EG", "SD"),
    ("ER", "ET"),
    ("ER", "SD"),
    ("ET", "KE"),
    ("ET", "SD"),
    ("ET", "SO"),
    ("KE", "SO"),
    ("KE", "UG"),
    ("LY", "SD"),
    ("LY", "TN"),
    ("MW", "ZM"),
    ("RW", "UG"),
    ("ZM", "ZW"),
)
"""Land borders between two members, each pair once."""

PARTS = {
    "east": ("BI", "CD", "KE", "RW", "UG"),
    "horn": ("DJ", "ER", "ET", "SO"),
    "north": ("EG", "LY", "SD", "TN"),
    "south": ("MW", "SZ", "ZM", "ZW"),
    "islands": ("KM", "MG", "MU", "SC"),
}
"""Parts of the region, for "nearest first" after the neighbours; every member in one."""


def neighbours(iso: str) -> frozenset[str]:
    """The members sharing a land border with `iso`."""
    return frozenset(b if a == iso else a for a, b in BORDERS if iso in (a, b))


def part_of(iso: str) -> str:
    """The part of the region `iso` lies in."""
    return next(part for part, members in PARTS.items() if iso in members)


def nearness(home: str, other: str) -> int:
    """0 for a neighbour of `home`, 1 for the same part of the region, 2 for the rest."""
    if other in neighbours(home):
        return 0
    return 1 if part_of(other) == part_of(home) else 2
