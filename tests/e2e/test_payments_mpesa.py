"""M-Pesa end to end over HTTP: a USSD order, an STK push to the local fake Daraja, and the
documented callbacks posted to /payments/mpesa/<token>, as Safaricom would."""

import base64
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.cli.demo import seed
from gateway.commerce.payments import ledger
from gateway.commerce.payments.unpaid import expire_unpaid
from gateway.providers.fakes.daraja import CANCELLED
from gateway.providers.fakes.daraja import NO_CALLBACK
from gateway.providers.fakes.daraja import TIMEOUT
from gateway.providers.fakes.daraja import WRONG_PIN
from gateway.store.models.catalog import Listing
from gateway.store.models.ledger import LedgerTransaction
from gateway.store.models.payments import PaymentCallback
from gateway.store.models.payments import Payout
from tests.journeys_support import walk_to_maize
from tests.payment_support import NOTICES
from tests.payment_support import TOKEN
from tests.payment_support import attempts
from tests.payment_support import texts_to
from tests.payment_support import the_order

BUYER = "+254711000001"
SELLER = "+254722000101"  # Amina Wanjiru, who reads Swahili
CALLBACK = f"/payments/mpesa/{TOKEN}"


def _order_two_bags_of_maize(services, phone, run_outbox) -> str:
    """Order 2 bags of maize by USSD and run the outbox (the STK push); the order's ref."""
    seed(services.uow())
    buyer = phone(BUYER)
    walk_to_maize(buyer)
    buyer.send("2")
    buyer.send("1")  # collect from the seller
    placed = buyer.send("1")
    run_outbox()
    return placed.split()[2].rstrip(":")


def _order_id(services, ref: str) -> int:
    with services.uow() as uow:
        return uow.orders.by_ref(ref).id


def _verdicts(services) -> list[str]:
    with services.uow() as uow:
        return list(
            uow.session.scalars(select(PaymentCallback.verdict).order_by(PaymentCallback.id))
        )


def _maize_stock(services) -> int:
    with services.uow() as uow:
        return uow.session.scalar(select(Listing.stock).where(Listing.name == "Maize"))


def test_a_ussd_order_sends_an_stk_push_with_the_documented_fields(
    services, phone, run_outbox, fake_daraja
):
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    [push] = fake_daraja.pushes_received()
    stamp = push["Timestamp"]
    assert base64.b64decode(push["Password"]).decode() == f"174379fake-passkey{stamp}"
    assert len(stamp) == 14 and stamp.isdigit()
    assert push["BusinessShortCode"] == push["PartyB"] == "174379"
    assert push["TransactionType"] == "CustomerPayBillOnline"
    assert push["Amount"] == 6400
    assert push["PartyA"] == push["PhoneNumber"] == "254711000001"
    assert push["CallBackURL"] == f"https://gw.example/payments/mpesa/{TOKEN}"
    assert push["AccountReference"] == ref and len(push["TransactionDesc"]) <= 13
    [attempt] = attempts(services, _order_id(services, ref))
    assert (
        attempt.status == "pending" and attempt.provider_ref == fake_daraja.last_push().checkout_id
    )
    assert the_order(services, attempt.order_id).status == "awaiting_payment"


def test_the_success_callback_pays_the_order_and_texts_the_buyer_and_the_seller(
    services, client, phone, run_outbox, fake_daraja, fake_at
):
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    answer = client.post(CALLBACK, json=fake_daraja.complete())
    assert answer.status_code == 200 and answer.json == {"ResultCode": 0, "ResultDesc": "Accepted"}
    run_outbox()
    assert the_order(services, _order_id(services, ref)).status == "paid"
    assert (
        f"Sokoni: KES 6,400 received for order {ref}, 2 bags Maize."
        in texts_to(services, BUYER)[-1]
    )
    assert texts_to(services, SELLER)[-1].startswith(
        f"Sokoni: agizo {ref} limelipwa: 2 magunia Maize"
    )
    sent = {(number, call.message) for call in fake_at.received for number in call.recipients}
    assert (BUYER, texts_to(services, BUYER)[-1]) in sent
    assert (SELLER, texts_to(services, SELLER)[-1]) in sent
    assert _verdicts(services) == ["applied"]
    assert ledger.check(services.uow()) == []
    assert ledger.balances(services.uow())[("escrow", "KES")] == -640000


