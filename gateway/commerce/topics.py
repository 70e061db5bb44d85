"""Every outbox topic: the name of each piece of work a committed change leaves for a worker.

A topic names a fact (`order.paid`) or a task (`sms.send`); its row's payload holds ids only.
What runs for each topic is one table, `workers.handlers.HANDLERS`; what follows a fact in
the domain (escrow, refunds, notices) is `gateway.commerce.followups`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

ORDER_PLACED = "order.placed"
"""An order was written: the buyer's receipt SMS. Payload `order_id`."""
ORDER_PAID = "order.paid"
"""Money for an order is in escrow: the order becomes a parcel. Payload `order_id`."""
PAYMENT_REQUEST = "payment.request"
"""Ask the buyer's provider for an order's money. Payload `order_id`, optional `attempt`."""
PAYMENT_CALLBACK = "payment.callback"
"""Check a stored provider callback and apply it once. Payload `callback_id`."""
PAYMENT_CHECK = "payment.check"
"""Ask the provider how a payment with no callback went. Payload `payment_id`."""
PAYOUT_SEND = "payout.send"
"""Send a due payout (seller, agent commission, refund). Payload `payout_id`."""
PAYOUT_CHECK = "payout.check"
"""Ask the provider how a payout went. Payload `payout_id`."""
PARCEL_CHANGED = "parcel.changed"
"""A parcel entered a new status: codes, SMS, escrow. Payload `shipment_id`, `status`."""
PARCEL_SCAN = "parcel.scan"
"""A carrier's tracking scan waits in the inbox: judge it. Payload `inbox_id`."""
PARCEL_NOTIFY = "parcel.notify"
"""A parcel's coalescing window closed: one SMS to the buyer. Payload `shipment_id`."""
SMS_SEND = "sms.send"
"""Send a queued SMS (a notice, or news nobody waits for). Payload `message_id`."""
SMS_RECEIPT = "sms.receipt"
"""Send a queued SMS written by payment work (a receipt, a payment's news). Payload `message_id`."""
SMS_REPLY = "sms.reply"
"""Send the answer to someone's own SMS command. Payload `message_id`."""
SMS_INBOUND = "sms.inbound"
"""Run the command in a stored inbound SMS. Payload `inbound_id`."""

ALL = (
    ORDER_PLACED,
    ORDER_PAID,
    PAYMENT_REQUEST,
    PAYMENT_CALLBACK,
    PAYMENT_CHECK,
    PAYOUT_SEND,
    PAYOUT_CHECK,
    PARCEL_CHANGED,
    PARCEL_SCAN,
    PARCEL_NOTIFY,
    SMS_SEND,
    SMS_RECEIPT,
    SMS_REPLY,
    SMS_INBOUND,
)
SMS_SENDS = frozenset({SMS_SEND, SMS_RECEIPT, SMS_REPLY})
"""Topics that send one queued SMS; a worker sends many of them together."""

PAYMENTS, NOTICES, REPLIES, INBOUND, BULK = "payments", "notices", "replies", "inbound", "bulk"
QUEUES = (PAYMENTS, NOTICES, REPLIES, INBOUND, BULK)
"""The queues of work, most urgent first: a worker always takes the first that has work, so
a flood on one never delays a queue before it. Payments and receipts before notices, notices
before inbound commands and carriers' scans (the answers to commands just before them), bulk
last (periodic jobs)."""
QUEUE_OF = {
    ORDER_PLACED: PAYMENTS,
    ORDER_PAID: PAYMENTS,
    PAYMENT_REQUEST: PAYMENTS,
    PAYMENT_CALLBACK: PAYMENTS,
    PAYMENT_CHECK: PAYMENTS,
    PAYOUT_SEND: PAYMENTS,
    PAYOUT_CHECK: PAYMENTS,
    SMS_RECEIPT: PAYMENTS,
    PARCEL_CHANGED: NOTICES,
    PARCEL_NOTIFY: NOTICES,
    SMS_SEND: NOTICES,
    SMS_REPLY: REPLIES,
    SMS_INBOUND: INBOUND,
    PARCEL_SCAN: INBOUND,
}
"""The queue of each topic, by urgency."""

_working_on: ContextVar[str | None] = ContextVar("working_on", default=None)


@contextmanager
def working_on(topic: str) -> Iterator[None]:
    """Run the block as work of `topic`: the SMS it queues share its urgency (`sms_topic`)."""
    token = _working_on.set(topic)
    try:
        yield
    finally:
        _working_on.reset(token)


def sms_topic(kind: str) -> str:
    """The topic that sends an SMS of `kind` queued now: an answer to a command is a reply;
    anything queued by payment work is a receipt; the rest is a notice."""
    if kind == "reply":
        return SMS_REPLY
    working = _working_on.get()
    return SMS_RECEIPT if working is not None and QUEUE_OF[working] == PAYMENTS else SMS_SEND


def topics_of(queue: str) -> tuple[str, ...]:
    """The topics whose rows go to `queue`."""
    return tuple(topic for topic in ALL if QUEUE_OF[topic] == queue)
