"""Numbers in SMS commands are read strictly: what is accepted reads back the numbers typed,
and a sign, an exponent or a stray separator refuses the command, naming the bad part."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.money import Money
from gateway.commerce.money import parse_amount
from menus.sms.grammar import AMOUNT
from menus.sms.grammar import CURRENCY_WORDS
from menus.sms.grammar import GrammarError
from menus.sms.grammar import Order
from menus.sms.grammar import Price
from menus.sms.grammar import Sell
from menus.sms.grammar import parse
from menus.sms.vocabulary import keywords
from menus.sms.vocabulary import place_words
from menus.sms.vocabulary import units

REFUSED = [
    ("SELL x -5 10", "sms.bad_price", "-5"),
    ("SELL x 3200 -3", "sms.bad_quantity", "-3"),
    ("SELL probeG 1e9 1", "sms.bad_price", "1E9"),
    ("SELL maize 1E-5 3", "sms.bad_price", "1E-5"),
    ("SELL maize +3200 3", "sms.bad_price", "+3200"),
    ("SELL maize 3,20 4", "sms.bad_price", "3,20"),
    ("SELL maize 1.2.3", "sms.bad_price", "1.2.3"),
    ("SELL maize 3200 2.5 bags", "sms.bad_quantity", "2.5"),
    ("SELL maize 3200 1,0000", "sms.bad_quantity", "1,0000"),
    ("SELL maize −5 2", "sms.bad_price", "-5"),
    ("ORDER D002 -1", "sms.bad_quantity", "-1"),
    ("ORDER D002 +2", "sms.bad_quantity", "+2"),
    ("ORDER D002 1e2", "sms.bad_quantity", "1E2"),
    ("ORDER D002 99999999999999999999", "sms.bad_quantity", "999999999999"),
]


@pytest.mark.parametrize(("text", "key", "bad"), REFUSED)
def test_a_number_that_is_not_plain_digits_refuses_the_command_and_is_named(
    text: str, key: str, bad: str
) -> None:
    with pytest.raises(GrammarError) as refused:
        parse(text)
    assert (refused.value.key, refused.value.bad) == (key, bad)


def test_the_numbers_people_type_are_read_as_typed() -> None:
    assert parse("SELL maize 3,200 1,000").command == Sell("Maize", "3,200", 1000)
    assert parse("SELL maize KES 3200.50 4 kg").command == Sell("Maize", "3200.50", 4, "kg")
    assert parse("SELL sugar 2kg 100").command == Sell("Sugar 2Kg", "100")
    assert parse("ORDER D002 1,000").command == Order("D002", 1000)


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8).filter(
    lambda w: w.upper() not in CURRENCY_WORDS | set(units()) | place_words()
    and all(w.upper() not in k.words for k in keywords())
)
"""A word that is no keyword, unit, currency or place word."""


def _grouped(number: int) -> str:
    return f"{number:,}"


@given(
    WORD,
    st.integers(1, 10**9),
    st.one_of(st.none(), st.integers(0, 99)),
    st.integers(1, MAX_QUANTITY),
    st.booleans(),
    st.booleans(),
)
def test_an_accepted_sell_reads_back_the_same_price_and_quantity(
    item: str, whole: int, cents: int | None, quantity: int, group_price: bool, group_qty: bool
) -> None:
    price = (_grouped(whole) if group_price else str(whole)) + (
        "" if cents is None else f".{cents:02d}"
    )
    qty = _grouped(quantity) if group_qty else str(quantity)
    command = parse(f"SELL {item} {price} {qty}").command
    assert isinstance(command, Sell)
    assert parse_amount(command.price, "KES") == Money(whole * 100 + (cents or 0), "KES")
    assert command.quantity == quantity


@given(st.text(alphabet="ABCDEFGHJKMNPQRSTUVWXYZ23456789", min_size=4, max_size=8), st.integers())
def test_an_order_is_placed_only_for_a_whole_number_in_range(code: str, quantity: int) -> None:
    text = f"ORDER {code} {quantity}"
    if 0 < quantity <= MAX_QUANTITY:
        assert parse(text).command == Order(code, quantity)
    else:
        with pytest.raises(GrammarError) as refused:
            parse(text)
        assert refused.value.key == "sms.bad_quantity"


@given(st.lists(WORD, min_size=1, max_size=3), st.lists(WORD, min_size=1, max_size=2))
def test_a_price_question_reads_back_its_item_and_place(item: list[str], place: list[str]) -> None:
    command = parse(f"PRICE {' '.join(item)} in {' '.join(place)}").command
    assert command == Price(" ".join(item).title(), " ".join(place).title())


HOSTILE_NUMBER = st.one_of(
    st.integers(max_value=-1).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"{f:e}"),
    st.integers(1, 10**6).map(lambda n: f"+{n}"),
    st.integers(1, 10**6).map(lambda n: f"{n}.{n}.{n}"),
    st.integers(10, 10**6).map(lambda n: f"{n},{n % 100:02d}"),
)
"""What people or scripts type where a number should be, and no plain number."""


@given(WORD, HOSTILE_NUMBER, st.sampled_from(["", " 2", " 10 bags"]))
def test_no_negative_or_non_numeric_price_is_ever_accepted(
    item: str, number: str, rest: str
) -> None:
    with pytest.raises(GrammarError) as refused:
        parse(f"SELL {item} {number}{rest}")
    assert refused.value.key == "sms.bad_price"


@given(WORD, HOSTILE_NUMBER)
def test_no_negative_or_non_numeric_quantity_is_ever_accepted(item: str, number: str) -> None:
    for text in (f"SELL {item} 3200 {number}", f"ORDER D002 {number}"):
        with pytest.raises(GrammarError) as refused:
            parse(text)
        assert refused.value.key == "sms.bad_quantity"


@given(st.text(max_size=60))
def test_whatever_is_accepted_holds_plain_numbers_in_range(text: str) -> None:
    for typed in (text, f"SELL {text}", f"ORDER {text}"):
        try:
            command = parse(typed).command
        except GrammarError:
            continue
        if isinstance(command, Sell):
            assert AMOUNT.fullmatch(command.price)
        if isinstance(command, Sell | Order):
            assert 0 < command.quantity <= MAX_QUANTITY
