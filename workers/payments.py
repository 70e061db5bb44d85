"""Outbox handlers of payments: ask for money, check callbacks and statuses, pay out.

Each is thin: ids in, the provider called outside any transaction, the domain records the
result. A retryable provider failure is raised so the outbox retries with its backoff.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from gateway.bootstrap import Services
from gateway.bootstrap import payout_query
from gateway.commerce.payments import callbacks as payment_callbacks
from gateway.commerce.payments import checks as payment_checks
from gateway.commerce.payments import collection as payments
from gateway.commerce.payments import payouts
from gateway.commerce.payments import unpaid as payment_orders
from gateway.providers.errors import MalformedCallback
from gateway.providers.errors import SendError
from gateway.providers.payments.base import Collect
from gateway.providers.payments.base import Disburse
from gateway.providers.payments.base import PaymentProvider
from gateway.providers.payments.base import PayoutStatus
from workers.metrics import count
from workers.metrics import payment_result
from workers.retries import FinalError
from workers.runtime import services as worker_services

log = logging.getLogger(__name__)


def _delays(services: Services) -> tuple[int, ...]:
    return services.deps.payment_schedule.check_delays


def _payout_delays(services: Services) -> tuple[int, ...]:
    return services.deps.payment_schedule.payout_delays


def _payout_checks(services: Services) -> payouts.Checks:
    schedule = services.deps.payment_schedule
    return payouts.Checks(schedule.payout_delays, schedule.payout_checks)


def _final(err: Exception) -> Exception:
    return FinalError(str(err))


def _unsafe_resend(job: payments.Attempt | payouts.PayoutJob, provider: PaymentProvider) -> bool:
    """A re-run whose earlier send may have reached a provider that would not know it again."""
    return job.resend and not (provider.idempotent_requests or job.retryable)


def request(services: Services, payload: dict[str, Any]) -> None:
    """`payment.request`: write the attempt, ask the provider, record what it said."""
    providers, now = services.payment_providers, services.clock()
    try:
        attempt = payments.start_attempt(
            services.uow(), payload["order_id"], payload.get("attempt", 1), providers.choose
        )
    except SendError as err:  # no provider serves this number here
        raise _final(err) from err
    if attempt is None:
        return
    provider = providers.get(attempt.provider)
    if _unsafe_resend(attempt, provider):
        # The earlier run may have prompted the buyer: never prompt twice for one attempt.
        payments.record_refused(
            services.uow(), attempt.payment_id, "lost", services.deps.notices, now
        )
        return
    try:
        accepted = provider.collect(
            Collect(
                attempt.request_key,
                attempt.phone,
                attempt.amount_minor,
                attempt.currency,
                attempt.order_ref,
                payments.DESCRIPTION,
                providers.callback_url(attempt.provider),
            )
        )
    except SendError as err:
        if err.retryable:
            payments.record_retryable(services.uow(), attempt.payment_id, err.code)
            raise
        code = "lost" if err.ambiguous else err.code
        payments.record_refused(
            services.uow(), attempt.payment_id, code, services.deps.notices, now
        )
        count(services, "sokoni_payments", provider=attempt.provider, result="refused")
        return
    count(services, "sokoni_payments", provider=attempt.provider, result="requested")
    first_check = now + timedelta(seconds=_delays(services)[0])
    payments.record_requested(
        services.uow(),
        attempt.payment_id,
        accepted.provider_ref,
        accepted.merchant_ref,
        now,
        first_check,
    )


def callback(services: Services, payload: dict[str, Any]) -> None:
    """`payment.callback`: match it, confirm it with the provider's status query, apply it."""
    uow, now = services.uow, services.clock()
    got = payment_callbacks.received(uow(), payload["callback_id"])
    if got is None:
        return
    provider = services.payment_providers.get(got.provider)
    try:
        report = provider.parse_callback(got.body)
    except MalformedCallback as err:
        raise _final(err) from err
    if isinstance(report, PayoutStatus):
        target = payment_callbacks.match_payout(uow(), got.callback_id, report, now)
        if target is not None:
            asked = None
            if provider.payout_queries:
                named = payouts.payout_named(uow(), target.target_id)
                asked = provider.check_payout(payout_query(services.payment_providers, named))
            payment_callbacks.conclude_payout(
                uow(), got.callback_id, target, report, asked, services.deps.notices, now
            )
        return
    target = payment_callbacks.match_payment(uow(), got.callback_id, report, now)
    if target is not None:
        truth = provider.query(target.provider_ref)
        verdict = payment_callbacks.conclude_payment(
            uow(), got.callback_id, target, report, truth, services.deps.notices, now
        )
        payment_result(services, got.provider, verdict, truth.state)


