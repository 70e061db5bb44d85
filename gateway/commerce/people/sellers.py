"""Becoming a seller: a name, a place, a payout number and a PIN, all given at once."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.commerce import errors
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.people.callers import Caller
from gateway.store.uow import UnitOfWork
from gateway.text.names import clean_name

SELLER_NAME_MAX = NAME_MAX
"""A seller's name is shown where a listing's is, so it gets the same room."""


@dataclass(frozen=True)
class RegisterSeller:
    """`pin_hash` comes from `pins.hash_pin`; the PIN itself never reaches the domain's store."""

    person_id: int
    name: str
    region: str | None
    district: str | None
    payout_phone: str
    pin_hash: str


def register_seller(cmd: RegisterSeller, uow: UnitOfWork) -> Caller:
    """Give the person the seller role with their details; returns them as they are now.

    Raises:
        PersonNotFound; InvalidDetail("name") for a name a screen cannot show.
    """
    name = clean_name(cmd.name, SELLER_NAME_MAX)
    if name is None:
        raise errors.InvalidDetail("name")
    with uow:
        person = uow.people.lock(cmd.person_id)
        if person is None:
            raise errors.PersonNotFound(cmd.person_id)
        person.name, person.region, person.district = name, cmd.region, cmd.district
        person.payout_phone, person.pin_hash = cmd.payout_phone, cmd.pin_hash
        person.failed_pin_count, person.pin_locked_until, person.pin_locks = 0, None, 0
        person.grant("seller")
        uow.commit()
        return Caller.of(person)
