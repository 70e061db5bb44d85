"""Every journey at the screen-budget edge, in English, Swahili and French: 24-letter names,
20-letter places, the widest currency (CDF) at its largest price, 9999 in stock."""

import pytest
from sqlalchemy import select

from gateway.store.models.orders import Order
from gateway.text.gsm import screen_fits
from menus.present import country_name
from tests.journeys_support import PIN
from tests.journeys_support import Walk
from tests.journeys_support import grant_agent
from tests.sms_support import Texter

pytestmark = pytest.mark.usefixtures("fake_at")

SELLER, BUYER, AGENT, CUSTOMER = "+243810000501", "+243810000502", "+243810000503", "+243810000504"
NAME = "Mama Furaha Wa Kivu Coop"  # 24 letters, the most a name may have
GOODS = "Farine de manioc blanche"  # 24
PLACE = "Lubero Territoire Nd"  # 20
POINT = "Boutique Maman Furaha Go"  # 24
LANGUAGE = {"en": "English", "sw": "Kiswahili", "fr": "Francais"}
WORDS = {  # what each walk chooses, by language
    "en": (
        "Sell",
        "Register as a seller",
        "Other: type it",
        "Confirm",
        "List goods",
        "I also deliver home",
        "Buy",
        "Search by name",
        "Home delivery",
        "My orders",
        "Cancel order",
        "Agent",
        "Register a customer",
        "Order for a customer",
        "I took cash",
        "My commission",
        "Orders to fulfil",
        "My listings",
        "Change price",
    ),
    "sw": (
        "Uza",
        "Jisajili kama muuzaji",
        "Nyingine: iandike",
        "Thibitisha",
        "Orodhesha bidhaa",
        "Ninaleta nyumbani pia",
        "Nunua",
        "Tafuta kwa jina",
        "Kuletewa nyumbani",
        "Maagizo yangu",
        "Ghairi agizo",
        "Wakala",
        "Sajili mteja",
        "Agiza kwa ajili ya mteja",
        "Nimepokea pesa taslimu",
        "Kamisheni yangu",
        "Maagizo ya kutimiza",
        "Bidhaa zangu",
        "Badilisha bei",
    ),
    "fr": (
        "Vendre",
        "S'inscrire comme vendeur",
        "Autre: tapez-le",
        "Confirmer",
        "Mettre en vente",
        "Je livre aussi à domicile",
        "Acheter",
        "Chercher par nom",
        "Livraison à domicile",
        "Mes commandes",
        "Annuler la commande",
        "Agent",
        "Inscrire un client",
        "Commander pour client",
        "J'ai pris les espèces",
        "Ma commission",
        "Commandes à préparer",
        "Mes annonces",
        "Nouveau prix",
    ),
}


def _fits(walk: Walk) -> None:
    for screen in walk.screens:
        assert screen_fits(screen), f"over budget ({len(screen)}): {screen!r}"


@pytest.mark.parametrize("language", ["en", "sw", "fr"])
def test_every_journey_fits_the_screen_with_the_widest_values(
    services, app, client, phone, run_outbox, language
):
    (
        sell,
        register,
        typed,
        confirm,
        list_goods,
        delivers,
        buy,
        search,
        home,
        my_orders,
        cancel,
        agent_item,
        register_customer,
        order_for,
        cash,
        commission,
        to_fulfil,
        mine,
        change_price,
    ) = WORDS[language]

    congo = "@" + country_name(language, "CD")
    seller = Walk(phone(SELLER)).dial()
    seller.go("@" + LANGUAGE[language], congo, "@" + sell, "@" + register, PIN, PIN, NAME)
    seller.find(typed)
    seller.go(PLACE, "1", "@" + confirm, "@" + list_goods)
    seller.find(max(seller.screen.split("\n")[1:-1], key=len).partition(". ")[2])  # longest
    seller.go(GOODS)
    seller.find(max(seller.screen.split("\n")[1:-1], key=len).partition(". ")[2])
    seller.go("9,999,999,999.99", "9999", "@" + delivers, "@" + confirm)
    assert "CDF 9,999,999,999.99/" in seller.go(PIN)
    seller.dial()
    seller.go("@" + sell, "@" + mine, "@" + GOODS, "@" + change_price, "9999999999.99", PIN)
    _fits(seller)

    buyer = Walk(phone(BUYER)).dial()
    buyer.go("@" + LANGUAGE[language], congo, "@" + buy, "@" + search, "farine manioc")
    buyer.go("@" + GOODS, "9999", "@" + home, PLACE)
    placed = buyer.go("@" + confirm)
    assert placed.startswith("END ") and "CDF 99,989,999,999,900.01" in placed
    buyer.dial()
    buyer.go("@" + my_orders)
    buyer.go("@" + buyer.screen.split("\n")[1].partition(". ")[2][:6], "@" + cancel, "@" + confirm)
    _fits(buyer)

    grant_agent(app, AGENT, POINT, PLACE)
    agent = Walk(phone(AGENT)).dial()
    agent.go("@" + LANGUAGE[language], congo, "@" + agent_item, PIN, PIN)
    agent.go("@" + register_customer, CUSTOMER, "@" + confirm)
    Texter(client, CUSTOMER).text("OUI")
    run_outbox()
    agent.dial()
    agent.go("@" + agent_item, PIN, "@" + order_for, "@" + CUSTOMER, "@" + cash)
    agent.go("@" + search, "farine", "@" + GOODS, "9999", "@" + home, PLACE, "@" + confirm)
    assert agent.screen.startswith("END ")
    agent.dial()
    assert "CDF" in agent.go("@" + agent_item, PIN, "@" + commission)
    _fits(agent)

    seller.dial()
    seller.go("@" + sell, "@" + to_fulfil)
    seller.go(seller.screen.split("\n")[1].partition(". ")[0], "1")
    _fits(seller)
    with services.uow() as uow:
        paid = uow.session.scalar(select(Order).where(Order.status == "paid"))
        assert paid.ready_at is not None and paid.total_minor == 9999 * 999999999999
