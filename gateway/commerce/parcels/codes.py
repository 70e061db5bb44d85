"""Delivery codes: 6 digits the buyer gives at hand-over, kept only as a hash.

Named a delivery code, never an OTP, so buyers are not taught to read "OTPs" to couriers.
Wrong codes count per parcel; `Rules.code_tries` of them lock it for `Rules.lock`.
"""

from __future__ import annotations

import secrets
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


def locked(shipment: Shipment, now: datetime) -> bool:
    return shipment.locked_until is not None and shipment.locked_until > now


def tries_left(shipment: Shipment, rules: Rules) -> int:
    return max(rules.code_tries - shipment.code_attempts, 0)


def check(shipment: Shipment, code: str | None, rules: Rules, now: datetime) -> None:
    """Pass if `code` is the parcel's; otherwise count a wrong try (the caller commits it).

    Raises:
        ParcelLocked: locked now, or this wrong try used up the last one.
        WrongDeliveryCode: wrong or missing, with the tries left.
    """
    if locked(shipment, now):
        raise errors.ParcelLocked(shipment.ref)
    if shipment.locked_until is not None:
        shipment.locked_until, shipment.code_attempts = None, 0
    if _matches(shipment.code_hash, (code or "").strip()):
        shipment.code_attempts = 0
        return
    shipment.code_attempts += 1
    if shipment.code_attempts >= rules.code_tries:
        shipment.locked_until, shipment.code_attempts = now + rules.lock, 0
        raise errors.ParcelLocked(shipment.ref)
    raise errors.WrongDeliveryCode(shipment.ref, tries_left(shipment, rules))
