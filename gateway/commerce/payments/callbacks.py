"""Provider callbacks: stored as they arrive, then trusted only after checking.

The web view stores every callback (a wrong token or a malformed body too, judged at once)
and answers; the `payment.callback` job then matches its reference to a payment or payout,
compares amount, currency and phone with what was asked, asks the provider's own status
query, and only when that agrees applies it, once. Anything else changes nothing and is
left with its verdict for operators (`flask payments callbacks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Protocol

from gateway.commerce import errors
from gateway.commerce import topics
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.payments import payout_states
from gateway.commerce.payments.collection import Report
from gateway.commerce.payments.collection import mismatch
from gateway.commerce.payments.collection import settle
from gateway.commerce.payments.collection import unsettled
from gateway.commerce.payments.payouts import settle_payout
from gateway.store.models.payments import PaymentCallback
from gateway.store.uow import UnitOfWork
from gateway.text.control import storable

SUSPICIOUS = ("received", "unknown", "mismatch", "disputed", "forged", "malformed")
RECENT = timedelta(minutes=10)
"""A request begun this recently may still get its reference recorded."""


class PayoutReport(Protocol):
    """A provider's word on a payout (gateway.providers.payments.base.PayoutStatus fits)."""

    @property
    def state(self) -> str: ...

    @property
    def provider_ref(self) -> str | None: ...

    @property
    def request_key(self) -> str | None: ...

    @property
    def code(self) -> str | None: ...

    @property
    def receipt(self) -> str | None: ...

    @property
    def amount_minor(self) -> int | None: ...


@dataclass(frozen=True)
class Received:
    callback_id: int
    provider: str
    body: bytes


@dataclass(frozen=True)
class Target:
    """What a callback is about, to be confirmed by the provider's status query."""

    target_id: int
    provider: str
    provider_ref: str


def record_callback(
    uow: UnitOfWork,
    provider: str,
    method: str,
    remote_addr: str | None,
    body: bytes,
    *,
    provider_ref: str | None = None,
    kind: str = "payment",
    verdict: str = "received",
    detail: str | None = None,
) -> int:
    """Store a callback; one still to check (`received`) gets its checking job."""
    with uow:
        row = PaymentCallback(
            provider=provider,
            kind=kind,
            method=method,
            remote_addr=remote_addr,
            body=_text(body.decode("utf-8", errors="replace")),
            provider_ref=_text(provider_ref[:64]) if provider_ref else None,
            verdict=verdict,
            detail=_text(detail[:300]) if detail else None,
        )
        uow.payments.add_callback(row)
        if verdict == "received":
            uow.emit(topics.PAYMENT_CALLBACK, callback_id=row.id)
        uow.commit()
        return row.id


def _text(value: str) -> str:
    """Storable text: a NUL or a lone surrogate becomes the replacement character."""
    return storable(value)


def _ours(ref: str | None) -> str | None:
    """A reference worth looking up: none of ours contains a NUL."""
    return ref if ref and "\x00" not in ref else None


def received(uow: UnitOfWork, callback_id: int) -> Received | None:
    """A stored callback still waiting to be checked."""
    with uow:
        row = uow.payments.callback(callback_id)
        if row is None or row.verdict != "received":
            return None
        return Received(row.id, row.provider, row.body.encode())


def judge(
    uow: UnitOfWork, callback_id: int, verdict: str, detail: str | None, now: datetime
) -> None:
    """Record what checking concluded, in the caller's open unit of work."""
    row = uow.payments.one_callback(callback_id)
    row.verdict, row.detail, row.checked_at = verdict, detail and _text(detail[:300]), now


def _unknown(
    uow: UnitOfWork, callback_id: int, provider: str, ref: str | None, now: datetime
) -> None:
    if uow.payments.sending_exists(provider, now - RECENT):
        raise errors.PaymentNotYetKnown(ref)  # its request may be about to be recorded
    judge(uow, callback_id, "unknown", f"no request has reference {ref}", now)
    uow.commit()


