"""Agent points, customers' consents, invites and the agents' audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models.agents import AgentAction
from gateway.store.models.agents import AgentConsent
from gateway.store.models.agents import AgentInvite
from gateway.store.models.agents import AgentPoint
from gateway.store.repositories.nearness import nearness


class Agents:
    """Agent points, customers' consents, invites and the agents' audit trail."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: AgentPoint | AgentConsent | AgentInvite | AgentAction) -> None:
        self.session.add(row)
        self.session.flush()

    def point_of(self, agent_id: int) -> AgentPoint | None:
        return self.session.scalar(select(AgentPoint).where(AgentPoint.agent_id == agent_id))

    def point(self, point_id: int) -> AgentPoint | None:
        return self.session.get(AgentPoint, point_id)

    def points_near(
        self, country: str, region: str | None, district: str | None, limit: int
    ) -> Sequence[AgentPoint]:
        """The country's agent points, same district first, then same region."""
        query = select(AgentPoint).where(AgentPoint.country == country)
        query = query.order_by(nearness(AgentPoint, region, district), AgentPoint.id)
        return self.session.scalars(query.limit(limit)).all()

    def consent(self, agent_id: int, customer_id: int) -> AgentConsent | None:
        query = select(AgentConsent).where(
            AgentConsent.agent_id == agent_id, AgentConsent.customer_id == customer_id
        )
        return self.session.scalar(query.with_for_update(of=AgentConsent))

    def consents_of_agent(self, agent_id: int, limit: int) -> Sequence[AgentConsent]:
        """An agent's customers, those who agreed first, most recently asked first."""
        query = select(AgentConsent).where(AgentConsent.agent_id == agent_id)
        query = query.order_by(AgentConsent.status, AgentConsent.requested_at.desc())
        return self.session.scalars(query.limit(limit)).all()

    def consents_of_customer(
        self, customer_id: int, statuses: tuple[str, ...]
    ) -> Sequence[AgentConsent]:
        query = select(AgentConsent).where(
            AgentConsent.customer_id == customer_id, AgentConsent.status.in_(statuses)
        )
        query = query.order_by(AgentConsent.id).with_for_update(of=AgentConsent)
        return self.session.scalars(query).all()

    def actions_of(self, agent_id: int, limit: int) -> Sequence[AgentAction]:
        """The agent's audit trail, newest first."""
        query = select(AgentAction).where(AgentAction.agent_id == agent_id)
        return self.session.scalars(query.order_by(AgentAction.id.desc()).limit(limit)).all()

    def invite(self, code: str) -> AgentInvite | None:
        query = select(AgentInvite).where(AgentInvite.code == code)
        return self.session.scalar(query.with_for_update())
