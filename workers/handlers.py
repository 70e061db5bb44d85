"""What each outbox topic does; a handler gets the services and the row's payload."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from gateway.services import Services
from workers import parcels
from workers import payments
from workers import sms

log = logging.getLogger(__name__)

Handler = Callable[[Services, dict[str, Any]], None]


def order_placed(services: Services, payload: dict[str, Any]) -> None:
    """Text the buyer a receipt (queued once, so this handler may safely run again)."""
    log.info("order %s placed", payload["order_id"])
    sms.order_receipt(services, payload)


def order_paid(services: Services, payload: dict[str, Any]) -> None:
    """Log the payment, and the order becomes a parcel."""
    payments.order_paid(services, payload)
    parcels.open_parcel(services, payload)


HANDLERS: dict[str, Handler] = {
    "order.placed": order_placed,
    "sms.send": sms.send,
    "sms.inbound": sms.inbound,
    "payment.request": payments.request,
    "payment.callback": payments.callback,
    "payment.check": payments.check,
    "payout.send": payments.payout_send,
    "payout.check": payments.payout_check,
    "order.paid": order_paid,
    "parcel.changed": parcels.changed,
    "parcel.notify": parcels.notify,
}
