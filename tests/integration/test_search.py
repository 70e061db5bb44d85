"""Search over the real database: folded names, word prefixes, typos, nearest first."""

from gateway.commerce.catalog.search import WINDOW
from gateway.commerce.catalog.search import search
from gateway.commerce.money import Money
from gateway.commerce.places import Where
from gateway.store.models.catalog import Listing
from tests.journey_domain import someone


def _listing(uow, seller: int, name: str, district: str, country: str = "KE", **extra) -> None:
    currency = {"KE": "KES", "UG": "UGX"}[country]
    uow.listings.add(
        Listing(
            code=f"S{uow.listings.session.query(Listing).count():04d}",
            seller_id=seller,
            category="grains",
            name=name,
            unit="kg",
            price_minor=Money(10000, currency).minor,
            currency=currency,
            stock=extra.get("stock", 5),
            status=extra.get("status", "active"),
            country=country,
            region="Kisumu" if district == "Ahero" else "Nakuru",
            district=district,
        )
    )


def _names(services, text: str, district: str = "Ahero") -> list[str]:
    where = Where("KE", "Kisumu", district)
    return [view.name for view in search(services.uow(), where, text)]


def test_search_ignores_case_and_accents_and_matches_any_word(services):
    seller = someone(services, "+254722000801", "seller")
    with services.uow() as uow:
        for name in ("Tomates fraîches", "Cherry TOMATOES", "Maize", "Sweet potatoes"):
            _listing(uow, seller, name, "Molo")
        uow.commit()
    assert sorted(_names(services, "TOMA")) == ["Cherry TOMATOES", "Tomates fraîches"]
    assert _names(services, "fraiches") == ["Tomates fraîches"]
    assert _names(services, "potat") == ["Sweet potatoes"]
    assert _names(services, "m") == []


def test_a_typo_is_forgiven_but_exact_matches_come_first(services):
    seller = someone(services, "+254722000802", "seller")
    with services.uow() as uow:
        _listing(uow, seller, "Mace", "Molo")
        _listing(uow, seller, "Maize", "Molo")
        uow.commit()
    assert _names(services, "maize") == ["Maize"]
    assert sorted(_names(services, "maze")) == ["Mace", "Maize"]  # one edit from either
    assert _names(services, "mac") == ["Mace"]  # 3 letters: no typo forgiven


def test_exact_prefixes_come_before_near_misses(services):
    seller = someone(services, "+254722000804", "seller")
    with services.uow() as uow:
        _listing(uow, seller, "Manioc", "Ahero")
        _listing(uow, seller, "Mangoes", "Molo")
        uow.commit()
    assert _names(services, "mang") == ["Mangoes", "Manioc"]  # Manioc is one edit away
    assert _names(services, "xyzzy") == []


def test_only_orderable_goods_in_the_buyers_country_are_found_nearest_first(services):
    seller = someone(services, "+254722000803", "seller")
    with services.uow() as uow:
        _listing(uow, seller, "Beans far", "Molo")
        _listing(uow, seller, "Beans near", "Ahero")
        _listing(uow, seller, "Beans paused", "Ahero", status="paused")
        _listing(uow, seller, "Beans gone", "Ahero", stock=0)
        _listing(uow, seller, "Beans abroad", "Ahero", country="UG")
        uow.commit()
    assert _names(services, "beans") == ["Beans near", "Beans far"]
    assert _names(services, "beens") == ["Beans near", "Beans far"]


def test_the_typo_window_is_bounded():
    assert 100 <= WINDOW <= 1000
