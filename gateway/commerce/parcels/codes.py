"""Delivery codes: 6 digits the buyer gives at hand-over, kept only as a hash.

Named a delivery code, never an OTP, so buyers are not taught to read "OTPs" to couriers.
Wrong codes count per parcel and per side: codes typed at hand-over (by USSD) and codes sent
by carriers are counted apart, so neither can lock the other out; `Rules.code_tries` wrong
ones lock that side for `Rules.lock`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError

from gateway.commerce import errors
from gateway.commerce.parcels.rules import Rules
from gateway.store.models.shipments import Shipment

DIGITS = 6
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def replace_code(shipment: Shipment, now: datetime) -> str:
    """Give the parcel a fresh code (the old one stops working); returns it in clear, once."""
    code = new_code()
    shipment.code_hash, shipment.code_sent_at = _hasher.hash(code), now
    return code


def _matches(code_hash: str | None, code: str | None) -> bool:
    if not code_hash or not code or len(code) != DIGITS or not code.isdigit():
        return False
    try:
        return _hasher.verify(code_hash, code)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Tries:
    """One side's wrong codes since its last lock or right code, and its lock."""

    attempts: int
    locked_until: datetime | None


def tries(shipment: Shipment, by_carrier: bool) -> Tries:
    if by_carrier:
        return Tries(shipment.carrier_code_attempts, shipment.carrier_locked_until)
    return Tries(shipment.code_attempts, shipment.locked_until)


def _keep(shipment: Shipment, by_carrier: bool, kept: Tries) -> None:
    if by_carrier:
        shipment.carrier_code_attempts = kept.attempts
        shipment.carrier_locked_until = kept.locked_until
    else:
        shipment.code_attempts, shipment.locked_until = kept.attempts, kept.locked_until


def count(before: Tries, right: bool, rules: Rules, now: datetime) -> Tries:
    """The side's tries after one more code (`right` or not), at `now`; a lock that ran out
    starts the count again."""
    if before.locked_until is not None and before.locked_until <= now:
        before = Tries(0, None)
    if right:
        return Tries(0, None)
    if before.attempts + 1 >= rules.code_tries:
        return Tries(0, now + rules.lock)
    return Tries(before.attempts + 1, None)


def check(
    shipment: Shipment, code: str | None, rules: Rules, now: datetime, by_carrier: bool = False
) -> None:
    """Pass if `code` is the parcel's; otherwise count a wrong try on the side that gave it
    (a carrier's, or people's at hand-over); the caller commits it.

    Raises:
        ParcelLocked: that side is locked now, or this wrong try used up its last one.
        WrongDeliveryCode: wrong or missing, with the tries left.
    """
    before = tries(shipment, by_carrier)
    if before.locked_until is not None and before.locked_until > now:
        raise errors.ParcelLocked(shipment.ref)
    after = count(before, _matches(shipment.code_hash, (code or "").strip()), rules, now)
    _keep(shipment, by_carrier, after)
    if after.locked_until is not None:
        raise errors.ParcelLocked(shipment.ref)
    if after.attempts:
        raise errors.WrongDeliveryCode(shipment.ref, rules.code_tries - after.attempts)
