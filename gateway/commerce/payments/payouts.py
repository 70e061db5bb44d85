"""Money out of escrow: seller payouts, agent commissions and refunds, each sent once.

A payout is `scheduled`, claimed `sending` (committed before the provider is called),
`pending` once the provider took it, then `succeeded` or `failed` by its result. A request
whose answer was lost is `unknown`: never sent twice by the machine, reconciled by an
operator. An agent's commission waits out the return window, then is netted against cash the
agent still owes (their float) before the rest is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

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
) -> None:
    """Add a payout in the caller's open unit of work; its send job runs at `not_before`.

    Sellers and agents are paid at their payout number if they gave one; refunds go back
    to the number that paid."""
    if amount <= 0 or uow.payouts.by_key(key) is not None:
        return
    payout = Payout(
        key=key,
        kind=kind,
        order_id=order.id,
        person_id=payee.id,
        phone=(kind != "refund" and payee.payout_phone) or payee.phone,
        amount_minor=amount,
        currency=order.currency,
        status="scheduled",
        request_key=str(uuid.uuid4()),
        attempts=0,
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
    uow: UnitOfWork, payout_id: int, choose: Callable[[str], str], now: datetime
) -> PayoutJob | None:
    """Claim a payout for sending (its job runs at `not_before`); None when there is nothing
    to send."""
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
        payout.provider = payout.provider or choose(payout.phone)
        payout_states.move(payout, "sending")
        payout.attempts += 1
        uow.commit()
        return _job(payout, order.ref, resend=False)


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
    uow: UnitOfWork, payout_id: int, provider_ref: str, check_at: datetime | None
) -> None:
    """The provider took it: `pending`; its status is asked at `check_at` if it can be."""
    with uow:
        payout = uow.payouts.lock(payout_id)
        if payout is None or payout.status != "sending":
            return
        payout_states.move(payout, "pending")
        payout.provider_ref, payout.last_error = provider_ref, None
        if check_at is not None:
            uow.emit(topics.PAYOUT_CHECK, at=check_at, payout_id=payout.id)
        uow.commit()


def record_payout_error(
    uow: UnitOfWork, payout_id: int, code: str, *, retryable: bool, ambiguous: bool, now: datetime
) -> str:
    """A send that failed: kept for a retry, `unknown` if it may have gone out, else `failed`."""
    with uow:
        payout = uow.payouts.lock(payout_id)
        if payout is None or payout.status != "sending":
            return payout.status if payout else "missing"
        if retryable:
            payout.last_error = f"retry:{code}"[:300]
        else:
            payout_states.move(payout, "unknown" if ambiguous else "failed")
            payout.last_error, payout.settled_at = code[:300], now
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
        payout_states.move(payout, "failed")
        payout.last_error = code
        return "applied", None
    payout_states.move(payout, "succeeded")
    ledger.post(
        uow,
        f"payout:{payout.id}",
        f"{payout.kind}_payout",
        payout.currency,
        [
            ledger.Entry(
                LIABILITY[payout.kind], payout.amount_minor, payout.person_id, payout.order_id
            ),
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
    payout_id: int
    provider: str
    provider_ref: str


def due_payout_check(uow: UnitOfWork, payout_id: int) -> DuePayout | None:
    """The payout to ask about, or None when it is not waiting for a result."""
    with uow:
        payout = uow.payouts.lock(payout_id)
        if payout is None or payout.status != "pending" or not payout.provider_ref:
            return None
        return DuePayout(payout.id, payout.provider or "", payout.provider_ref)


def apply_payout_status(
    uow: UnitOfWork,
    payout_id: int,
    state: str,
    code: str | None,
    receipt: str | None,
    amount_minor: int | None,
    notices: Notices,
    now: datetime,
    check_again: datetime,
) -> str:
    """Apply a payout's queried status; still pending: ask again at `check_again`."""
    with uow:
        verdict, _ = settle_payout(uow, payout_id, state, code, receipt, amount_minor, notices, now)
        if verdict == "pending":
            uow.emit(topics.PAYOUT_CHECK, at=check_again, payout_id=payout_id)
        uow.commit()
        return verdict
