"""A buyer walks from the main menu to a placed order over HTTP, as Africa's Talking drives it."""

from sqlalchemy import select

from gateway.cli.demo import seed
from gateway.commerce.refs import SPEAKABLE
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from tests.journeys_support import choose
from tests.journeys_support import walk_to_maize


def test_first_time_buyer_chooses_language_then_orders_two_bags_of_maize(services, phone):
    seed(services.uow())
    buyer = phone("+254711000001")
    quantity = walk_to_maize(buyer)
    assert "Maize, KES 3,200/bag" in quantity and "Seller: Amina Wanjiru, Molo" in quantity
    delivery = buyer.send("2")
    confirm = buyer.send(choose(delivery, "Collect from the seller"))
    assert confirm.startswith("CON Order 2 bags Maize\nKES 6,400\nCollect from seller")
    placed = buyer.send("1")
    assert placed.startswith("END Order ")
    ref = placed.split()[2].rstrip(":")
    assert len(ref) == 6 and set(ref) <= set(SPEAKABLE)
    with services.uow() as uow:
        order = uow.orders.by_ref(ref)
        assert order.total_minor == 640000 and order.currency == "KES"
        assert order.lines[0].quantity == 2 and order.lines[0].unit_price_minor == 320000
        maize = uow.session.scalar(select(Listing).where(Listing.name == "Maize"))
        assert maize.stock == 38


def test_the_language_chosen_is_remembered_for_the_next_session(services, phone):
    seed(services.uow())
    buyer = phone("+254711000002")
    buyer.dial()
    buyer.send("2")  # Kiswahili
    again = buyer.dial()
    assert again.startswith("CON Karibu Sokoni") and "1. Nunua" in again


def test_cancelling_at_the_confirmation_orders_nothing(services, phone):
    seed(services.uow())
    buyer = phone("+254711000003")
    walk_to_maize(buyer)
    buyer.send("1")
    buyer.send("1")
    assert buyer.send("2").startswith("END Cancelled")
    with services.uow() as uow:
        assert uow.session.scalars(select(Order)).all() == []
