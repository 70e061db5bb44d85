"""Seed helpers for domain tests of the journeys: people, a listing, an agent with a consent."""

from __future__ import annotations

from gateway.bootstrap import Services
from gateway.commerce.agents.points import details
from gateway.commerce.agents.points import grant_agent
from gateway.commerce.catalog.listings import Publish
from gateway.commerce.catalog.listings import publish
from gateway.commerce.money import Money
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.store.models.agents import AgentConsent
from gateway.store.models.people import Person


def someone(services: Services, phone: str, *roles: str, district: str | None = None) -> int:
    with services.uow() as uow:
        person = uow.people.add(Person(phone=phone, country="KE", language="en", district=district))
        for role in roles or ("buyer",):
            person.grant(role)
        uow.commit()
        return person.id


def goods(
    services: Services, seller: int, name: str = "Maize", stock: int = 10, home: bool = False
) -> int:
    view = publish(
        Publish(seller, "grains", name, "bag", Money(320000, "KES"), stock, home), services.uow()
    )
    return view.id


def agent_with_customer(services: Services, agent_phone: str, customer: int, status: str) -> int:
    grant_agent(services.uow(), agent_phone, details("Mama Njeri Shop", "Kisumu Town", None))
    with services.uow() as uow:
        agent = uow.people.by_phone(agent_phone)
        uow.agents.add(AgentConsent(agent_id=agent.id, customer_id=customer, status=status))
        uow.commit()
        return agent.id


def buy(services: Services, buyer: int, listing: int, qty: int = 1, key: str = "", **extra):  # type: ignore[no-untyped-def]
    cmd = PlaceOrder(buyer, listing, qty, "ussd", key or f"k-{buyer}-{listing}-{qty}", **extra)
    return place_order(cmd, services.uow())
