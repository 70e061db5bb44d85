"""PIN entry against the database: failures counted, the third locks for the configured time."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from gateway.commerce import errors
from gateway.commerce.people.pins import hash_pin
from gateway.commerce.people.pins import set_pin
from gateway.commerce.people.pins import verify_pin
from tests.journey_domain import someone

LOCK = timedelta(minutes=15)


@pytest.fixture()
def seller(services) -> int:
    person = someone(services, "+254722000701", "seller")
    set_pin(services.uow(), person, hash_pin("4826"))
    return person


def _wrong(services, person: int, now: datetime) -> errors.DomainError:
    with pytest.raises((errors.WrongPin, errors.PinLocked)) as refused:
        verify_pin(services.uow(), person, "1357", LOCK, now)
    return refused.value


def test_the_third_wrong_pin_in_a_row_locks_for_the_configured_time(services, seller):
    now = datetime.now(UTC)
    assert _wrong(services, seller, now).left == 2
    assert _wrong(services, seller, now).left == 1
    assert isinstance(_wrong(services, seller, now), errors.PinLocked)
    with pytest.raises(errors.PinLocked):
        verify_pin(services.uow(), seller, "4826", LOCK, now + LOCK - timedelta(seconds=1))
    verify_pin(services.uow(), seller, "4826", LOCK, now + LOCK + timedelta(seconds=1))
    with services.uow() as uow:
        person = uow.people.get(seller)
        assert (person.failed_pin_count, person.pin_locked_until) == (0, None)


def test_the_right_pin_clears_earlier_failures(services, seller):
    now = datetime.now(UTC)
    _wrong(services, seller, now)
    _wrong(services, seller, now)
    verify_pin(services.uow(), seller, "4826", LOCK, now)
    assert _wrong(services, seller, now).left == 2


def test_someone_without_a_pin_is_told_to_choose_one(services):
    with pytest.raises(errors.NoPin):
        verify_pin(services.uow(), someone(services, "+254711000701"), "4826", LOCK)


def test_the_lock_time_comes_from_the_settings(services, app, phone):
    assert services.settings.PIN_LOCK_SECONDS == 900
    assert app.extensions["sokoni"].engine.deps.pin_lock == timedelta(seconds=900)
