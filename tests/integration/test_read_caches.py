"""What a process keeps between hops goes stale only as documented: the catalogue shelf and a
session's cached caller follow every change committed in the same process, and a pooled SQL
connection that died while idle is replaced before use."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import text

from gateway.bootstrap import Services
from gateway.commerce.catalog.browse import browse
from gateway.commerce.catalog.browse import categories_for
from gateway.commerce.origin.markets import markets_for
from gateway.commerce.places import Where
from gateway.store import connections
from gateway.store.shelf import Shelf
from menus.i18n import t
from tests.faults.support import POSTGRES
from tests.journey_domain import buy
from tests.journey_domain import goods
from tests.journey_domain import someone
from tests.sms_support import Texter

KENYA = Where("KE", None, None)


def test_a_listing_published_or_sold_out_here_shows_at_once(services: Services) -> None:
    seller = someone(services, "+254722000501", "seller")
    assert categories_for(services.uow(), KENYA) == []  # read, and now on the shelf
    maize = goods(services, seller, stock=1)
    assert categories_for(services.uow(), KENYA) == ["grains"]
    assert [v.id for v in browse(services.uow(), KENYA, "grains")] == [maize]
    buy(services, someone(services, "+254711000501"), maize)  # the last bag: stock 0
    assert browse(services.uow(), KENYA, "grains") == []
    assert categories_for(services.uow(), KENYA) == []


def test_a_country_stocked_or_sold_out_here_shows_at_once_to_buyers_abroad(
    services: Services,
) -> None:
    seller = someone(services, "+254722000503", "seller")
    assert markets_for(services.uow(), "UG") == []  # read, and now on the shelf
    maize = goods(services, seller, stock=1)
    assert [iso for iso, _ in markets_for(services.uow(), "UG")] == ["KE"]
    buy(services, someone(services, "+254711000503"), maize)  # the last bag: stock 0
    assert markets_for(services.uow(), "UG") == []


def test_another_process_change_shows_once_its_copy_expires(services: Services) -> None:
    seller = someone(services, "+254722000502", "seller")
    assert services.shelf.ttl > 0
    elsewhere = Services(services.settings)  # another gateway process: its own shelf
    try:
        assert categories_for(elsewhere.uow(), KENYA) == []
        goods(services, seller)
        assert categories_for(elsewhere.uow(), KENYA) == []  # kept up to the TTL
        elsewhere.shelf.clear()  # what the TTL does after CATALOGUE_CACHE_SECONDS
        assert categories_for(elsewhere.uow(), KENYA) == ["grains"]
    finally:
        elsewhere.connections.dispose()


def test_a_shelf_of_no_seconds_keeps_nothing() -> None:
    reads = []
    shelf = Shelf(0)
    for _ in range(2):
        shelf.get("key", lambda: reads.append(1))
    assert len(reads) == 2


def test_an_answer_expiring_while_it_is_looked_up_is_read_again() -> None:
    ticks = itertools.count()
    shelf = Shelf(1, timer=lambda: next(ticks) * 0.3)  # each look at the clock moves it on
    reads = []
    for _ in range(40):
        assert shelf.get("key", lambda: reads.append(1) or "answer") == "answer"
    assert 5 < len(reads) < 40


def test_an_order_placed_for_a_caller_shows_them_buy_again_in_their_live_session(
    services: Services, phone: Any
) -> None:
    seller = someone(services, "+254722000503", "seller")
    maize = goods(services, seller)
    buyer = phone("+254711000503")
    home = buyer.dial("1*1")  # English, Kenya: the main menu, the caller cached
    assert "Buy again" not in home
    with services.uow() as uow:
        buyer_id = uow.people.by_phone("+254711000503").id
    buy(services, buyer_id, maize)  # as an agent or another session would
    assert "Buy again" in buyer.send("00")


@pytest.mark.skipif(not POSTGRES, reason="only a database server can drop a connection")
def test_a_pooled_connection_that_died_while_idle_is_replaced_before_use(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = services.connections.engine
    with engine.connect() as killer:
        with engine.connect() as victim:
            pid = victim.execute(text("SELECT pg_backend_pid()")).scalar_one()
        killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})  # idle, pooled
    monkeypatch.setattr(connections, "IDLE_PING_SECONDS", 0.0)
    for _ in range(engine.pool.size()):  # whichever connection comes out, it works
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1


def test_a_language_an_sms_chose_shows_in_the_callers_next_ussd_session(
    services: Services, client: Any, phone: Any, run_outbox: Any
) -> None:
    """The first dial keeps the newcomer's view (no language yet) in Redis; their first SMS,
    in Swahili, remembers Swahili and drops that view, so the next dial reads them anew."""
    caller = phone("+254711000504")
    languages = caller.dial()
    Texter(client, caller.number).text("MSAADA")
    run_outbox()
    home = caller.dial()
    assert home != languages and home.startswith("CON ")
    assert t("sw", "home.buy") in home


def test_a_language_chosen_on_ussd_shows_in_the_callers_next_session(phone: Any) -> None:
    caller = phone("+254711000505")
    caller.dial()
    caller.send("3")  # Francais
    assert t("fr", "home.buy") in caller.dial()


def test_a_caller_dialling_from_another_network_is_read_again_and_it_is_remembered(
    services: Services, phone: Any
) -> None:
    phone("+254711000506", "63902").dial("1*1")  # English, Kenya: the view kept for Safaricom
    phone("+254711000506", "63903").dial()  # the same number, now through Airtel
    with services.uow() as uow:
        person = uow.people.by_phone("+254711000506")
        assert person is not None and person.network_code == "63903"
