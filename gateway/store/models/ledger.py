"""The double-entry ledger: transactions made of postings that sum to zero per currency."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from gateway.store.models.base import Base
from gateway.store.models.base import utcnow


class LedgerTransaction(Base):
    """One money movement; `key` makes posting it twice impossible."""

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    memo: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    postings: Mapped[list[LedgerPosting]] = relationship(
        back_populates="transaction", lazy="selectin", cascade="all, delete-orphan"
    )


class LedgerPosting(Base):
    """A debit (`amount_minor` > 0) or credit (< 0) to one account, for a party or an order."""

    __tablename__ = "ledger_postings"
    __table_args__ = (
        Index("ix_ledger_postings_account", "account", "currency"),
        Index("ix_ledger_postings_order", "order_id", "account"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="CASCADE"), index=True
    )
    account: Mapped[str] = mapped_column(String(30))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    transaction: Mapped[LedgerTransaction] = relationship(back_populates="postings")
