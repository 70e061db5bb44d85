"""People and their roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from gateway.store.models.base import Base
from gateway.store.models.base import utcnow


class Person(Base):
    """Anyone who dials or texts: a buyer by default, a seller or agent by role."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(5))
    region: Mapped[str | None] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(40))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    failed_pin_count: Mapped[int] = mapped_column(Integer, default=0)
    pin_locked_until: Mapped[datetime | None]
    pin_locks: Mapped[int] = mapped_column(Integer, default=0)
    """Locks since the PIN was last right or reset; past the last step, locked until reset."""
    payout_phone: Mapped[str | None] = mapped_column(String(16))
    network_code: Mapped[str | None] = mapped_column(String(6))
    """The Africa's Talking networkCode (MCC+MNC) this person last dialled or texted from:
    which mobile-money wallet their number has, ported numbers included."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    roles: Mapped[list[PersonRole]] = relationship(
        back_populates="person", lazy="selectin", cascade="all, delete-orphan"
    )

    def has_role(self, role: str) -> bool:
        return any(r.role == role for r in self.roles)

    def grant(self, role: str) -> None:
        if not self.has_role(role):
            self.roles.append(PersonRole(role=role))


class PersonRole(Base):
    __tablename__ = "person_roles"
    __table_args__ = (
        UniqueConstraint("person_id", "role"),
        CheckConstraint(
            "role in ('buyer', 'seller', 'agent', 'courier', 'border')", name="known_role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    person: Mapped[Person] = relationship(back_populates="roles")
