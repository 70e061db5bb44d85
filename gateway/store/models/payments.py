"""Payments: attempts to collect an order's money, callbacks as received, and payouts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.commerce.payments.payout_states import PAYOUT
from gateway.commerce.payments.states import PAYMENT
from gateway.store.models.base import Base
from gateway.store.models.base import one_of
from gateway.store.models.base import utcnow

CALLBACK_VERDICTS = (
    "received",
    "applied",
    "duplicate",
    "unknown",
    "mismatch",
    "disputed",
    "forged",
    "malformed",
)
"""received (stored, not yet checked) → applied | duplicate (already settled) | unknown
(reference not ours) | mismatch (amount, currency or phone differ) | disputed (the provider's
status query disagrees). forged (wrong token) and malformed are stored as such at once."""
PAYOUT_KINDS = ("seller", "agent", "refund")
RESOLUTION_DECISIONS = ("paid", "failed")
RESOLUTION_VERDICTS = ("applied", "refused")


class Payment(Base):
    """One attempt to collect an order's total from the buyer's mobile-money wallet."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("order_id", "attempt"),
        UniqueConstraint("provider", "provider_ref"),
        UniqueConstraint("provider", "receipt"),
        one_of("status", PAYMENT.states),
        Index("ix_payments_status", "status", "provider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    attempt: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="sending")
    phone: Mapped[str] = mapped_column(String(16))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    request_key: Mapped[str] = mapped_column(String(36), unique=True)
    """Our own id of the request (MoMo's X-Reference-Id): resending it cannot charge twice."""
    provider_ref: Mapped[str | None] = mapped_column(String(64))
    """The provider's id: Daraja CheckoutRequestID, MoMo X-Reference-Id, sandbox id."""
    merchant_ref: Mapped[str | None] = mapped_column(String(64))
    receipt: Mapped[str | None] = mapped_column(String(64))
    result_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(10))
    """What the money did once it arrived: `paid` the order, or went to a `refund`."""
    checks: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_at: Mapped[datetime | None]
    settled_at: Mapped[datetime | None]


class PaymentCallback(Base):
    """A provider callback exactly as it arrived, and what checking it concluded."""

    __tablename__ = "payment_callbacks"
    __table_args__ = (
        one_of("verdict", CALLBACK_VERDICTS),
        Index("ix_payment_callbacks_ref", "provider", "provider_ref"),
        Index("ix_payment_callbacks_verdict", "verdict", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10), default="payment")
    """`payment` (a collection) or `payout` (a B2C result or disbursement)."""
    method: Mapped[str] = mapped_column(String(6))
    remote_addr: Mapped[str | None] = mapped_column(String(45))
    body: Mapped[str] = mapped_column(Text)
    provider_ref: Mapped[str | None] = mapped_column(String(64))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id"))
    verdict: Mapped[str] = mapped_column(String(10), default="received")
    detail: Mapped[str | None] = mapped_column(String(300))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_at: Mapped[datetime | None]


class Payout(Base):
    """Money sent out of escrow to a seller, an agent, or back to a buyer (a refund)."""

    __tablename__ = "payouts"
    __table_args__ = (
        UniqueConstraint("provider", "provider_ref"),
        one_of("kind", PAYOUT_KINDS),
        one_of("status", PAYOUT.states),
        Index("ix_payouts_status", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    """What this payout is for (`seller:<order>`, `agent:<order>`, `refund:<payment>`)."""
    kind: Mapped[str] = mapped_column(String(10))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    phone: Mapped[str] = mapped_column(String(16))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    provider: Mapped[str | None] = mapped_column(String(10))
    """Chosen when the payout is first sent (by the payee's country and network)."""
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    request_key: Mapped[str] = mapped_column(String(36), unique=True)
    provider_ref: Mapped[str | None] = mapped_column(String(64))
    receipt: Mapped[str | None] = mapped_column(String(64))
    result_code: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    checks: Mapped[int] = mapped_column(Integer, default=0)
    """Status queries asked since the last send; the next one waits longer."""
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settled_at: Mapped[datetime | None]


class PayoutResolution(Base):
    """An operator's word on a payout the provider could not settle (`flask payments
    resolve-payout`), applied or refused, kept as an audit trail."""

    __tablename__ = "payout_resolutions"
    __table_args__ = (
        one_of("decision", RESOLUTION_DECISIONS),
        one_of("verdict", RESOLUTION_VERDICTS),
        Index("ix_payout_resolutions_payout", "payout_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payout_id: Mapped[int] = mapped_column(ForeignKey("payouts.id"))
    decision: Mapped[str] = mapped_column(String(10))
    receipt: Mapped[str | None] = mapped_column(String(64))
    operator: Mapped[str] = mapped_column(String(40))
    verdict: Mapped[str] = mapped_column(String(10))
    status_before: Mapped[str] = mapped_column(String(10))
    provider_said: Mapped[str | None] = mapped_column(String(300))
    """The provider's own answer when the command ran, as far as it could be had."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
