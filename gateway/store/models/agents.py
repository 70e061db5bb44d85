"""Village agents: their points, customers' consents, invites, and the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from gateway.store.models.base import Base
from gateway.store.models.base import utcnow
from gateway.store.models.people import Person


class AgentPoint(Base):
    """Where an agent receives parcels and customers collect them."""

    __tablename__ = "agent_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(40))
    hours: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    agent: Mapped[Person] = relationship(lazy="joined")


class AgentConsent(Base):
    """A customer's answer, from their own phone, to an agent asking to order for them."""

    __tablename__ = "agent_consents"
    __table_args__ = (
        UniqueConstraint("agent_id", "customer_id"),
        CheckConstraint("status in ('pending', 'granted', 'withdrawn')", name="known_status"),
        Index("ix_agent_consents_customer", "customer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    customer_name: Mapped[str | None] = mapped_column(String(24))
    """What the agent calls the customer (asked once when registering them, optional)."""
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    agent: Mapped[Person] = relationship(foreign_keys=[agent_id], lazy="joined")
    customer: Mapped[Person] = relationship(foreign_keys=[customer_id], lazy="joined")


class AgentAction(Base):
    """One line of the audit trail: who did what, for whom, when."""

    __tablename__ = "agent_actions"
    __table_args__ = (Index("ix_agent_actions_agent", "agent_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    actor: Mapped[str] = mapped_column(String(10))
    """`agent`, `customer` or `operator`."""
    action: Mapped[str] = mapped_column(String(30))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentInvite(Base):
    """A one-time code an operator hands out; whoever enters it becomes an agent."""

    __tablename__ = "agent_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    point_name: Mapped[str] = mapped_column(String(40))
    place: Mapped[str] = mapped_column(String(40))
    hours: Mapped[str | None] = mapped_column(String(40))
    expires_at: Mapped[datetime]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
