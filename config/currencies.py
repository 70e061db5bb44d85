"""Currencies Sokoni handles and their minor units (ISO 4217 exponents)."""

from __future__ import annotations

from config.countries import COUNTRIES

EXPONENTS: dict[str, int] = {"USD": 2, "EUR": 2} | {
    c.currency: c.exponent for c in COUNTRIES.values()
}
"""Decimal places of the minor unit of each currency: every COMESA member's, USD and EUR."""


class UnknownCurrency(ValueError):
    """Raised for a currency code Sokoni does not handle."""


def exponent(currency: str) -> int:
    """Number of minor-unit decimal places of `currency`.

    Raises:
        UnknownCurrency.
    """
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise UnknownCurrency(f"Unknown currency code: {currency!r}") from None
