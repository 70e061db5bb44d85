"""An operator settles a payout the provider cannot answer for, never against its word.

`flask payments resolve-payout ID --paid RECEIPT|--failed` comes here with what the provider
said when asked (its status query, or the newest result it sent). A final answer that
contradicts the operator refuses the resolution; either way the attempt is kept as an audit
row (`payout_resolutions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.payments.callbacks import PayoutReport
from gateway.commerce.payments.payouts import RESOLVABLE
from gateway.commerce.payments.payouts import settle_payout
from gateway.store.models.payments import PayoutResolution
from gateway.store.uow import UnitOfWork

OPERATOR_CODE = "operator"
"""The result code of a payout settled by an operator's word."""


@dataclass(frozen=True)
class Resolution:
    """What an operator says happened to a payout: paid (with the provider's receipt) or not."""

    payout_id: int
    paid: bool
    receipt: str | None
    operator: str


@dataclass(frozen=True)
class Resolved:
    verdict: str
    """`applied` or `refused`."""
    detail: str


def contradiction(resolution: Resolution, said: PayoutReport | None) -> str | None:
    """Why the provider's final word contradicts the operator, if it does."""
    if said is None or said.state not in ("succeeded", "failed"):
        return None
    if resolution.paid != (said.state == "succeeded"):
        return f"the provider says {said.state}"
    if resolution.paid and said.receipt and said.receipt != resolution.receipt:
        return f"the provider's receipt is {said.receipt}"
    return None


def describe(said: PayoutReport | None) -> str:
    """The provider's word in one line, for the audit row."""
    if said is None:
        return "no answer"
    parts = [
        said.state,
        said.code and f"code {said.code}",
        said.receipt and f"receipt {said.receipt}",
    ]
    return ", ".join(part for part in parts if part)


def open_payout(uow: UnitOfWork, payout_id: int) -> str:
    """The provider of a payout an operator may resolve.

    Raises:
        PayoutNotFound; PayoutNotOpen when it is settled or not sent yet.
    """
    with uow:
        payout = uow.payouts.get(payout_id)
        if payout is None:
            raise errors.PayoutNotFound(payout_id)
        if payout.status not in RESOLVABLE or not payout.provider:
            raise errors.PayoutNotOpen(payout_id, payout.status)
        return payout.provider


def resolve_payout(
    uow: UnitOfWork,
    resolution: Resolution,
    said: PayoutReport | None,
    notices: Notices,
    now: datetime,
) -> Resolved:
    """Settle the payout as the operator says, unless the provider's word contradicts it;
    the attempt is recorded either way. A payout resolved `failed` can be sent again.

    Raises:
        PayoutNotFound; PayoutNotOpen when it is settled or not sent yet.
    """
    with uow:
        payout = uow.payouts.lock(resolution.payout_id)
        if payout is None:
            raise errors.PayoutNotFound(resolution.payout_id)
        if payout.status not in RESOLVABLE:
            raise errors.PayoutNotOpen(payout.id, payout.status)
        before = payout.status
        problem = contradiction(resolution, said)
        if problem is None:
            settle_payout(
                uow,
                payout.id,
                "succeeded" if resolution.paid else "failed",
                OPERATOR_CODE,
                resolution.receipt if resolution.paid else None,
                None,
                notices,
                now,
            )
        resolved = Resolved(
            "refused" if problem else "applied", problem or f"payout is {payout.status}"
        )
        uow.payouts.add_resolution(
            PayoutResolution(
                payout_id=payout.id,
                decision="paid" if resolution.paid else "failed",
                receipt=resolution.receipt,
                operator=resolution.operator[:40],
                verdict=resolved.verdict,
                status_before=before,
                provider_said=describe(said)[:300],
                created_at=now,
            )
        )
        uow.commit()
        return resolved
