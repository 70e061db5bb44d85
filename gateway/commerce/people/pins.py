"""Our own 4-digit PIN (sellers, agents): argon2-hashed, weak ones refused, locked after failures.

A PIN is never logged and never stored: only its argon2 hash is. Mobile-money PINs are
never asked for anywhere in Sokoni.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError

from gateway.commerce import errors
from gateway.store.uow import UnitOfWork

PIN_LENGTH = 4
MAX_FAILURES = 3
"""Wrong PINs in a row before PIN entry is locked."""
COMMON = frozenset({"1004", "2000", "2580", "1122", "6969", "1010", "2020", "1999", "1990"})
"""Frequent choices that are none of the patterns `weak` looks for."""

_hasher = PasswordHasher()


def weak(pin: str) -> bool:
    """Repeated digits (0000), runs up or down (1234, 9876), pairs (1212) or a common PIN."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    return steps <= {0} or steps == {1} or steps == {9} or pin[:2] == pin[2:] or pin in COMMON


def check_new(pin: str) -> None:
    """Raises InvalidPin("format") unless 4 digits, InvalidPin("weak") if easy to guess."""
    if len(pin) != PIN_LENGTH or not pin.isdigit() or not pin.isascii():
        raise errors.InvalidPin("format")
    if weak(pin):
        raise errors.InvalidPin("weak")


def hash_pin(pin: str) -> str:
    """The argon2 hash of a new PIN, after `check_new`."""
    check_new(pin)
    return _hasher.hash(pin)


def matches(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def set_pin(uow: UnitOfWork, person_id: int, pin_hash: str) -> None:
    """Store a new PIN hash (from `hash_pin`) and clear failures and locks."""
    with uow:
        person = uow.people.lock(person_id)
        if person is None:
            raise errors.PersonNotFound(person_id)
        person.pin_hash, person.failed_pin_count, person.pin_locked_until = pin_hash, 0, None
        uow.commit()


def verify_pin(
    uow: UnitOfWork, person_id: int, pin: str, lock_for: timedelta, now: datetime | None = None
) -> None:
    """Accept the person's PIN or count a failure; the third failure in a row locks for `lock_for`.

    Raises:
        NoPin, PinLocked (also on the failure that locks), WrongPin with the tries left.
    """
    now = now or datetime.now(UTC)
    with uow:
        person = uow.people.lock(person_id)
        if person is None or person.pin_hash is None:
            raise errors.NoPin(person_id)
        if person.pin_locked_until is not None and person.pin_locked_until > now:
            raise errors.PinLocked(person_id)
        if matches(person.pin_hash, pin):
            person.failed_pin_count, person.pin_locked_until = 0, None
            uow.commit()
            return
        failures = person.failed_pin_count + 1
        locked = failures >= MAX_FAILURES
        person.failed_pin_count = 0 if locked else failures
        person.pin_locked_until = now + lock_for if locked else None
        uow.commit()
    if locked:
        raise errors.PinLocked(person_id)
    raise errors.WrongPin(MAX_FAILURES - failures)
