import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.countries import COUNTRIES
from config.currencies import UnknownCurrency
from config.currencies import exponent
from gateway.commerce.money import CurrencyMismatch
from gateway.commerce.money import InvalidAmount
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.commerce.money import parse_amount

CURRENCIES = sorted({c.currency for c in COUNTRIES.values()})


@pytest.mark.parametrize(
    ("currency", "exp"),
    [
        ("KES", 2),
        ("UGX", 0),
        ("RWF", 0),
        ("BIF", 0),
        ("KMF", 0),
        ("DJF", 0),
        ("LYD", 3),
        ("TND", 3),
        ("ZWG", 2),
        ("USD", 2),
        ("EUR", 2),
    ],
)
def test_exponent(currency: str, exp: int) -> None:
    assert exponent(currency) == exp


@pytest.mark.parametrize("currency", ["XXX", "kes", "ZWL", "TZS", ""])
def test_unknown_currency(currency: str) -> None:
    with pytest.raises(UnknownCurrency):
        Money(1, currency)
    with pytest.raises(UnknownCurrency):
        parse_amount("1", currency)


@pytest.mark.parametrize("minor", [1.5, "100", True])
def test_minor_must_be_int(minor: object) -> None:
    with pytest.raises(TypeError):
        Money(minor, "KES")  # type: ignore[arg-type]


def test_arithmetic() -> None:
    assert Money(100, "KES") + Money(250, "KES") == Money(350, "KES")
    assert Money(100, "KES") * 3 == Money(300, "KES") == 3 * Money(100, "KES")


def test_comparison() -> None:
    assert Money(100, "KES") < Money(101, "KES")
    assert Money(101, "KES") >= Money(101, "KES")
    assert max(Money(5, "UGX"), Money(9, "UGX")) == Money(9, "UGX")
    assert Money(1, "KES") != Money(1, "UGX")


def test_currency_mismatch() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(1, "KES") + Money(1, "UGX")
    with pytest.raises(CurrencyMismatch):
        assert Money(1, "KES") < Money(1, "UGX")


@pytest.mark.parametrize("other", [1.5, "2", True, Money(1, "KES")])
def test_multiply_only_by_int(other: object) -> None:
    with pytest.raises(TypeError):
        Money(100, "KES") * other  # type: ignore[operator]


def test_add_only_money() -> None:
    with pytest.raises(TypeError):
        Money(100, "KES") + 1  # type: ignore[operator]


def test_frozen() -> None:
    with pytest.raises(AttributeError):
        Money(1, "KES").minor = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(320000, "KES"), "KES 3,200"),
        (Money(320050, "KES"), "KES 3,200.50"),
        (Money(320005, "KES"), "KES 3,200.05"),
        (Money(45000, "UGX"), "UGX 45,000"),
        (Money(1250, "TND"), "TND 1.250"),
        (Money(1000, "TND"), "TND 1"),
        (Money(5, "LYD"), "LYD 0.005"),
        (Money(-500, "KES"), "-KES 5"),
        (Money(0, "KES"), "KES 0"),
        (Money(123456789012, "UGX"), "UGX 123,456,789,012"),
    ],
)
def test_format_money(money: Money, text: str) -> None:
    assert format_money(money) == text


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("3200", "KES", 320000),
        ("3,200", "KES", 320000),
        ("3 200", "KES", 320000),
        ("3200.50", "KES", 320050),
        ("3200.5", "KES", 320050),
        (" 3,200.05 ", "KES", 320005),
        ("0.50", "KES", 50),
        ("1,234,567", "UGX", 1234567),
        ("45000", "UGX", 45000),
        ("1.25", "TND", 1250),
        ("1.250", "TND", 1250),
        ("007", "RWF", 7),
        ("999999999999", "UGX", 999999999999),
    ],
)
def test_parse_amount(text: str, currency: str, minor: int) -> None:
    assert parse_amount(text, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("text", "currency", "key"),
    [
        ("", "KES", "amount.invalid"),
        ("abc", "KES", "amount.invalid"),
        ("-5", "KES", "amount.invalid"),
        ("0", "KES", "amount.invalid"),
        ("0.00", "KES", "amount.invalid"),
        ("1e5", "KES", "amount.invalid"),
        ("3,20", "KES", "amount.invalid"),
        ("32,00.5", "KES", "amount.invalid"),
        ("3200.", "KES", "amount.invalid"),
        (".5", "KES", "amount.invalid"),
        ("1.2.3", "KES", "amount.invalid"),
        ("KES 3200", "KES", "amount.invalid"),
        ("\u0663\u0662", "KES", "amount.invalid"),
        ("3200.505", "KES", "amount.too_precise"),
        ("100.5", "UGX", "amount.too_precise"),
        ("1.2345", "TND", "amount.too_precise"),
        ("10000000000", "KES", "amount.too_large"),
        ("1000000000000", "UGX", "amount.too_large"),
        ("9" * 5000, "UGX", "amount.too_large"),
    ],
)
def test_parse_amount_refuses(text: str, currency: str, key: str) -> None:
    with pytest.raises(InvalidAmount) as info:
        parse_amount(text, currency)
    assert info.value.key == key
    assert isinstance(info.value, ValueError)


@given(minor=st.integers(min_value=1, max_value=10**11), currency=st.sampled_from(CURRENCIES))
def test_format_parse_round_trip(minor: int, currency: str) -> None:
    money = Money(minor, currency)
    prefix = f"{currency} "
    shown = format_money(money)
    assert shown.startswith(prefix)
    assert parse_amount(shown.removeprefix(prefix), currency) == money
