"""Property: whatever order duplicate, late, forged and out-of-order callbacks and status
answers arrive in (with expiry, retries, delivery and refunds mixed in), each order is paid
at most once, only money the provider really took is on the ledger, the ledger balances, and
every status an order, payment or payout takes follows its status machine."""

from __future__ import annotations

import json
import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from hypothesis import HealthCheck
from hypothesis import event as note
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import event as sa_event
from sqlalchemy import func
from sqlalchemy import select

from gateway.commerce import errors
from gateway.commerce.machine import Machine
from gateway.commerce.orders.states import ORDER
from gateway.commerce.payments import callbacks as payment_callbacks
from gateway.commerce.payments import collection as payments
from gateway.commerce.payments import ledger
from gateway.commerce.payments import unpaid as payment_orders
from gateway.commerce.payments.escrow import Rates
from gateway.commerce.payments.escrow import refund_order
from gateway.commerce.payments.escrow import release_escrow
from gateway.commerce.payments.payout_states import PAYOUT
from gateway.commerce.payments.states import PAYMENT
from gateway.providers.payments.base import PaymentStatus
from gateway.providers.payments.daraja import Daraja
from gateway.store.models.ledger import LedgerTransaction
from gateway.store.models.orders import Order
from gateway.store.models.payments import Payment
from gateway.store.models.payments import Payout
from gateway.store.schema import Base
from tests.payment_support import NOTICES
from tests.payment_support import listing
from tests.payment_support import order
from tests.payment_support import person

DARAJA = Daraja("http://daraja.invalid", "key", "secret", "174379", "passkey")
RATES = Rates(500, 200, timedelta(days=7))
TRUTHS = ("0", "0", "0", "1032", "2001", "1037")
"""What the buyer really did with each prompt: paid, cancelled, wrong PIN, no answer."""
ORDERS, ATTEMPTS = 2, 3

PENDING = st.sampled_from([False, False, True])
"""Whether the provider's status query still says pending."""
callback = st.tuples(
    st.just("callback"),
    st.integers(0, ORDERS - 1),
    st.integers(0, ATTEMPTS - 1),
    st.sampled_from(["true", "true", "true", "forged", "wrong_amount"]),
    PENDING,
)
query = st.tuples(
    st.just("query"), st.integers(0, ORDERS - 1), st.integers(0, ATTEMPTS - 1), PENDING
)
retry = st.tuples(st.just("retry"), st.integers(0, ORDERS - 1))
settle = st.tuples(st.sampled_from(["release", "refund"]), st.integers(0, ORDERS - 1))
event = st.one_of(*[callback] * 8, *[query] * 4, *[retry] * 3, *[settle] * 3, st.just(("expire",)))
"""Weighted by repetition: mostly callbacks and queries, now and then expiry."""


def _wipe(services) -> None:
    with services.connections.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def _body(ref: str, code: str, amount_minor: int, phone: str) -> bytes:
    cb = {
        "MerchantRequestID": "m-" + ref,
        "CheckoutRequestID": ref,
        "ResultCode": int(code),
        "ResultDesc": "text",
    }
    if code == "0":
        cb["CallbackMetadata"] = {
            "Item": [
                {"Name": "Amount", "Value": amount_minor / 100},
                {"Name": "MpesaReceiptNumber", "Value": "R" + ref[-9:]},
                {"Name": "Balance"},
                {"Name": "PhoneNumber", "Value": int(phone[1:])},
            ]
        }
    return json.dumps({"Body": {"stkCallback": cb}}).encode()


