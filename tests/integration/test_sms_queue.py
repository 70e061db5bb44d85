"""queue_sms: measured, transliterated, opt-out honoured, committed with the caller's change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.bootstrap import Services
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.commerce.messaging.outgoing import set_opt_out
from gateway.store.models.messages import SmsMessage
from gateway.store.models.outbox import OutboxItem


def _messages(services: Services) -> list[SmsMessage]:
    with services.uow() as uow:
        return list(uow.session.scalars(select(SmsMessage).order_by(SmsMessage.id)))


def _outbox(services: Services) -> list[OutboxItem]:
    with services.uow() as uow:
        return list(uow.session.scalars(select(OutboxItem).order_by(OutboxItem.id)))


def test_a_queued_sms_is_measured_and_has_an_outbox_row(services: Services) -> None:
    with services.uow() as uow:
        queue_sms(uow, "+254711000101", "Your order AB23CD is on its way", kind="transactional")
        uow.commit()
    [message] = _messages(services)
    assert (message.to, message.status, message.kind) == (
        "+254711000101",
        "queued",
        "transactional",
    )
    assert (message.encoding, message.units, message.segments) == ("GSM-7", 31, 1)
    [item] = _outbox(services)
    assert (item.topic, item.payload) == ("sms.send", {"message_id": message.id})


def test_smart_punctuation_is_transliterated_before_measuring(services: Services) -> None:
    with services.uow() as uow:
        queue_sms(uow, "+254711000102", "“Maize” – 2 bags… ready")
        uow.commit()
    [message] = _messages(services)
    assert message.text == '"Maize" - 2 bags... ready'
    assert message.encoding == "GSM-7"


def test_nothing_is_queued_when_the_callers_transaction_rolls_back(services: Services) -> None:
    with services.uow() as uow:
        queue_sms(uow, "+254711000103", "never sent")
    assert _messages(services) == [] and _outbox(services) == []


def test_after_stop_notifications_are_suppressed_but_asked_for_messages_go_out(
    services: Services,
) -> None:
    with services.uow() as uow:
        set_opt_out(uow, "+254711000104", True, "sms")
        queue_sms(uow, "+254711000104", "New maize near you", kind="notification")
        queue_sms(uow, "+254711000104", "Receipt for order QW34ER", kind="transactional")
        queue_sms(uow, "+254711000104", "Maize: KES 3,200/bag", kind="reply")
        uow.commit()
    statuses = [(m.kind, m.status) for m in _messages(services)]
    assert statuses == [
        ("notification", "suppressed"),
        ("transactional", "queued"),
        ("reply", "queued"),
    ]
    assert len(_outbox(services)) == 2


def test_start_after_stop_resumes_notifications(services: Services) -> None:
    with services.uow() as uow:
        set_opt_out(uow, "+254711000105", True, "sms")
        set_opt_out(uow, "+254711000105", False, "sms")
        queue_sms(uow, "+254711000105", "New maize near you")
        uow.commit()
    assert [m.status for m in _messages(services)] == ["queued"]


def test_a_dedupe_key_queues_one_message_however_often_it_is_used(services: Services) -> None:
    for _ in range(2):
        with services.uow() as uow:
            queue_sms(uow, "+254711000106", "Receipt", kind="transactional", dedupe_key="k-1")
            uow.commit()
    assert len(_messages(services)) == 1


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),
        ("{" + "a" * 159, "GSM-7", 161, 2),
        ("Bei [ofa] ~ KES 3,200 | 2 bags ^" + "a" * 123, "GSM-7", 160, 1),
        ("ç" * 70, "GSM-7", 70, 1),
        ("Karibu ✓" + "a" * 62, "UCS-2", 70, 1),
        ("Karibu ✓" + "a" * 63, "UCS-2", 71, 2),
        ("🌽" * 35, "UCS-2", 70, 1),
        ("🌽" * 36, "UCS-2", 72, 2),
    ],
)
def test_each_message_stores_its_encoding_length_and_segments(
    services: Services, text: str, encoding: str, units: int, segments: int
) -> None:
    with services.uow() as uow:
        queue_sms(uow, "+254711000107", text)
        uow.commit()
    [message] = _messages(services)
    assert (message.encoding, message.units, message.segments) == (encoding, units, segments)