def match_payment(
    uow: UnitOfWork, callback_id: int, report: Report, now: datetime
) -> Target | None:
    """The payment a collection callback is about, if it may still change it."""
    with uow:
        row = uow.payments.one_callback(callback_id)
        payment = uow.payments.by_provider_ref(row.provider, _ours(report.provider_ref))
        if payment is None:
            _unknown(uow, callback_id, row.provider, report.provider_ref, now)
            return None
        row.payment_id = payment.id
        problem = mismatch(payment, report)
        if report.state == "pending" or not unsettled(payment, report.state):
            verdict = "duplicate" if report.state in (payment.status, "pending") else "disputed"
            judge(uow, callback_id, verdict, f"payment is {payment.status}", now)
        elif problem:
            judge(uow, callback_id, "mismatch", problem, now)
        else:
            uow.commit()
            return Target(payment.id, payment.provider, payment.provider_ref or "")
        uow.commit()
        return None


def conclude_payment(
    uow: UnitOfWork,
    callback_id: int,
    target: Target,
    report: Report,
    truth: Report,
    notices: Notices,
    now: datetime,
) -> str:
    """Apply the callback if the provider's status query agrees; else apply what the query
    says and mark the callback disputed. Returns the callback's verdict.

    Raises:
        PaymentStillPending: the query says pending; check again later.
    """
    if truth.state == "pending":
        raise errors.PaymentStillPending(target.provider_ref)
    detail: str | None
    with uow:
        if truth.state != report.state:
            outcome, _ = settle(uow, target.target_id, truth, notices, now)
            verdict, detail = "disputed", f"status query says {truth.state}; {outcome}"
        else:
            problem = mismatch(uow.payments.one(target.target_id), truth)
            verdict, detail = (
                ("mismatch", problem)
                if problem
                else settle(uow, target.target_id, report, notices, now)
            )
        judge(uow, callback_id, verdict, detail, now)
        uow.commit()
        return verdict


def match_payout(
    uow: UnitOfWork, callback_id: int, report: PayoutReport, now: datetime
) -> Target | None:
    """The payout a result callback is about, if it is still open."""
    with uow:
        row = uow.payments.one_callback(callback_id)
        payout = uow.payouts.by_reference(
            row.provider, _ours(report.provider_ref), _ours(report.request_key)
        )
        if payout is None:
            _unknown(uow, callback_id, row.provider, report.provider_ref, now)
            return None
        row.payout_id = payout.id
        if payout.status in payout_states.SETTLED:
            judge(uow, callback_id, "duplicate", f"payout is {payout.status}", now)
            uow.commit()
            return None
        uow.commit()
        return Target(payout.id, payout.provider or row.provider, payout.provider_ref or "")


def conclude_payout(
    uow: UnitOfWork,
    callback_id: int,
    target: Target,
    report: PayoutReport,
    truth: PayoutReport | None,
    notices: Notices,
    now: datetime,
) -> str:
    """Apply a payout result; with a status query (`truth`) only when it agrees. A provider
    without a synchronous one (Daraja B2C, whose Transaction Status result is such a
    callback) is trusted on its token, reference and amount. A result saying the payout is
    still under way changes nothing."""
    if truth is not None and truth.state == "pending":
        raise errors.PaymentStillPending(target.provider_ref)
    decided = truth or report
    with uow:
        if decided.state == "pending":  # a status result saying it is still under way
            judge(uow, callback_id, "duplicate", "payout still pending", now)
            uow.commit()
            return "duplicate"
        verdict, detail = settle_payout(
            uow,
            target.target_id,
            decided.state,
            decided.code,
            decided.receipt,
            report.amount_minor,
            notices,
            now,
        )
        if truth is not None and truth.state != report.state:
            verdict, detail = "disputed", f"status query says {truth.state}"
        judge(uow, callback_id, verdict, detail, now)
        uow.commit()
        return verdict


def results_about_payout(uow: UnitOfWork, payout_id: int) -> list[bytes]:
    """The bodies of the callbacks matched to a payout, newest first (for its provider to
    read: what it last said about the payout)."""
    with uow:
        return [row.body.encode() for row in uow.payments.callbacks_about_payout(payout_id)][::-1]


def suspicious(
    uow: UnitOfWork, limit: int, verdicts: tuple[str, ...] = SUSPICIOUS
) -> list[PaymentCallback]:
    """Callbacks that changed nothing (or are not yet checked), newest first."""
    with uow:
        return uow.payments.callbacks_with(verdicts, limit)
