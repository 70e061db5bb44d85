"""A customer answers an agent's consent request by SMS (YES/NDIO/OUI), or withdraws it."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from gateway.bootstrap import Services
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.agents import AgentConsent
from gateway.store.models.people import Person
from tests.sms_support import Texter
from tests.sms_support import rows

pytestmark = pytest.mark.usefixtures("fake_at")


def _pending_consent(services: Services, customer_phone: str, language: str) -> None:
    with services.uow() as uow:
        agent = Person(phone="+254711000801", country="KE", name="Mama Njeri")
        customer = Person(phone=customer_phone, country="KE", language=language)
        agent.grant("agent")
        customer.grant("buyer")
        uow.people.add(agent)
        uow.people.add(customer)
        uow.session.add(AgentConsent(agent_id=agent.id, customer_id=customer.id))
        uow.commit()


def _replies(fake: FakeAfricasTalking, number: str) -> list[str]:
    return [call.message for call in fake.received if number in call.recipients]


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("YES", "en", "Thank you. Agent Mama Njeri may now order for you."),
        ("ndio", "sw", "Asante. Wakala Mama Njeri sasa anaweza kukuagizia."),
        ("Oui", "fr", "Merci. L'agent Mama Njeri peut maintenant commander pour vous."),
    ],
)
def test_the_customer_consents_from_their_own_phone(
    services: Services,
    client: FlaskClient,
    fake_at: FakeAfricasTalking,
    run_outbox,
    word: str,
    language: str,
    expected: str,
) -> None:
    _pending_consent(services, "+254711000802", language)
    Texter(client, "+254711000802").text(word)
    run_outbox()
    assert [c.status for c in rows(services, AgentConsent)] == ["granted"]
    assert _replies(fake_at, "+254711000802")[0].startswith(expected)


def test_yes_with_nothing_to_agree_to_says_so(
    client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    Texter(client, "+254711000803").text("YES")
    run_outbox()
    assert _replies(fake_at, "+254711000803") == ["There is nothing for you to agree to right now."]


def test_stop_agent_withdraws_consent(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    _pending_consent(services, "+254711000804", "en")
    customer = Texter(client, "+254711000804")
    customer.text("YES")
    run_outbox()
    customer.text("stop agent")
    customer.text("STOP AGENT")
    run_outbox()
    assert [c.status for c in rows(services, AgentConsent)] == ["withdrawn"]
    assert _replies(fake_at, "+254711000804")[1:] == [
        "Done: agents can no longer order for you.",
        "No agent can order for you.",
    ]
