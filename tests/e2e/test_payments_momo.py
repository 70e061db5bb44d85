"""MTN MoMo end to end over HTTP: requesttopay to the local fake MoMo, callbacks by PUT and
POST to /payments/momo/<token>, and FAILED statuses whose `reason` is a string or an object."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.commerce import topics
from gateway.commerce.payments import ledger
from gateway.commerce.payments.unpaid import expire_unpaid
from gateway.providers.fakes.momo import Outcome
from gateway.store.models.ledger import LedgerTransaction
from gateway.store.models.payments import PaymentCallback
from tests.payment_support import NOTICES
from tests.payment_support import TOKEN
from tests.payment_support import attempts
from tests.payment_support import listing
from tests.payment_support import order
from tests.payment_support import person
from tests.payment_support import stock
from tests.payment_support import texts_to
from tests.payment_support import the_order

BUYER = "+256772123456"
CALLBACK = f"/payments/momo/{TOKEN}"


def _ugandan_order(services, run_outbox, qty: int = 3) -> tuple[int, int]:
    """A Ugandan MTN buyer orders matooke; the request goes out. (order id, listing id)"""
    seller = person(services, "+256772000201", "seller")
    buyer = person(services, BUYER)
    matooke = listing(services, seller, 25000, "UGX")
    order_id = order(services, buyer, matooke, qty)
    run_outbox()
    return order_id, matooke


def _verdicts(services) -> list[str]:
    with services.uow() as uow:
        return list(
            uow.session.scalars(select(PaymentCallback.verdict).order_by(PaymentCallback.id))
        )


def test_an_order_sends_a_requesttopay_with_a_fresh_uuid_reference(services, run_outbox, fake_momo):
    order_id, _ = _ugandan_order(services, run_outbox)
    [(product, method, headers, body)] = fake_momo.requests
    [attempt] = attempts(services, order_id)
    assert (product, method) == ("collection", "POST")
    assert headers["X-Reference-Id"] == attempt.provider_ref == attempt.request_key
    assert headers["X-Target-Environment"] == "sandbox"
    assert headers["X-Callback-Url"] == f"https://gw.example/payments/momo/{TOKEN}"
    assert body["amount"] == "75000" and body["currency"] == "UGX"
    assert body["payer"] == {"partyIdType": "MSISDN", "partyId": "256772123456"}
    assert the_order(services, order_id).status == "awaiting_payment"


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_a_successful_callback_by_put_or_post_pays_the_order_once(
    services, client, run_outbox, fake_momo, method
):
    order_id, _ = _ugandan_order(services, run_outbox)
    body = fake_momo.complete()
    for _ in range(2):
        assert client.open(CALLBACK, method=method, json=body).status_code == 200
    run_outbox()
    assert the_order(services, order_id).status == "paid"
    [attempt] = attempts(services, order_id)
    assert attempt.receipt == body["financialTransactionId"]
    assert _verdicts(services) == ["applied", "duplicate"]
    with services.uow() as uow:
        assert list(uow.session.scalars(select(LedgerTransaction.kind))) == ["payment"]
    assert "UGX 75,000 received for order" in texts_to(services, BUYER)[-1]
    assert ledger.check(services.uow()) == []


@pytest.mark.parametrize("as_object", [False, True])
def test_a_failed_status_with_a_string_or_object_reason_leaves_the_order_unpaid(
    services, client, run_outbox, fake_momo, as_object
):
    fake_momo.script(Outcome("FAILED", "NOT_ENOUGH_FUNDS", reason_as_object=as_object))
    order_id, _ = _ugandan_order(services, run_outbox)
    body = fake_momo.complete()
    assert (body["reason"] == "NOT_ENOUGH_FUNDS") is not as_object
    client.put(CALLBACK, json=body)
    run_outbox()
    assert the_order(services, order_id).status == "payment_failed"
    [attempt] = attempts(services, order_id)
    assert (attempt.result_code, attempt.reason) == ("NOT_ENOUGH_FUNDS", "insufficient_funds")
    assert "failed: not enough money" in texts_to(services, BUYER)[-1]


def test_with_no_callback_a_failed_status_get_settles_the_payment(services, run_outbox, fake_momo):
    fake_momo.script(Outcome("FAILED", "APPROVAL_REJECTED", reason_as_object=True, callback=False))
    order_id, _ = _ugandan_order(services, run_outbox)
    assert fake_momo.complete() is None
    run_outbox(datetime.now(UTC) + timedelta(seconds=31))
    assert the_order(services, order_id).status == "payment_failed"
    assert attempts(services, order_id)[0].reason == "cancelled"


def test_a_callback_with_the_wrong_amount_changes_nothing(services, client, run_outbox, fake_momo):
    order_id, _ = _ugandan_order(services, run_outbox)
    body = {**fake_momo.complete(), "amount": "1"}
    client.post(CALLBACK, json=body)
    run_outbox()
    assert _verdicts(services) == ["mismatch"]
    assert the_order(services, order_id).status == "awaiting_payment"


def test_an_unpaid_momo_order_expires_and_returns_its_stock(services, run_outbox, fake_momo):
    order_id, matooke = _ugandan_order(services, run_outbox)
    assert stock(services, matooke) == 7
    later = datetime.now(UTC) + timedelta(seconds=901)
    expire_unpaid(services.uow(), later, timedelta(seconds=900), NOTICES)
    assert the_order(services, order_id).status == "expired" and stock(services, matooke) == 10


def test_a_lost_answer_is_resent_with_the_same_reference_and_charges_once(
    services, run_outbox, fake_momo
):
    order_id, _ = _ugandan_order(services, run_outbox)
    [attempt] = attempts(services, order_id)
    # A second run of the same request (a worker died after MoMo took it) sends it again...
    with services.uow() as uow:
        uow.payments.lock(attempt.id).status = "sending"
        uow.emit(topics.PAYMENT_REQUEST, order_id=order_id)
        uow.commit()
    run_outbox()
    # ...MoMo answers 409 for the reference it already has; nothing new is created.
    assert len(fake_momo.requests) == 2 and len(fake_momo.transactions) == 1
    assert [a.status for a in attempts(services, order_id)] == ["pending"]
