"""A seller registers over USSD, lists maize, changes price and stock, pauses and resumes."""

from sqlalchemy import select

from gateway.store.models.catalog import Listing
from tests.journeys_support import PIN
from tests.journeys_support import Walk
from tests.journeys_support import list_goods
from tests.journeys_support import register_seller

SELLER = "+254722000301"


def _listing(services, name: str) -> Listing:
    with services.uow() as uow:
        return uow.session.scalar(select(Listing).where(Listing.name == name))


def test_a_seller_registers_and_lists_maize(services, phone):
    walk = register_seller(phone(SELLER), "Wanjiru Farm", "Nakuru", "Molo")
    assert walk.screens[-2] == (
        "CON Register as seller:\nWanjiru Farm\nMolo\nPayouts: +254722000301\n"
        "1. Confirm\n2. Cancel\n0:Back 00:Home"
    )
    assert walk.screen.startswith("CON You are a seller on Sokoni now.\n1. List goods")
    listed = list_goods(walk, "Grains and flour", "Maize", "bag", "3,200", "40")
    assert walk.screens[-2] == "CON Enter your PIN to publish:\n0:Back 00:Home"
    assert listed.startswith("END Listed as ")
    assert "Maize, KES 3,200/bag, 40 in stock" in listed
    maize = _listing(services, "Maize")
    assert (maize.price_minor, maize.currency, maize.stock, maize.status) == (
        320000,
        "KES",
        40,
        "active",
    )
    assert (maize.region, maize.district, maize.category, maize.unit) == (
        "Nakuru",
        "Molo",
        "grains",
        "bag",
    )
    with services.uow() as uow:
        seller = uow.people.by_phone(SELLER)
        assert seller.has_role("seller") and seller.name == "Wanjiru Farm"
        assert seller.payout_phone == SELLER and seller.pin_hash.startswith("$argon2")
        assert PIN not in seller.pin_hash


def test_a_typed_place_and_another_payout_number_are_kept(services, phone):
    walk = Walk(phone("+254722000302")).dial()
    walk.go("@English", "@Kenya", "@Sell", "@Register as a seller", PIN, PIN, "Mama Mboga")
    walk.find("Other: type it")
    walk.go("Ol Kalou", "0711 000 302", "@Confirm")
    with services.uow() as uow:
        seller = uow.people.by_phone("+254722000302")
        assert (seller.region, seller.district) == (None, "Ol Kalou")
        assert seller.payout_phone == "+254711000302"


def test_weak_pins_are_refused_at_registration(phone):
    walk = Walk(phone("+254722000303")).dial()
    walk.go("@English", "@Kenya", "@Sell", "@Register as a seller")
    for weak in ("1234", "0000", "7777", "9876", "1212"):
        assert walk.go(weak).startswith("CON Too easy to guess.")
    assert walk.go("12a4").startswith("CON A PIN is 4 digits.")
    assert walk.go("4826") == "CON Enter the same PIN again:\n0:Back 00:Home"
    assert walk.go("4827").startswith("CON The PINs differ. Try again.")
    assert walk.go("4826").startswith("CON Your name or business name:")


def test_the_seller_changes_price_and_stock_and_pauses_with_the_pin(services, phone):
    walk = register_seller(phone(SELLER), "Wanjiru Farm", "Nakuru", "Molo")
    list_goods(walk, "Grains and flour", "Maize", "bag", "3200", "40")
    walk.dial()
    walk.go("@Sell", "@My listings", "1", "@Change price", "3500")
    assert walk.screen.startswith("CON Enter your Sokoni PIN:")
    assert walk.go(PIN).startswith("END Done: Maize KES 3,500/bag, 40 in stock")
    walk.dial()
    walk.go("@Sell", "@My listings", "1", "@Change stock", "12", PIN)
    assert walk.screen.startswith("END Done: Maize KES 3,500/bag, 12 in stock")
    walk.dial()
    walk.go("@Sell", "@My listings", "1", "@Pause", PIN)
    assert walk.screen == "END Done: Maize KES 3,500/bag, 12 in stock, paused."
    assert _listing(services, "Maize").status == "paused"
    walk.dial()
    mine = walk.go("@Sell", "@My listings")
    code = _listing(services, "Maize").code
    assert mine.startswith(f"CON Your listings:\n1. {code} Maize KES 3,500/bag (12), paused")
    walk.go("1", "@Resume", PIN)
    assert _listing(services, "Maize").status == "active"


def test_three_wrong_pins_lock_the_pin_and_the_third_ends_the_session(services, phone):
    walk = register_seller(phone(SELLER), "Wanjiru Farm", "Nakuru", "Molo")
    list_goods(walk, "Grains and flour", "Maize", "bag", "3200", "40")
    walk.dial()
    walk.go("@Sell", "@My listings", "1", "@Change price", "1")
    assert walk.go("1111").startswith("CON Wrong PIN. 2 tries left.")
    assert walk.go("2222").startswith("CON Wrong PIN. 1 try left.")
    assert walk.go("3333").startswith("END Too many wrong PINs.")
    walk.dial()
    walk.go("@Sell", "@My listings", "1", "@Change price", "1")
    assert walk.go(PIN).startswith("END Too many wrong PINs.")  # locked, even the right one
    assert _listing(services, "Maize").price_minor == 320000
    with services.uow() as uow:
        assert uow.people.by_phone(SELLER).pin_locked_until is not None


def test_a_seller_cannot_buy_their_own_goods(phone):
    walk = register_seller(phone(SELLER), "Wanjiru Farm", "Nakuru", "Molo")
    list_goods(walk, "Grains and flour", "Maize", "bag", "3200", "40")
    walk.dial()
    walk.go("@Buy", "@Grains and flour", "@Maize KES 3,200/bag", "1", "@Collect from the seller")
    assert walk.go("@Confirm") == "END You cannot buy your own goods."
