"""Our own PIN: 4 digits, weak ones refused, argon2-hashed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.commerce import errors
from gateway.commerce.people.pins import check_new
from gateway.commerce.people.pins import hash_pin
from gateway.commerce.people.pins import matches
from gateway.commerce.people.pins import weak


@pytest.mark.parametrize(
    "pin",
    [
        "1234",
        "0000",
        "1111",
        "9999",
        "4321",
        "9876",
        "0123",
        "6789",
        "7890",
        "1212",
        "4545",
        "2580",
    ],
)
def test_easy_pins_are_weak(pin):
    assert weak(pin)
    with pytest.raises(errors.InvalidPin) as refused:
        check_new(pin)
    assert refused.value.reason == "weak"


@pytest.mark.parametrize("pin", ["4826", "1357", "2019", "7302", "1123", "9021"])
def test_other_pins_are_accepted(pin):
    assert not weak(pin)
    check_new(pin)


@pytest.mark.parametrize("pin", ["", "123", "12345", "12a4", "１２３４", " 482", "48 6"])
def test_a_pin_is_exactly_four_ascii_digits(pin):
    with pytest.raises(errors.InvalidPin) as refused:
        check_new(pin)
    assert refused.value.reason == "format"


def test_the_hash_is_argon2_and_never_holds_the_pin():
    hashed = hash_pin("4826")
    assert hashed.startswith("$argon2") and "4826" not in hashed
    assert matches(hashed, "4826") and not matches(hashed, "4827")
    assert hash_pin("4826") != hashed  # salted


def test_a_broken_hash_matches_nothing():
    assert not matches("not-a-hash", "4826")


@given(st.text(alphabet="0123456789", min_size=4, max_size=4))
def test_every_four_digit_pin_is_either_weak_or_accepted(pin):
    if weak(pin):
        with pytest.raises(errors.InvalidPin):
            check_new(pin)
    else:
        check_new(pin)
