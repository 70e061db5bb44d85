"""Money out of escrow: seller payouts, agent commissions and refunds, each sent once.

A payout is `scheduled`, claimed `sending` (committed before the provider is called),
`pending` once the provider took it, then `succeeded` or `failed` by its result. A request
whose answer was lost is `unknown`: never sent twice by the machine. Pending and unknown
payouts are asked about (`payout.check`) at growing intervals until the provider's word
settles them; an operator can settle one the provider cannot answer for (`resolve_payout`).
An agent's commission waits out the return window, then is netted against cash the agent
still owes (their float) before the rest is sent.

The ledger follows the money: claiming a payout moves its amount from what Sokoni owes the
payee (`seller_payable`, `agent_commission`, `refunds_payable`) to `payouts_in_flight`; a
success moves it on to the provider's cash, a failure back to what is owed, so a failed
payout can be sent again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from gateway.commerce import errors
from gateway.commerce import topics
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.money import Money
from gateway.commerce.payments import ledger
from gateway.commerce.payments import payout_states
from gateway.store.models.orders import Order
from gateway.store.models.payments import Payout
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

LIABILITY = {
    "seller": ledger.SELLER_PAYABLE,
    "agent": ledger.AGENT_COMMISSION,
    "refund": ledger.REFUNDS,
}
"""The account a payout of each kind pays off."""
OPEN = ("pending", "unknown")
"""The provider took the payout, or may have: its status is asked until it settles."""
RESOLVABLE = ("sending", "pending", "unknown")
"""Statuses an operator may settle by hand when the provider cannot answer."""
Choose = Callable[[str, str | None], str]
"""The provider for a phone number and the network it was last seen on (if known)."""


@dataclass(frozen=True)
class PayoutJob:
    """A payout to send; `resend` when an earlier run's outcome is unknown."""

    payout_id: int
    provider: str
    phone: str
    amount_minor: int
    currency: str
    request_key: str
    remarks: str
    resend: bool
    retryable: bool


def schedule_payout(
    uow: UnitOfWork,
    kind: str,
    key: str,
    order: Order,
    payee: Person,
    amount: int,
    now: datetime,
    not_before: datetime | None = None,
    provider: str | None = None,
) -> None:
    """Add a payout in the caller's open unit of work; its send job runs at `not_before`.

    Sellers and agents are paid at their payout number if they gave one, in the seller's
    currency; refunds go back to the number that paid, in the buyer's, through `provider`
    (the one that collected) when given."""
    if amount <= 0 or uow.payouts.by_key(key) is not None:
        return
    payout = Payout(
        key=key,
        kind=kind,
        order_id=order.id,
        person_id=payee.id,
        phone=(kind != "refund" and payee.payout_phone) or payee.phone,
        amount_minor=amount,
        currency=order.currency if kind == "refund" else order.seller_currency,
        provider=provider,
        status="scheduled",
        request_key=str(uuid.uuid4()),
        attempts=0,
        checks=0,
        not_before=not_before or now,
    )
    uow.payouts.add(payout)
    _send_at(uow, payout.id, payout.not_before, now)


def _send_at(uow: UnitOfWork, payout_id: int, at: datetime, now: datetime) -> None:
    if at > now:
        uow.emit(topics.PAYOUT_SEND, at=at, payout_id=payout_id)
    else:
        uow.emit(topics.PAYOUT_SEND, payout_id=payout_id)


def _job(payout: Payout, order_ref: str, resend: bool) -> PayoutJob:
    return PayoutJob(
        payout.id,
        payout.provider or "",
        payout.phone,
        payout.amount_minor,
        payout.currency,
        payout.request_key,
        f"Sokoni {payout.kind} {order_ref}",
        resend,
        retryable=(payout.last_error or "").startswith("retry:"),
    )


def start_payout(
    uow: UnitOfWork, payout_id: int, choose: Choose, now: datetime
) -> PayoutJob | None:
    """Claim a payout for sending (its job runs at `not_before`), its amount now in flight;
    None when there is nothing to send."""
    with uow:
        payout = uow.payouts.lock(payout_id)
        if payout is None or payout.status not in ("scheduled", "sending"):
            return None
        order = uow.orders.lock_one(payout.order_id)
        if payout.status == "sending":
            return _job(payout, order.ref, resend=True)
        if payout.kind == "agent" and not _agent_due(uow, payout, order, now):
            uow.commit()
            return None
        payout.provider = payout.provider or choose(payout.phone, _network(uow, payout))
        payout_states.move(payout, "sending")
        payout.attempts += 1
        payout.checks = 0
        _post_flight(uow, payout, f"payout-sent:{payout.id}:{payout.attempts}", "payout_sent", 1)
        uow.commit()
        return _job(payout, order.ref, resend=False)


