"""Which language to write to someone in, among those Sokoni has texts for."""

from __future__ import annotations

from collections.abc import Sequence

from config.countries import COUNTRIES


def language_for(
    chosen: str | None,
    country: str,
    available: Sequence[str],
    hinted: frozenset[str] = frozenset(),
) -> str:
    """The person's chosen language, else one their words were in (`hinted`), else the first
    of their country's languages that Sokoni speaks, else the first available."""
    if chosen is not None and chosen in available:
        return chosen
    for language in available:
        if language in hinted:
            return language
    spoken = COUNTRIES[country].languages if country in COUNTRIES else ()
    return next((language for language in spoken if language in available), available[0])