@pytest.mark.parametrize(
    ("outcome", "reason", "words"),
    [
        (CANCELLED, "cancelled", "was cancelled"),
        (WRONG_PIN, "wrong_pin", "failed: wrong PIN"),
        (TIMEOUT, "timeout", "timed out, no answer on your phone"),
    ],
)
def test_a_failure_callback_leaves_the_order_unpaid_and_tells_the_buyer_why(
    services, client, phone, run_outbox, fake_daraja, outcome, reason, words
):
    fake_daraja.script(outcome)
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    client.post(CALLBACK, json=fake_daraja.complete())
    run_outbox()
    order_id = _order_id(services, ref)
    assert the_order(services, order_id).status == "payment_failed"
    [attempt] = attempts(services, order_id)
    assert attempt.result_code == str(outcome.code) and attempt.reason == reason
    assert words in texts_to(services, BUYER)[-1] and "*384*123#" in texts_to(services, BUYER)[-1]
    assert texts_to(services, SELLER) == []
    assert ledger.balances(services.uow()) == {}


def test_the_same_callback_twice_credits_once(services, client, phone, run_outbox, fake_daraja):
    _order_two_bags_of_maize(services, phone, run_outbox)
    body = fake_daraja.complete()
    client.post(CALLBACK, json=body)
    client.post(CALLBACK, json=body)
    run_outbox()
    client.post(CALLBACK, json=body)  # and once more, late
    run_outbox()
    with services.uow() as uow:
        kinds = list(uow.session.scalars(select(LedgerTransaction.kind)))
    assert kinds == ["payment"]
    assert _verdicts(services) == ["applied", "duplicate", "duplicate"]
    assert len([t for t in texts_to(services, BUYER) if "received for order" in t]) == 1


def test_a_callback_with_a_wrong_amount_changes_nothing(
    services, client, phone, run_outbox, fake_daraja
):
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    checkout = fake_daraja.last_push().checkout_id
    fake_daraja.complete()
    client.post(CALLBACK, json=fake_daraja.callback_body(checkout, Amount=1.0))
    run_outbox()
    assert the_order(services, _order_id(services, ref)).status == "awaiting_payment"
    assert _verdicts(services) == ["mismatch"]
    assert ledger.balances(services.uow()) == {}


def test_a_callback_for_an_unknown_reference_changes_nothing(
    services, client, phone, run_outbox, fake_daraja, app
):
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    body = fake_daraja.complete()
    body["Body"]["stkCallback"]["CheckoutRequestID"] = "ws_CO_00000000000000000999"
    client.post(CALLBACK, json=body)
    run_outbox()
    assert the_order(services, _order_id(services, ref)).status == "awaiting_payment"
    assert _verdicts(services) == ["unknown"]
    listed = app.test_cli_runner().invoke(args=["payments", "callbacks"]).output
    assert "unknown\tws_CO_00000000000000000999" in listed


def test_a_callback_with_a_wrong_token_or_garbage_is_stored_and_changes_nothing(
    services, client, phone, run_outbox, fake_daraja
):
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    body = fake_daraja.complete()
    assert client.post("/payments/mpesa/guessed", json=body).status_code == 403
    assert (
        client.post(CALLBACK, data="{not json", content_type="application/json").status_code == 400
    )
    assert (
        client.post(CALLBACK, json={"Body": {"stkCallback": {"ResultCode": "x"}}}).status_code
        == 400
    )
    run_outbox()
    assert _verdicts(services) == ["forged", "malformed", "malformed"]
    assert the_order(services, _order_id(services, ref)).status == "awaiting_payment"


