"""Operators by email or id, and their audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models.operators import Operator
from gateway.store.models.operators import OperatorAction


class Operators:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, operator_id: int) -> Operator | None:
        return self.session.get(Operator, operator_id)

    def by_email(self, email: str) -> Operator | None:
        return self.session.scalar(select(Operator).where(Operator.email == email))

    def lock_by_email(self, email: str) -> Operator | None:
        """The operator, re-read and locked until the transaction ends (sign-in counting)."""
        query = select(Operator).where(Operator.email == email).with_for_update()
        return self.session.scalar(query.execution_options(populate_existing=True))

    def add(self, row: Operator | OperatorAction) -> None:
        self.session.add(row)
        self.session.flush()

    def trail(self, limit: int) -> Sequence[tuple[OperatorAction, str | None]]:
        """The newest audit rows with the operator's email."""
        query = (
            select(OperatorAction, Operator.email)
            .outerjoin(Operator, Operator.id == OperatorAction.operator_id)
            .order_by(OperatorAction.id.desc())
            .limit(limit)
        )
        return [(row, email) for row, email in self.session.execute(query)]