def _network(uow: UnitOfWork, payout: Payout) -> str | None:
    """The network the payee was last seen on, if the payout goes to that very number."""
    payee = uow.people.one(payout.person_id)
    return payee.network_code if payee.phone == payout.phone else None


def _post_flight(uow: UnitOfWork, payout: Payout, key: str, kind: str, sign: int) -> None:
    """Move the payout's amount from what is owed into flight (`sign` 1) or back (-1)."""
    amount = payout.amount_minor * sign
    ledger.post(
        uow,
        key,
        kind,
        payout.currency,
        [
            ledger.Entry(LIABILITY[payout.kind], amount, payout.person_id, payout.order_id),
            ledger.Entry(ledger.IN_FLIGHT, -amount, payout.person_id, payout.order_id),
        ],
        order_id=payout.order_id,
    )


def _fail(uow: UnitOfWork, payout: Payout, code: str | None, now: datetime) -> None:
    """The payout failed: its money is owed to the payee again, and it can be sent again."""
    payout_states.move(payout, "failed")
    payout.last_error, payout.settled_at = (code or "failed")[:300], now
    _post_flight(uow, payout, f"payout-failed:{payout.id}:{payout.attempts}", "payout_failed", -1)


def _agent_due(uow: UnitOfWork, payout: Payout, order: Order, now: datetime) -> bool:
    """Claw the commission back if the order did not stay delivered; net it against the
    agent's float. True when something is left to send."""
    party = payout.person_id
    if order.status != "delivered":
        ledger.post(
            uow,
            f"clawback:{payout.id}",
            "clawback",
            payout.currency,
            [
                ledger.Entry(ledger.AGENT_COMMISSION, payout.amount_minor, party, order.id),
                ledger.Entry(ledger.PLATFORM_FEE, -payout.amount_minor),
            ],
            order_id=order.id,
        )
        payout_states.move(payout, "cancelled")
        payout.settled_at, payout.last_error = now, order.status
        return False
    owed = ledger.party_balance(uow, ledger.AGENT_FLOAT, party).get(payout.currency, 0)
    netted = min(max(owed, 0), payout.amount_minor)
    if netted:
        ledger.post(
            uow,
            f"float-net:{payout.id}",
            "float_net",
            payout.currency,
            [
                ledger.Entry(ledger.AGENT_COMMISSION, netted, party, order.id),
                ledger.Entry(ledger.AGENT_FLOAT, -netted, party),
            ],
            order_id=order.id,
        )
        payout.amount_minor -= netted
    if payout.amount_minor == 0:
        payout_states.move(payout, "succeeded")
        payout.settled_at, payout.last_error = now, "netted"
        return False
    return True


def record_payout_sent(
    uow: UnitOfWork, payout_id: int, provider_ref: str, check_at: datetime
) -> None:
    """The provider took it: `pending`; its status is asked at `check_at`, in case its
    result never comes."""
    with uow:
        payout = uow.payouts.lock(payout_id)
        if payout is None or payout.status != "sending":
            return
        payout_states.move(payout, "pending")
        payout.provider_ref, payout.last_error = provider_ref, None
        uow.emit(topics.PAYOUT_CHECK, at=check_at, payout_id=payout.id)
        uow.commit()


def record_payout_error(
    uow: UnitOfWork,
    payout_id: int,
    code: str,
    *,
    retryable: bool,
    ambiguous: bool,
    now: datetime,
    check_at: datetime,
) -> str:
    """A send that failed: kept for a retry, else `failed`; `unknown` if it may have gone
    out, and then asked about from `check_at` on."""
    with uow:
        payout = uow.payouts.lock(payout_id)
        if payout is None or payout.status != "sending":
            return payout.status if payout else "missing"
        if retryable:
            payout.last_error = f"retry:{code}"[:300]
        elif ambiguous:
            payout_states.move(payout, "unknown")
            payout.last_error = code[:300]
            uow.emit(topics.PAYOUT_CHECK, at=check_at, payout_id=payout.id)
        else:
            _fail(uow, payout, code, now)
        uow.commit()
        return payout.status


