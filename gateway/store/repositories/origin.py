"""Certificates of origin, their flags, and operators' HS headings per category."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models.origin import CategoryHeading
from gateway.store.models.origin import Certificate
from gateway.store.models.origin import CertificateFlag


class Certificates:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, certificate: Certificate) -> Certificate:
        self.session.add(certificate)
        self.session.flush()
        return certificate

    def by_code(self, code: str) -> Certificate | None:
        return self.session.scalar(select(Certificate).where(Certificate.code == code))

    def for_order(self, order_id: int) -> Certificate | None:
        return self.session.scalar(select(Certificate).where(Certificate.order_id == order_id))

    def lock(self, certificate_id: int) -> Certificate | None:
        return self.session.get(
            Certificate, certificate_id, with_for_update=True, populate_existing=True
        )

    def flag(self, flag: CertificateFlag) -> None:
        self.session.add(flag)
        self.session.flush()

    def flags(self, limit: int) -> Sequence[tuple[CertificateFlag, Certificate]]:
        """The newest flags with their certificates."""
        query = (
            select(CertificateFlag, Certificate)
            .join(Certificate, Certificate.id == CertificateFlag.certificate_id)
            .order_by(CertificateFlag.id.desc())
            .limit(limit)
        )
        return [(flag, cert) for flag, cert in self.session.execute(query)]

    def category_heading(self, category: str) -> str | None:
        row = self.session.get(CategoryHeading, category)
        return row.heading if row is not None else None

    def set_category_heading(self, category: str, heading: str) -> None:
        row = self.session.get(CategoryHeading, category)
        if row is None:
            self.session.add(CategoryHeading(category=category, heading=heading))
        else:
            row.heading = heading
        self.session.flush()
