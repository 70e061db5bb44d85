"""Payouts whose result is lost end by the provider's own word, asked for automatically: a
Daraja B2C payout through the Transaction Status API (its result posted over HTTP to the
gateway), Airtel and MoMo disbursements through their status GETs. An operator settles the
rest with `flask payments resolve-payout`, never against the provider's answer."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.commerce.payments import ledger
from gateway.commerce.payments import payouts
from gateway.commerce.payments.escrow import Rates
from gateway.commerce.payments.escrow import release_escrow
from gateway.providers.fakes.daraja import FakeDaraja
from gateway.store.models.payments import PaymentCallback
from gateway.store.models.payments import Payout
from gateway.store.models.payments import PayoutResolution
from tests.payment_support import TOKEN
from tests.payment_support import listing
from tests.payment_support import order
from tests.payment_support import person
from tests.payment_support import texts_to
from tests.payment_support import the_order
from tests.payment_support import wait_for_callbacks

pytestmark = pytest.mark.usefixtures("ledger_checked")

RATES = Rates(fee_bps=500, commission_bps=200, return_window=timedelta(days=7))
KE_SELLER, KE_BUYER = "+254722000801", "+254711000801"
UG_SELLER, UG_BUYER = "+256701000801", "+256751000802"


def _delivered(services, client, run_outbox, fake) -> int:
    """An order paid through the fake provider's callback (M-Pesa in Kenya, else Airtel in
    Uganda), then delivered: escrow released and the seller's payout due. The order id."""
    kenya = isinstance(fake, FakeDaraja)
    provider, currency, price = ("mpesa", "KES", 320000) if kenya else ("airtel", "UGX", 25000)
    seller, buyer = (KE_SELLER, KE_BUYER) if kenya else (UG_SELLER, UG_BUYER)
    seller_id, buyer_id = person(services, seller, "seller", "en"), person(services, buyer)
    order_id = order(services, buyer_id, listing(services, seller_id, price, currency), 2)
    run_outbox()
    client.post(f"/payments/{provider}/{TOKEN}", json=fake.complete())
    run_outbox()
    assert the_order(services, order_id).status == "paid"
    release_escrow(order_id, services.uow(), RATES, datetime.now(UTC))
    return order_id


def _payout(services) -> Payout:
    with services.uow() as uow:
        [payout] = uow.session.scalars(select(Payout)).all()
        return payout


def _resolutions(services) -> list[tuple[str, str, str]]:
    with services.uow() as uow:
        rows = uow.session.scalars(select(PayoutResolution).order_by(PayoutResolution.id))
        return [(r.decision, r.verdict, r.status_before) for r in rows]


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=["payments", *args])


def test_a_b2c_payout_whose_result_is_lost_ends_paid_through_the_status_query_alone(
    services, client, app, run_outbox, fake_daraja, live_gateway
):
    order_id = _delivered(services, client, run_outbox, fake_daraja)
    run_outbox()  # the B2C request goes out; its result never comes
    [(conversation, sent)] = fake_daraja.payouts.items()
    payout = _payout(services)
    assert (payout.status, payout.provider_ref) == ("pending", conversation)
    later = datetime.now(UTC) + timedelta(seconds=61)
    run_outbox(later)  # no result yet: the payout check asks by Transaction Status
    [query] = [c for c in fake_daraja.calls if c.path.endswith("/transactionstatus/v1/query")]
    assert query.body["OriginalConversationID"] == payout.request_key
    assert query.body["ResultURL"] == f"{live_gateway.url}/payments/mpesa/{TOKEN}"
    wait_for_callbacks(services, 2)  # the STK callback, and the status result over HTTP
    run_outbox(later)
    payout = _payout(services)
    assert (payout.status, payout.receipt) == ("succeeded", sent["receipt"])
    with services.uow() as uow:
        last = uow.session.scalars(select(PaymentCallback).order_by(PaymentCallback.id)).all()[-1]
    assert (last.kind, last.verdict, last.payout_id) == ("payout", "applied", payout.id)
    ref = the_order(services, order_id).ref
    assert texts_to(services, KE_SELLER)[-1] == (
        f"Sokoni: KES 6,080 for order {ref} was sent to your mobile money."
    )
    assert _resolutions(services) == []  # no operator
    assert ledger.check(services.uow()) == []


def test_a_status_result_saying_the_payout_is_still_under_way_changes_nothing(
    services, client, app, run_outbox, fake_daraja, live_gateway
):
    _delivered(services, client, run_outbox, fake_daraja)
    run_outbox()
    [payout_row] = fake_daraja.payouts.values()
    payout_row["TransactionStatus"] = "Processing"
    run_outbox(datetime.now(UTC) + timedelta(seconds=61))
    wait_for_callbacks(services, 2)
    run_outbox(datetime.now(UTC) + timedelta(seconds=61))
    with services.uow() as uow:
        last = uow.session.scalars(select(PaymentCallback).order_by(PaymentCallback.id)).all()[-1]
    assert (last.verdict, last.detail) == ("duplicate", "payout still pending")
    assert _payout(services).status == "pending" and _payout(services).checks == 1
    assert ledger.check(services.uow()) == []


