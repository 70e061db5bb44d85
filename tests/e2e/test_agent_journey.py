"""An agent by invite code: becomes an agent from Language / Account, chooses a PIN, sees their
point, their customers (asking again those who have not agreed) and their commission."""

import pytest

from tests.journeys_support import PIN
from tests.journeys_support import first_call
from tests.sms_support import Texter

pytestmark = pytest.mark.usefixtures("fake_at")

AGENT = "+254733000901"


def _invite(app) -> str:
    result = app.test_cli_runner().invoke(
        args=["agent", "invite", "--point", "Uwase Depot", "--place", "Molo", "--hours", "8-17"]
    )
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_an_invite_code_entered_by_ussd_makes_the_caller_an_agent(services, app, phone):
    code = _invite(app)
    walk = first_call(phone(AGENT))
    assert "Agent" not in walk.screen
    walk.go("@Language / Account", "@Agent invite code")
    assert walk.go("WRONG123").startswith("CON Unknown or used code.")
    welcome = walk.go(code.lower())
    assert welcome == ("CON You are a Sokoni agent at Uwase Depot, Molo.\n1. Agent\n0:Back 00:Home")
    walk.go("@Agent", PIN, PIN)
    assert walk.screen.startswith("CON Agent menu:")
    point = walk.go("@My agent point")
    assert point == (
        "CON Uwase Depot, Molo\nOpen: 8-17\nCustomers collect parcels here.\n"
        "1. Reset a customer's PIN\n0:Back 00:Home"
    )
    walk.dial()
    assert "Track a parcel" in walk.screen  # an agent's main menu keeps it
    assert "Agent invite code" not in walk.find("Language / Account")


def test_an_agent_sees_customers_and_asks_again_those_who_stopped(
    services, app, client, phone, run_outbox
):
    code = _invite(app)
    walk = first_call(phone(AGENT))
    walk.go("@Language / Account", "@Agent invite code", code, "@Agent", PIN, PIN)
    walk.go("@Register a customer", "0711000902", "1", "@Confirm")
    Texter(client, "+254711000902").text("NDIO")
    run_outbox()
    walk.dial()
    walk.go("@Agent", PIN, "@My customers")
    assert walk.screen.startswith("CON My customers:\n1. +254711000902 agreed")
    assert walk.go("@+254711000902") == (
        "CON +254711000902 agreed\nNo order yet.\n1. Order for them\n0:Back 00:Home"
    )
    Texter(client, "+254711000902").text("STOP AGENT")
    run_outbox()
    walk.dial()
    walk.go("@Agent", PIN, "@My customers", "@+254711000902 stopped", "@Ask again by SMS")
    asked = walk.go("@Confirm")
    assert asked.startswith("END SMS sent to +254711000902.")
    walk.dial()
    walk.go("@Agent", PIN, "@My commission")
    assert walk.screen == (
        "END Commission\nPending: KES 0 (0 orders)\nEarned: KES 0\nPaid after delivery, less returns."
    )


def test_a_wrong_agent_pin_is_refused_with_the_tries_left(app, phone):
    _invite_code = _invite(app)
    walk = first_call(phone(AGENT))
    walk.go("@Language / Account", "@Agent invite code", _invite_code, "@Agent", PIN, PIN)
    walk.dial()
    walk.go("@Agent")
    assert walk.go("1357").startswith("CON Wrong PIN. 2 tries left.\nEnter your Sokoni PIN:")
    assert walk.go(PIN).startswith("CON Agent menu:")