def test_a_success_callback_the_status_query_contradicts_is_disputed(
    services, client, phone, run_outbox, fake_daraja
):
    fake_daraja.script(CANCELLED)
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    checkout = fake_daraja.last_push().checkout_id
    fake_daraja.complete()
    forged = fake_daraja.callback_body(checkout)
    forged["Body"]["stkCallback"].update(
        ResultCode=0,
        CallbackMetadata={
            "Item": [
                {"Name": "Amount", "Value": 6400.00},
                {"Name": "MpesaReceiptNumber", "Value": "FORGED0001"},
                {"Name": "PhoneNumber", "Value": 254711000001},
            ]
        },
    )
    client.post(CALLBACK, json=forged)
    run_outbox()
    assert the_order(services, _order_id(services, ref)).status == "payment_failed"
    assert _verdicts(services) == ["disputed"]
    assert ledger.balances(services.uow()) == {}


def test_a_callback_is_applied_only_once_the_status_query_stops_saying_pending(
    services, client, phone, run_outbox, fake_daraja
):
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    push = fake_daraja.last_push()
    client.post(CALLBACK, json=fake_daraja.callback_body(push.checkout_id))  # before Daraja decided
    run_outbox()
    assert _verdicts(services) == ["received"]
    assert the_order(services, _order_id(services, ref)).status == "awaiting_payment"
    push.done = True
    run_outbox(datetime.now(UTC) + timedelta(seconds=15))
    assert _verdicts(services) == ["applied"]
    assert the_order(services, _order_id(services, ref)).status == "paid"


def test_with_no_callback_at_all_the_status_query_settles_the_payment(
    services, phone, run_outbox, fake_daraja
):
    fake_daraja.script(NO_CALLBACK)
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    order_id = _order_id(services, ref)
    soon = datetime.now(UTC) + timedelta(seconds=31)
    run_outbox(soon)  # Daraja: "being processed"; ask again later
    [attempt] = attempts(services, order_id)
    assert attempt.status == "pending" and attempt.checks == 1
    assert fake_daraja.complete() is None
    run_outbox(soon + timedelta(seconds=61))
    assert the_order(services, order_id).status == "paid"
    assert [a.status for a in attempts(services, order_id)] == ["succeeded"]
    assert "received for order" in texts_to(services, BUYER)[-1]
    assert ledger.check(services.uow()) == []


def test_an_unpaid_order_expires_returns_its_stock_and_a_late_payment_is_refunded(
    services, client, phone, run_outbox, fake_daraja
):
    ref = _order_two_bags_of_maize(services, phone, run_outbox)
    order_id = _order_id(services, ref)
    assert _maize_stock(services) == 38
    later = datetime.now(UTC) + timedelta(seconds=901)
    assert expire_unpaid(services.uow(), later, timedelta(seconds=900), NOTICES) == [ref]
    assert the_order(services, order_id).status == "expired" and _maize_stock(services) == 40
    assert "was not paid in time" in texts_to(services, BUYER)[-1]
    client.post(CALLBACK, json=fake_daraja.complete())
    run_outbox()
    assert the_order(services, order_id).status == "expired"
    [attempt] = attempts(services, order_id)
    assert attempt.status == "succeeded" and attempt.outcome == "refund"
    with services.uow() as uow:
        [refund] = uow.session.scalars(select(Payout)).all()
    assert (refund.kind, refund.amount_minor, refund.phone) == ("refund", 640000, BUYER)
    assert "We are sending the money back" in texts_to(services, BUYER)[-1]
    assert ledger.check(services.uow()) == []


def test_a_callback_full_of_nul_bytes_is_stored_not_a_500(
    services, client, fake_daraja, run_outbox
):
    body = (
        b'{"Body": {"stkCallback": {"CheckoutRequestID": "ws\\u0000CO", "ResultCode": 1032}}}\x00'
    )
    assert client.post(CALLBACK, data=body, content_type="application/json").status_code == 400
    answer = client.post(CALLBACK, data=body[:-1], content_type="application/json")
    assert answer.status_code == 200
    assert _verdicts(services) == ["malformed", "received"]
    run_outbox()
    assert _verdicts(services) == ["malformed", "unknown"]
