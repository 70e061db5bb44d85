"""Cross-border rules on a real database: quoting rates (direct, inverse, through USD, never
stale), placing an order from another country, the STR or a full certificate, delivery on
the buyer's side, and a refund that gives the buyer back exactly what they paid."""

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from gateway.commerce import errors
from gateway.commerce.fx import rates
from gateway.commerce.orders.placing import Abroad
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.commerce.origin import certificates
from gateway.commerce.origin.crossing import assess_listing
from gateway.commerce.payments import ledger
from gateway.commerce.payments.escrow import refund_order
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from gateway.store.models.payments import Payout
from tests.origin_support import UG_BUYER
from tests.origin_support import certified_parcel
from tests.origin_support import kenyan_maize
from tests.payment_support import person

TODAY = date(2026, 11, 30)
WEEK = timedelta(days=7)
NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


def _rates(services, day: date = TODAY, **quotes: str) -> None:
    with services.uow() as uow:
        for quote, rate in (quotes or {"KES": "129.50", "UGX": "3700"}).items():
            rates.set_rate(uow, "USD", quote, rate, day, "CBK")
        uow.commit()


def _quote(services, base: str, quote: str, today: date = TODAY) -> rates.Quote:
    with services.uow() as uow:
        return rates.quote(uow, base, quote, today, WEEK)


def test_a_pair_without_its_own_rate_is_crossed_through_usd(services):
    _rates(services)
    kes_ugx = _quote(services, "KES", "UGX")
    assert kes_ugx.rate == pytest.approx(Decimal("28.5714285714"))
    assert (kes_ugx.as_of, kes_ugx.source) == (TODAY, "CBK")
    assert _quote(services, "KES", "USD").rate == pytest.approx(Decimal(1) / Decimal("129.50"))


def test_a_pair_with_its_own_rate_uses_it_and_its_inverse_the_other_way(services):
    _rates(services)
    with services.uow() as uow:
        rates.set_rate(uow, "KES", "UGX", "28.00", TODAY, "BoU")
        uow.commit()
    assert _quote(services, "KES", "UGX").rate == Decimal("28.00")
    assert _quote(services, "UGX", "KES").rate == pytest.approx(Decimal(1) / 28)


def test_the_newest_rate_of_a_pair_wins_and_the_older_leg_dates_a_crossed_rate(services):
    _rates(services, TODAY - timedelta(days=3))
    _rates(services, TODAY, KES="130")
    kes_ugx = _quote(services, "KES", "UGX")
    assert kes_ugx.rate == pytest.approx(Decimal(3700) / 130)
    assert kes_ugx.as_of == TODAY - timedelta(days=3)


def test_a_stale_or_missing_rate_is_refused_rather_than_used(services):
    _rates(services, TODAY - timedelta(days=8))
    with pytest.raises(errors.RateUnavailable, match="too old"):
        _quote(services, "KES", "UGX")
    with pytest.raises(errors.RateUnavailable, match="no rate"):
        _quote(services, "KES", "RWF")
    assert _quote(services, "KES", "UGX", TODAY - timedelta(days=1)).rate > 0


def _order(services, listing_id: int, qty: int = 2, **extra) -> int:
    buyer = person(services, UG_BUYER)
    cmd = PlaceOrder(
        buyer,
        listing_id,
        qty,
        "ussd",
        f"k-{listing_id}-{qty}",
        **{"delivery": "home", "delivery_place": "Kampala", "abroad": Abroad(TODAY, WEEK), **extra},
    )
    return place_order(cmd, services.uow()).order_id


def _stock(services, listing_id: int) -> int:
    with services.uow() as uow:
        return uow.listings.get(listing_id).stock


def test_goods_from_another_country_are_not_ordered_without_the_menus_terms(services):
    _rates(services)
    maize = kenyan_maize(services)
    with pytest.raises(errors.CrossBorderByMenu):
        _order(services, maize, abroad=None)
    assert _stock(services, maize) == 40


def test_a_stale_rate_places_nothing_and_reserves_nothing(services):
    _rates(services, TODAY - timedelta(days=10))
    maize = kenyan_maize(services)
    with pytest.raises(errors.RateUnavailable):
        _order(services, maize)
    assert _stock(services, maize) == 40
    with services.uow() as uow:
        assert uow.session.scalars(select(Order)).all() == []


