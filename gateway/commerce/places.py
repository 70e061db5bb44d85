"""Where people and goods are: a country's regions and districts, or a place typed in."""

from __future__ import annotations

from dataclasses import dataclass

from config.countries import COUNTRIES
from gateway.text.folding import fold
from gateway.text.names import clean_name

PLACE_MAX = 20
"""Longest place name (district, region or typed location) a screen must show."""


def regions(country: str) -> list[str]:
    """The country's regions in the order the country data lists them."""
    known = COUNTRIES.get(country)
    return list(known.regions) if known else []


def districts(country: str, region: str) -> list[str]:
    known = COUNTRIES.get(country)
    return list(known.regions.get(region, ())) if known else []


def clean_place(text: str) -> str | None:
    """A typed place name fit to store and show, or None."""
    return clean_name(text, PLACE_MAX)


def locate(country: str, place: str) -> tuple[str | None, str | None]:
    """`(region, district)` for a typed place: a known district, a known region, else the place.

    Matching ignores case and accents, so "nakuru town" finds "Nakuru Town" in Nakuru.
    """
    known = COUNTRIES.get(country)
    wanted = fold(place)
    for region, names in known.regions.items() if known else ():
        for district in names:
            if fold(district) == wanted:
                return region, district
    for region in known.regions if known else ():
        if fold(region) == wanted:
            return region, None
    return None, place


def place_label(region: str | None, district: str | None, country: str) -> str:
    """The most precise name of a place: district, else region, else the country code."""
    return district or region or country


@dataclass(frozen=True)
class Where:
    """A place to shop from: a buyer's, or an agent's customer's."""

    country: str
    region: str | None
    district: str | None
