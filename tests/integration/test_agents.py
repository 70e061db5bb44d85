"""Agents: the operator's grant and invites, consent by SMS and its withdrawal, commission."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.commerce import errors
from gateway.commerce.agents.consent import consent_from_sms
from gateway.commerce.agents.consent import request_consent
from gateway.commerce.agents.consent import withdraw_consent
from gateway.commerce.agents.points import create_invite
from gateway.commerce.agents.points import details
from gateway.commerce.agents.points import redeem_invite
from gateway.commerce.payments.commission import commission
from gateway.commerce.payments.escrow import Rates
from gateway.store.models.agents import AgentAction
from gateway.store.models.agents import AgentConsent
from gateway.store.models.agents import AgentInvite
from gateway.store.models.agents import AgentPoint
from gateway.store.models.messages import SmsMessage
from tests.journey_domain import agent_with_customer
from tests.journey_domain import buy
from tests.journey_domain import goods
from tests.journey_domain import someone

AGENT = "+254733000601"
CUSTOMER = "+254711000601"


def _text(language: str, agent: str) -> str:
    return f"[{language}] {agent} asks"


def _consents(services) -> list[str]:
    with services.uow() as uow:
        return list(uow.session.scalars(select(AgentConsent.status).order_by(AgentConsent.id)))


def test_the_operator_grants_an_agent_with_a_point_by_the_cli(services, app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "agent",
            "grant",
            "0733 000 601",
            "--country",
            "KE",
            "--point",
            "Mama Njeri Shop",
            "--place",
            "kisumu town",
            "--hours",
            "Mon-Sat 8-18",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "+254733000601 is an agent at Mama Njeri Shop, Kisumu Town\n"
    with services.uow() as uow:
        agent = uow.people.by_phone(AGENT)
        point = uow.session.scalar(select(AgentPoint))
        assert agent.has_role("agent") and point.agent_id == agent.id
        assert (point.region, point.district, point.hours) == (
            "Kisumu",
            "Kisumu Town",
            "Mon-Sat 8-18",
        )
    again = runner.invoke(
        args=["agent", "grant", AGENT, "--point", "Njeri Duka", "--place", "Ahero"]
    )
    assert again.exit_code == 0
    with services.uow() as uow:
        [point] = uow.session.scalars(select(AgentPoint)).all()
        assert (point.name, point.district) == ("Njeri Duka", "Ahero")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["not-a-phone", "--point", "Shop", "--place", "Molo"], "is not a phone number"),
        (["+254733000602", "--point", "S" * 25, "--place", "Molo"], "point cannot be shown"),
        (["+254733000602", "--point", "Shop", "--place", "Molo*1"], "place cannot be shown"),
    ],
)
def test_the_grant_command_refuses_what_a_phone_cannot_show(app, args, says):
    result = app.test_cli_runner().invoke(args=["agent", "grant", *args])
    assert result.exit_code != 0 and says in result.output


def test_an_invite_code_makes_its_holder_an_agent_once(services, app):
    result = app.test_cli_runner().invoke(
        args=["agent", "invite", "--point", "Uwase Depot", "--place", "Molo", "--days", "3"]
    )
    code = result.output.strip()
    assert result.exit_code == 0 and len(code) == 8
    holder = someone(services, "+254711000602")
    caller, point = redeem_invite(services.uow(), holder, code)
    assert "agent" in caller.roles and (point.name, point.place) == ("Uwase Depot", "Molo")
    with pytest.raises(errors.InvalidInvite):
        redeem_invite(services.uow(), someone(services, "+254711000603"), code)


def test_an_expired_or_unknown_invite_is_refused(services):
    code = create_invite(services.uow(), details("Uwase Depot", "Molo", None), days=1)
    with services.uow() as uow:
        uow.session.scalar(select(AgentInvite)).expires_at = datetime.now(UTC) - timedelta(
            minutes=1
        )
        uow.commit()
    holder = someone(services, "+254711000604")
    for wrong in (code, "NOSUCH22"):
        with pytest.raises(errors.InvalidInvite):
            redeem_invite(services.uow(), holder, wrong)


def test_asking_consent_queues_one_sms_in_the_customers_language(services):
    customer = someone(services, CUSTOMER)
    agent = agent_with_customer(services, AGENT, someone(services, "+254711000605"), "granted")
    assert request_consent(services.uow(), agent, CUSTOMER, _text) == "asked"
    with services.uow() as uow:
        [sms] = uow.session.scalars(select(SmsMessage).where(SmsMessage.to == CUSTOMER)).all()
        assert (sms.text, sms.kind) == ("[en] Mama Njeri Shop asks", "transactional")
        assert uow.agents.consent(agent, customer).status == "pending"


def test_a_customer_who_agreed_is_not_asked_again(services):
    customer = someone(services, CUSTOMER)
    agent = agent_with_customer(services, AGENT, customer, "granted")
    assert request_consent(services.uow(), agent, CUSTOMER, _text) == "granted"
    with services.uow() as uow:
        assert uow.session.scalars(select(SmsMessage)).all() == []


def test_an_agent_cannot_ask_themselves(services):
    agent = agent_with_customer(services, AGENT, someone(services, CUSTOMER), "granted")
    with pytest.raises(errors.SelfCustomer):
        request_consent(services.uow(), agent, AGENT, _text)


def test_yes_grants_recent_requests_and_stop_agent_withdraws_them(services):
    customer = someone(services, CUSTOMER)
    agent_with_customer(services, AGENT, customer, "pending")
    agent_with_customer(services, "+254733000602", customer, "pending")
    with services.uow() as uow:
        uow.session.scalars(select(AgentConsent)).all()[1].requested_at = datetime.now(
            UTC
        ) - timedelta(days=8)
        uow.commit()
    assert consent_from_sms(services.uow(), CUSTOMER) == "Mama Njeri Shop"
    assert _consents(services) == ["granted", "pending"]
    assert consent_from_sms(services.uow(), CUSTOMER) is None
    assert consent_from_sms(services.uow(), "+254711000699") is None
    assert withdraw_consent(services.uow(), CUSTOMER) == 2
    assert _consents(services) == ["withdrawn", "withdrawn"]
    assert withdraw_consent(services.uow(), CUSTOMER) == 0
    with services.uow() as uow:
        trail = [
            (a.actor, a.action)
            for a in uow.session.scalars(select(AgentAction).order_by(AgentAction.id))
        ]
    assert trail[-3:] == [
        ("customer", "consent_granted"),
        ("customer", "consent_withdrawn"),
        ("customer", "consent_withdrawn"),
    ]


def test_commission_is_pending_until_delivery_and_nothing_after_a_return(services):
    seller = someone(services, "+254722000601", "seller")
    listing = goods(services, seller, stock=50)
    customer = someone(services, CUSTOMER)
    agent = agent_with_customer(services, AGENT, customer, "granted")
    orders = [
        buy(services, customer, listing, qty, placed_by_id=agent).order_id for qty in (1, 2, 3)
    ]
    rates = Rates(fee_bps=500, commission_bps=200, return_window=timedelta(days=7))
    before = commission(services.uow(), agent, rates)
    assert (before.pending.minor, before.pending_orders, before.earned.minor) == (38400, 3, 0)
    with services.uow() as uow:
        uow.orders.get(orders[0]).status = "delivered"
        uow.orders.get(orders[1]).status = "refunded"
        uow.commit()
    after = commission(services.uow(), agent, rates)
    assert (after.pending.minor, after.pending_orders) == (19200, 1)
    assert (after.earned.minor, after.earned_orders) == (6400, 1)


def test_the_audit_trail_is_printed_newest_first(services, app):
    customer = someone(services, CUSTOMER)
    agent = agent_with_customer(services, AGENT, customer, "pending")
    consent_from_sms(services.uow(), CUSTOMER)
    listing = goods(services, someone(services, "+254722000602", "seller"))
    ref = buy(services, customer, listing, placed_by_id=agent).ref
    result = app.test_cli_runner().invoke(args=["agent", "trail", AGENT])
    rows = [line.split("\t")[1:] for line in result.output.splitlines()]
    assert rows == [
        ["agent", "order_placed", CUSTOMER, ref, ""],
        ["customer", "consent_granted", CUSTOMER, "-", ""],
        ["operator", "granted", "-", "-", "Mama Njeri Shop, Kisumu Town"],
    ]
