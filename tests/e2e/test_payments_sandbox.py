"""The sandbox provider, driven by hand as a developer would: by CLI and by HTTP; and paying
again from a failed attempt."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from gateway.commerce import errors
from gateway.commerce.payments import ledger
from gateway.commerce.payments.unpaid import retry_payment
from tests.journeys_support import choose
from tests.payment_support import TOKEN
from tests.payment_support import attempts
from tests.payment_support import kenyan_order
from tests.payment_support import texts_to
from tests.payment_support import the_order

pytestmark = pytest.mark.usefixtures("sandbox_only")


def _placed(services, run_outbox) -> tuple[int, str, str]:
    order_id, buyer = kenyan_order(services)
    run_outbox()
    return order_id, the_order(services, order_id).ref, buyer


def test_without_credentials_a_payment_waits_in_the_sandbox(services, run_outbox):
    order_id, _, _ = _placed(services, run_outbox)
    [attempt] = attempts(services, order_id)
    assert (attempt.provider, attempt.status) == ("sandbox", "pending")
    assert the_order(services, order_id).status == "awaiting_payment"


def test_approving_by_cli_pays_the_order(services, app, run_outbox):
    order_id, ref, buyer = _placed(services, run_outbox)
    result = app.test_cli_runner().invoke(args=["payments", "sandbox", "approve", ref])
    assert result.exit_code == 0 and f"order {ref}" in result.output
    run_outbox()
    assert the_order(services, order_id).status == "paid"
    assert "received for order" in texts_to(services, buyer)[-1]
    assert app.test_cli_runner().invoke(args=["ledger", "check"]).exit_code == 0


def test_declining_by_http_fails_the_payment_with_its_reason(services, client, run_outbox):
    order_id, ref, buyer = _placed(services, run_outbox)
    answer = client.post(f"/payments/sandbox/{TOKEN}", data={"ref": ref, "result": "insufficient"})
    assert answer.status_code == 200 and answer.json["order"] == ref
    run_outbox()
    assert the_order(services, order_id).status == "payment_failed"
    assert "failed: not enough money" in texts_to(services, buyer)[-1]


def test_a_silent_timeout_is_found_by_the_status_query(services, client, run_outbox):
    order_id, ref, buyer = _placed(services, run_outbox)
    answer = client.post(
        f"/payments/sandbox/{TOKEN}", json={"ref": ref, "result": "timeout", "callback": "no"}
    )
    assert answer.json["callback"] is False
    run_outbox()
    assert the_order(services, order_id).status == "awaiting_payment"
    run_outbox(datetime.now(UTC) + timedelta(seconds=31))
    assert the_order(services, order_id).status == "payment_failed"
    assert "timed out" in texts_to(services, buyer)[-1]


@pytest.mark.parametrize(
    ("path", "fields", "status"),
    [
        ("/payments/sandbox/wrong", {"ref": "X", "result": "approve"}, 403),
        (f"/payments/sandbox/{TOKEN}", {"ref": "NOSUCH", "result": "approve"}, 404),
        (f"/payments/sandbox/{TOKEN}", {"ref": "X", "result": "maybe"}, 400),
        (f"/payments/sandbox/{TOKEN}", {}, 400),
        (f"/payments/sandbox/{TOKEN}", {"ref": "A\x00B", "result": "approve"}, 400),
    ],
)
def test_sandbox_requests_that_cannot_be_done_are_refused(client, path, fields, status):
    assert client.post(path, data=fields).status_code == status


def test_after_a_failure_the_buyer_pays_again_with_a_new_attempt(services, app, run_outbox):
    order_id, ref, buyer = _placed(services, run_outbox)
    cli = app.test_cli_runner()
    cli.invoke(args=["payments", "sandbox", "cancel", ref])
    run_outbox()
    with pytest.raises(errors.OrderNotFound):
        retry_payment(order_id, services.uow(), buyer_id=order_id + 999)  # not the buyer
    assert retry_payment(order_id, services.uow()) == 2
    with pytest.raises(errors.PaymentNotRetryable):
        retry_payment(order_id, services.uow())  # the new attempt is on its way
    run_outbox()
    first, second = attempts(services, order_id)
    assert (first.status, second.status) == ("failed", "pending")
    assert first.provider_ref != second.provider_ref
    with pytest.raises(errors.PaymentInProgress):
        retry_payment(order_id, services.uow())
    cli.invoke(args=["payments", "sandbox", "approve", ref])
    cli.invoke(args=["payments", "sandbox", "approve", ref])  # a second approval changes nothing
    run_outbox()
    assert the_order(services, order_id).status == "paid"
    with pytest.raises(errors.PaymentNotRetryable):
        retry_payment(order_id, services.uow())
    assert ledger.balances(services.uow())[("escrow", "KES")] == -640000
    show = cli.invoke(args=["payments", "show", ref]).output.splitlines()
    assert [line.split("\t")[2] for line in show] == ["failed", "succeeded"]


def test_a_buyer_pays_again_from_my_orders_by_ussd(services, app, phone, run_outbox):
    order_id, ref, buyer_phone = _placed(services, run_outbox)
    app.test_cli_runner().invoke(args=["payments", "sandbox", "wrong_pin", ref])
    run_outbox()
    buyer = phone(buyer_phone)
    screen = buyer.send(choose(buyer.dial(), "My orders"))
    screen = buyer.send(choose(screen, ref))
    confirm = buyer.send(choose(screen, "Pay again"))
    assert f"Pay KES 6,400 for order {ref}" in confirm
    done = buyer.send(choose(confirm, "Confirm"))
    assert done.startswith("END A payment prompt for KES 6,400") and ref in done
    run_outbox()
    assert [a.status for a in attempts(services, order_id)] == ["failed", "pending"]
    again = phone(buyer_phone)
    screen = again.send(choose(again.dial(), "My orders"))
    assert "Pay again" not in again.send(choose(screen, ref))
