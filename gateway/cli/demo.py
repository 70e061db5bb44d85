"""Demo data: sellers and listings in several COMESA countries, priced in their own currencies,
and demo exchange rates so Buy -> Other countries prices work offline."""

from __future__ import annotations

from datetime import date

from gateway.cli.progress import bar
from gateway.commerce.fx.rates import set_rate
from gateway.store.models.catalog import Listing
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

SELLERS = (
    # phone, name, country, language, region, district
    ("+254722000101", "Amina Wanjiru", "KE", "sw", "Nakuru", "Molo"),
    ("+254722000102", "Otieno Farm", "KE", "en", "Kisumu", "Kisumu"),
    ("+256772000101", "Nakato Produce", "UG", "en", "Central", "Wakiso"),
    ("+250788000101", "Uwase Coop", "RW", "fr", "Southern", "Huye"),
    ("+260977000101", "Banda Traders", "ZM", "en", "Eastern", "Chipata"),
    ("+243810000101", "Maman Furaha", "CD", "fr", "Nord-Kivu", "Goma"),
)

LISTINGS = (
    # seller phone, category, name, unit, price in minor units, currency, stock
    ("+254722000101", "grains", "Maize", "bag", 320000, "KES", 40),
    ("+254722000101", "grains", "Beans", "kg", 15000, "KES", 200),
    ("+254722000101", "vegetables", "Sukuma wiki", "bunch", 3000, "KES", 80),
    ("+254722000101", "dairy", "Fresh milk", "litre", 6000, "KES", 50),
    ("+254722000102", "fruit", "Mangoes", "crate", 120000, "KES", 12),
    ("+254722000102", "grains", "Sorghum", "bag", 280000, "KES", 15),
    ("+254722000102", "livestock", "Goat", "piece", 850000, "KES", 3),
    ("+254722000102", "grains", "Rice (Mwea)", "kg", 18000, "KES", 150),
    ("+254722000102", "grains", "Millet flour", "kg", 16000, "KES", 90),
    ("+254722000102", "grains", "Green grams", "kg", 21000, "KES", 60),
    ("+254722000102", "grains", "Cassava flour", "kg", 9000, "KES", 1),
    ("+256772000101", "fruit", "Matooke", "bunch", 25000, "UGX", 30),
    ("+256772000101", "grains", "Maize flour", "kg", 3500, "UGX", 300),
    ("+250788000101", "vegetables", "Irish potatoes", "bag", 30000, "RWF", 25),
    ("+250788000101", "crafts", "Agaseke basket", "piece", 15000, "RWF", 10),
    ("+260977000101", "grains", "Groundnuts", "kg", 3500, "ZMW", 120),
    ("+243810000101", "vegetables", "Tomates", "crate", 2500000, "CDF", 8),
)


DEMO_RATES = (
    ("KES", "129.50"),
    ("UGX", "3700"),
    ("RWF", "1400"),
    ("ZMW", "26.50"),
    ("CDF", "2800"),
)
"""1 USD in each demo currency: round figures for trying the menus, not market rates."""


def _demo_rates(uow: UnitOfWork, today: date) -> None:
    """Today's demo rates (source `demo`) for pairs with no rate, or only older demo ones: an
    operator's own rates are never overwritten."""
    for quote, rate in DEMO_RATES:
        newest = uow.fx.newest("USD", quote)
        if newest is None or (newest.source == "demo" and newest.as_of < today):
            set_rate(uow, "USD", quote, rate, today, "demo")


def seed(uow: UnitOfWork) -> int:
    """Add the demo sellers and listings that are missing; returns how many listings were added."""
    added = 0
    with uow:
        _demo_rates(uow, date.today())
        sellers: dict[str, Person] = {}
        for phone, name, country, language, region, district in SELLERS:
            person = uow.people.by_phone(phone) or uow.people.add(
                Person(
                    phone=phone,
                    name=name,
                    country=country,
                    language=language,
                    region=region,
                    district=district,
                )
            )
            person.grant("seller")
            sellers[phone] = person
        listings = bar(enumerate(LISTINGS, 1), "demo listings", len(LISTINGS))
        for index, (phone, category, name, unit, price, currency, stock) in listings:
            code = f"D{index:03d}"
            if uow.listings.by_code(code) is not None:
                continue
            seller = sellers[phone]
            uow.listings.add(
                Listing(
                    code=code,
                    seller_id=seller.id,
                    category=category,
                    name=name,
                    unit=unit,
                    price_minor=price,
                    currency=currency,
                    stock=stock,
                    country=seller.country,
                    region=seller.region,
                    district=seller.district,
                )
            )
            added += 1
        uow.commit()
    return added