def test_an_unknown_payout_is_asked_about_with_growing_waits_until_an_operator_fails_it(
    services, client, app, run_outbox, fake_airtel
):
    order_id = _delivered(services, client, run_outbox, fake_airtel)
    with services.uow() as uow:
        [payout_id] = uow.session.scalars(select(Payout.id)).all()
    # A worker claimed the payout and died before Airtel answered: its fate is unknown.
    payouts.start_payout(
        services.uow(), payout_id, services.payment_providers.choose, datetime.now(UTC)
    )
    run_outbox()
    assert _payout(services).status == "unknown"
    assert not [r for r in fake_airtel.requests if "disbursements" in r[0]]
    start = datetime.now(UTC)
    for seconds in (61, 61 + 301, 61 + 301 + 901):
        run_outbox(start + timedelta(seconds=seconds))  # Airtel: no such transaction (yet)
    enquiries = [r for r in fake_airtel.requests if r[0].startswith("/standard/v2/disb")]
    assert len(enquiries) == 3 and _payout(services).checks == 3
    assert ledger.balances(services.uow())[("payouts_in_flight", "UGX")] == -47500
    resolved = _cli(app, "resolve-payout", str(payout_id), "--failed", "--by", "amina")
    assert resolved.exit_code == 0, resolved.output
    assert "retry-payout" in resolved.output
    assert _payout(services).status == "failed"
    assert _resolutions(services) == [("failed", "applied", "unknown")]
    assert ledger.balances(services.uow())[("seller_payable", "UGX")] == -47500
    assert _cli(app, "retry-payout", str(payout_id)).exit_code == 0
    run_outbox()
    sent = fake_airtel.last("disbursement")
    client.post(f"/payments/airtel/{TOKEN}", json=fake_airtel.complete(sent.id))
    run_outbox()
    assert _payout(services).status == "succeeded"
    assert the_order(services, order_id).status == "delivered"
    assert _cli(app, "resolve-payout", str(payout_id), "--failed").exit_code == 1
    assert ledger.check(services.uow()) == []


def test_resolve_payout_is_refused_when_the_providers_own_answer_contradicts_it(
    services, client, app, run_outbox, fake_airtel
):
    _delivered(services, client, run_outbox, fake_airtel)
    run_outbox()
    sent = fake_airtel.last("disbursement")
    fake_airtel.complete(sent.id)  # Airtel paid it; its callback has not come yet
    payout_id = str(_payout(services).id)
    failed = _cli(app, "resolve-payout", payout_id, "--failed", "--by", "amina")
    assert failed.exit_code == 1 and "refused: the provider says succeeded" in failed.output
    wrong = _cli(app, "resolve-payout", payout_id, "--paid", "MP99999999")
    assert wrong.exit_code == 1 and f"receipt is {sent.airtel_money_id}" in wrong.output
    assert _payout(services).status == "pending"
    assert ledger.balances(services.uow())[("payouts_in_flight", "UGX")] == -47500
    paid = _cli(app, "resolve-payout", payout_id, "--paid", sent.airtel_money_id)
    assert paid.exit_code == 0, paid.output
    assert (_payout(services).status, _payout(services).receipt) == (
        "succeeded",
        sent.airtel_money_id,
    )
    assert _resolutions(services) == [
        ("failed", "refused", "pending"),
        ("paid", "refused", "pending"),
        ("paid", "applied", "pending"),
    ]
    client.post(f"/payments/airtel/{TOKEN}", json=fake_airtel.callback_body(sent.id))
    run_outbox()  # the late callback changes nothing
    with services.uow() as uow:
        last = uow.session.scalars(select(PaymentCallback).order_by(PaymentCallback.id)).all()[-1]
    assert last.verdict == "duplicate"
    assert ledger.check(services.uow()) == []


def test_an_operator_settles_a_b2c_payout_daraja_never_answers_for(
    services, client, app, run_outbox, fake_daraja
):
    _delivered(services, client, run_outbox, fake_daraja)
    run_outbox()
    payout_id = str(_payout(services).id)
    assert _cli(app, "resolve-payout", payout_id).exit_code == 2  # say --paid or --failed
    assert _cli(app, "resolve-payout", "999", "--failed").exit_code == 1
    resolved = _cli(app, "resolve-payout", payout_id, "--paid", "QK4XYZ0001")
    assert resolved.exit_code == 0, resolved.output
    payout = _payout(services)
    assert (payout.status, payout.receipt, payout.result_code) == (
        "succeeded",
        "QK4XYZ0001",
        "operator",
    )
    assert ledger.balances(services.uow())[("cash:mpesa", "KES")] == 640000 - 608000
    assert ledger.check(services.uow()) == []
