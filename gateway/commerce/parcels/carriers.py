"""Which carriers sellers may book by USSD, and the names and tracking numbers they type.

The list per country is a setting (`CARRIERS="KE=swiftbox,sendy;UG=posta-ug"`): which
carriers Sokoni works with is a business arrangement that changes without a release, not
country data. A name is what the carrier's webhooks call themselves.
"""

from __future__ import annotations

import re

from config.countries import COUNTRIES

CARRIER_NAME_MAX = 20
CARRIER_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,19}")
"""A carrier's name: 1-20 lower-case letters, digits, `-` or `_` (as its webhooks send it)."""
TRACKING_MAX = 40
"""Longest carrier tracking number kept."""
TRACKING = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]{2,39}")
"""A tracking number as typed: 3-40 letters, digits and the separators carriers print."""


def parse_carriers(text: str) -> dict[str, tuple[str, ...]]:
    """`KE=swiftbox,sendy;UG=posta-ug` as {"KE": ("swiftbox", "sendy"), "UG": ("posta-ug",)}.

    Raises:
        ValueError: an unknown country or a name a carrier webhook could not carry.
    """
    table: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        country, _, names = part.partition("=")
        country = country.strip().upper()
        listed = tuple(n.strip().lower() for n in names.split(",") if n.strip())
        if country not in COUNTRIES or not listed:
            raise ValueError(f"CARRIERS: not a COMESA country and its carriers: {part!r}")
        bad = [n for n in listed if not CARRIER_NAME.fullmatch(n)]
        if bad:
            raise ValueError(f"CARRIERS: not a carrier name: {', '.join(bad)}")
        table[country] = listed
    return table


def carrier_name(text: str) -> str | None:
    """A carrier's name as a seller typed it (`Swift Box` -> `swift-box`), or None."""
    name = re.sub(r"\s+", "-", text.strip().lower())
    return name if CARRIER_NAME.fullmatch(name) else None


def tracking_number(text: str) -> str | None:
    """A tracking number as typed, spaces at its ends gone, or None if it cannot be one."""
    number = text.strip()
    return number if TRACKING.fullmatch(number) else None
