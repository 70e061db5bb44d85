"""Outgoing SMS as the domain sees it: queueing a text, and who opted out of news.

`queue_sms` runs inside the caller's unit of work, so the message row and its outbox row
commit (or roll back) with the business change that caused them.

A text carrying a secret (a delivery code) is stored with the secret as MASK; the secret waits
beside it, in `SmsMessage.secret`, only until the message is handed to the provider or fails
for good (`sending`), and the stored text never holds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from gateway.commerce import topics
from gateway.commerce.phones import to_e164
from gateway.store.models.base import utcnow
from gateway.store.models.messages import SmsMessage
from gateway.store.models.messages import SmsOptOut
from gateway.store.uow import UnitOfWork
from gateway.text.gsm import measure
from gateway.text.gsm import transliterate

KINDS = ("transactional", "notification", "reply")
MASK = "******"
"""How a secret shows in a stored SMS text."""
ASKED_FOR = frozenset({"transactional", "reply"})
"""Kinds a person asked for (a receipt, a consent request they triggered, the answer to their
own command): sent even after STOP. Notifications to an opted-out number are suppressed."""


class Secret(str):
    """A value only the SMS's reader may see (a delivery code): stored as MASK."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def redact(text: str, secret: str) -> str:
    """`text` with `secret` shown as MASK.

    Raises:
        ValueError: `text` does not show `secret`, or already shows MASK (it could not be
            told apart when the text is sent).
    """
    if secret not in text or MASK in text:
        raise ValueError("a secret must show in the text, and the mask must not")
    return text.replace(secret, MASK)


def reveal(message: SmsMessage) -> str:
    """The text to send: the stored text with its secret back in place of MASK."""
    return message.text.replace(MASK, message.secret) if message.secret else message.text


def queue_sms(
    uow: UnitOfWork,
    to: str,
    text: str,
    *,
    kind: str = "notification",
    dedupe_key: str | None = None,
    secret: str | None = None,
) -> None:
    """Write an outgoing SMS and its outbox row in the caller's open transaction.

    Smart punctuation is transliterated to GSM-7 before the text is measured; the encoding,
    length and segment count are stored. An opted-out number's notification is stored as
    `suppressed` and never sent. A `dedupe_key` already used makes this a no-op. A `secret`
    in the text (a delivery code) is stored as MASK (see the module's docstring).

    Raises:
        ValueError: for an unknown kind, or a secret the text does not show; InvalidPhone
            for a number that is not one.
    """
    message = _message(uow, to, text, kind, dedupe_key, secret)
    if dedupe_key is None or not uow.sms.dedupe_key_taken(dedupe_key):
        _queue(uow, [message])


def queue_all(uow: UnitOfWork, texts: Sequence[tuple[str, str]], *, kind: str) -> None:
    """`queue_sms` for each (number, text) of `texts`, written together (one INSERT for the
    messages, one for their outbox rows)."""
    _queue(uow, [_message(uow, to, text, kind) for to, text in texts])


def _message(
    uow: UnitOfWork,
    to: str,
    text: str,
    kind: str,
    dedupe_key: str | None = None,
    secret: str | None = None,
) -> SmsMessage:
    """The row of an outgoing SMS, measured, suppressed if the number opted out of `kind`."""
    if kind not in KINDS:
        raise ValueError(f"unknown SMS kind {kind!r}")
    phone = to_e164(to)
    body = transliterate(text)
    size = measure(body)
    stored = redact(body, secret) if secret else body
    suppressed = kind not in ASKED_FOR and uow.sms.opted_out(phone)
    return SmsMessage(
        to=phone,
        text=stored,
        text_hash=text_hash(stored),
        encoding=size.encoding,
        units=size.units,
        segments=size.segments,
        kind=kind,
        status="suppressed" if suppressed else "queued",
        attempts=0,
        dedupe_key=dedupe_key,
        secret=None if suppressed else secret,
    )


def _queue(uow: UnitOfWork, messages: Sequence[SmsMessage]) -> None:
    """Store `messages` and an outbox row for each one not suppressed."""
    uow.sms.add_all(messages)
    for message in messages:
        if message.status != "suppressed":
            uow.emit(topics.sms_topic(message.kind), message_id=message.id)


def set_opt_out(uow: UnitOfWork, phone: str, opted_out: bool, channel: str) -> None:
    """Record a STOP (`opted_out`) or START from `channel` in the caller's open transaction."""
    uow.sms.add(SmsOptOut(phone=phone, opted_out=opted_out, channel=channel, created_at=utcnow()))


def record_opt_out(uow: UnitOfWork, phone: str, opted_out: bool, channel: str) -> None:
    """Record a STOP or START that arrived on its own (Africa's Talking's opt-out callback)."""
    with uow:
        set_opt_out(uow, to_e164(phone), opted_out, channel)
        uow.commit()
