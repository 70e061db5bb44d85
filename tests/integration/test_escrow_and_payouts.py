"""Escrow after delivery: the split, payouts over B2C and MoMo disbursements (to local fakes),
refunds, and an agent's commission netted against the cash float they hold."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.commerce import errors
from gateway.commerce.money import Money
from gateway.commerce.payments import ledger
from gateway.commerce.payments.cash import collect_cash
from gateway.commerce.payments.cash import float_owed
from gateway.commerce.payments.cash import settle_float
from gateway.commerce.payments.escrow import Rates
from gateway.commerce.payments.escrow import refund_order
from gateway.commerce.payments.escrow import release_escrow
from gateway.commerce.payments.escrow import split
from gateway.store.models.payments import Payout
from tests.payment_support import NOTICES
from tests.payment_support import TOKEN
from tests.payment_support import listing
from tests.payment_support import order
from tests.payment_support import person
from tests.payment_support import texts_to
from tests.payment_support import the_order

RATES = Rates(fee_bps=500, commission_bps=200, return_window=timedelta(days=7))
SELLER, BUYER, AGENT = "+254722000401", "+254711000401", "+254711000409"


def _paid(services, client, run_outbox, fake_daraja, agent: int | None = None) -> int:
    """2 bags at KES 3,200 ordered (by `agent` if given), pushed and paid over M-Pesa."""
    seller = person(services, SELLER, "seller", language="en")
    buyer = person(services, BUYER)
    order_id = order(services, buyer, listing(services, seller, 320000, "KES"), 2, placed_by=agent)
    run_outbox()
    client.post(f"/payments/mpesa/{TOKEN}", json=fake_daraja.complete())
    run_outbox()
    assert the_order(services, order_id).status == "paid"
    return order_id


def _payouts(services) -> list[Payout]:
    with services.uow() as uow:
        return list(uow.session.scalars(select(Payout).order_by(Payout.id)))


def _balance(services, account: str, currency: str = "KES") -> int:
    return ledger.balances(services.uow()).get((account, currency), 0)


def test_the_split_always_adds_up_and_fee_and_commission_are_whole_units():
    parts = split(640050, "KES", RATES, with_agent=True)
    assert (parts.fee, parts.commission) == (32000, 12800)
    assert parts.seller + parts.fee + parts.commission == 640050
    assert split(1000, "UGX", RATES, with_agent=False).fee == 50


def test_delivery_releases_escrow_and_the_seller_is_paid_by_b2c(
    services, client, run_outbox, fake_daraja, app
):
    order_id = _paid(services, client, run_outbox, fake_daraja)
    assert release_escrow(order_id, services.uow(), RATES, datetime.now(UTC)) is True
    assert release_escrow(order_id, services.uow(), RATES, datetime.now(UTC)) is False
    assert the_order(services, order_id).status == "delivered"
    assert (_balance(services, "escrow"), _balance(services, "platform_fee")) == (0, -32000)
    run_outbox()
    [payout] = _payouts(services)
    [(conversation, sent)] = fake_daraja.payouts.items()
    assert (sent["Amount"], sent["PartyB"], sent["CommandID"]) == (
        6080,
        "254722000401",
        "BusinessPayment",
    )
    assert sent["OriginatorConversationID"] == payout.request_key
    assert sent["ResultURL"] == f"https://gw.example/payments/mpesa/{TOKEN}"
    assert payout.status == "pending"
    client.post(f"/payments/mpesa/{TOKEN}", json=fake_daraja.b2c_result(conversation))
    client.post(f"/payments/mpesa/{TOKEN}", json=fake_daraja.b2c_result(conversation))
    run_outbox()
    [payout] = _payouts(services)
    assert payout.status == "succeeded" and payout.receipt == sent["receipt"]
    assert _balance(services, "seller_payable") == 0 and _balance(services, "cash:mpesa") == 32000
    assert texts_to(services, SELLER)[-1] == (
        f"Sokoni: KES 6,080 for order {the_order(services, order_id).ref} was sent to your mobile money."
    )
    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 0


def test_an_unpaid_order_has_nothing_in_escrow(services, run_outbox, fake_daraja):
    seller, buyer = person(services, SELLER, "seller"), person(services, BUYER)
    order_id = order(services, buyer, listing(services, seller, 320000, "KES"))
    with pytest.raises(errors.NothingInEscrow):
        release_escrow(order_id, services.uow(), RATES, datetime.now(UTC))
    with pytest.raises(errors.OrderNotFound):
        release_escrow(order_id + 1, services.uow(), RATES, datetime.now(UTC))


def test_a_failed_payout_is_listed_and_an_operator_can_send_it_again(
    services, client, run_outbox, fake_daraja, app
):
    order_id = _paid(services, client, run_outbox, fake_daraja)
    release_escrow(order_id, services.uow(), RATES, datetime.now(UTC))
    run_outbox()
    [conversation] = fake_daraja.payouts
    client.post(f"/payments/mpesa/{TOKEN}", json=fake_daraja.b2c_result(conversation, code=2001))
    run_outbox()
    [payout] = _payouts(services)
    assert payout.status == "failed" and payout.result_code == "2001"
    assert _balance(services, "seller_payable") == -608000  # owed to the seller again
    assert _balance(services, "payouts_in_flight") == 0
    cli = app.test_cli_runner()
    assert (
        f"{payout.id}\tseller:{order_id}\tfailed" in cli.invoke(args=["payments", "payouts"]).output
    )
    assert cli.invoke(args=["payments", "retry-payout", str(payout.id)]).exit_code == 0
    assert cli.invoke(args=["payments", "retry-payout", str(payout.id)]).exit_code == 1
    run_outbox()
    assert len(fake_daraja.payouts) == 2
    assert _payouts(services)[0].status == "pending"
    assert _balance(services, "seller_payable") == 0
    assert _balance(services, "payouts_in_flight") == -608000
    assert ledger.check(services.uow()) == []


def test_a_refund_takes_escrow_back_to_the_buyer(services, client, run_outbox, fake_daraja):
    order_id = _paid(services, client, run_outbox, fake_daraja)
    assert refund_order(order_id, services.uow(), datetime.now(UTC)) is True
    assert refund_order(order_id, services.uow(), datetime.now(UTC)) is False
    with pytest.raises(errors.NothingInEscrow):
        release_escrow(order_id, services.uow(), RATES, datetime.now(UTC))
    run_outbox()
    [payout] = _payouts(services)
    assert (payout.kind, payout.phone, payout.amount_minor) == ("refund", BUYER, 640000)
    assert the_order(services, order_id).status == "refunded"
    assert ledger.check(services.uow()) == []


def test_an_agents_commission_waits_out_the_return_window_net_of_their_float(
    services, client, run_outbox, fake_daraja
):
    agent = person(services, AGENT, "agent")
    seller, buyer = person(services, SELLER, "seller"), person(services, BUYER)
    order_id = order(services, buyer, listing(services, seller, 320000, "KES"), 2, placed_by=agent)
    now = datetime.now(UTC)
    with pytest.raises(errors.NotYourCustomer):
        collect_cash(order_id, seller, services.uow(), NOTICES, now)
    collect_cash(order_id, agent, services.uow(), NOTICES, now)
    assert the_order(services, order_id).status == "paid"
    assert float_owed(agent, services.uow()) == {"KES": 640000}
    assert settle_float(agent, Money(635000, "KES"), "DEP1", "mpesa", services.uow()) is True
    assert settle_float(agent, Money(635000, "KES"), "DEP1", "mpesa", services.uow()) is False
    release_escrow(order_id, services.uow(), RATES, now)
    run_outbox(now)
    seller_payout, agent_payout = _payouts(services)
    assert (agent_payout.kind, agent_payout.amount_minor, agent_payout.status) == (
        "agent",
        12800,
        "scheduled",
    )
    assert agent_payout.not_before == now + timedelta(days=7)
    run_outbox(now + timedelta(days=7, seconds=1))
    agent_payout = _payouts(services)[1]
    assert (agent_payout.amount_minor, agent_payout.status) == (7800, "pending")  # 5,000 netted
    assert float_owed(agent, services.uow()) == {"KES": 0}
    assert fake_daraja.payouts[agent_payout.provider_ref]["Amount"] == 78
    assert ledger.check(services.uow()) == []


def test_a_commission_for_an_order_returned_in_the_window_is_clawed_back(
    services, client, run_outbox, fake_daraja
):
    agent = person(services, AGENT, "agent")
    order_id = _paid(services, client, run_outbox, fake_daraja, agent=agent)
    now = datetime.now(UTC)
    release_escrow(order_id, services.uow(), RATES, now)
    with services.uow() as uow:
        uow.orders.lock(order_id).status = "refunded"  # its goods came back within the window
        uow.commit()
    run_outbox(now + timedelta(days=8))
    assert _payouts(services)[1].status == "cancelled"
    assert _balance(services, "agent_commission") == 0
    assert _balance(services, "platform_fee") == -(32000 + 12800)


def test_a_momo_payout_is_confirmed_by_its_status(services, client, run_outbox, fake_momo):
    seller = person(services, "+256772000401", "seller")
    buyer = person(services, "+256772000402")
    order_id = order(services, buyer, listing(services, seller, 25000, "UGX"), 4)
    run_outbox()
    client.put(f"/payments/momo/{TOKEN}", json=fake_momo.complete())
    run_outbox()
    release_escrow(order_id, services.uow(), RATES, datetime.now(UTC))
    run_outbox()
    transfer = fake_momo.last("disbursement")
    assert transfer.body["payee"] == {"partyIdType": "MSISDN", "partyId": "256772000401"}
    assert transfer.body["amount"] == "95000" and transfer.body["currency"] == "UGX"
    fake_momo.complete(transfer.ref)
    run_outbox(datetime.now(UTC) + timedelta(seconds=61))
    [payout] = _payouts(services)
    assert payout.status == "succeeded" and payout.receipt == transfer.financial_id
    assert ledger.check(services.uow()) == []


def test_operators_see_and_settle_an_agents_float_by_cli(services, app):
    agent = person(services, AGENT, "agent")
    seller, buyer = person(services, SELLER, "seller"), person(services, BUYER)
    order_id = order(services, buyer, listing(services, seller, 320000, "KES"), placed_by=agent)
    collect_cash(order_id, agent, services.uow(), NOTICES, datetime.now(UTC))
    cli = app.test_cli_runner()
    assert cli.invoke(args=["payments", "float", AGENT]).output == "KES 3,200\n"
    settle = ["payments", "settle-float", AGENT, "3,200", "kes", "--ref", "RKL51ZDR4F"]
    assert "KES 3,200 settled" in cli.invoke(args=settle).output
    assert "recorded before" in cli.invoke(args=settle).output
    assert cli.invoke(args=["payments", "float", AGENT]).output == "KES 0\n"
    assert cli.invoke(args=["payments", "float", "+254700000000"]).exit_code == 1
    assert ledger.check(services.uow()) == []
