"""Integer minor-unit money: arithmetic, display and parsing of keypad input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from functools import lru_cache
from functools import total_ordering

from babel import Locale
from babel.numbers import NumberPattern
from babel.numbers import parse_pattern

from config.currencies import exponent

_MAX_DIGITS = 12
# Integer part, either plain or grouped in threes by commas/spaces; optional "." fraction.
_AMOUNT = re.compile(r"(?P<int>[0-9]{1,3}(?:[, ][0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?")


class CurrencyMismatch(ValueError):
    """Raised when combining or comparing amounts in different currencies."""


class InvalidAmount(ValueError):
    """Raised for unusable typed amounts; `key` is the locale key for the user-facing message."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@total_ordering
@dataclass(frozen=True)
class Money:
    """An amount in integer minor units (e.g. cents) of one currency."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.minor) is not int:
            raise TypeError(f"Money.minor must be an int, got {type(self.minor).__name__}")
        exponent(self.currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __mul__(self, quantity: object) -> Money:
        if type(quantity) is not int:
            return NotImplemented
        return Money(self.minor * quantity, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.minor < other.minor


_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
"""Babel separates with no-break spaces, which a GSM-7 screen or SMS cannot show."""


@lru_cache(maxsize=64)
def _number_pattern(language: str, decimals: int) -> tuple[NumberPattern, Locale]:
    """`language`'s grouping with `decimals` decimals, parsed once per process."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else "")), Locale.parse(
        language
    )


@cache
def _code_first(language: str) -> bool:
    """Whether `language` writes the currency before the amount (CLDR's currency pattern)."""
    pattern = str(Locale.parse(language).currency_formats["standard"].pattern)
    return pattern.split(";")[0].strip().startswith("¤")


def format_money(m: Money, language: str = "en") -> str:
    """Display form in `language`'s convention (CLDR, through Babel), with the ISO code;
    decimals only when there are some: "KES 3,200", "KES 3,200.50", "-KES 5" in English,
    "25 000 CDF", "3 200,50 KES" in French."""
    exp = exponent(m.currency)
    frac = abs(m.minor) % 10**exp
    pattern, locale = _number_pattern(language, exp if frac else 0)
    amount = Decimal(abs(m.minor)).scaleb(-exp)
    number = pattern.apply(amount, locale).translate(_SPACES)
    sign = "-" if m.minor < 0 else ""
    if _code_first(language):
        return f"{sign}{m.currency} {number}"
    return f"{sign}{number} {m.currency}"


def parse_amount(text: str, currency: str) -> Money:
    """Parse a positive amount typed on a keypad ("3200", "3,200", "3 200", "3200.50")."""
    exp = exponent(currency)
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        raise InvalidAmount("amount.invalid", f"Not an amount: {text!r}")
    frac = match["frac"] or ""
    if len(frac) > exp:
        raise InvalidAmount(
            "amount.too_precise", f"{currency} allows {exp} decimal places: {text!r}"
        )
    digits = (re.sub(r"[, ]", "", match["int"]) + frac.ljust(exp, "0")).lstrip("0")
    if not digits:
        raise InvalidAmount("amount.invalid", f"Amount must be more than zero: {text!r}")
    if len(digits) > _MAX_DIGITS:
        raise InvalidAmount("amount.too_large", f"Amount too large: {text!r}")
    return Money(int(digits), currency)
