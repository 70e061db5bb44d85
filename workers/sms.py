"""Outbox handlers of the SMS channel: send a message (in a batch), run an inbound command."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from gateway.bootstrap import Services
from gateway.commerce.messaging import sending
from gateway.providers.errors import SendError
from gateway.store.rate_limit import RateLimit
from menus.sms.inbox import handle
from workers.metrics import count
from workers.metrics import sms_results
from workers.retries import BACKOFF
from workers.retries import FinalError

log = logging.getLogger(__name__)


def send(services: Services, payload: dict[str, Any]) -> None:
    """Send the message and up to SMS_BATCH_SIZE - 1 others with its text in one call.

    The attempt is committed before the call; retryable failures requeue each message with a
    delayed outbox row (BACKOFF), so this row is done. Raises FinalError when the message
    ends dead, so the row is dead too and `flask outbox dead` shows it.
    """
    settings, now = services.settings, services.clock()
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
        count(services, "sokoni_sms_sent", len(batch.numbers), result="failed")
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
        sms_results(services, recipients)
        log.info(
            "SMS batch %s handed to Africa's Talking for %s numbers", batch.id, len(recipients)
        )
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
    handle(payload["inbound_id"], services.deps, limiter)
