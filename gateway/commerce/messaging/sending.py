"""Sending queued SMS exactly once: take a batch, record the attempt, then record the outcome.

The attempt (`sending`, attempts + 1, `attempted_at`, a batch id) is committed *before* the
provider is called. A message with a secret (a delivery code) is sent alone, and its secret is
forgotten once the provider has answered for it (or it is given up), unless it is to be tried
again. A message found still `sending` after `stale` has no recorded outcome:
its worker died between the call and the write. It is marked `unknown` and never resent; a
delivery report for its number later reconciles it (see `gateway.commerce.messaging.delivery_reports`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Protocol

from gateway.commerce import errors
from gateway.commerce import topics
from gateway.commerce.messaging.outgoing import reveal
from gateway.store.models.messages import SmsMessage
from gateway.store.uow import UnitOfWork

LOST = "OutcomeNotRecorded"


class SendResult(Protocol):
    """The provider's answer for one number of a send call (an Africa's Talking recipient)."""

    @property
    def number(self) -> str: ...

    @property
    def status(self) -> str:
        """The provider's word for the outcome, kept as the failure reason."""
        ...

    @property
    def message_id(self) -> str | None: ...

    @property
    def cost(self) -> str | None: ...

    @property
    def status_code(self) -> int: ...

    @property
    def accepted(self) -> bool:
        """The provider took the message for delivery."""
        ...

    @property
    def retryable(self) -> bool:
        """The provider failed for now; another try later may work."""
        ...


@dataclass(frozen=True)
class Batch:
    """Messages with one text, to distinct numbers, sent in one provider call."""

    id: str
    text: str
    numbers: tuple[str, ...]
    lead_id: int


def take_batch(
    uow: UnitOfWork, message_id: int, size: int, stale: timedelta, now: datetime
) -> Batch | None:
    """Claim `message_id` and up to `size - 1` queued messages with its text, or None.

    None when the message is not queued (already sent, suppressed, dead, ...) or when its
    attempt went stale (then its whole batch is marked `unknown`).

    Raises:
        SmsInFlight: another worker is sending it right now; try again later.
    """
    with uow:
        lead = uow.sms.message(message_id)
        if lead is None or lead.status not in ("queued", "sending"):
            return None
        if lead.status == "sending":
            if lead.attempted_at is not None and lead.attempted_at > now - stale:
                raise errors.SmsInFlight(message_id)
            for message in uow.sms.in_batch(lead.batch_id or ""):
                if message.status == "sending":
                    _settle(message, "unknown", now, reason=LOST)
            uow.commit()
            return None
        batch_id = uuid.uuid4().hex
        rows = uow.sms.claim_batch(lead, batch_id, size, now)
        if not rows:
            return None
        batch = Batch(batch_id, reveal(lead), tuple(m.to for m in rows), lead.id)
        uow.commit()
        return batch


def record_sent(
    uow: UnitOfWork,
    batch: Batch,
    recipients: Sequence[SendResult],
    now: datetime,
    delays: Sequence[int],
) -> str:
    """Store each number's result; returns the lead message's new status."""
    by_number = {r.number: r for r in recipients}
    with uow:
        for message in _sending(uow, batch):
            answer = by_number.get(message.to)
            if answer is None:
                _settle(message, "unknown", now, reason="NoRecipientResult")
                continue
            message.at_status_code, message.cost = answer.status_code, answer.cost
            if answer.accepted:
                message.at_message_id = answer.message_id
                message.sent_at, message.failure_reason = now, None
                _settle(message, "sent", now)
            elif answer.retryable:
                _retry(uow, message, answer.status, now, delays)
            else:
                _settle(message, "rejected", now, reason=answer.status)
        return _commit_lead(uow, batch)


def record_failure(
    uow: UnitOfWork,
    batch: Batch,
    code: str,
    *,
    retryable: bool,
    ambiguous: bool,
    now: datetime,
    delays: Sequence[int],
) -> str:
    """The whole call failed: retry later, mark `unknown` (it may have gone out), or bury."""
    with uow:
        for message in _sending(uow, batch):
            message.last_error = code[:300]
            if ambiguous:
                _settle(message, "unknown", now, reason=code)
            elif retryable:
                _retry(uow, message, code, now, delays)
            else:
                _settle(message, "dead", now, reason=code)
        return _commit_lead(uow, batch)


def _sending(uow: UnitOfWork, batch: Batch) -> list[SmsMessage]:
    return [m for m in uow.sms.in_batch(batch.id) if m.status == "sending"]


def _commit_lead(uow: UnitOfWork, batch: Batch) -> str:
    lead = uow.sms.message(batch.lead_id)
    uow.commit()
    return lead.status if lead is not None else "unknown"


def _retry(
    uow: UnitOfWork, message: SmsMessage, reason: str, now: datetime, delays: Sequence[int]
) -> None:
    """Back to the queue with a delayed outbox row, or dead after the last attempt."""
    if message.attempts > len(delays):
        _settle(message, "dead", now, reason=reason)
        return
    _settle(message, "queued", now, reason=reason)
    retry_at = now + timedelta(seconds=delays[message.attempts - 1])
    uow.emit(topics.SMS_SEND, at=retry_at, message_id=message.id)


def _settle(message: SmsMessage, status: str, now: datetime, reason: str | None = None) -> None:
    """Give the message `status`; anything but another try forgets its secret."""
    message.status = status
    message.updated_at = now
    if status != "queued":
        message.secret = None
    if reason is not None:
        message.failure_reason = reason[:60]
