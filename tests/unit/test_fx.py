"""Converting integer minor units at a rate: one rounding rule (half to even), exact
arithmetic, and rates typed by operators read or refused."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.currencies import EXPONENTS
from gateway.commerce.fx.rates import DERIVED
from gateway.commerce.fx.rates import TEXT_MAX
from gateway.commerce.fx.rates import InvalidRate
from gateway.commerce.fx.rates import Quote
from gateway.commerce.fx.rates import convert
from gateway.commerce.fx.rates import parse_rate
from gateway.commerce.money import Money


@pytest.mark.parametrize(
    ("minor", "rate", "expected"),
    [
        (250, "0.01", 2),  # 2.5 KES cents -> 2: half goes to the even neighbour
        (350, "0.01", 4),  # 3.5 -> 4
        (251, "0.01", 3),
        (-250, "0.01", -2),
        (-350, "0.01", -4),
    ],
)
def test_halves_round_to_the_even_minor_unit(minor, rate, expected):
    assert convert(Money(minor, "KES"), "KES", Decimal(rate)) == Money(expected, "KES")


def test_kenyan_shillings_become_whole_ugandan_shillings():
    rate = Decimal(3700) / Decimal("129.50")
    assert convert(Money(320000, "KES"), "UGX", rate) == Money(91429, "UGX")


def test_three_decimal_currencies_keep_their_thousandths():
    assert convert(Money(100, "USD"), "TND", Decimal("3.1234")) == Money(3123, "TND")


@given(
    minor=st.integers(-(10**12), 10**12),
    currency=st.sampled_from(sorted(EXPONENTS)),
)
def test_a_rate_of_one_in_the_same_currency_changes_nothing(minor, currency):
    assert convert(Money(minor, currency), currency, Decimal(1)) == Money(minor, currency)


@given(
    minor=st.integers(-(10**12), 10**12),
    rate=st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(100000), places=6),
    pair=st.sampled_from([("KES", "UGX"), ("UGX", "KES"), ("USD", "TND"), ("LYD", "RWF")]),
)
def test_a_conversion_is_the_exact_product_rounded_half_to_even(minor, rate, pair):
    source, target = pair
    exact = (
        Fraction(minor) * Fraction(rate) * Fraction(10) ** (EXPONENTS[target] - EXPONENTS[source])
    )
    assert convert(Money(minor, source), target, rate) == Money(round(exact), target)


@given(
    first=st.decimals(min_value=Decimal("1e-9"), max_value=Decimal("1e9"), places=9),
    second=st.decimals(min_value=Decimal("1e-9"), max_value=Decimal("1e9"), places=9),
)
def test_a_derived_rate_always_fits_the_orders_column_and_reads_back_as_itself(first, second):
    day = date(2026, 11, 30)
    crossed = DERIVED.multiply(first, DERIVED.divide(Decimal(1), second))
    quote = Quote("KES", "UGX", crossed, day, "CBK")
    assert len(quote.text) <= TEXT_MAX and Decimal(quote.text) == crossed


def test_a_quote_records_its_rate_as_plain_decimal_text():
    day = date(2026, 11, 30)
    quote = Quote("KES", "UGX", Decimal("28.5714285714285714285714285714"), day, "CBK")
    assert quote.text == "28.5714285714285714285714285714"
    assert Quote("USD", "KES", Decimal("1.295E+2"), day, "CBK").text == "129.5"


@pytest.mark.parametrize("typed", ["129.50", " 129.5 ", "0.000270", "3,700"])
def test_operators_type_rates_as_decimals(typed):
    assert parse_rate(typed) > 0


@pytest.mark.parametrize(
    "typed", ["", "abc", "0", "-3", "NaN", "Infinity", "1e400", "1e-12", "1234567890.123456789"]
)
def test_a_rate_that_is_not_a_positive_decimal_is_refused(typed):
    with pytest.raises(InvalidRate):
        parse_rate(typed)
