"""Status queries for payments whose callback has not come: at growing intervals, then give up.

Each query is a delayed outbox row (`payment.check`), so it survives restarts. A payment the
provider still calls pending after `give_up` is recorded failed (`no_answer`); should the
provider later prove it succeeded, that success still applies (see payments.OURS).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from gateway.commerce import topics
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.payments.collection import fail_attempt
from gateway.store.uow import UnitOfWork

NO_ANSWER = "no_answer"


@dataclass(frozen=True)
class Schedule:
    """When a payment with no callback is asked about, given up on, and its order expired;
    when a payout with no result is asked about."""

    check_delays: tuple[int, ...] = (30, 60, 120, 300, 600)
    """Seconds before each status query; the last one repeats."""
    give_up: timedelta = timedelta(days=1)
    """A payment the provider still calls pending after this is recorded failed."""
    expiry: timedelta = timedelta(minutes=15)
    """An order unpaid this long after its latest request expires; its stock goes back."""
    payout_delays: tuple[int, ...] = (60, 300, 900, 3600, 21600, 86400)
    """Seconds before each status query of a pending or unknown payout; the last repeats."""
    payout_checks: int = 20
    """Status queries of one payout before it is left to an operator."""


@dataclass(frozen=True)
class Due:
    payment_id: int
    provider: str
    provider_ref: str


def due_check(uow: UnitOfWork, payment_id: int) -> Due | None:
    """The payment to ask about, or None when it is no longer pending."""
    with uow:
        payment = uow.payments.get(payment_id)
        if payment is None or payment.status != "pending" or not payment.provider_ref:
            return None
        return Due(payment.id, payment.provider, payment.provider_ref)


def parse_delays(text: str) -> tuple[int, ...]:
    """ "30,60,120" as (30, 60, 120); at least one positive number of seconds."""
    delays = tuple(int(part) for part in text.split(",") if part.strip())
    if not delays or min(delays) <= 0:
        raise ValueError(f"delays must be positive seconds: {text!r}")
    return delays


def record_still_pending(
    uow: UnitOfWork,
    payment_id: int,
    now: datetime,
    delays: Sequence[int],
    give_up: timedelta,
    notices: Notices,
) -> str:
    """The provider says pending: ask again after the next delay, or give up.

    Returns `scheduled`, `given_up`, or `settled` (something else settled it meanwhile).
    """
    with uow:
        payment = uow.payments.lock(payment_id)
        if payment is None or payment.status != "pending":
            return "settled"
        payment.checks += 1
        if now - (payment.requested_at or payment.created_at) >= give_up:
            fail_attempt(uow, payment, NO_ANSWER, "timeout", notices, now)
            uow.commit()
            return "given_up"
        delay = delays[min(payment.checks, len(delays) - 1)]
        uow.emit(topics.PAYMENT_CHECK, at=now + timedelta(seconds=delay), payment_id=payment.id)
        uow.commit()
        return "scheduled"
