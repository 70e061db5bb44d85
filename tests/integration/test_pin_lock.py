"""PIN entry against the database: every third wrong PIN in a row locks it, each lock longer
than the last, then until an agent or an operator resets it; the owner is told at every lock."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from flask import Flask

from gateway.bootstrap import Services
from gateway.commerce import errors
from gateway.commerce.people.pins import PinLock
from gateway.commerce.people.pins import hash_pin
from gateway.commerce.people.pins import reset_pin
from gateway.commerce.people.pins import set_pin
from gateway.commerce.people.pins import verify_pin
from gateway.store.models.agents import AgentAction
from gateway.store.models.people import Person
from tests.journey_domain import someone
from tests.payment_support import NOTICES
from tests.sms_support import rows
from tests.sms_support import sent_to

LOCK = PinLock()
PIN = "4826"
OWNER = "+254722000701"
AGENT = "+254733000701"


@pytest.fixture()
def seller(services: Services) -> int:
    person = someone(services, OWNER, "seller")
    set_pin(services.uow(), person, hash_pin(PIN))
    return person


def _try(services: Services, person: int, now: datetime, pin: str = "1357") -> Exception | None:
    try:
        verify_pin(services.uow(), person, pin, LOCK, NOTICES, now)
    except errors.DomainError as refused:
        return refused
    return None


def _lock(services: Services, person: int, now: datetime) -> Exception | None:
    """Three wrong PINs in a row at `now`; what the third one raised."""
    assert isinstance(_try(services, person, now), errors.WrongPin)
    assert isinstance(_try(services, person, now), errors.WrongPin)
    return _try(services, person, now)


def _texts(services: Services) -> list[str]:
    return [m.text for m in sent_to(services, OWNER)]


def test_the_third_wrong_pin_in_a_row_locks_for_15_minutes(services, seller):
    now = datetime.now(UTC)
    assert _try(services, seller, now).left == 2
    assert _try(services, seller, now).left == 1
    assert isinstance(_try(services, seller, now), errors.PinLocked)
    assert isinstance(_try(services, seller, now + timedelta(minutes=14), PIN), errors.PinLocked)
    assert _try(services, seller, now + timedelta(minutes=16), PIN) is None
    with services.uow() as uow:
        person = uow.people.get(seller)
        assert (person.failed_pin_count, person.pin_locked_until, person.pin_locks) == (0, None, 0)


def test_each_lock_lasts_longer_then_the_pin_stays_locked_until_reset(services, seller):
    now = datetime.now(UTC)
    for wait in (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=24)):
        assert isinstance(_lock(services, seller, now), errors.PinLocked)
        assert isinstance(
            _try(services, seller, now + wait - timedelta(seconds=1)), errors.PinLocked
        )
        now += wait + timedelta(seconds=1)
    assert isinstance(_lock(services, seller, now), errors.PinNeedsReset)
    years_later = now + timedelta(days=900)
    assert isinstance(_try(services, seller, years_later, PIN), errors.PinNeedsReset)


def test_the_owner_is_told_at_every_lock_and_never_sees_the_pin(services, seller):
    now = datetime.now(UTC)
    for wait in (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=24)):
        _lock(services, seller, now)
        now += wait + timedelta(seconds=1)
    _lock(services, seller, now)
    texts = _texts(services)
    assert [t.split(". ")[1] for t in texts[:3]] == [
        "It is locked for 15 min",
        "It is locked for 1 h",
        "It is locked for 24 h",
    ]
    assert texts[0].startswith("Sokoni: someone tried your Sokoni PIN 3 times.")
    assert texts[3].startswith("Sokoni: someone tried your Sokoni PIN too many times.")
    assert all(PIN not in text and "1357" not in text for text in texts)
    assert {m.kind for m in sent_to(services, OWNER)} == {"transactional"}


def test_the_owner_is_told_in_their_own_language(services, seller):
    with services.uow() as uow:
        uow.people.get(seller).language = "sw"
        uow.commit()
    _lock(services, seller, datetime.now(UTC))
    assert _texts(services) == [
        "Sokoni: mtu amejaribu PIN yako ya Sokoni mara 3. Imefungwa kwa dakika 15. Kama si "
        "wewe, itunze PIN yako kwa siri. Sokoni haiombi PIN yako kamwe."
    ]


def test_the_right_pin_clears_earlier_failures_and_locks(services, seller):
    now = datetime.now(UTC)
    _lock(services, seller, now)
    now += timedelta(minutes=16)
    assert _try(services, seller, now, PIN) is None
    assert isinstance(_lock(services, seller, now), errors.PinLocked)
    with services.uow() as uow:
        assert uow.people.get(seller).pin_locked_until == now + timedelta(minutes=15)


def test_someone_without_a_pin_is_told_to_choose_one(services):
    with pytest.raises(errors.NoPin):
        verify_pin(services.uow(), someone(services, "+254711000701"), PIN, LOCK, NOTICES)


def _locked_for_good(services: Services, person: int) -> None:
    now = datetime.now(UTC) - timedelta(days=3)
    for wait in (*LOCK.steps, timedelta()):
        _lock(services, person, now)
        now += wait + timedelta(seconds=1)


def test_an_agent_resets_only_a_pin_locked_until_reset_and_the_trail_shows_it(services, seller):
    agent = someone(services, AGENT, "agent")
    with pytest.raises(errors.PinNotLocked):
        reset_pin(services.uow(), OWNER, LOCK, NOTICES, agent_id=agent)
    with pytest.raises(errors.PinNotLocked):
        reset_pin(services.uow(), "+254711999999", LOCK, NOTICES, agent_id=agent)
    _locked_for_good(services, seller)
    reset_pin(services.uow(), OWNER, LOCK, NOTICES, agent_id=agent)
    [person] = rows(services, Person, id=seller)
    assert (person.pin_hash, person.pin_locks, person.pin_locked_until) == (None, 0, None)
    assert _texts(services)[-1].startswith("Sokoni: your PIN was reset. Dial *384*123#")
    assert [(a.action, a.customer_id) for a in rows(services, AgentAction)] == [
        ("pin_reset", seller)
    ]


def test_an_operator_resets_any_pin_by_command(services, seller, app: Flask):
    runner = app.test_cli_runner()
    done = runner.invoke(args=["security", "reset-pin", "0722 000 701", "--country", "KE"])
    assert done.exit_code == 0, done.output
    assert done.output == "PIN of +254722000701 reset; they choose a new one from their phone\n"
    [person] = rows(services, Person, id=seller)
    assert person.pin_hash is None
    again = runner.invoke(args=["security", "reset-pin", OWNER])
    assert again.exit_code == 1 and "has no PIN" in again.output


def test_the_lock_steps_come_from_the_settings(services, app):
    assert services.settings.PIN_LOCK_STEPS == "900,3600,86400"
    assert app.extensions["sokoni"].engine.deps.pin_lock == LOCK