def settle_payout(
    uow: UnitOfWork,
    payout_id: int,
    state: str,
    code: str | None,
    receipt: str | None,
    amount_minor: int | None,
    notices: Notices,
    now: datetime,
) -> tuple[str, str | None]:
    """In the caller's open unit of work: apply a payout's result once."""
    payout = uow.payouts.lock(payout_id)
    if payout is None:
        return "unknown", f"no payout {payout_id}"
    if payout.status in payout_states.SETTLED:
        return "duplicate", f"payout already {payout.status}"
    if state == "pending":
        return "pending", None
    if amount_minor is not None and amount_minor != payout.amount_minor:
        return "mismatch", f"amount {amount_minor} != {payout.amount_minor}"
    payout.result_code, payout.receipt, payout.settled_at = code, receipt, now
    if state != "succeeded":
        _fail(uow, payout, code, now)
        return "applied", None
    payout_states.move(payout, "succeeded")
    ledger.post(
        uow,
        f"payout:{payout.id}",
        f"{payout.kind}_payout",
        payout.currency,
        [
            ledger.Entry(ledger.IN_FLIGHT, payout.amount_minor, payout.person_id, payout.order_id),
            ledger.Entry(ledger.cash(payout.provider or "unknown"), -payout.amount_minor),
        ],
        order_id=payout.order_id,
    )
    payee = uow.people.one(payout.person_id)
    order = uow.orders.lock_one(payout.order_id)
    notices.tell(
        uow,
        payee,
        f"payout_sms.{payout.kind}",
        f"payout:{payout.id}:paid",
        total=Money(payout.amount_minor, payout.currency),
        ref=order.ref,
    )
    return "applied", None


def retry_payout(uow: UnitOfWork, payout_id: int, now: datetime) -> bool:
    """An operator sends a failed payout again, as a new request."""
    with uow:
        payout = uow.payouts.lock(payout_id)
        if payout is None or payout.status != "failed":
            return False
        payout_states.move(payout, "scheduled")
        payout.request_key = str(uuid.uuid4())
        payout.provider_ref = payout.last_error = payout.settled_at = None
        _send_at(uow, payout.id, now, now)
        uow.commit()
        return True


@dataclass(frozen=True)
class DuePayout:
    """A payout to ask the provider about, named by our key and, if known, its reference."""

    payout_id: int
    status: str
    provider: str
    provider_ref: str | None
    request_key: str
    phone: str
    currency: str


def payout_named(uow: UnitOfWork, payout_id: int) -> DuePayout:
    """How to name a payout to its provider.

    Raises:
        PayoutNotFound: no payout has this id, or it was never given to a provider.
    """
    with uow:
        payout = uow.payouts.get(payout_id)
        if payout is None or not payout.provider:
            raise errors.PayoutNotFound(payout_id)
        return DuePayout(
            payout.id,
            payout.status,
            payout.provider,
            payout.provider_ref,
            payout.request_key,
            payout.phone,
            payout.currency,
        )


def due_payout_check(uow: UnitOfWork, payout_id: int) -> DuePayout | None:
    """The payout to ask about, or None when it is not waiting for a result."""
    try:
        due = payout_named(uow, payout_id)
    except errors.PayoutNotFound:
        return None
    return due if due.status in OPEN else None


@dataclass(frozen=True)
class Checks:
    """When a payout without a result is asked about: after each delay (the last repeats),
    at most `limit` times; then it waits for an operator."""

    delays: Sequence[int]
    limit: int


def next_check(uow: UnitOfWork, payout_id: int, now: datetime, checks: Checks) -> bool:
    """Still open: ask again after the next delay; False once the checks are used up."""
    with uow:
        payout = uow.payouts.lock(payout_id)
        if payout is None or payout.status not in OPEN:
            return False
        again = _again(uow, payout, now, checks)
        uow.commit()
        return again


def _again(uow: UnitOfWork, payout: Payout, now: datetime, checks: Checks) -> bool:
    payout.checks += 1
    if payout.checks >= checks.limit:
        return False
    delay = checks.delays[min(payout.checks, len(checks.delays) - 1)]
    uow.emit(topics.PAYOUT_CHECK, at=now + timedelta(seconds=delay), payout_id=payout.id)
    return True


def apply_payout_status(
    uow: UnitOfWork,
    payout_id: int,
    state: str,
    code: str | None,
    receipt: str | None,
    amount_minor: int | None,
    notices: Notices,
    now: datetime,
    checks: Checks,
) -> str:
    """Apply a payout's queried status; still pending: ask again later."""
    with uow:
        verdict, _ = settle_payout(uow, payout_id, state, code, receipt, amount_minor, notices, now)
        if verdict == "pending":
            _again(uow, uow.payouts.lock_one(payout_id), now, checks)
        uow.commit()
        return verdict
