"""Driving the sandbox payment provider by hand (CLI and `POST /payments/sandbox/<token>`).

A decision settles the sandbox wallet's side; the callback the sandbox "sends" is stored
like any provider's and goes through the same checks (match, status query, apply once).
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.bootstrap import Services
from gateway.commerce.payments.callbacks import record_callback
from gateway.commerce.payments.views import find_payment
from gateway.providers.payments.sandbox import Sandbox
from gateway.providers.payments.sandbox import UnknownSandboxPayment


@dataclass(frozen=True)
class Decided:
    provider_ref: str
    order_ref: str
    decision: str
    callback_id: int | None


def decide(services: Services, ref: str, decision: str, callback: bool = True) -> Decided:
    """Approve, cancel, wrong_pin, insufficient or timeout the sandbox payment named by an
    order reference (its latest attempt) or a sandbox reference. With `callback` false the
    sandbox stays silent and only the status query will tell.

    Raises:
        UnknownSandboxPayment; ValueError for an unknown decision.
    """
    found = find_payment(services.uow(), ref, "sandbox")
    if found is None:
        raise UnknownSandboxPayment(ref)
    sandbox = services.payment_providers.get("sandbox")
    assert isinstance(sandbox, Sandbox)
    body = sandbox.decide(found.provider_ref, decision)
    callback_id = None
    if callback:
        callback_id = record_callback(
            services.uow(), "sandbox", "POST", "sandbox", body, provider_ref=found.provider_ref
        )
    return Decided(found.provider_ref, found.order_ref, decision, callback_id)
