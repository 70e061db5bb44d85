"""Exchange rates: setting them, quoting a pair, and converting integer minor units.

One rounding rule everywhere: a converted amount is rounded to whole minor units of the
target currency half to even (banker's rounding: 2.5 -> 2, 3.5 -> 4), so rounding is not
biased up or down across many orders. A rate is `1 base = rate quote`; a pair with no rate
of its own is quoted through its inverse or through USD, and its age is that of its older leg.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from decimal import ROUND_HALF_EVEN
from decimal import Context
from decimal import Decimal
from decimal import InvalidOperation

from config.currencies import UnknownCurrency
from config.currencies import exponent
from gateway.commerce import errors
from gateway.commerce.money import Money
from gateway.store.models.fx import FxRate
from gateway.store.uow import UnitOfWork

ROUNDING = ROUND_HALF_EVEN
PIVOT = "USD"
"""The currency a pair without a rate of its own is crossed through."""
EXACT = Context(prec=60)
"""Wide enough that no product of an amount and a rate is rounded before ROUNDING applies."""
RATE_DIGITS = 18
"""Most significant digits a typed rate may have."""
RATE_RANGE = (Decimal("1e-9"), Decimal("1e9"))
"""A rate outside this is a typing error (no two currencies are that far apart)."""
DERIVED = Context(prec=15, rounding=ROUND_HALF_EVEN)
"""An inverse or crossed rate keeps 15 significant digits: it is what prices the order and
what the order records (`orders.fx_rate`, 32 characters at most)."""
SOURCE_MAX = 60
TEXT_MAX = 32
"""Longest rate text an order records (`orders.fx_rate`)."""


class InvalidRate(ValueError):
    """A rate, currency, date or source an operator typed cannot be used."""


@dataclass(frozen=True)
class Quote:
    """`1 base = rate quote`, as of `as_of` (the older leg's day when crossed), per `source`."""

    base: str
    quote: str
    rate: Decimal
    as_of: date
    source: str

    @property
    def text(self) -> str:
        """The rate as recorded on an order: plain decimal text (`28.5714285714286`), or with
        an exponent when plain text would pass TEXT_MAX characters (`2.16E-12`)."""
        exact = self.rate.normalize(EXACT)
        plain = format(exact, "f")
        return plain if len(plain) <= TEXT_MAX else str(exact)


def convert(amount: Money, to: str, rate: Decimal) -> Money:
    """`amount` in `to` at `rate` (units of `to` per unit of `amount`'s currency), rounded to
    whole minor units of `to` half to even."""
    shift = Decimal(10) ** (exponent(to) - exponent(amount.currency))
    exact = EXACT.multiply(EXACT.multiply(Decimal(amount.minor), rate), shift)
    return Money(int(exact.to_integral_value(rounding=ROUNDING)), to)


def parse_rate(text: str) -> Decimal:
    """A positive decimal rate as typed (`129.50`).

    Raises:
        InvalidRate.
    """
    try:
        rate = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise InvalidRate(f"not a rate: {text!r}") from None
    low, high = RATE_RANGE
    if not rate.is_finite() or not low <= rate <= high or len(rate.as_tuple().digits) > RATE_DIGITS:
        raise InvalidRate(f"a rate must be a positive decimal, got {text!r}")
    return rate


def currency_code(text: str) -> str:
    """An ISO 4217 code Sokoni handles, upper-cased.

    Raises:
        InvalidRate.
    """
    code = text.strip().upper()
    try:
        exponent(code)
    except UnknownCurrency:
        raise InvalidRate(f"unknown currency {text!r}") from None
    return code


def set_rate(uow: UnitOfWork, base: str, quote: str, rate: str, as_of: date, source: str) -> FxRate:
    """Add `1 base = rate quote` in the caller's open unit of work (history is kept).

    Raises:
        InvalidRate.
    """
    base, quote = currency_code(base), currency_code(quote)
    if base == quote:
        raise InvalidRate(f"{base} to itself is always 1")
    source = " ".join(source.split())
    if not 0 < len(source) <= SOURCE_MAX:
        raise InvalidRate(f"a source is 1 to {SOURCE_MAX} characters")
    value = parse_rate(rate)
    return uow.fx.add(FxRate(base=base, quote=quote, rate=str(value), as_of=as_of, source=source))


def _leg(uow: UnitOfWork, base: str, quote: str) -> Quote | None:
    """The newest of the pair's own rate and its inverse."""
    direct, inverse = uow.fx.newest(base, quote), uow.fx.newest(quote, base)
    found = []
    if direct is not None:
        found.append(Quote(base, quote, Decimal(direct.rate), direct.as_of, direct.source))
    if inverse is not None:
        rate = DERIVED.divide(Decimal(1), Decimal(inverse.rate))
        found.append(Quote(base, quote, rate, inverse.as_of, inverse.source))
    return max(found, key=lambda q: q.as_of) if found else None


def _cross(first: Quote, second: Quote) -> Quote:
    sources = first.source if first.source == second.source else f"{first.source}+{second.source}"
    return Quote(
        first.base,
        second.quote,
        DERIVED.multiply(first.rate, second.rate),
        min(first.as_of, second.as_of),
        sources[:SOURCE_MAX],
    )


def find_quote(uow: UnitOfWork, base: str, quote: str) -> Quote | None:
    """In the caller's open unit of work: the newest way from `base` to `quote`, of any age."""
    if base == quote:
        return Quote(base, quote, Decimal(1), date.max, "same currency")
    own = _leg(uow, base, quote)
    if own is not None or PIVOT in (base, quote):
        return own
    first, second = _leg(uow, base, PIVOT), _leg(uow, PIVOT, quote)
    return _cross(first, second) if first and second else None


def quote(uow: UnitOfWork, base: str, quote: str, today: date, max_age: timedelta) -> Quote:
    """In the caller's open unit of work: the rate to price `base` in `quote` today.

    Raises:
        RateUnavailable: there is none, or it is older than `max_age`.
    """
    found = find_quote(uow, base, quote)
    if found is None:
        raise errors.RateUnavailable(base, quote, "no rate")
    if today - found.as_of > max_age:
        raise errors.RateUnavailable(base, quote, f"rate of {found.as_of} is too old")
    return found
