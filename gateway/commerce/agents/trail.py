"""The agents' audit trail: every agent action, by whom, for whom, on which order, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.store.models.agents import AgentAction
from gateway.store.uow import UnitOfWork


def audit(
    uow: UnitOfWork,
    agent_id: int,
    actor: str,
    action: str,
    customer_id: int | None = None,
    order_id: int | None = None,
    note: str | None = None,
) -> None:
    """Add one line to the agent's audit trail in the open transaction."""
    uow.agents.add(
        AgentAction(
            agent_id=agent_id,
            actor=actor,
            action=action,
            customer_id=customer_id,
            order_id=order_id,
            note=note,
        )
    )


@dataclass(frozen=True)
class TrailLine:
    """One audited agent action: when, who acted, what, for whom, on which order."""

    at: datetime
    actor: str
    action: str
    customer: str | None
    order: str | None
    note: str | None


def trail(uow: UnitOfWork, agent_phone: str, limit: int) -> list[TrailLine]:
    """The agent's audit trail, newest first (empty for someone who is not an agent)."""
    with uow:
        agent = uow.people.by_phone(agent_phone)
        if agent is None:
            return []
        lines = []
        for row in uow.agents.actions_of(agent.id, limit):
            customer = uow.people.get(row.customer_id) if row.customer_id else None
            order = uow.orders.get(row.order_id) if row.order_id else None
            lines.append(
                TrailLine(
                    row.created_at,
                    row.actor,
                    row.action,
                    customer.phone if customer else None,
                    order.ref if order else None,
                    row.note,
                )
            )
        return lines
