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
    message_ids: tuple[int, ...]


@dataclass(frozen=True)
class CallFailed:
    """The whole provider call failed: retry later, or maybe it went out (`ambiguous`)."""

    code: str
    retryable: bool = False
    ambiguous: bool = False


Outcome = Sequence[SendResult] | CallFailed
"""What one call came to: the provider's answer for each number, or the call's failure."""


@dataclass(frozen=True)
class Taken:
    """What `take_batches` made of the messages it was given."""

    batches: list[Batch]
    in_flight: list[int]
    """Messages another worker is sending right now: to try again later."""


def take_batches(
    uow: UnitOfWork, message_ids: Sequence[int], size: int, stale: timedelta, now: datetime
) -> Taken:
    """Claim the queued messages among `message_ids` and group them into batches: one text,
    distinct numbers, at most `size` numbers a batch; a message with a secret goes alone.

    A message not queued (already sent, suppressed, dead, ...) is left alone; one whose
    attempt went stale has its whole batch marked `unknown`.
    """
    with uow:
        messages = uow.sms.messages(message_ids)
        in_flight: list[int] = []
        for message in messages:
            if message.status != "sending":
                continue
            if message.attempted_at is not None and message.attempted_at > now - stale:
                in_flight.append(message.id)
                continue
            for member in uow.sms.in_batch(message.batch_id or ""):
                if member.status == "sending":
                    _settle(member, "unknown", now, reason=LOST)
        claimed = uow.sms.claim([m.id for m in messages if m.status == "queued"], now)
        batches = _group([m for m in messages if m.id in claimed], size)
        uow.sms.name_batches({m: batch.id for batch in batches for m in batch.message_ids})
        uow.commit()
        return Taken(batches, in_flight)


def _group(messages: Sequence[SmsMessage], size: int) -> list[Batch]:
    """Batches of one text each, at most `size` numbers, each number once; a number's messages
    are in batches in the order they were queued (a batch is listed before any later one)."""
    batches: list[list[SmsMessage]] = []
    open_by_text: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for message in sorted(messages, key=lambda m: m.id):
        after = last.get(message.to, -1)
        fits = (
            n
            for n in open_by_text.get(message.text_hash, [])
            if n > after and len(batches[n]) < size
        )
        n = next(fits, None) if message.secret is None else None  # a secret's text is its own
        if n is None:
            n = len(batches)
            batches.append([])
            if message.secret is None:
                open_by_text.setdefault(message.text_hash, []).append(n)
        batches[n].append(message)
        last[message.to] = n
    return [
        Batch(uuid.uuid4().hex, reveal(b[0]), tuple(m.to for m in b), tuple(m.id for m in b))
        for b in batches
    ]


def waves(batches: Sequence[Batch]) -> list[list[Batch]]:
    """`batches` in rounds whose calls may run side by side: no number twice in a round, and a
    number's batches in their order across rounds."""
    rounds: list[list[Batch]] = []
    round_of: dict[str, int] = {}
    for batch in batches:
        n = 1 + max((round_of.get(number, -1) for number in batch.numbers), default=-1)
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(batch)
        round_of.update(dict.fromkeys(batch.numbers, n))
    return rounds


def record_outcomes(
    uow: UnitOfWork,
    outcomes: Sequence[tuple[Batch, Outcome]],
    now: datetime,
    delays: Sequence[int],
) -> dict[int, str]:
    """Store what each call came to, for each of its numbers; returns each message's status."""
    with uow:
        sending = {
            m.id: m
            for m in uow.sms.in_batches([b.id for b, _ in outcomes])
            if m.status == "sending"
        }
        for batch, outcome in outcomes:
            members = [sending[i] for i in batch.message_ids if i in sending]
            if isinstance(outcome, CallFailed):
                _call_failed(uow, members, outcome, now, delays)
            else:
                _answered(uow, members, outcome, now, delays)
        statuses = {
            i: m.status for batch, _ in outcomes for i in batch.message_ids if (m := sending.get(i))
        }
        uow.commit()
        return statuses


def _answered(
    uow: UnitOfWork,
    members: Sequence[SmsMessage],
    recipients: Sequence[SendResult],
    now: datetime,
    delays: Sequence[int],
) -> None:
    by_number = {r.number: r for r in recipients}
    for message in members:
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


def _call_failed(
    uow: UnitOfWork,
    members: Sequence[SmsMessage],
    failed: CallFailed,
    now: datetime,
    delays: Sequence[int],
) -> None:
    for message in members:
        message.last_error = failed.code[:300]
        if failed.ambiguous:
            _settle(message, "unknown", now, reason=failed.code)
        elif failed.retryable:
            _retry(uow, message, failed.code, now, delays)
        else:
            _settle(message, "dead", now, reason=failed.code)


def _retry(
    uow: UnitOfWork, message: SmsMessage, reason: str, now: datetime, delays: Sequence[int]
) -> None:
    """Back to the queue with a delayed outbox row, or dead after the last attempt."""
    if message.attempts > len(delays):
        _settle(message, "dead", now, reason=reason)
        return
    _settle(message, "queued", now, reason=reason)
    retry_at = now + timedelta(seconds=delays[message.attempts - 1])
    uow.emit(topics.sms_topic(message.kind), at=retry_at, message_id=message.id)


def _settle(message: SmsMessage, status: str, now: datetime, reason: str | None = None) -> None:
    """Give the message `status`; anything but another try forgets its secret."""
    message.status = status
    message.updated_at = now
    if status != "queued":
        message.secret = None
    if reason is not None:
        message.failure_reason = reason[:60]
