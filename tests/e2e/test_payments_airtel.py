"""Airtel Money end to end over HTTP: a buyer on an Airtel Uganda line orders by USSD, the
real client sends the USSD push to the local fake Airtel, its signed callbacks are posted to
/payments/airtel/<token> as Airtel would, and the seller is paid by an Airtel disbursement."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.commerce.payments import ledger
from gateway.commerce.payments.escrow import Rates
from gateway.commerce.payments.escrow import release_escrow
from gateway.providers.fakes.airtel import Outcome
from gateway.store.models.ledger import LedgerTransaction
from gateway.store.models.payments import PaymentCallback
from gateway.store.models.payments import Payout
from tests.journeys_support import Walk
from tests.payment_support import TOKEN
from tests.payment_support import attempts
from tests.payment_support import listing
from tests.payment_support import person
from tests.payment_support import texts_to
from tests.payment_support import the_order

pytestmark = pytest.mark.usefixtures("ledger_checked")

BUYER = "+256751000502"  # an Airtel Uganda number
SELLER = "+256701000501"  # Airtel Uganda too
AIRTEL_UGANDA = "64101"
CALLBACK = f"/payments/airtel/{TOKEN}"
RATES = Rates(fee_bps=500, commission_bps=200, return_window=timedelta(days=7))


def _order_by_ussd(services, phone, run_outbox, buyer: str = BUYER) -> int:
    """A buyer dialling from Airtel Uganda orders 3 bags of maize by USSD; the push goes out.
    The order id."""
    seller = person(services, SELLER, "seller")
    listing(services, seller, 25000, "UGX")
    walk = Walk(phone(buyer, AIRTEL_UGANDA)).dial()
    walk.go("@English", "@Uganda", "@Buy", "@Grains and flour")
    walk.find("Maize UGX")
    walk.go("3", "@Collect from the seller")
    placed = walk.go("1")
    assert placed.startswith("END Order ") and "UGX 75,000" in placed
    run_outbox()
    with services.uow() as uow:
        return uow.orders.by_ref(placed.split()[2].rstrip(":")).id


def _verdicts(services) -> list[str]:
    with services.uow() as uow:
        return list(
            uow.session.scalars(select(PaymentCallback.verdict).order_by(PaymentCallback.id))
        )


def _payouts(services) -> list[Payout]:
    with services.uow() as uow:
        return list(uow.session.scalars(select(Payout).order_by(Payout.id)))


def test_an_airtel_uganda_buyer_gets_the_ussd_push_and_is_paid_once_after_a_duplicate_callback(
    services, client, phone, run_outbox, fake_airtel, fake_at, app
):
    order_id = _order_by_ussd(services, phone, run_outbox)
    [(path, headers, push)] = fake_airtel.requests
    assert path == "/merchant/v2/payments/"
    assert (headers["X-Country"], headers["X-Currency"]) == ("UG", "UGX")
    assert push["subscriber"] == {"country": "UG", "currency": "UGX", "msisdn": "751000502"}
    assert push["transaction"]["amount"] == 75000
    [attempt] = attempts(services, order_id)
    assert (attempt.provider, attempt.status) == ("airtel", "pending")
    assert attempt.provider_ref == fake_airtel.last().id
    body = fake_airtel.complete()
    assert "hash" in body  # signed with the portal's callback secret
    for _ in range(2):
        answer = client.post(CALLBACK, json=body)
        assert answer.status_code == 200 and answer.json == {"status": "received"}
    run_outbox()
    client.post(CALLBACK, json=body)  # and once more, late
    run_outbox()
    assert the_order(services, order_id).status == "paid"
    assert _verdicts(services) == ["applied", "duplicate", "duplicate"]
    with services.uow() as uow:
        assert list(uow.session.scalars(select(LedgerTransaction.kind))) == ["payment"]
    [attempt] = attempts(services, order_id)
    assert attempt.receipt == fake_airtel.last().airtel_money_id
    paid = [text for text in texts_to(services, BUYER) if "UGX 75,000 received" in text]
    assert len(paid) == 1
    assert ledger.balances(services.uow())[("cash:airtel", "UGX")] == 75000
    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 0


def test_the_sellers_payout_goes_out_by_airtel_disbursement_and_its_enquiry_confirms_it(
    services, client, phone, run_outbox, fake_airtel, app
):
    order_id = _order_by_ussd(services, phone, run_outbox)
    client.post(CALLBACK, json=fake_airtel.complete())
    run_outbox()
    release_escrow(order_id, services.uow(), RATES, datetime.now(UTC))
    run_outbox()
    sent = fake_airtel.last("disbursement")
    [(path, headers, body)] = [r for r in fake_airtel.requests if "disbursements" in r[0]]
    assert (headers["X-Country"], headers["X-Currency"]) == ("UG", "UGX")
    assert body["payee"] == {"currency": "UGX", "msisdn": "701000501"}
    assert body["transaction"]["amount"] == 71250  # 75,000 less the 5% fee
    [payout] = _payouts(services)
    assert (payout.provider, payout.status, payout.provider_ref) == ("airtel", "pending", sent.id)
    assert ledger.balances(services.uow())[("payouts_in_flight", "UGX")] == -71250
    client.post(CALLBACK, json=fake_airtel.complete(sent.id))
    run_outbox()
    [payout] = _payouts(services)
    assert (payout.status, payout.receipt) == ("succeeded", sent.airtel_money_id)
    assert _verdicts(services) == ["applied", "applied"]
    balances = ledger.balances(services.uow())
    assert balances[("cash:airtel", "UGX")] == 75000 - 71250
    assert balances.get(("seller_payable", "UGX"), 0) == 0
    assert "UGX 71,250 for order" in texts_to(services, SELLER)[-1]
    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 0


def test_a_payout_airtel_refuses_returns_the_money_to_the_seller_and_is_sent_again(
    services, client, phone, run_outbox, fake_airtel, app
):
    order_id = _order_by_ussd(services, phone, run_outbox)
    client.post(CALLBACK, json=fake_airtel.complete())
    run_outbox()
    fake_airtel.script(Outcome("TF", "Payee account barred", callback=False))
    release_escrow(order_id, services.uow(), RATES, datetime.now(UTC))
    run_outbox()
    sent = fake_airtel.last("disbursement")
    assert fake_airtel.complete(sent.id) is None  # no callback: only the enquiry tells
    run_outbox(datetime.now(UTC) + timedelta(seconds=61))
    [payout] = _payouts(services)
    assert payout.status == "failed"
    balances = ledger.balances(services.uow())
    assert balances[("seller_payable", "UGX")] == -71250  # owed to the seller again
    assert balances.get(("payouts_in_flight", "UGX"), 0) == 0
    cli = app.test_cli_runner()
    assert cli.invoke(args=["payments", "retry-payout", str(payout.id)]).exit_code == 0
    run_outbox()
    again = fake_airtel.last("disbursement")
    assert again.id != sent.id
    client.post(CALLBACK, json=fake_airtel.complete(again.id))
    run_outbox()
    assert _payouts(services)[0].status == "succeeded"
    assert ledger.balances(services.uow()).get(("seller_payable", "UGX"), 0) == 0
    assert cli.invoke(args=["ledger", "check"]).exit_code == 0


def test_a_ported_number_pays_with_the_wallet_of_the_network_it_dials_from(
    services, phone, run_outbox, fake_airtel, fake_momo
):
    # +25677... was allocated to MTN, but this buyer dials from Airtel Uganda's network.
    order_id = _order_by_ussd(services, phone, run_outbox, buyer="+256772000502")
    [attempt] = attempts(services, order_id)
    assert attempt.provider == "airtel" and fake_momo.requests == []


def test_a_callback_without_the_right_hash_or_token_is_stored_and_changes_nothing(
    services, client, phone, run_outbox, fake_airtel
):
    order_id = _order_by_ussd(services, phone, run_outbox)
    body = fake_airtel.complete()
    assert client.post("/payments/airtel/guessed", json=body).status_code == 403
    assert client.post(CALLBACK, json={**body, "hash": "forged"}).status_code == 400
    assert client.post(CALLBACK, json={"transaction": body["transaction"]}).status_code == 400
    run_outbox()
    assert _verdicts(services) == ["forged", "malformed", "malformed"]
    assert the_order(services, order_id).status == "awaiting_payment"
