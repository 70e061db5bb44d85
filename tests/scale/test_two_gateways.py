"""The gateway keeps no state of its own: two gunicorn gateways, two RQ workers and one scheduler
share one PostgreSQL and one Redis, every hop of each caller's session goes to the other gateway
than the one before, and buyers order and pay concurrently. Nothing is lost or doubled: one
order and one payment per buyer, each SMS accepted by Africa's Talking exactly once, and the
ledger balances."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from gateway.bootstrap import Services
from gateway.cli.demo import seed
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.messages import SmsMessage
from gateway.store.models.orders import Order
from gateway.store.models.payments import Payment
from tests.conftest import Phone
from tests.faults.support import POSTGRES
from tests.faults.support import books_balance
from tests.faults.support import env_of
from tests.faults.support import flask_process
from tests.faults.support import kill_worker
from tests.faults.support import sent_once
from tests.faults.support import wait_until
from tests.faults.support import worker_process
from tests.http_support import Gunicorn
from tests.journeys_support import choose
from tests.journeys_support import walk_to_maize
from tests.payment_support import TOKEN
from tests.payment_support import texts_to
from tests.scale.support import Alternating

pytestmark = [
    pytest.mark.skipif(
        not POSTGRES,
        reason="needs PostgreSQL (DATABASE_URL=postgresql://...): processes on several hosts "
        "share a database server, not a SQLite file; runs in the PostgreSQL pass of make test",
    ),
    pytest.mark.usefixtures("sandbox_only"),
]

BUYERS = [f"+2547110008{n:02d}" for n in range(4)]


@pytest.fixture()
def deployment(
    services: Services, fake_at: FakeAfricasTalking, tmp_path: Path
) -> Iterator[list[str]]:
    """Two gateways (their URLs), two workers and a scheduler, on the tests' database and
    Redis, sending SMS to `fake_at` and payments to the sandbox."""
    env = env_of(services.settings)
    gateways: list[Gunicorn] = []
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for name in ("a", "b"):
            metrics = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics-{name}")}
            gateways.append(Gunicorn({**env, **metrics}, tmp_path / f"gateway-{name}.log"))
            gateways[-1].start()
        processes += [worker_process(env), worker_process(env), flask_process(env, "scheduler")]
        yield [gateway.url for gateway in gateways]
        for gateway in gateways:
            assert "POST /ussd" in gateway.output(), "a gateway took no hop"
    finally:
        for process in processes:
            kill_worker(process)
        for gateway in gateways:
            gateway.stop()


def _buy(urls: list[str], number: str) -> str:
    """A first-time buyer orders 2 bags of maize, each hop through the other gateway, then
    approves the sandbox payment; the order's reference."""
    client = Alternating(urls)
    buyer = Phone(client, number)  # type: ignore[arg-type]
    walk_to_maize(buyer)
    delivery = buyer.send("2")
    buyer.send(choose(delivery, "Collect from the seller"))
    placed = buyer.send("1")
    assert placed.startswith("END Order "), placed
    ref = placed.split()[2].rstrip(":")
    approve = {"ref": ref, "result": "approve"}
    wait_until(  # the payment request is made by a worker, after the order is committed
        f"the sandbox payment of {ref}",
        lambda: client.post(f"/payments/sandbox/{TOKEN}", data=approve).status_code == 200,
    )
    return ref


def test_two_gateways_two_workers_and_a_scheduler_lose_nothing_and_double_nothing(
    services: Services, fake_at: FakeAfricasTalking, deployment: list[str]
) -> None:
    seed(services.uow())
    with ThreadPoolExecutor(len(BUYERS)) as pool:
        refs = list(pool.map(lambda number: _buy(deployment, number), BUYERS))

    def settled() -> bool:
        with services.uow() as uow:
            orders = uow.session.scalars(select(Order.status)).all()
            unsent = uow.session.scalars(
                select(SmsMessage.id).where(SmsMessage.status.not_in(("sent", "delivered")))
            ).all()
        return orders == ["paid"] * len(BUYERS) and not unsent

    wait_until("every order paid and every SMS sent", settled)
    with services.uow() as uow:
        orders = uow.session.scalars(select(Order).order_by(Order.id)).all()
        payments = uow.session.scalars(select(Payment)).all()
        sent = uow.session.scalars(select(SmsMessage.at_message_id)).all()
    assert sorted(o.ref for o in orders) == sorted(refs)
    assert sorted(p.order_id for p in payments) == sorted(o.id for o in orders)
    assert {p.status for p in payments} == {"succeeded"}
    assert len(sent) >= 2 * len(BUYERS), "fewer SMS than a placed and a paid order send"
    accepted = [i for call in fake_at.received for i in call.message_ids]
    assert sorted(accepted) == sorted(sent), "an SMS was lost or sent twice"
    for number in BUYERS:
        assert sum("received for order" in text for text in texts_to(services, number)) == 1
    sent_once(fake_at)
    books_balance(services)
