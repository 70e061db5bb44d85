"""Operators' trade commands: exchange rates set, loaded from CSV (all or nothing) and shown;
HS headings per listing and per category; certificates withdrawn."""

from datetime import date
from datetime import timedelta

from sqlalchemy import select

from gateway.commerce.catalog.listings import Publish
from gateway.commerce.catalog.listings import publish
from gateway.commerce.money import Money
from gateway.commerce.origin import certificates
from gateway.store.models.catalog import Listing
from gateway.store.models.fx import FxRate
from tests.origin_support import certified_parcel
from tests.origin_support import kenyan_maize
from tests.origin_support import set_rates
from tests.payment_support import person


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def _rates(services) -> list[tuple[str, str, str, date, str]]:
    with services.uow() as uow:
        rows = uow.session.scalars(select(FxRate).order_by(FxRate.id))
        return [(r.base, r.quote, r.rate, r.as_of, r.source) for r in rows]


def test_a_rate_is_set_for_today_from_the_operator_unless_told(services, app):
    done = _run(app, "fx", "set", "usd", "kes", "129.50")
    assert done.exit_code == 0 and done.output.startswith("1 USD = 129.50 KES on ")
    assert _rates(services) == [("USD", "KES", "129.50", date.today(), "operator")]
    refused = _run(app, "fx", "set", "USD", "XYZ", "1")
    assert refused.exit_code != 0 and "unknown currency" in refused.output


def test_a_csv_of_rates_loads_whole(services, app, tmp_path):
    csv = tmp_path / "rates.csv"
    csv.write_text(
        "base,quote,rate,date,source\nUSD,KES,129.50,2026-11-30,CBK\nUSD,UGX,3700,2026-11-30,BoU\n"
    )
    done = _run(app, "fx", "load", str(csv))
    assert done.exit_code == 0 and done.output == "2 rates loaded\n"
    assert [r[:3] for r in _rates(services)] == [("USD", "KES", "129.50"), ("USD", "UGX", "3700")]


def test_a_csv_with_one_bad_line_loads_nothing_and_names_the_line(services, app, tmp_path):
    csv = tmp_path / "rates.csv"
    csv.write_text(
        "base,quote,rate,date,source\nUSD,KES,129.50,2026-11-30,CBK\nUSD,UGX,-1,2026-11-30,BoU\nUSD,RWF,1400,30/11/2026,BNR\n"
    )
    done = _run(app, "fx", "load", str(csv))
    assert done.exit_code == 1
    assert f"{csv}:3: a rate must be a positive decimal" in done.output
    assert f"{csv}:4: not a date" in done.output and "nothing was loaded" in done.output
    assert _rates(services) == []


def test_show_lists_the_newest_rate_of_each_pair_and_marks_stale_ones(services, app):
    set_rates(app, date.today() - timedelta(days=9))
    _run(app, "fx", "set", "USD", "KES", "130", "--source", "CBK")
    shown = _run(app, "fx", "show").output.splitlines()
    assert shown[0].startswith("1 USD = 130 KES") and "STALE" not in shown[0]
    assert shown[1].startswith("1 USD = 3700 UGX") and shown[1].endswith("9 days\tCBK\tSTALE")


def test_operators_set_a_listings_heading_and_a_categorys_default(services, app):
    listing_id = kenyan_maize(services)
    assert _run(app, "origin", "hs", "kemz01", "1006").exit_code == 0
    with services.uow() as uow:
        assert uow.listings.get(listing_id).hs_heading == "10.06"
    assert _run(app, "origin", "hs", "NOPE99", "10.05").exit_code == 1
    assert _run(app, "origin", "hs-category", "grains", "1006").exit_code == 0
    assert _run(app, "origin", "hs-category", "gadgets", "10.05").exit_code != 0
    seller = person(services, "+254722000931", "seller")
    teff = publish(
        Publish(seller, "grains", "Teff", "kg", Money(20000, "KES"), 10, False), services.uow()
    )
    maize = publish(
        Publish(seller, "grains", "Maize", "bag", Money(320000, "KES"), 10, False), services.uow()
    )
    with services.uow() as uow:
        headings = dict(uow.session.execute(select(Listing.code, Listing.hs_heading)).all())
    assert (headings[teff.code], headings[maize.code]) == ("10.06", "10.05")


def test_an_operator_withdraws_a_certificate(services, app):
    set_rates(app)
    _, code = certified_parcel(services)
    assert _run(app, "origin", "cancel", code.lower()).output == f"certificate {code} cancelled\n"
    assert certificates.find(services.uow(), code).status == "cancelled"
    assert _run(app, "origin", "cancel", code).exit_code == 1
