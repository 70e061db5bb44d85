"""Village agents and their customers: consent from the customer's own phone, and an audit trail.

An agent may order for a customer only while that customer's consent, given by SMS from
their own number, stands. The SMS side calls `consent_from_sms` (reply YES/NDIO/OUI) and
`withdraw_consent` (STOP AGENT); each commits on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from config.countries import COUNTRIES
from gateway.commerce import errors
from gateway.commerce.agents.trail import audit
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.commerce.people.callers import Caller
from gateway.commerce.phones import region_of
from gateway.store.models.agents import AgentConsent
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

CONSENT_ANSWERABLE = timedelta(days=7)
"""How long a consent request can be granted by a reply; after that the agent asks again."""
CUSTOMERS_SHOWN = 60

ConsentText = Callable[[str, str], str]
"""Renders the consent request SMS: (customer's language, agent's display name) -> text."""


@dataclass(frozen=True)
class LastOrder:
    """The latest order an agent placed for a customer."""

    ref: str
    quantity: int
    unit: str
    name: str


@dataclass(frozen=True)
class Customer:
    """One of an agent's customers as the agent's menu lists them."""

    id: int
    phone: str
    status: str
    name: str | None = None
    """What the agent calls them, if the agent gave a name."""
    last_order: LastOrder | None = None


def display_name(uow: UnitOfWork, agent: Person) -> str:
    """How customers know the agent: their name, else their point's, else their number."""
    point = uow.agents.point_of(agent.id)
    return agent.name or (point.name if point else None) or agent.phone


def _agent(uow: UnitOfWork, agent_id: int) -> Person:
    agent = uow.people.get(agent_id)
    if agent is None or not agent.has_role("agent"):
        raise errors.NotAnAgent(agent_id)
    return agent


def request_consent(
    uow: UnitOfWork, agent_id: int, phone: str, text: ConsentText, name: str | None = None
) -> str:
    """Ask the person with E.164 `phone`, by SMS, to let the agent order for them.

    A customer not yet known is registered as a buyer. Asking again renews a pending or
    withdrawn request; a customer who already agreed is not asked again. `name` is what the
    agent calls them (kept the first time one is given).

    Returns "asked", or "granted" when the customer had already agreed.

    Raises:
        NotAnAgent, SelfCustomer (the agent's own number).
    """
    with uow:
        agent = _agent(uow, agent_id)
        if phone == agent.phone:
            raise errors.SelfCustomer(agent_id)
        customer = uow.people.by_phone(phone)
        if customer is None:
            customer = uow.people.add(
                Person(phone=phone, country=region_of(phone) or agent.country)
            )
            customer.grant("buyer")
        consent = uow.agents.consent(agent.id, customer.id)
        if consent is not None and consent.status == "granted":
            return "granted"
        if consent is None:
            consent = AgentConsent(agent_id=agent.id, customer_id=customer.id)
            uow.agents.add(consent)
        consent.customer_name = consent.customer_name or name
        consent.status, consent.requested_at, consent.answered_at = "pending", _now(), None
        language = customer.language or COUNTRIES[customer.country].languages[0]
        message = text(language, display_name(uow, agent))
        queue_sms(uow, customer.phone, message, kind="transactional")
        audit(uow, agent.id, "agent", "consent_requested", customer_id=customer.id)
        uow.commit()
        return "asked"


def consent_from_sms(uow: UnitOfWork, phone: str) -> str | None:
    """The customer replied YES from `phone`: grant their recent pending consent requests.

    Returns the agents' display names (joined by ", "), or None when nothing was pending,
    so a repeated reply changes nothing.
    """
    with uow:
        customer = uow.people.by_phone(phone)
        if customer is None:
            return None
        since = _now() - CONSENT_ANSWERABLE
        names = []
        for consent in uow.agents.consents_of_customer(customer.id, ("pending",)):
            if consent.requested_at < since:
                continue
            consent.status, consent.answered_at = "granted", _now()
            audit(uow, consent.agent_id, "customer", "consent_granted", customer_id=customer.id)
            names.append(display_name(uow, consent.agent))
        uow.commit()
        return ", ".join(names) or None


def withdraw_consent(uow: UnitOfWork, phone: str) -> int:
    """The customer sent STOP AGENT: end every consent of theirs, given or pending.

    Returns how many were withdrawn.
    """
    with uow:
        customer = uow.people.by_phone(phone)
        if customer is None:
            return 0
        consents = uow.agents.consents_of_customer(customer.id, ("pending", "granted"))
        for consent in consents:
            consent.status, consent.answered_at = "withdrawn", _now()
            audit(uow, consent.agent_id, "customer", "consent_withdrawn", customer_id=customer.id)
        uow.commit()
        return len(consents)


def check_may_order(uow: UnitOfWork, agent_id: int, customer_id: int) -> None:
    """In the open transaction: the agent may order for this customer now.

    Raises:
        SelfCustomer, NotAnAgent, NoConsent.
    """
    if agent_id == customer_id:
        raise errors.SelfCustomer(agent_id)
    _agent(uow, agent_id)
    consent = uow.agents.consent(agent_id, customer_id)
    if consent is None or consent.status != "granted":
        raise errors.NoConsent(customer_id)


def customer_to_serve(uow: UnitOfWork, agent_id: int, phone: str) -> Caller:
    """The customer with E.164 `phone`, if they let the agent order for them.

    Raises:
        SelfCustomer, NotAnAgent, NoConsent.
    """
    with uow:
        customer = uow.people.by_phone(phone)
        if customer is None:
            raise errors.NoConsent(phone)
        check_may_order(uow, agent_id, customer.id)
        return Caller.of(customer)


def known_name(uow: UnitOfWork, agent_id: int, phone: str) -> str | None:
    """The name the agent gave the customer with `phone`, if they gave one."""
    with uow:
        customer = uow.people.by_phone(phone)
        consent = uow.agents.consent(agent_id, customer.id) if customer else None
        return consent.customer_name if consent else None


def _last_order(uow: UnitOfWork, agent_id: int, customer_id: int) -> LastOrder | None:
    order = uow.orders.latest_for_customer(agent_id, customer_id)
    if order is None:
        return None
    line = order.lines[0]
    return LastOrder(order.ref, line.quantity, line.unit, line.name)


def customers(uow: UnitOfWork, agent_id: int) -> list[Customer]:
    """The agent's customers: those who agreed first, then those asked most recently; each
    with the name the agent gave and the last order placed for them."""
    with uow:
        rows = uow.agents.consents_of_agent(agent_id, CUSTOMERS_SHOWN)
        return [
            Customer(
                c.customer_id,
                c.customer.phone,
                c.status,
                c.customer_name,
                _last_order(uow, agent_id, c.customer_id),
            )
            for c in rows
        ]


def _now() -> datetime:
    return datetime.now(UTC)
