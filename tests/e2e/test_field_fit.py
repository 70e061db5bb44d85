"""Field fit, over HTTP in English, Kiswahili and French: buying again in four hops, goods found
in any language, a home delivery from order to hand-over with the buyer's two SMS, a seller's
money, and disputes settled both ways with the ledger balanced."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.commerce.catalog.listings import Publish
from gateway.commerce.catalog.listings import publish
from gateway.commerce.money import Money
from gateway.store.models.orders import Order
from gateway.store.models.people import Person
from gateway.text.gsm import transliterate
from tests.journeys_support import Walk
from tests.journeys_support import first_call
from tests.journeys_support import grant_agent
from tests.parcel_support import code_sent_to
from tests.parcel_support import post_event
from tests.parcel_support import texts_to
from tests.payment_support import TOKEN
from tests.sms_support import Texter

pytestmark = pytest.mark.usefixtures("fake_at", "sandbox_only")

SELLER, BUYER, AGENT = "+254722000801", "+254711000802", "+254733000803"
LANGUAGES = ("en", "sw", "fr")
WORDS = {
    "en": {
        "language": "English",
        "buy": "Buy",
        "again": "Buy again",
        "grains": "Grains and flour",
        "maize": "Maize",
        "home": "Home delivery",
        "point": "Pick up at",
        "confirm": "Confirm",
        "orders": "My orders",
        "report": "Report a problem",
        "damaged": "Damaged",
        "not_received": "Not received",
        "yes_report": "Yes, report",
        "sell": "Sell",
        "to_fulfil": "Orders to fulfil",
        "ready": "Ready for pickup",
        "go_out": "Out for delivery",
        "deliver": "Delivered: enter the code",
        "money": "My money",
        "movements": "Last movements",
        "search": "Search by name",
    },
    "sw": {
        "language": "Kiswahili",
        "buy": "Nunua",
        "again": "Nunua tena",
        "grains": "Nafaka na unga",
        "maize": "Mahindi",
        "home": "Kuletewa nyumbani",
        "point": "Chukua",
        "confirm": "Thibitisha",
        "orders": "Maagizo yangu",
        "report": "Ripoti tatizo",
        "damaged": "Imeharibika",
        "not_received": "Sijapokea",
        "yes_report": "Ndiyo, ripoti",
        "sell": "Uza",
        "to_fulfil": "Maagizo ya kutimiza",
        "ready": "Tayari kuchukuliwa",
        "go_out": "Linapelekwa sasa",
        "deliver": "Limefikishwa: weka namba",
        "money": "Pesa zangu",
        "movements": "Miamala ya mwisho",
        "search": "Tafuta kwa jina",
    },
    "fr": {
        "language": "Francais",
        "buy": "Acheter",
        "again": "Racheter",
        "grains": "Céréales et farine",
        "maize": "Mais",
        "home": "Livraison à domicile",
        "point": "Retrait",
        "confirm": "Confirmer",
        "orders": "Mes commandes",
        "report": "Signaler un problème",
        "damaged": "Abîmé",
        "not_received": "Pas reçu",
        "yes_report": "Oui, signaler",
        "sell": "Vendre",
        "to_fulfil": "Commandes à préparer",
        "ready": "Prête à retirer",
        "go_out": "En livraison",
        "deliver": "Livrée: taper le code",
        "money": "Mon argent",
        "movements": "Derniers mouvements",
        "search": "Chercher par nom",
    },
}
"""What each walk chooses, as the phone shows it (in the phone's alphabet)."""


def _say(language: str, word: str) -> str:
    return "@" + transliterate(WORDS[language][word])


def _seller(services, language: str, home: bool = True) -> int:
    """Wanjiru Farm in Molo, with 40 bags of maize (delivered home if `home`)."""
    with services.uow() as uow:
        seller = uow.people.add(
            Person(
                phone=SELLER,
                country="KE",
                language=language,
                name="Wanjiru Farm",
                region="Nakuru",
                district="Molo",
            )
        )
        seller.grant("seller")
        uow.commit()
        seller_id = seller.id
    maize = Publish(seller_id, "grains", "Maize", "bag", Money(320000, "KES"), 40, home)
    return publish(maize, services.uow()).id


def _pay(client, ref: str, run_outbox) -> None:
    """The buyer approves the sandbox prompt (as the phone simulator posts it)."""
    run_outbox()
    answer = client.post(f"/payments/sandbox/{TOKEN}", data={"ref": ref, "result": "approve"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    run_outbox()


def _order(services, ref: str) -> Order:
    with services.uow() as uow:
        return uow.session.scalar(select(Order).where(Order.ref == ref))


def _ledger_balances(app) -> None:
    result = app.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output


def _first_order(phone, language: str) -> tuple[Walk, str]:
    """A buyer in Kenya orders 2 bags of maize to pick up at the agent point."""
    walk = first_call(phone(BUYER), WORDS[language]["language"], "Kenya")
    walk.go(_say(language, "buy"), _say(language, "grains"), _say(language, "maize"), "2")
    walk.go(_say(language, "point"), _say(language, "confirm"))
    assert walk.screen.startswith("END ")
    return walk, walk.screen.split()[2].rstrip(":")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_returning_buyer_orders_again_in_four_hops_and_from_a_category_in_six(
    services, app, phone, language
):
    _seller(services, language, home=False)
    grant_agent(app, AGENT, "Mama Njeri Shop", "Molo")
    walk, first = _first_order(phone, language)

    before = len(walk.screens)
    walk.dial()
    menu = walk.screen
    assert transliterate(WORDS[language]["again"]) in menu
    again = walk.go(_say(language, "again"))
    assert "1. 2 " in again and "Mama Njeri Shop" in again
    confirm = walk.go("1")
    assert "Mama Njeri Shop" in confirm
    placed = walk.go(_say(language, "confirm"))
    assert placed.startswith("END ") and len(walk.screens) - before == 4  # dial, again, item, yes
    second = placed.split()[2].rstrip(":")
    assert _order(services, second).pickup_point_id == _order(services, first).pickup_point_id

    before = len(walk.screens)
    walk.dial()
    walk.go(_say(language, "buy"), _say(language, "grains"), _say(language, "maize"), "3")
    assert "Mama Njeri Shop" in walk.screen  # the last delivery, offered at once
    assert walk.go(_say(language, "confirm")).startswith("END ")
    assert len(walk.screens) - before == 6


@pytest.mark.parametrize(("language", "typed"), [("sw", "mahindi"), ("fr", "maïs"), ("en", "corn")])
def test_maize_is_found_by_its_name_in_any_language_and_shown_in_the_readers(
    services, phone, language, typed
):
    _seller(services, "en")
    walk = first_call(phone(BUYER), WORDS[language]["language"], "Kenya")
    found = walk.go(_say(language, "buy"), _say(language, "search"), typed)
    shown = transliterate(WORDS[language]["maize"])
    assert found.split("\n")[1].startswith(f"1. {shown} ")
    walk.go("00")
    misspelt = typed[:-1] + typed[-1] * 2  # one typo
    assert (
        walk.go(_say(language, "buy"), _say(language, "search"), misspelt)
        .split("\n")[1]
        .startswith(f"1. {shown} ")
    )


def test_a_price_by_sms_finds_maize_under_mahindi_and_mais_and_reads_pommes_de_terre_whole(
    services, client, fake_at, run_outbox
):
    _seller(services, "en")
    with services.uow() as uow:
        seller = uow.people.by_phone(SELLER)
    publish(
        Publish(seller.id, "vegetables", "Pommes de terre", "bag", Money(250000, "KES"), 9, False),
        services.uow(),
    )
    Texter(client, "+254711000811").text("BEI mahindi")
    Texter(client, "+254711000812").text("PRIX maïs")
    Texter(client, "+254711000813").text("PRIX pommes de terre")
    Texter(client, "+254711000814").text("my ordrs")
    Texter(client, "+254711000815").text("mes comandes")
    run_outbox()
    assert texts_to(services, "+254711000811")[0].startswith("Mahindi nafuu zaidi:\n")
    assert "Mahindi KES 3,200/gunia, Molo" in texts_to(services, "+254711000811")[0]
    assert "Mais 3 200 KES/sac, Molo" in texts_to(services, "+254711000812")[0]
    [potatoes] = texts_to(services, "+254711000813")
    assert potatoes.startswith("Pommes De Terre au meilleur prix:\n")
    assert "Pommes de terre 2 500 KES/sac, Molo" in potatoes
    assert texts_to(services, "+254711000814") == [
        "You have no orders yet. Send PRICE item to find goods."
    ]
    assert texts_to(services, "+254711000815")[0].startswith("Vous n'avez pas encore de commande.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_home_delivery_goes_from_order_to_hand_over_with_both_sms_to_the_buyer(
    services, app, client, phone, run_outbox, language, fake_at
):
    _seller(services, language)
    buyer = first_call(phone(BUYER), WORDS[language]["language"], "Kenya")
    buyer.go(_say(language, "buy"), _say(language, "grains"), _say(language, "maize"), "2")
    buyer.go(_say(language, "home"), "Kondele")
    assert buyer.screen.startswith("CON Kondele\n")  # room for directions on a second screen
    confirm = buyer.go("near the church")
    assert "Kondele, near.." in confirm  # the confirmation repeats the start of it
    ref = buyer.go(_say(language, "confirm")).split()[2].rstrip(":")
    assert _order(services, ref).delivery_place == "Kondele, near the church"
    _pay(client, ref, run_outbox)

    seller = Walk(phone(SELLER)).dial()
    seller.go(_say(language, "sell"), _say(language, "to_fulfil"), f"@{ref}")
    assert seller.screen.startswith(f"CON {ref} ") and BUYER in seller.screen
    assert "Kondele, near the church" in seller.screen
    assert seller.go(_say(language, "ready")).startswith("END ")
    run_outbox()
    ready = texts_to(services, BUYER)[-1]
    assert ref in ready and SELLER in ready

    seller.dial()
    seller.go(_say(language, "sell"), _say(language, "to_fulfil"), f"@{ref}")
    seller.go(_say(language, "go_out"))
    run_outbox()
    out = texts_to(services, BUYER)[-1]
    assert ref in out and SELLER in out
    code = code_sent_to(fake_at, BUYER)  # the stored text shows it as ******

    seller.dial()
    seller.go(_say(language, "sell"), _say(language, "to_fulfil"), f"@{ref}")
    seller.go(_say(language, "deliver"))
    assert seller.go("000000").startswith("CON ")  # a wrong code is refused with the tries left
    assert seller.go(code).startswith("END ")
    run_outbox()
    assert _order(services, ref).status == "delivered"
    _ledger_balances(app)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_dispute_holds_the_escrow_and_an_operator_settles_it_both_ways(
    services, app, client, phone, run_outbox, language, fake_at
):
    _seller(services, language, home=False)
    grant_agent(app, AGENT, "Mama Njeri Shop", "Molo")
    buyer, kept = _first_order(phone, language)
    buyer.dial()
    buyer.go(_say(language, "buy"), _say(language, "grains"), _say(language, "maize"), "1")
    refunded = buyer.go(_say(language, "confirm")).split()[2].rstrip(":")
    _pay(client, kept, run_outbox)
    _pay(client, refunded, run_outbox)

    for ref, reason in ((kept, "damaged"), (refunded, "not_received")):
        buyer.dial()
        buyer.go(_say(language, "orders"), f"@{ref}", _say(language, "report"))
        buyer.go(_say(language, reason), _say(language, "yes_report"))
        assert buyer.screen.startswith("END ") and ref in buyer.screen
        assert _order(services, ref).status == "disputed"
    run_outbox()
    assert any(kept in text for text in texts_to(services, SELLER))

    post_event(client, tracking_ref=kept, status="at_pickup_point")
    run_outbox()
    code = code_sent_to(fake_at, BUYER)
    assert (
        post_event(client, tracking_ref=kept, status="delivered", delivery_code=code).status_code
        == 200
    )
    run_outbox()
    assert _order(services, kept).status == "disputed"  # delivered, but the money is held
    _ledger_balances(app)

    listed = app.test_cli_runner().invoke(args=["disputes", "list"])
    assert kept in listed.output and refunded in listed.output
    cli = app.test_cli_runner()
    assert cli.invoke(args=["disputes", "resolve", kept, "--release"]).exit_code == 0
    assert cli.invoke(args=["disputes", "resolve", refunded.lower(), "--refund"]).exit_code == 0
    assert cli.invoke(args=["disputes", "resolve", kept, "--refund"]).exit_code == 1
    run_outbox()
    assert (_order(services, kept).status, _order(services, refunded).status) == (
        "delivered",
        "refunded",
    )
    _ledger_balances(app)
    assert app.test_cli_runner().invoke(args=["disputes", "list"]).output == ""

    seller = Walk(phone(SELLER)).dial()
    money = seller.go(_say(language, "sell"), _say(language, "money"))
    assert money.startswith("CON ") and "KES" in money
    movements = seller.go(_say(language, "movements"))
    assert kept in movements and refunded in movements
