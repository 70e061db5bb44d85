"""Every outbox topic: the name of each piece of work a committed change leaves for a worker.

A topic names a fact (`order.paid`) or a task (`sms.send`); its row's payload holds ids only.
What runs for each topic is one table, `workers.handlers.HANDLERS`; what follows a fact in
the domain (escrow, refunds, notices) is `gateway.commerce.followups`.
"""

from __future__ import annotations

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
PARCEL_NOTIFY = "parcel.notify"
"""A parcel's coalescing window closed: one SMS to the buyer. Payload `shipment_id`."""
SMS_SEND = "sms.send"
"""Send a queued SMS (and others with its text). Payload `message_id`."""
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
    PARCEL_NOTIFY,
    SMS_SEND,
    SMS_INBOUND,
)
