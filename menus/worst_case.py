"""The widest values any screen or SMS must show: the USSD screen check and the SMS segment
check both fill their texts with these."""

from __future__ import annotations

from config.countries import COUNTRIES
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.commerce.places import PLACE_MAX
from menus.i18n import PLURAL_FORMS as FORMS
from menus.i18n import form

LARGEST_MINOR = 10**12 - 1
"""Largest amount, in minor units, any screen or SMS must show."""
PHONE_MAX = 16
"""Longest E.164 number: `+` and 15 digits."""

__all__ = ["LARGEST_MINOR", "PHONE_MAX", "PLACE_MAX", "longest", "worst_currency", "worst_money"]


def worst_currency(language: str) -> str:
    """The currency whose largest amount prints widest in `language`."""
    currencies = sorted({c.currency for c in COUNTRIES.values()})
    return max(currencies, key=lambda c: len(format_money(Money(LARGEST_MINOR, c), language)))


def worst_money(language: str) -> str:
    """The widest amount any screen or SMS shows in `language`."""
    return format_money(Money(LARGEST_MINOR, worst_currency(language)), language)


def longest(language: str, prefix: str, slugs: tuple[str, ...]) -> str:
    """The slug whose text `<prefix>.<slug>` (in any plural form) is longest in `language`."""
    return max(slugs, key=lambda s: max(len(form(language, f"{prefix}.{s}", f)) for f in FORMS))
