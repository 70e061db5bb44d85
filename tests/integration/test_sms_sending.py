"""The outbox sends SMS through the real `africastalking` SDK to the local fake Africa's Talking."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.bootstrap import Services
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.providers.africastalking.sms import AfricasTalkingSms
from gateway.providers.africastalking.sms import Recipient
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.counters import Counters
from gateway.store.models.messages import SmsMessage
from gateway.store.models.outbox import OutboxItem
from workers.outbox import BACKOFF


def _queue(services: Services, *messages: tuple[str, str], kind: str = "notification") -> None:
    with services.uow() as uow:
        for to, text in messages:
            queue_sms(uow, to, text, kind=kind)
        uow.commit()


def _messages(services: Services) -> list[SmsMessage]:
    with services.uow() as uow:
        return list(uow.session.scalars(select(SmsMessage).order_by(SmsMessage.id)))


def _outbox(services: Services) -> list[OutboxItem]:
    with services.uow() as uow:
        return list(uow.session.scalars(select(OutboxItem).order_by(OutboxItem.id)))


def test_a_queued_sms_reaches_africas_talking_and_its_result_is_stored(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    _queue(services, ("+254711000201", "Your maize order is ready"))
    assert run_outbox() == ["done"]
    [call] = fake_at.received
    assert call.recipients == ("+254711000201",)
    assert call.message == "Your maize order is ready"
    assert (call.sender, call.username, call.api_key) == ("SOKONI", "sandbox", fake_at.api_key)
    assert call.bulk_sms_mode == "1"
    [message] = _messages(services)
    assert (message.status, message.at_status_code, message.attempts) == ("sent", 101, 1)
    assert message.at_message_id == call.message_ids[0]
    assert message.cost == "KES 0.8000"
    assert message.sent_at is not None


def test_messages_with_the_same_text_go_in_one_call_up_to_the_batch_size(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    services.settings = replace(services.settings, SMS_BATCH_SIZE=2)
    same = "Market day moved to Friday"
    _queue(
        services,
        ("+254711000211", same),
        ("+254711000212", same),
        ("+254711000213", same),
        ("+254711000214", "Something else"),
    )
    run_outbox()
    calls = sorted((c.message, c.recipients) for c in fake_at.received)
    assert calls == [
        (same, ("+254711000211", "+254711000212")),
        (same, ("+254711000213",)),
        ("Something else", ("+254711000214",)),
    ]
    messages = _messages(services)
    assert {m.status for m in messages} == {"sent"}
    assert len({m.at_message_id for m in messages}) == 4
    assert messages[0].batch_id == messages[1].batch_id != messages[2].batch_id


def test_one_number_is_never_sent_the_same_text_twice_in_one_call(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    _queue(services, ("+254711000215", "Twice"), ("+254711000215", "Twice"))
    run_outbox()
    assert [c.recipients for c in fake_at.received] == [("+254711000215",), ("+254711000215",)]


def test_a_500_is_retried_after_the_backoff_and_then_succeeds(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    fake_at.fail_next(500)
    _queue(services, ("+254711000221", "Retry me"))
    now = datetime.now(UTC)
    run_outbox(now)
    [message] = _messages(services)
    assert (message.status, message.attempts, message.failure_reason) == ("queued", 1, "HTTP 500")
    assert fake_at.received == []
    assert run_outbox(now + timedelta(seconds=BACKOFF[0] - 1)) == []
    run_outbox(now + timedelta(seconds=BACKOFF[0] + 1))
    [message] = _messages(services)
    assert (message.status, message.attempts, message.failure_reason) == ("sent", 2, None)
    assert fake_at.recipients() == ["+254711000221"]


def test_429_is_retried_too(services: Services, fake_at: FakeAfricasTalking, run_outbox) -> None:
    fake_at.fail_next(429, "Too Many Requests")
    _queue(services, ("+254711000222", "Slow down"))
    run_outbox()
    assert _messages(services)[0].status == "queued"


def test_after_the_last_retry_the_message_is_dead_and_visible(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    fake_at.fail_next(503, times=len(BACKOFF) + 1)
    _queue(services, ("+254711000223", "Never arrives"))
    now = datetime.now(UTC)
    for delay in (0, *BACKOFF):
        now += timedelta(seconds=delay + 1)
        run_outbox(now)
    [message] = _messages(services)
    assert (message.status, message.attempts) == ("dead", len(BACKOFF) + 1)
    assert fake_at.received == []
    with services.uow() as uow:
        [dead] = uow.outbox.dead(10)
    assert dead.topic == "sms.send" and "dead" in (dead.last_error or "")


def test_a_bad_key_gets_401_and_the_message_is_dead_at_once(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    fake_at.api_key = "the-right-key"
    _queue(services, ("+254711000231", "Hello"))
    assert run_outbox() == ["dead"]
    [message] = _messages(services)
    assert (message.status, message.failure_reason, message.attempts) == (
        "dead",
        "InvalidCredentials",
        1,
    )
    assert fake_at.received == []


def test_an_unknown_sender_id_is_final(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    fake_at.sender_ids = {"OTHER"}
    _queue(services, ("+254711000232", "Hello"))
    assert run_outbox() == ["dead"]
    assert _messages(services)[0].failure_reason == "InvalidSenderId"


@pytest.mark.parametrize(
    ("code", "reason"), [(403, "InvalidPhoneNumber"), (406, "UserInBlacklist")]
)
def test_a_refused_number_is_rejected_for_good_while_the_others_are_sent(
    services: Services, fake_at: FakeAfricasTalking, run_outbox, code: int, reason: str
) -> None:
    fake_at.reject("+254711000241", code)
    same = "Prices are up"
    _queue(services, ("+254711000241", same), ("+254711000242", same))
    run_outbox(datetime.now(UTC) + timedelta(hours=2))
    refused, sent = _messages(services)
    assert (refused.status, refused.failure_reason, refused.at_status_code) == (
        "rejected",
        reason,
        code,
    )
    assert refused.at_message_id is None
    assert sent.status == "sent"
    assert len(fake_at.received) == 1


def test_a_per_number_gateway_error_is_retried_for_that_number_only(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    fake_at.reject("+254711000243", 500)
    same = "Rain tomorrow"
    _queue(services, ("+254711000243", same), ("+254711000244", same))
    now = datetime.now(UTC)
    run_outbox(now)
    assert [m.status for m in _messages(services)] == ["queued", "sent"]
    fake_at.accept("+254711000243")
    run_outbox(now + timedelta(seconds=BACKOFF[0] + 1))
    assert [m.status for m in _messages(services)] == ["sent", "sent"]
    assert fake_at.recipients() == ["+254711000243", "+254711000244", "+254711000243"]


def test_a_read_timeout_is_not_resent_because_it_may_have_gone_out(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    services.__dict__["sms_sender"] = AfricasTalkingSms(
        fake_at.username, fake_at.api_key, fake_at.url, timeout=(2, 0.3)
    )
    recorded, release = fake_at.hold_next()
    _queue(services, ("+254711000251", "Slow network"))
    now = datetime.now(UTC)
    run_outbox(now)
    release.set()
    [message] = _messages(services)
    assert (message.status, message.failure_reason) == ("unknown", "Timeout")
    run_outbox(now + timedelta(hours=2))
    assert len(fake_at.received) == 1


def test_no_connection_is_retried(services: Services, run_outbox) -> None:
    services.__dict__["sms_sender"] = AfricasTalkingSms("sandbox", "k", "http://127.0.0.1:9")
    _queue(services, ("+254711000252", "Anyone there?"))
    run_outbox()
    [message] = _messages(services)
    assert (message.status, message.failure_reason) == ("queued", "ConnectionFailed")


def test_without_credentials_outside_development_nothing_is_sent(
    services: Services, run_outbox
) -> None:
    services.__dict__.pop("sms_sender", None)
    _queue(services, ("+254711000253", "Hello"))
    assert run_outbox() == ["dead"]
    assert _messages(services)[0].failure_reason.startswith("NotConfigured")


def test_a_message_another_worker_is_sending_is_left_to_it_until_the_attempt_goes_stale(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    _queue(services, ("+254711000261", "In flight"))
    now = datetime.now(UTC)
    with services.uow() as uow:
        message = uow.session.scalars(select(SmsMessage)).one()
        message.status, message.attempted_at, message.batch_id = "sending", now, "other-worker"
        message.attempts = 1
        uow.commit()
    assert run_outbox(now) == ["pending"]
    assert _messages(services)[0].status == "sending"
    services.settings = replace(services.settings, SMS_SEND_STALE=0)
    run_outbox(now + timedelta(minutes=1))
    [message] = _messages(services)
    assert (message.status, message.failure_reason) == ("unknown", "OutcomeNotRecorded")
    assert fake_at.received == []


def test_the_api_key_never_reaches_the_logs(
    services: Services, fake_at: FakeAfricasTalking, run_outbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_at.fail_next(500)
    _queue(services, ("+254711000271", "Secret-free logs"))
    run_outbox()
    run_outbox(datetime.now(UTC) + timedelta(minutes=1))
    assert fake_at.received and fake_at.api_key not in caplog.text


def _queue_code(services: Services, to: str, code: str) -> None:
    with services.uow() as uow:
        text = f"Sokoni: your delivery code is {code}. Share it only with the parcel in hand."
        queue_sms(uow, to, text, kind="transactional", secret=code)
        uow.commit()


def test_a_delivery_code_is_never_stored_in_the_text_and_forgotten_once_sent(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    _queue_code(services, "+254711000261", "482913")
    [waiting] = _messages(services)
    assert (
        waiting.text
        == "Sokoni: your delivery code is ******. Share it only with the parcel in hand."
    )
    assert waiting.secret == "482913" and waiting.units == len(waiting.text)
    run_outbox()
    [call] = fake_at.received
    assert call.message == waiting.text.replace("******", "482913")
    [sent] = _messages(services)
    assert (sent.status, sent.secret, sent.text) == ("sent", None, waiting.text)


def test_two_delivery_codes_with_the_same_masked_text_go_in_separate_calls(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    _queue_code(services, "+254711000262", "111222")
    _queue_code(services, "+254711000263", "333444")
    run_outbox()
    calls = sorted((c.recipients, c.message.split()[5]) for c in fake_at.received)
    assert calls == [(("+254711000262",), "111222."), (("+254711000263",), "333444.")]


def test_a_delivery_code_waits_through_a_retry_and_is_forgotten_when_the_message_dies(
    services: Services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    fake_at.fail_next(503)
    _queue_code(services, "+254711000264", "555666")
    run_outbox()
    [retrying] = _messages(services)
    assert (retrying.status, retrying.secret) == ("queued", "555666")
    fake_at.fail_next(401)
    run_outbox(datetime.now(UTC) + timedelta(seconds=BACKOFF[0] + 1))
    [dead] = _messages(services)
    assert (dead.status, dead.secret) == ("dead", None)


class _InFlight:
    """Wraps a sender and records the most calls it ever had in flight at once."""

    def __init__(self, sender: AfricasTalkingSms) -> None:
        self.sender = sender
        self.now = self.most = 0
        self.lock = threading.Lock()

    def send(self, text: str, numbers: Sequence[str]) -> list[Recipient]:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            return self.sender.send(text, numbers)
        finally:
            with self.lock:
                self.now -= 1


def test_texts_that_differ_go_out_side_by_side_never_more_than_the_concurrency_at_once(
    services: Services,
    fake_at: FakeAfricasTalking,
    run_outbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services.settings = replace(services.settings, SMS_SEND_CONCURRENCY=3)
    fake_at.latency = 0.05
    sender = _InFlight(services.sms_sender)  # type: ignore[arg-type]
    monkeypatch.setitem(services.__dict__, "sms_sender", sender)
    _queue(services, *((f"+2547110003{n:02d}", f"Parcel {n} moved") for n in range(12)))
    assert run_outbox() == ["done"] * 12
    assert len(fake_at.received) == 12 and sender.most == 3
    counts = {
        (c.name, c.labels.get("result")): c.value
        for c in Counters(services.connections.redis).all()
    }
    assert counts[("sokoni_sms_sent", "sent")] == 12
