"""Africa's Talking's SMS callbacks over HTTP: inbound messages, delivery reports, opt-outs."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

import pytest
from flask.testing import FlaskClient

from gateway.bootstrap import Services
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsInbound
from gateway.store.models.messages import SmsMessage
from gateway.store.models.messages import SmsOptOut
from gateway.store.models.outbox import OutboxItem
from tests.sms_support import Texter
from tests.sms_support import rows

INBOUND = {
    "from": "+254711000501",
    "to": "22384",
    "text": "PRICE maize",
    "date": "2026-11-29 08:34:18",
    "id": "ATXinb_cb_1",
    "linkId": "SampleLinkId123",
    "networkCode": "63902",
}


@dataclass(frozen=True)
class Case:
    label: str
    form: dict[str, str]
    status: int
    body_has: str = "OK"
    extra: dict[str, str] = field(default_factory=dict)


INBOUND_CASES = [
    Case("sms valid", INBOUND, 200),
    Case("sms empty text", {**INBOUND, "text": ""}, 200),
    Case("sms missing text", {k: v for k, v in INBOUND.items() if k != "text"}, 400, "text"),
    Case("sms missing id", {**INBOUND, "id": ""}, 400, "id"),
    Case("sms missing from", {**INBOUND, "from": ""}, 400, "from"),
    Case("sms huge text is cut, not refused", {**INBOUND, "text": "x" * 9000}, 200),
    Case("sms nul bytes in text are dropped", {**INBOUND, "text": "HELP\x00\x07"}, 200),
    Case(
        "sms control character in id",
        {**INBOUND, "id": "AT\x00X1"},
        400,
        "id contains a control character",
    ),
    Case("sms control character in from", {**INBOUND, "from": "+2547\x1b"}, 400, "from"),
    Case("sms id too long", {**INBOUND, "id": "x" * 65}, 400, "id is too long"),
]


@pytest.mark.parametrize("case", INBOUND_CASES, ids=lambda c: c.label)
def test_inbound(services: Services, client: FlaskClient, case: Case) -> None:
    response = client.post("/sms/inbound", data=case.form)
    assert response.status_code == case.status
    assert case.body_has in response.get_data(as_text=True)
    stored = rows(services, SmsInbound)
    assert len(stored) == (1 if case.status == 200 else 0)


def test_an_inbound_message_is_stored_with_every_field_before_anything_else(
    services: Services, client: FlaskClient
) -> None:
    client.post("/sms/inbound", data=INBOUND)
    [message] = rows(services, SmsInbound)
    assert (message.at_id, message.from_number, message.to, message.text) == (
        "ATXinb_cb_1",
        "+254711000501",
        "22384",
        "PRICE maize",
    )
    assert (message.link_id, message.network_code, message.sent_date, message.status) == (
        "SampleLinkId123",
        "63902",
        "2026-11-29 08:34:18",
        "received",
    )
    [item] = rows(services, OutboxItem)
    assert (item.topic, item.payload["inbound_id"]) == ("sms.inbound", message.id)
    assert item.payload["request_id"]  # the request's id follows the message into its job


def test_a_duplicate_or_retried_inbound_message_is_stored_and_handled_once(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    texter = Texter(client, "+254711000502")
    texter.text("HELP", at_id="ATXinb_dup")
    texter.text("HELP", at_id="ATXinb_dup")
    run_outbox()
    texter.text("HELP", at_id="ATXinb_dup")  # Africa's Talking retries an hour later
    run_outbox()
    assert len(rows(services, SmsInbound)) == 1
    assert len(rows(services, OutboxItem, topic="sms.inbound")) == 1
    assert fake_at.recipients() == ["+254711000502"]


def _sent(services: Services, fake: FakeAfricasTalking, run_outbox, number: str) -> str:
    with services.uow() as uow:
        queue_sms(uow, number, "Your order is on its way", kind="transactional")
        uow.commit()
    run_outbox()
    return fake.received[-1].message_ids[0]


@pytest.mark.parametrize(
    ("status", "reason", "expected", "stored_reason"),
    [
        ("Success", None, "delivered", None),
        ("Sent", None, "sent", None),
        ("Submitted", None, "sent", None),
        ("Buffered", None, "sent", None),
        ("Failed", "NotNetworkSubcriber", "failed", "NotNetworkSubscriber"),
        ("Rejected", "UserInBlackList", "failed", "UserInBlackList"),
        ("AbsentSubscriber", None, "failed", "AbsentSubscriber"),
        ("Expired", None, "failed", "Expired"),
        ("Failed", "SomethingNew", "failed", "SomethingNew"),
    ],
)
def test_a_delivery_report_updates_its_message(
    services: Services,
    client: FlaskClient,
    fake_at: FakeAfricasTalking,
    run_outbox,
    status: str,
    reason: str | None,
    expected: str,
    stored_reason: str | None,
) -> None:
    message_id = _sent(services, fake_at, run_outbox, "+254711000511")
    extra = {"failureReason": reason} if reason else {}
    response = client.post(
        "/sms/delivery", data=fake_at.delivery_report(message_id, status, **extra)
    )
    assert response.status_code == 200
    [message] = rows(services, SmsMessage)
    assert (message.status, message.delivery_status, message.failure_reason) == (
        expected,
        status,
        stored_reason,
    )
    [report] = rows(services, SmsDeliveryReport)
    assert (report.message_id, report.status, report.phone) == (message.id, status, "+254711000511")


def test_a_late_intermediate_report_does_not_undo_a_final_one(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    message_id = _sent(services, fake_at, run_outbox, "+254711000512")
    for status in ("Success", "Buffered", "Failed"):
        client.post("/sms/delivery", data=fake_at.delivery_report(message_id, status))
    [message] = rows(services, SmsMessage)
    assert (message.status, message.delivery_status) == ("delivered", "Success")
    assert message.delivered_at is not None
    assert len(rows(services, SmsDeliveryReport)) == 3


def test_a_report_for_an_unknown_id_is_stored_and_not_fatal(
    services: Services, client: FlaskClient
) -> None:
    form = {"id": "ATXid_never_ours", "status": "Success", "phoneNumber": "+254711000513"}
    response = client.post("/sms/delivery", data=form)
    assert response.status_code == 200
    [report] = rows(services, SmsDeliveryReport)
    assert (report.at_message_id, report.message_id, report.status) == (
        "ATXid_never_ours",
        None,
        "Success",
    )


DELIVERY_CASES = [
    Case("dlr unknown status", {"id": "ATXid_1", "status": "Delivered"}, 400, "unknown status"),
    Case("dlr missing status", {"id": "ATXid_1"}, 400, "status is required"),
    Case("dlr missing id", {"status": "Success"}, 400, "id is required"),
    Case("dlr premium retry count", {"id": "ATXid_1", "status": "Success", "retryCount": "2"}, 200),
    Case(
        "dlr huge retry count",
        {"id": "ATXid_1", "status": "Success", "retryCount": "99999999999999999999"},
        400,
        "retryCount must be a whole number from 0 to 2147483647",
    ),
    Case(
        "dlr negative retry count",
        {"id": "X", "status": "Success", "retryCount": "-1"},
        400,
        "0 to",
    ),
    Case("dlr empty retry count", {"id": "X", "status": "Success", "retryCount": ""}, 200),
]


@pytest.mark.parametrize("case", DELIVERY_CASES, ids=lambda c: c.label)
def test_delivery(services: Services, client: FlaskClient, case: Case) -> None:
    response = client.post("/sms/delivery", data=case.form)
    assert response.status_code == case.status
    assert case.body_has in response.get_data(as_text=True)
    assert len(rows(services, SmsDeliveryReport)) == (1 if case.status == 200 else 0)


def test_africas_talking_opt_out_callback_opts_the_number_out(
    services: Services, client: FlaskClient
) -> None:
    form = {"senderId": "SOKONI", "phoneNumber": "+254711000521"}
    assert client.post("/sms/optout", data=form).status_code == 200
    assert client.post("/sms/optout", data={"phoneNumber": "nope"}).status_code == 400
    [opt_out] = rows(services, SmsOptOut)
    assert (opt_out.phone, opt_out.opted_out, opt_out.channel) == ("+254711000521", True, "at")
