"""Field fit, the details, over HTTP: replays keep their screen id, a new delivery code is
offered only where one works, the cash receipt, opening hours the agent never gave, names
that say what is wrong with them, places and countries in the caller's language, an agent's
customers with their names and last orders."""

from __future__ import annotations

import itertools

import pytest

from tests.journeys_support import PIN
from tests.journeys_support import Walk
from tests.journeys_support import first_call
from tests.journeys_support import grant_agent
from tests.journeys_support import list_goods
from tests.journeys_support import register_seller
from tests.parcel_support import agent_point
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import texts_to
from tests.sms_support import Texter

pytestmark = pytest.mark.usefixtures("fake_at")

SELLER, BUYER, AGENT, CUSTOMER = "+254722000851", "+254711000852", "+254733000853", "+254711000854"
_sessions = itertools.count(1)


def _hop(client, text: str, session: str):
    return client.post(
        "/ussd",
        data={
            "sessionId": session,
            "serviceCode": "*384*123#",
            "phoneNumber": BUYER,
            "networkCode": "63902",
            "text": text,
        },
    )


def test_a_replayed_hop_carries_the_screen_id_of_its_first_answer(client):
    session = f"ATUid_replay_{next(_sessions)}"
    _hop(client, "", session)
    first = _hop(client, "1", session)
    again = _hop(client, "1", session)
    assert first.headers["at-ussd-hop-metadata"] == "home.country"
    assert again.headers["at-ussd-hop-metadata"] == "home.country"
    assert again.get_data(as_text=True) == first.get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "orders", "resend"),
    [
        ("English", "My orders", "Resend delivery code"),
        ("Kiswahili", "Maagizo yangu", "Namba mpya ya kupokea"),
        ("Francais", "Mes commandes", "Nouveau code de livraison"),
    ],
)
def test_a_new_delivery_code_is_offered_only_once_the_parcel_has_one(
    services, client, phone, run_outbox, language, orders, resend
):
    _, point = agent_point(services, AGENT, hours=None)
    ref = paid_parcel(services, point_id=point, buyer=BUYER, seller=SELLER)
    walk = Walk(phone(BUYER)).dial()
    walk.find("Language / Account")
    walk.go("@Language", "@" + language)
    walk.dial()
    assert "Parcels" not in walk.screen  # nothing for a plain buyer to do there yet
    walk.go("@" + orders, f"@{ref}")
    assert resend not in walk.screen
    post_event(client, tracking_ref=ref, status="at_pickup_point")
    run_outbox()
    code_sms = texts_to(services, BUYER)[-1]
    assert "Mama Njeri Shop (" in code_sms and "; " in code_sms  # the hours are said to be unknown
    walk.dial()
    walk.go("@" + orders, f"@{ref}")
    assert resend in walk.screen


def test_cash_taken_by_an_agent_is_the_receipt_and_no_prompt_is_announced(
    services, app, client, phone, run_outbox
):
    seller = register_seller(phone(SELLER), "Wanjiru Farm", "Nakuru", "Molo")
    list_goods(seller, "Grains and flour", "Maize", "bag", "3200", "40")
    grant_agent(app, AGENT, "Mama Njeri Shop", "Molo")
    agent = first_call(phone(AGENT))
    agent.go("@Agent", PIN, PIN, "@Register a customer", CUSTOMER)
    assert agent.screen.startswith(f"CON Name of {CUSTOMER}?\n1. No name")
    assert agent.go("5831").startswith("CON Use at least one letter, not only digits.")
    agent.go("Mama Akinyi", "@Confirm")
    Texter(client, CUSTOMER).text("NDIO")
    run_outbox()
    agent.dial()
    agent.go("@Agent", PIN, "@Order for a customer", "@Mama Akinyi", "@I took cash")
    agent.go("@Grains and flour", "@Maize", "3", "@Pick up at", "@Confirm")
    ref = agent.screen.split()[2]
    run_outbox()
    [receipt] = [t for t in texts_to(services, CUSTOMER) if ref in t]
    assert "received KES 9,600 in cash; no payment prompt will come" not in receipt  # Swahili
    assert "Wakala wako amepokea KES 9,600 taslimu; hakuna ombi la malipo" in receipt
    agent.dial()
    agent.go("@Agent", PIN, "@My customers")
    assert agent.screen.startswith("CON My customers:\n1. Mama Akinyi agreed")
    detail = agent.go("@Mama Akinyi")
    assert detail.startswith(f"CON Mama Akinyi {CUSTOMER} agreed\nLast order: {ref} 3 bags Maize")
    agent.dial()
    assert "Track a parcel" in agent.screen


def test_names_say_what_is_wrong_with_them_in_each_language(phone):
    for number, words, digits, long_name in (
        (
            "+254722000861",
            ("English", "Sell", "Register as a seller"),
            "CON Use at least one letter",
            "CON Too long: use at most 24",
        ),
        (
            "+254722000862",
            ("Kiswahili", "Uza", "Jisajili kama muuzaji"),
            "CON Tumia angalau herufi moja",
            "CON Refu mno: tumia herufi 24",
        ),
        (
            "+254722000863",
            ("Francais", "Vendre", "S'inscrire comme vendeur"),
            "CON Mettez au moins une lettre",
            "CON Trop long: 24 lettres",
        ),
    ):
        language, sell, register = words
        walk = first_call(phone(number), language, "Kenya")
        walk.go("@" + sell, "@" + register, PIN, PIN)
        assert walk.go("5831").startswith(digits)
        assert walk.go("W" * 25).startswith(long_name)


def test_regions_and_countries_are_named_in_the_callers_language(phone):
    walk = Walk(phone("+250788000871")).dial()
    walk.go("@Francais")
    assert walk.screen.startswith("CON Choisissez votre pays:\n1. Rwanda\n")
    assert "RD Congo" in walk.screen or "98:" in walk.screen
    walk.go("@Rwanda", "@Langue / Compte", "@Mon lieu")
    assert walk.screen.startswith("CON Votre région:\n1. Kigali\n2. Nord\n3. Sud\n4. Est\n5. Ouest")
    assert walk.go("@Nord", "@Musanze").startswith("CON Enregistrer Musanze comme votre lieu?")