def test_no_pickup_from_the_seller_or_on_the_sellers_side_of_the_border(services):
    _rates(services)
    maize = kenyan_maize(services)
    with pytest.raises(errors.DeliveryUnavailable):
        _order(services, maize, delivery="pickup", delivery_place=None)


def _listing(
    services, seller_phone: str, country: str, currency: str, category: str, price: int
) -> int:
    seller = person(services, seller_phone, "seller") if country in ("KE", "UG") else None
    if seller is None:
        with services.uow() as uow:
            from gateway.store.models.people import Person

            row = uow.people.add(Person(phone=seller_phone, country=country, name="Trader"))
            row.grant("seller")
            uow.commit()
            seller = row.id
    with services.uow() as uow:
        row = uow.listings.add(
            Listing(
                code=f"X{seller:05d}",
                seller_id=seller,
                category=category,
                name="Hoe" if category == "tools" else "Maize",
                unit="piece",
                price_minor=price,
                currency=currency,
                stock=50,
                country=country,
            )
        )
        uow.commit()
        return row.id


@pytest.mark.parametrize(
    ("seller", "country", "currency", "category", "price", "reason"),
    [
        ("+254722000911", "KE", "KES", "tools", 50000, "list"),
        ("+243810000911", "CD", "CDF", "grains", 500000, "member"),
        ("+254722000912", "KE", "KES", "grains", 15000000, "value"),
    ],
)
def test_goods_need_a_full_certificate_off_the_list_outside_the_str_or_over_the_threshold(
    services, seller, country, currency, category, price, reason
):
    _rates(services, CDF="2800", KES="129.50", UGX="3700")
    listing_id = _listing(services, seller, country, currency, category, price)
    found = assess_listing(services.uow(), listing_id, "UG", 2, NOW, WEEK)
    assert (found.regime, found.reason) == ("full", reason)


def test_the_transport_allowance_counts_towards_the_threshold(services):
    _rates(services)
    # 2 x KES 121,000 = USD 1,868.73; with 6% for transport USD 1,980.85: still within
    within = _listing(services, "+254722000913", "KE", "KES", "grains", 12100000)
    assert assess_listing(services.uow(), within, "UG", 2, NOW, WEEK).regime == "str"
    # 2 x KES 123,000 = USD 1,899.61 of goods; USD 2,013.59 with transport: over
    over = _listing(services, "+254722000914", "KE", "KES", "grains", 12300000)
    assert assess_listing(services.uow(), over, "UG", 2, NOW, WEEK).reason == "value"


def test_a_refund_gives_back_what_the_buyer_paid_and_cancels_the_certificate(services):
    _rates(services, date.today())
    ref, code = certified_parcel(services)
    with services.uow() as uow:
        order = uow.session.scalar(select(Order).where(Order.ref == ref))
    assert refund_order(order.id, services.uow(), NOW)
    assert certificates.cancel(services.uow(), order.id, NOW)
    with services.uow() as uow:
        [refund] = uow.session.scalars(select(Payout)).all()
    assert (refund.kind, refund.amount_minor, refund.currency) == ("refund", 182858, "UGX")
    assert certificates.find(services.uow(), code).status == "cancelled"
    balances = ledger.balances(services.uow())
    assert balances.get(("fx", "UGX"), 0) == 0 and balances.get(("fx", "KES"), 0) == 0
    assert ledger.check(services.uow()) == []


def test_a_certificate_is_issued_once_with_what_it_certifies(services):
    _rates(services, date.today())
    ref, code = certified_parcel(services)
    view = certificates.find(services.uow(), code.lower())
    assert (view.exporter, view.exporter_country, view.consignee_country) == (
        "Wanjiru Farm",
        "KE",
        "UG",
    )
    assert view.consignee == "buyer"
    assert (view.description, view.hs_heading, view.quantity, view.unit) == (
        "Maize",
        "10.05",
        2,
        "bag",
    )
    assert (view.value.minor, view.buyer_value.minor, view.usd_value.minor) == (
        640000,
        182858,
        4942,
    )
    with services.uow() as uow:
        order_id = uow.session.scalar(select(Order.id).where(Order.ref == ref))
    assert certificates.issue(services.uow(), order_id, services.deps.notices, NOW) is None