def check(services: Services, payload: dict[str, Any]) -> None:
    """`payment.check`: no callback yet, so ask the provider; again later if still pending."""
    now = services.clock()
    due = payment_checks.due_check(services.uow(), payload["payment_id"])
    if due is None:
        return
    status = services.payment_providers.get(due.provider).query(due.provider_ref)
    if status.state != "pending":
        outcome = payments.apply_report(
            services.uow(), due.payment_id, status, services.deps.notices, now
        )
        payment_result(services, due.provider, outcome, status.state)
        if outcome != "mismatch":
            return
        log.error("payment %s: the provider's status does not match the request", due.payment_id)
    payment_checks.record_still_pending(
        services.uow(),
        due.payment_id,
        now,
        _delays(services),
        services.deps.payment_schedule.give_up,
        services.deps.notices,
    )


def payout_send(services: Services, payload: dict[str, Any]) -> None:
    """`payout.send`: send a due payout once; a lost answer leaves it `unknown`."""
    providers, now = services.payment_providers, services.clock()
    try:
        job = payouts.start_payout(services.uow(), payload["payout_id"], providers.choose, now)
    except SendError as err:
        raise _final(err) from err
    if job is None:
        return
    provider = providers.get(job.provider)
    check_at = now + timedelta(seconds=_payout_delays(services)[0])
    if _unsafe_resend(job, provider):
        payouts.record_payout_error(
            services.uow(),
            job.payout_id,
            "lost",
            retryable=False,
            ambiguous=True,
            now=now,
            check_at=check_at,
        )
        return
    try:
        accepted = provider.pay_out(
            Disburse(
                job.request_key,
                job.phone,
                job.amount_minor,
                job.currency,
                job.remarks,
                providers.callback_url(job.provider),
            )
        )
    except SendError as err:
        payouts.record_payout_error(
            services.uow(),
            job.payout_id,
            err.code,
            retryable=err.retryable,
            ambiguous=err.ambiguous,
            now=now,
            check_at=check_at,
        )
        if err.retryable:
            raise
        return
    payouts.record_payout_sent(services.uow(), job.payout_id, accepted.provider_ref, check_at)


def payout_check(services: Services, payload: dict[str, Any]) -> None:
    """`payout.check`: ask the provider how a pending or unknown payout went; ask again later
    while it cannot tell, or while its answer is on its way as a callback (Daraja)."""
    now, providers = services.clock(), services.payment_providers
    due = payouts.due_payout_check(services.uow(), payload["payout_id"])
    if due is None:
        return
    try:
        status = providers.get(due.provider).check_payout(payout_query(providers, due))
    except SendError as err:
        log.warning("payout %s: could not ask %s: %s", due.payout_id, due.provider, err)
        status = None
    if status is None:
        if not payouts.next_check(services.uow(), due.payout_id, now, _payout_checks(services)):
            log.warning(
                "payout %s: %s never answered; left to an operator", due.payout_id, due.provider
            )
        return
    payouts.apply_payout_status(
        services.uow(),
        due.payout_id,
        status.state,
        status.code,
        status.receipt,
        status.amount_minor,
        services.deps.notices,
        now,
        _payout_checks(services),
    )


def expire_orders() -> int:
    """RQ cron job: expire orders left unpaid for PAYMENT_EXPIRY seconds; stock goes back."""
    services = worker_services()
    expired = payment_orders.expire_unpaid(
        services.uow(),
        services.clock(),
        services.deps.payment_schedule.expiry,
        services.deps.notices,
    )
    if expired:
        log.info("expired unpaid orders %s", ", ".join(expired))
    return len(expired)
