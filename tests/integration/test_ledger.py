"""The ledger refuses unbalanced postings, posts a key once, and its check names what is wrong."""

import pytest
from sqlalchemy import select

from gateway.commerce import errors
from gateway.commerce.payments import ledger
from gateway.store.models.ledger import LedgerPosting
from gateway.store.models.ledger import LedgerTransaction
from tests.payment_support import kenyan_order


def _post(services, key: str, amounts: list[int], order_id: int | None = None) -> bool:
    with services.uow() as uow:
        entries = [ledger.Entry(ledger.ESCROW, amounts[0], order_id=order_id)]
        entries += [ledger.Entry(ledger.cash("mpesa"), a) for a in amounts[1:]]
        posted = ledger.post(uow, key, "payment", "KES", entries, order_id=order_id)
        uow.commit()
        return posted


def test_postings_must_balance_and_a_key_is_posted_once(services):
    with pytest.raises(errors.UnbalancedTransaction):
        _post(services, "t1", [-100, 99])
    assert _post(services, "t1", [-100, 100]) is True
    assert _post(services, "t1", [-100, 100]) is False
    assert ledger.balances(services.uow()) == {("escrow", "KES"): -100, ("cash:mpesa", "KES"): 100}


def test_the_check_names_an_unbalanced_transaction_and_escrow_without_a_paid_order(services, app):
    order_id, _ = kenyan_order(services)
    _post(services, "payment:x", [-640000, 640000], order_id)
    with services.uow() as uow:  # a posting written behind the ledger's back
        txn = uow.session.scalar(
            select(LedgerTransaction).where(LedgerTransaction.key == "payment:x")
        )
        uow.session.add(
            LedgerPosting(
                transaction_id=txn.id, account="cash:mpesa", amount_minor=5, currency="KES"
            )
        )
        uow.commit()
    problems = ledger.check(services.uow())
    assert "transaction payment:x does not balance: +5 KES" in problems
    assert f"order {order_id}: escrow holds 640000 KES, expected 0 KES" in problems
    assert "escrow holds 640000 KES; paid undelivered orders total 0 KES" in problems
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 1 and "does not balance" in result.output
    balances = app.test_cli_runner().invoke(args=["ledger", "balances"]).output
    assert "escrow\t-KES 6,400" in balances


def test_a_paid_order_without_escrow_is_named(services):
    order_id, _ = kenyan_order(services)
    with services.uow() as uow:
        uow.orders.lock(order_id).status = "paid"
        uow.commit()
    assert ledger.check(services.uow()) == [
        f"order {order_id}: escrow holds 0 KES, expected 640000 KES"
    ]
