"""Our own 4-digit PIN (sellers, agents): argon2-hashed, weak ones refused, locked after failures.

A PIN is never logged and never stored: only its argon2 hash is. Mobile-money PINs are
never asked for anywhere in Sokoni.

Every 3 wrong PINs in a row lock it, each lock longer than the last (`PinLock.steps`: 15 min,
1 h, 24 h); one lock more and it stays locked until it is reset by an agent or an operator.
The owner gets an SMS in their language at every lock; the right PIN starts the count again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError

from gateway.commerce import errors
from gateway.commerce.agents.trail import audit
from gateway.commerce.messaging.notices import Notices
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

PIN_LENGTH = 4
MAX_FAILURES = 3
"""Wrong PINs in a row before PIN entry is locked."""
COMMON = frozenset({"1004", "2000", "2580", "1122", "6969", "1010", "2020", "1999", "1990"})
"""Frequent choices that are none of the patterns `weak` looks for."""

_hasher = PasswordHasher()
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class PinLock:
    """How long each lock lasts, the first first; one lock more than listed lasts until reset."""

    steps: tuple[timedelta, ...] = (timedelta(minutes=15), HOUR, timedelta(hours=24))

    def length(self, locks: int) -> timedelta | None:
        """How long the `locks`-th lock lasts; None: until the PIN is reset."""
        return self.steps[locks - 1] if locks <= len(self.steps) else None

    def until_reset(self, person: Person) -> bool:
        return person.pin_locks > len(self.steps)


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
        person.pin_hash = pin_hash
        _clear(person)
        uow.commit()


def _clear(person: Person) -> None:
    person.failed_pin_count, person.pin_locked_until, person.pin_locks = 0, None, 0


def verify_pin(
    uow: UnitOfWork,
    person_id: int,
    pin: str,
    lock: PinLock,
    notices: Notices,
    now: datetime | None = None,
) -> None:
    """Accept the person's PIN or count a failure; the third failure in a row locks it (for
    longer each time) and tells the owner by SMS.

    Raises:
        NoPin; PinNeedsReset (also on the failure that locks it so); PinLocked (also on the
        failure that locks); WrongPin with the tries left.
    """
    now = now or datetime.now(UTC)
    with uow:
        person = uow.people.lock(person_id)
        if person is None or person.pin_hash is None:
            raise errors.NoPin(person_id)
        if lock.until_reset(person):
            raise errors.PinNeedsReset(person_id)
        if person.pin_locked_until is not None and person.pin_locked_until > now:
            raise errors.PinLocked(person_id)
        if matches(person.pin_hash, pin):
            _clear(person)
            uow.commit()
            return
        failures = person.failed_pin_count + 1
        if failures < MAX_FAILURES:
            person.failed_pin_count, person.pin_locked_until = failures, None
            uow.commit()
            raise errors.WrongPin(MAX_FAILURES - failures)
        person.failed_pin_count, person.pin_locks = 0, person.pin_locks + 1
        wait = lock.length(person.pin_locks)
        person.pin_locked_until = now + wait if wait is not None else None
        _tell_locked(uow, person, wait, notices, now)
        uow.commit()
    raise errors.PinLocked(person_id) if wait is not None else errors.PinNeedsReset(person_id)


def _tell_locked(
    uow: UnitOfWork, person: Person, wait: timedelta | None, notices: Notices, now: datetime
) -> None:
    """The owner hears of every lock, in their language; the text never holds the PIN."""
    dedupe = f"pin:{person.id}:lock:{person.pin_locks}:{now.isoformat()}"
    if wait is None:
        notices.tell(uow, person, "pin_sms.locked_until_reset", dedupe)
        return
    language = notices.language_of(person)
    if wait % HOUR:
        minutes = int(wait.total_seconds() // 60)
        shown = notices.t(language, "pin_wait.minutes", n=minutes)
    else:
        shown = notices.t(language, "pin_wait.hours", n=int(wait / HOUR))
    notices.tell(uow, person, "pin_sms.locked", dedupe, wait=shown)


def reset_pin(
    uow: UnitOfWork,
    phone: str,
    lock: PinLock,
    notices: Notices,
    agent_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Forget the PIN of the person at `phone`, who then chooses a new one from their own
    phone, and tell them by SMS. An operator may reset any PIN; an agent (`agent_id`) only one
    locked until reset, and the reset goes on the agent's audit trail.

    Raises:
        PinNotLocked: no such person, no PIN, or (for an agent) not locked until reset.
    """
    now = now or datetime.now(UTC)
    with uow:
        found = uow.people.by_phone(phone)
        person = uow.people.lock(found.id) if found is not None else None
        if person is None or person.pin_hash is None:
            raise errors.PinNotLocked(phone)
        if agent_id is not None:
            if not lock.until_reset(person):
                raise errors.PinNotLocked(phone)
            audit(uow, agent_id, "agent", "pin_reset", customer_id=person.id)
        person.pin_hash = None
        _clear(person)
        notices.tell(uow, person, "pin_sms.reset", f"pin:{person.id}:reset:{now.isoformat()}")
        uow.commit()
