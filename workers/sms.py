"""Outbox handlers of the SMS channel: send a message (in a batch), run an inbound command,
text a receipt."""

from __future__ import annotations

import logging
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from gateway.commerce import sending
from gateway.providers.errors import SendError
from gateway.services import Services
from gateway.store.rate_limit import RateLimit
from menus.sms.inbox import handle
from menus.sms.notices import send_order_receipt

log = logging.getLogger(__name__)


def send(services: Services, payload: dict[str, Any]) -> None:
    """Send the message and up to SMS_BATCH_SIZE - 1 others with its text in one call.

    The attempt is committed before the call; retryable failures requeue each message with a
    delayed outbox row (BACKOFF), so this row is done. Raises FinalError when the message
    ends dead, so the row is dead too and `flask outbox dead` shows it.
    """
    from workers.outbox import BACKOFF
    from workers.outbox import FinalError

    settings, now = services.settings, datetime.now(UTC)
    stale = timedelta(seconds=settings.SMS_SEND_STALE)
    batch = sending.take_batch(
        services.uow(), payload["message_id"], settings.SMS_BATCH_SIZE, stale, now
    )
    if batch is None:
        return
    try:
        recipients = services.sms_sender.send(batch.text, batch.numbers)
    except SendError as err:
        log.warning("SMS batch %s to %s numbers failed: %s", batch.id, len(batch.numbers), err)
        status = sending.record_failure(
            services.uow(),
            batch,
            err.code,
            retryable=err.retryable,
            ambiguous=err.ambiguous,
            now=now,
            delays=BACKOFF,
        )
    else:
        status = sending.record_sent(services.uow(), batch, recipients, now, BACKOFF)
    if status == "dead":
        raise FinalError(f"SMS {batch.lead_id} is dead")


def inbound(services: Services, payload: dict[str, Any]) -> None:
    """Run the command in one stored inbound SMS and queue its answer."""
    settings = services.settings
    limiter = RateLimit(
        services.connections.redis,
        "sms:inbound",
        settings.SMS_INBOUND_LIMIT,
        settings.SMS_INBOUND_WINDOW,
    )
    handle(payload["inbound_id"], services.uow, limiter, settings.USSD_SERVICE_CODE)


def order_receipt(services: Services, payload: dict[str, Any]) -> None:
    """Text the buyer a receipt for a new order."""
    send_order_receipt(services.uow(), payload["order_id"])
