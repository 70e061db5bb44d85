"""What the domain's services are handed: built once per process by the composition root
(`gateway.bootstrap`) from the settings, then passed down to menus, workers and commands."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta

from gateway.commerce.clock import Clock
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.parcels.rules import Rules
from gateway.commerce.payments.checks import Schedule
from gateway.commerce.payments.escrow import Rates
from gateway.commerce.people.pins import PinLock
from gateway.store.uow import UnitOfWork


@dataclass(frozen=True)
class Deps:
    """The unit of work, the clock, and the rules and texts the domain applies."""

    uow: Callable[[], UnitOfWork]
    """A fresh unit of work whose committed outbox rows are queued for the workers."""
    clock: Clock
    notices: Notices
    """How people are told things by SMS, in their language."""
    parcel_rules: Rules
    rates: Rates
    """Sokoni's fee and the agents' commission."""
    payment_schedule: Schedule
    """When unanswered payments are asked about, given up on, and expired."""
    pin_lock: PinLock
    """How long our own PIN stays locked after each run of wrong tries."""
    carriers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The carriers sellers in each country may pick (`CARRIERS`)."""
    fx_max_age: timedelta = timedelta(days=7)
    """How old an exchange rate may be before cross-border prices stop (`FX_MAX_AGE_DAYS`)."""
    may_verify: Callable[[str], bool] = lambda who: True
    """Whether `who` (`phone:<E.164>` or `ip:<address>`) may verify one more certificate now
    (`VERIFY_LIMIT` per `VERIFY_WINDOW`); counts the attempt."""
