"""An agent's commission: pending until delivery, earned on delivery, nothing on a return."""

from __future__ import annotations

from dataclasses import dataclass

from config.countries import COUNTRIES
from gateway.commerce import errors
from gateway.commerce.money import Money
from gateway.commerce.orders import states as order_states
from gateway.commerce.payments.escrow import Rates
from gateway.commerce.payments.escrow import split
from gateway.store.uow import UnitOfWork


@dataclass(frozen=True)
class Commission:
    pending: Money
    pending_orders: int
    earned: Money
    earned_orders: int


def commission(uow: UnitOfWork, agent_id: int, rates: Rates) -> Commission:
    """The agent's commission in their country's currency, computed as escrow will split it."""
    with uow:
        agent = uow.people.get(agent_id)
        if agent is None:
            raise errors.NotAnAgent(agent_id)
        currency = COUNTRIES[agent.country].currency
        sums = {"pending": [0, 0], "earned": [0, 0]}
        for order in uow.orders.placed_by(agent_id):
            if order.currency != currency:
                continue
            kind = (
                "pending"
                if order.status in order_states.MAY_BE_DELIVERED
                else "earned"
                if order.status in order_states.DELIVERED
                else None
            )
            if kind is None:
                continue
            sums[kind][0] += split(order.total_minor, currency, rates, with_agent=True).commission
            sums[kind][1] += 1
    return Commission(
        Money(sums["pending"][0], currency),
        sums["pending"][1],
        Money(sums["earned"][0], currency),
        sums["earned"][1],
    )
