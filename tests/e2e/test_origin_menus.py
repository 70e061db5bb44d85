"""Certificates and cross-border buying at the edges, over HTTP: a stale rate pauses
cross-border prices with a clear END; anyone verifies a certificate by USSD; a border agent
records the crossing by USSD and a second clearance is refused and flagged; verification is
rate-limited per phone and per IP; a one-line SMS order of foreign goods points to the menu."""

from dataclasses import replace
from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.store.models.origin import Certificate
from tests.origin_support import MTN_UGANDA
from tests.origin_support import certified_parcel
from tests.origin_support import kenyan_maize
from tests.origin_support import set_rates
from tests.parcel_support import choose
from tests.parcel_support import shipment
from tests.parcel_support import texts_to
from tests.sms_support import Texter

UG_BUYER = "+256772123456"
OFFICER = "+256701000777"


@pytest.fixture()
def few_checks(services):
    """At most 2 verifications per phone or IP in the window."""
    original = services.settings
    services.settings = replace(original, VERIFY_LIMIT=2)
    services.__dict__.pop("deps", None)
    yield
    services.settings = original
    services.__dict__.pop("deps", None)


def _menu(handset, item: str) -> str:
    screen = handset.dial()
    if "Choose language" in screen:
        screen = choose(handset, screen, "English")
    if "Choose your country" in screen:
        screen = choose(handset, screen, "Uganda")
    while item not in screen and "Parcels" not in screen and "98:" in screen:
        screen = handset.send("98")
    if item not in screen:  # parcel work of their own: it is under Parcels
        screen = choose(handset, screen, "Parcels")
    return choose(handset, screen, item)


def test_a_stale_rate_pauses_cross_border_prices_instead_of_using_them(services, app, phone):
    set_rates(app, date.today() - timedelta(days=8))
    kenyan_maize(services)
    buyer = phone(UG_BUYER, MTN_UGANDA)
    screen = choose(buyer, buyer.dial(), "English")
    screen = choose(buyer, choose(buyer, screen, "Uganda"), "Buy")
    assert choose(buyer, choose(buyer, screen, "Other countries"), "Kenya") == (
        "END Prices from other countries are paused: exchange rates are out of date. "
        "Nothing was charged. Try again later."
    )
    shown = app.test_cli_runner().invoke(args=["fx", "show"]).output
    assert "1 USD = 129.50 KES" in shown and "STALE" in shown


def test_anyone_verifies_a_certificate_by_ussd_in_their_language(services, app, phone):
    set_rates(app)
    _, code = certified_parcel(services)
    officer = phone(OFFICER, MTN_UGANDA)
    assert _menu(officer, "Verify a certificate").startswith("CON Certificate of origin")
    assert officer.send(code.lower()) == (
        f"END Certificate {code}: VALID\n2 bags Maize\nHS 10.05, USD 49.42\nKenya-Uganda\n"
        "By Wanjiru Farm"
    )
    again = phone(OFFICER, MTN_UGANDA)
    _menu(again, "Verify a certificate")
    assert again.send("7KM3PX9ARD").startswith("CON No certificate has that code.")


def test_a_border_agent_clears_a_parcel_once_and_a_second_clearance_is_refused(
    services, app, phone, run_outbox
):
    set_rates(app)
    ref, code = certified_parcel(services)
    granted = app.test_cli_runner().invoke(args=["origin", "border-agent", OFFICER])
    assert granted.exit_code == 0, granted.output
    agent = phone(OFFICER, MTN_UGANDA)
    assert _menu(agent, "Border crossing").startswith("CON Border crossing: enter the certificate")
    seen = agent.send(code)
    assert seen.startswith(
        f"CON Certificate {code}: VALID\nParcel {ref}: 2 bags Maize\nKenya to Uganda"
    )
    assert (
        choose(agent, seen, "At the border")
        == f"END Done. Parcel {ref}: At the border. The buyer gets an SMS."
    )
    again = phone(OFFICER, MTN_UGANDA)
    _menu(again, "Border crossing")
    cleared = choose(again, again.send(code), "Cleared by customs")
    assert cleared == f"END Done. Parcel {ref}: Cleared border. The buyer gets an SMS."
    assert shipment(services, ref).status == "cleared_border"
    third = phone(OFFICER, MTN_UGANDA)
    _menu(third, "Border crossing")
    assert choose(third, third.send(code), "Cleared by customs") == (
        "END Refused: this certificate was already used at a border. Operators have been told."
    )
    with services.uow() as uow:
        certificate = uow.session.scalar(select(Certificate))
        assert (certificate.status, certificate.used_by) == (
            "used",
            f"border {certificate.used_by.split()[1]}",
        )
    flags = app.test_cli_runner().invoke(args=["origin", "flags"]).output
    assert f"{code}\tused_again\tborder" in flags


def test_only_border_agents_see_border_crossing(services, app, phone):
    buyer = phone(UG_BUYER, MTN_UGANDA)
    screen = choose(buyer, buyer.dial(), "English")
    main = choose(buyer, screen, "Uganda")
    assert "Verify a certificate" in main and "Border crossing" not in main


def test_verification_is_rate_limited_per_ip_and_per_phone(
    services, app, client, run_outbox, few_checks
):
    set_rates(app)
    _, code = certified_parcel(services)
    answers = [client.get(f"/verify/{code}").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    other = client.get(f"/verify/{code}.pdf", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200
    texter = Texter(client, OFFICER, MTN_UGANDA)
    for _ in range(3):
        texter.text(f"VERIFY {code}")
    run_outbox()
    replies = texts_to(services, OFFICER)
    assert [r.startswith(f"Sokoni cert {code}: VALID") for r in replies] == [True, True, False]
    assert replies[-1] == (
        "Sokoni: too many certificate checks from your number. Try again in a few minutes."
    )


def test_an_sms_order_of_foreign_goods_points_to_the_menu(services, app, client, run_outbox):
    set_rates(app)
    kenyan_maize(services)
    Texter(client, UG_BUYER, MTN_UGANDA).text("ORDER KEMZ01 2")
    run_outbox()
    assert texts_to(services, UG_BUYER) == [
        "Goods KEMZ01 are in another country. To order them, dial *384*123#: Buy, Other countries."
    ]
