"""Operators (staff who use /admin) and the audit trail of what they did."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.store.models.base import Base
from gateway.store.models.base import one_of
from gateway.store.models.base import utcnow

OPERATOR_ROLES = ("operator", "viewer")
"""`operator` may act (retry, resolve, pause); `viewer` may only look."""


class Operator(Base):
    """Someone who signs in to /admin with an email and a password (argon2 hash only)."""

    __tablename__ = "operators"
    __table_args__ = (one_of("role", OPERATOR_ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    """Lower-cased."""
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    """Wrong passwords in a row since the last right one or lock."""
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OperatorAction(Base):
    """One line of the operators' audit trail: who did what to what, and how it went."""

    __tablename__ = "operator_actions"
    __table_args__ = (Index("ix_operator_actions_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    """None for a sign-in attempt with an unknown email."""
    action: Mapped[str] = mapped_column(String(30))
    target: Mapped[str | None] = mapped_column(String(60))
    """What it was done to: `outbox:12`, `payout:3`, `listing:D001`."""
    detail: Mapped[str | None] = mapped_column(String(300))
    remote_addr: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
