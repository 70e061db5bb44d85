"""The operators' audit trail: one row for every change an operator makes, and each sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.store.models.operators import OperatorAction
from gateway.store.uow import UnitOfWork


def record(
    uow: UnitOfWork,
    operator_id: int | None,
    action: str,
    target: str | None,
    detail: str | None = None,
    remote_addr: str | None = None,
) -> None:
    """Add an audit row in the caller's open unit of work."""
    uow.operators.add(
        OperatorAction(
            operator_id=operator_id,
            action=action,
            target=target,
            detail=detail[:300] if detail else None,
            remote_addr=remote_addr,
        )
    )


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    who: str
    action: str
    target: str
    detail: str
    remote_addr: str


def trail(uow: UnitOfWork, limit: int = 100) -> list[AuditLine]:
    """The newest audit rows first."""
    with uow:
        return [
            AuditLine(
                row.created_at,
                email or "-",
                row.action,
                row.target or "",
                row.detail or "",
                row.remote_addr or "",
            )
            for row, email in uow.operators.trail(limit)
        ]
