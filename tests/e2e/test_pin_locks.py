"""A seller's PIN over USSD: each run of wrong PINs locks it for longer and the seller is told
by SMS, then it stays locked until an agent (who checked their ID) resets it, and the seller
chooses a new PIN from their own phone."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from gateway.bootstrap import Services
from tests.journeys_support import PIN
from tests.journeys_support import Walk
from tests.journeys_support import first_call
from tests.journeys_support import grant_agent
from tests.journeys_support import list_goods
from tests.journeys_support import register_seller
from tests.sms_support import sent_to

SELLER = "+254722000311"
AGENT = "+254733000311"
NEW_PIN = "5930"


def _wrong_pins(walk: Walk) -> str:
    """Three wrong PINs at the price change; the screen the third one ends on."""
    walk.dial()
    walk.go("@Sell", "@My listings", "1", "@Change price", "1")
    walk.go("1111", "2222")
    return walk.go("3333")


def _lock_runs_out(services: Services) -> None:
    with services.uow() as uow:
        person = uow.people.by_phone(SELLER)
        person.pin_locked_until = datetime.now(UTC) - timedelta(seconds=1)
        uow.commit()


def _texts(services: Services) -> list[str]:
    return [m.text for m in sent_to(services, SELLER) if "PIN" in m.text]


def test_pin_locks_grow_longer_the_owner_is_told_and_an_agent_resets_it(
    services, app, phone
) -> None:
    seller = register_seller(phone(SELLER), "Wanjiru Farm", "Nakuru", "Molo")
    list_goods(seller, "Grains and flour", "Maize", "bag", "3200", "40")
    for wait in ("15 min", "1 h", "24 h"):
        assert _wrong_pins(seller).startswith("END Too many wrong PINs.")
        assert f"It is locked for {wait}." in _texts(services)[-1]
        _lock_runs_out(services)
    assert _wrong_pins(seller) == (
        "END Your PIN is locked after too many wrong tries. Ask a Sokoni agent to reset it."
    )
    assert "locked until a Sokoni agent resets it" in _texts(services)[-1]
    assert len(_texts(services)) == 4 and not any(PIN in text for text in _texts(services))

    grant_agent(app, AGENT, "Mama Njeri Shop", "Molo")
    agent = first_call(phone(AGENT))
    agent.go("@Agent", PIN, PIN, "@My agent point", "@Reset a customer's PIN")
    assert agent.go("0722 000 311").startswith(
        "CON Reset the PIN of +254722000311? They choose a new one from their own phone."
    )
    assert agent.go("@Confirm") == (
        "END PIN of +254722000311 reset. They get an SMS and choose a new PIN from their phone."
    )
    assert _texts(services)[-1].startswith("Sokoni: your PIN was reset.")

    seller.dial()
    seller.go("@Language / Account", "@Choose a PIN", NEW_PIN, NEW_PIN)
    assert seller.screen == "END Your PIN is changed. Keep it secret."
    seller.dial()
    seller.go("@Sell", "@My listings", "1", "@Change price", "1")
    assert seller.go(NEW_PIN).startswith("END ")
    assert "Too many" not in seller.screen


def test_an_agent_cannot_reset_a_pin_that_is_not_locked_until_reset(services, app, phone):
    register_seller(phone(SELLER), "Wanjiru Farm", "Nakuru", "Molo")
    grant_agent(app, AGENT, "Mama Njeri Shop", "Molo")
    agent = first_call(phone(AGENT))
    agent.go("@Agent", PIN, PIN, "@My agent point", "@Reset a customer's PIN", SELLER)
    assert agent.go("@Confirm") == (
        "END That number has no PIN locked until reset. Nothing was changed."
    )
    with services.uow() as uow:
        assert uow.people.by_phone(SELLER).pin_hash is not None
