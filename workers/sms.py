"""The SMS channel's work: send queued messages together (many numbers a call, several calls
at a time), run inbound commands together."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta
from typing import Any

from gateway.bootstrap import Services
from gateway.commerce import errors
from gateway.commerce.messaging import sending
from gateway.providers.errors import SendError
from gateway.store.rate_limit import RateLimit
from menus.sms.inbox import handle_all
from workers.metrics import sms_results
from workers.retries import BACKOFF
from workers.retries import FinalError
from workers.runtime import senders

Failures = dict[int, Exception]
"""Rows of a batch that did not end done, by position, with why."""

log = logging.getLogger(__name__)


def send(services: Services, payloads: Sequence[dict[str, Any]], now: datetime) -> Failures:
    """Send the queued ones among the rows' messages: one call per text (up to SMS_BATCH_SIZE
    numbers), SMS_SEND_CONCURRENCY calls at a time; returns the rows (by position) that must
    be tried again later or buried, with why.

    Every attempt is committed before its call; retryable failures requeue each message with
    a delayed outbox row (BACKOFF), so its row is done. A message that ends dead makes its
    row dead too (FinalError), so `flask outbox dead` shows it.
    """
    settings = services.settings
    stale = timedelta(seconds=settings.SMS_SEND_STALE)
    ids = [payload["message_id"] for payload in payloads]
    taken = sending.take_batches(services.uow(), ids, settings.SMS_BATCH_SIZE, stale, now)
    failed: dict[int, Exception] = {i: errors.SmsInFlight(i) for i in taken.in_flight}
    if taken.batches:
        outcomes: list[tuple[sending.Batch, sending.Outcome]] = []
        for batches in sending.waves(taken.batches):
            calls = senders(services).map(lambda batch: _call(services, batch), batches)
            outcomes += zip(batches, calls, strict=True)
        sms_results(services, outcomes)
        statuses = sending.record_outcomes(services.uow(), outcomes, now, BACKOFF)
        for message_id, status in statuses.items():
            if status == "dead":
                failed[message_id] = FinalError(f"SMS {message_id} is dead")
    return {n: failed[i] for n, i in enumerate(ids) if i in failed}


def _call(services: Services, batch: sending.Batch) -> sending.Outcome:
    """One Africa's Talking call for `batch`; its failure as a value."""
    try:
        recipients = services.sms_sender.send(batch.text, batch.numbers)
    except SendError as err:
        log.warning("SMS batch %s to %s numbers failed: %s", batch.id, len(batch.numbers), err)
        return sending.CallFailed(err.code, retryable=err.retryable, ambiguous=err.ambiguous)
    log.debug("SMS batch %s handed to Africa's Talking for %s numbers", batch.id, len(recipients))
    return recipients


def inbound(services: Services, payloads: Sequence[dict[str, Any]], now: datetime) -> Failures:
    """Run the commands in many stored inbound SMS and queue their answers (see
    `menus.sms.inbox`); returns the rows (by position) to try again, with why."""
    settings = services.settings
    limiter = RateLimit(
        services.connections.redis,
        "sms:inbound",
        settings.SMS_INBOUND_LIMIT,
        settings.SMS_INBOUND_WINDOW,
    )
    ids = [payload["inbound_id"] for payload in payloads]
    return handle_all(ids, services.deps, limiter)