class World:
    """Two orders, the provider's truth for each prompt, and what has been sent so far."""

    def __init__(self, services, truths: list[list[str]]) -> None:
        self.services, self.truths = services, truths
        seller = person(services, "+254722000601", "seller")
        maize = listing(services, seller, 150000, "KES")
        self.phones = ["+254711000601", "+254711000602"]
        self.orders = [order(services, person(services, p), maize) for p in self.phones]
        self.refs: dict[tuple[int, int], tuple[int, str]] = {}
        for index in range(ORDERS):
            self.request(index, 1)

    def request(self, index: int, attempt: int) -> None:
        """The worker's part of `payment.request`: write the attempt, the provider takes it."""
        found = payments.start_attempt(
            self.services.uow(), self.orders[index], attempt, lambda _phone, _network: "mpesa"
        )
        if found is None:
            return
        ref = f"ws_CO_{self.orders[index]:04d}{attempt:02d}{index}"
        now = datetime.now(UTC)
        payments.record_requested(self.services.uow(), found.payment_id, ref, None, now, now)
        self.refs[(index, attempt - 1)] = (found.payment_id, ref)

    def slot(self, index: int, slot: int) -> int:
        """The attempt a step names, or the order's latest one if it has not been made."""
        return slot if (index, slot) in self.refs else max(s for i, s in self.refs if i == index)

    def truth(self, index: int, slot: int, pending: bool) -> PaymentStatus:
        _, ref = self.refs[(index, slot)]
        if pending:
            return PaymentStatus("pending", ref)
        return DARAJA.parse_callback(
            _body(ref, self.truths[index][slot], 150000, self.phones[index])
        )

    def callback(self, index: int, slot: int, kind: str, query_pending: bool) -> None:
        slot = self.slot(index, slot)
        _, ref = self.refs[(index, slot)]
        code = self.truths[index][slot]
        if kind == "forged":
            code = "1032" if code == "0" else "0"
        body = _body(ref, code, 100 if kind == "wrong_amount" else 150000, self.phones[index])
        uow, now = self.services.uow, datetime.now(UTC)
        callback_id = payment_callbacks.record_callback(
            uow(), "mpesa", "POST", "test", body, provider_ref=ref
        )
        report = DARAJA.parse_callback(body)
        target = payment_callbacks.match_payment(uow(), callback_id, report, now)
        if target is None:
            return
        try:
            payment_callbacks.conclude_payment(
                uow(),
                callback_id,
                target,
                report,
                self.truth(index, slot, query_pending),
                NOTICES,
                now,
            )
        except errors.PaymentStillPending:
            pass

    def query(self, index: int, slot: int, pending: bool) -> None:
        slot = self.slot(index, slot)
        payment_id, _ = self.refs[(index, slot)]
        payments.apply_report(
            self.services.uow(),
            payment_id,
            self.truth(index, slot, pending),
            NOTICES,
            datetime.now(UTC),
        )

    def retry(self, index: int) -> None:
        try:
            attempt = payment_orders.retry_payment(self.orders[index], self.services.uow())
        except (errors.PaymentNotRetryable, errors.PaymentInProgress):
            return
        if attempt <= ATTEMPTS:
            self.request(index, attempt)

    def run(self, step: tuple) -> None:
        name, *args = step
        uow = self.services.uow
        if name == "callback":
            self.callback(*args)
        elif name == "query":
            self.query(*args)
        elif name == "retry":
            self.retry(*args)
        elif name == "expire":
            later = datetime.now(UTC) + timedelta(hours=1)
            payment_orders.expire_unpaid(uow(), later, timedelta(minutes=15), NOTICES)
        else:
            try:
                if name == "release":
                    release_escrow(self.orders[args[0]], uow(), RATES, datetime.now(UTC))
                else:
                    refund_order(self.orders[args[0]], uow(), datetime.now(UTC))
            except errors.NothingInEscrow:
                pass


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    truths=st.lists(
        st.lists(st.sampled_from(TRUTHS), min_size=ATTEMPTS, max_size=ATTEMPTS),
        min_size=ORDERS,
        max_size=ORDERS,
    ),
    steps=st.lists(event, min_size=10, max_size=40),
)
def test_any_interleaving_pays_each_order_at_most_once_and_keeps_the_ledger_balanced(
    services, truths, steps
):
    _wipe(services)
    with StatusChanges() as changes:  # from the start: steps may change no status at all
        world = World(services, truths)
        for step in steps:
            world.run(step)
    assert changes.seen and changes.illegal() == []
    assert ledger.check(services.uow()) == []
    with services.uow() as uow:
        rows = uow.session.scalars(select(Payment)).all()
        keys = set(uow.session.scalars(select(LedgerTransaction.key)))
        cash = uow.session.scalar(
            select(func.count())
            .select_from(LedgerTransaction)
            .where(LedgerTransaction.kind.in_(("payment", "late_payment")))
        )
        for index, order_id in enumerate(world.orders):
            mine = [p for p in rows if p.order_id == order_id]
            paid = [p for p in mine if p.outcome == "paid"]
            assert len(paid) <= 1
            status = uow.session.get(Base.registry._class_registry["Order"], order_id).status
            assert (status in ("paid", "delivered", "refunded")) == (len(paid) == 1)
            note(f"order {status}")
            for p in mine:
                truth = world.truths[index][p.attempt - 1]
                assert p.status != "succeeded" or truth == "0", "a forged success got through"
                assert p.status != "failed" or truth != "0", "a real payment was recorded failed"
                assert (f"payment:{p.id}" in keys) == (p.status == "succeeded")
    assert cash == sum(1 for p in rows if p.status == "succeeded")


class StatusChanges:
    """Every status an order, payment or payout row takes while inside `with`, as (noun, before,
    after); a row's first status is a step from its machine's start."""

    WATCHED = ((Order, ORDER), (Payment, PAYMENT), (Payout, PAYOUT))

    def __init__(self) -> None:
        self.seen: list[tuple[Machine, str, str]] = []

    def _listener(self, machine: Machine):  # type: ignore[no-untyped-def]
        def record(target, value, old, initiator):  # type: ignore[no-untyped-def]
            before = old if isinstance(old, str) else machine.start
            if value != before or before == machine.start:
                self.seen.append((machine, before, value))

        return record

    def __enter__(self) -> StatusChanges:
        self.listeners = [(model.status, self._listener(m)) for model, m in self.WATCHED]
        for attribute, listener in self.listeners:
            sa_event.listen(attribute, "set", listener, active_history=True)
        return self

    def __exit__(self, *exc: object) -> None:
        for attribute, listener in self.listeners:
            sa_event.remove(attribute, "set", listener)

    def illegal(self) -> list[str]:
        return [
            f"{m.noun}: {before} -> {after}"
            for m, before, after in self.seen
            if before != after and not m.legal(before, after)
        ]


def test_two_workers_applying_the_same_success_at_once_credit_it_once(services):
    world = World(services, [["0"] * ATTEMPTS] * ORDERS)
    _, ref = world.refs[(0, 0)]
    body = _body(ref, "0", 150000, world.phones[0])
    report, now = DARAJA.parse_callback(body), datetime.now(UTC)
    ids = [
        payment_callbacks.record_callback(services.uow(), "mpesa", "POST", "t", body)
        for _ in range(2)
    ]
    targets = [payment_callbacks.match_payment(services.uow(), i, report, now) for i in ids]
    assert None not in targets
    barrier, verdicts = threading.Barrier(2), []

    def conclude(callback_id: int, target) -> None:
        barrier.wait()
        verdicts.append(
            payment_callbacks.conclude_payment(
                services.uow(), callback_id, target, report, report, NOTICES, now
            )
        )

    threads = [
        threading.Thread(target=conclude, args=pair) for pair in zip(ids, targets, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(verdicts) == ["applied", "duplicate"]
    assert ledger.check(services.uow()) == []
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(LedgerTransaction)) == 1
