"""Cross-border trade end to end over HTTP: a Ugandan buyer orders Kenyan maize in UGX through
Buy -> Other countries and pays by MoMo (the local fake); the seller gets a Simplified
Certificate of Origin's code by SMS (at the fake Africa's Talking) and is paid in KES through
the Daraja fake; the certificate is verified by SMS, on its web page and through the QR code
of its PDF; a carrier's cleared_border uses it once. An order over the threshold gets the
full-certificate warning and no certificate; an unknown code is simply not found."""

from sqlalchemy import select

from gateway.commerce.payments import ledger
from gateway.store.models.orders import Order
from gateway.store.models.origin import Certificate
from gateway.store.models.payments import Payout
from tests.origin_support import CODE
from tests.origin_support import KE_SELLER
from tests.origin_support import MTN_UGANDA
from tests.origin_support import UG_BUYER
from tests.origin_support import kenyan_maize
from tests.origin_support import qr_in
from tests.origin_support import set_rates
from tests.origin_support import to_kenyan_maize
from tests.parcel_support import choose
from tests.parcel_support import code_sent_to
from tests.parcel_support import post_event
from tests.parcel_support import texts_to
from tests.payment_support import TOKEN
from tests.sms_support import Texter

OFFICER = "+256701000555"


def _order(services, app, phone, qty: str) -> tuple[object, str]:
    """The buyer's walk to the origin screen; (handset, that screen)."""
    buyer = phone(UG_BUYER, MTN_UGANDA)
    quantity = to_kenyan_maize(buyer)
    assert quantity.startswith("CON Maize, UGX 91,429/bag\n= KES 3,200\nFrom Wanjiru Farm, Kenya")
    return buyer, buyer.send(qty)


def _place(buyer, origin_screen: str) -> str:
    delivery = choose(buyer, origin_screen, "Continue to order")
    assert "Carrier to my place" in delivery and "Collect from the seller" not in delivery
    confirm = buyer.send(choose_number(delivery, "Carrier to my place"))
    return confirm


def choose_number(screen: str, label: str) -> str:
    return next(line.split(". ")[0] for line in screen.split("\n") if label in line)


def _the_order(services) -> Order:
    with services.uow() as uow:
        return uow.session.scalar(select(Order))


def _certificates(services) -> list[Certificate]:
    with services.uow() as uow:
        return list(uow.session.scalars(select(Certificate)))


def test_a_ugandan_buys_kenyan_maize_in_ugx_with_a_certificate_used_once_at_the_border(
    services, app, client, phone, run_outbox, fake_momo, fake_daraja, fake_at, ledger_checked
):
    set_rates(app)
    kenyan_maize(services)
    buyer, origin = _order(services, app, phone, "2")
    assert origin.startswith(
        "CON From Kenya to Uganda under the COMESA STR: the seller gets a Simplified "
        "Certificate of Origin for the border."
    )
    address = _place(buyer, origin)
    assert address.startswith("CON Deliver to")
    assert (
        buyer.send("Kampala")
        == "CON Order 2 bags Maize\nUGX 182,858\nHome: Kampala\n1. Confirm\n2. Cancel\n0:Back 00:Home"
    )
    placed = buyer.send("1")
    assert placed.startswith("END Order ") and "UGX 182,858" in placed

    order = _the_order(services)
    assert (order.total_minor, order.currency) == (182858, "UGX")
    assert (order.seller_total_minor, order.seller_currency) == (640000, "KES")
    assert (order.fx_rate, order.fx_source) == ("28.5714285714286", "CBK")
    assert (order.usd_value_minor, order.trade_regime) == (4942, "str")

    run_outbox()
    [(_, _, _, body)] = fake_momo.requests
    assert (body["amount"], body["currency"]) == ("182858", "UGX")
    assert client.put(f"/payments/momo/{TOKEN}", json=fake_momo.complete()).status_code == 200
    run_outbox()

    [issued] = [m for m in texts_to(services, KE_SELLER) if "Certificate of Origin" in m]
    code = CODE.search(issued).group(1)
    assert any(KE_SELLER in call.recipients and code in call.message for call in fake_at.received)
    assert "(2 bags Maize)" in issued

    Texter(client, OFFICER, MTN_UGANDA).text(f"verify {code}")
    run_outbox()
    assert texts_to(services, OFFICER)[-1] == (
        f"Sokoni cert {code}: VALID. 2 bags Maize, HS 10.05, USD 49.42. Kenya-Uganda. "
        "By Wanjiru Farm."
    )
    page = client.get(f"/verify/{code.lower()}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    for shown in (
        code,
        "Valid: not yet used at a border",
        "Wanjiru Farm (Kenya)",
        "10.05",
        "KES 6,400",
        "UGX 182,858",
        "USD 49.42",
        "Kenya to Uganda",
    ):
        assert shown in html
    assert "<script" not in html
    assert "Cheti Rahisi cha Asili" in client.get(f"/verify/{code}?lang=sw").get_data(as_text=True)
    pdf = client.get(f"/verify/{code}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert qr_in(pdf.data) == [f"https://gw.example/verify/{code}"]

    ref = order.ref
    for status in ("picked_up", "at_border"):
        scanned = post_event(client, tracking_ref=ref, status=status, location="Busia")
        assert scanned.status_code == 202
    # Judged on the spot, after the parcel's own scans still waiting.
    cleared = post_event(client, tracking_ref=ref, status="cleared_border", location="Busia")
    assert cleared.status_code == 200 and cleared.json["status"] == "cleared_border"
    [used] = _certificates(services)
    assert (used.status, used.used_by) == ("used", "swiftbox")
    again = post_event(client, tracking_ref=ref, status="cleared_border", location="Malaba")
    assert again.status_code == 409
    assert again.json["error"] == "certificate of origin already used at a border"
    flags = app.test_cli_runner().invoke(args=["origin", "flags"])
    assert f"{code}\tused_again\tswiftbox\t{ref}" in flags.output
    assert "USED" in client.get(f"/verify/{code}").get_data(as_text=True).upper()

    run_outbox()
    Texter(client, UG_BUYER, MTN_UGANDA).text(f"TRACK {ref}")
    run_outbox()
    assert "Cleared border" in texts_to(services, UG_BUYER)[-1]
    assert "At the border" in texts_to(services, UG_BUYER)[-1]

    assert post_event(client, tracking_ref=ref, status="out_for_delivery").status_code == 202
    run_outbox()
    code_at_door = code_sent_to(fake_at, UG_BUYER)
    delivered = post_event(client, tracking_ref=ref, status="delivered", delivery_code=code_at_door)
    assert delivered.status_code == 200
    run_outbox()
    with services.uow() as uow:
        [payout] = uow.session.scalars(select(Payout)).all()
    assert (payout.currency, payout.amount_minor, payout.provider) == ("KES", 608000, "mpesa")
    [b2c] = fake_daraja.payouts
    assert fake_daraja.payouts[b2c]["Amount"] == 6080
    assert (
        client.post(f"/payments/mpesa/{TOKEN}", json=fake_daraja.b2c_result(b2c)).status_code == 200
    )
    run_outbox()

    assert ledger.check(services.uow()) == []
    balances = ledger.balances(services.uow())
    assert balances[("cash:momo", "UGX")] == 182858
    assert balances[("fx", "UGX")] == -182858 and balances[("fx", "KES")] == 640000
    assert balances[("cash:mpesa", "KES")] == -608000
    assert balances[("platform_fee", "KES")] == -32000
    assert balances.get(("escrow", "KES"), 0) == 0 and balances.get(("escrow", "UGX"), 0) == 0
    for currency in ("UGX", "KES"):
        assert sum(v for (_, c), v in balances.items() if c == currency) == 0


def test_over_the_threshold_the_buyer_is_warned_and_no_certificate_is_issued(
    services, app, client, phone, run_outbox, fake_momo
):
    set_rates(app)
    kenyan_maize(services, price_minor=15000000)
    buyer = phone(UG_BUYER, MTN_UGANDA)
    to_kenyan_maize(buyer)
    origin = buyer.send("2")
    assert origin.startswith(
        "CON Worth USD 2,316.60, over the USD 2,000 STR limit: a full certificate of origin "
        "and customs clearance are needed.\n1. Continue to order"
    )
    _place(buyer, origin)
    buyer.send("Kampala")
    assert buyer.send("1").startswith("END Order ")
    assert _the_order(services).trade_regime == "full"
    run_outbox()
    assert client.put(f"/payments/momo/{TOKEN}", json=fake_momo.complete()).status_code == 200
    run_outbox()
    assert _the_order(services).status == "paid"
    assert _certificates(services) == []
    assert not [m for m in texts_to(services, KE_SELLER) if "VERIFY" in m]


def test_an_unknown_code_answers_not_found_by_sms_and_on_the_web(services, client, run_outbox):
    Texter(client, OFFICER, MTN_UGANDA).text("VERIFY 7KM3PX9ARD")
    run_outbox()
    assert texts_to(services, OFFICER) == [
        "Sokoni: no certificate of origin has the code 7KM3PX9ARD."
    ]
    for code in ("7KM3PX9ARD", "7KM3PX9ARE", "abc", "7KM3PX9ARD.pdf"):
        missing = client.get(f"/verify/{code}")
        assert missing.status_code == 404
        assert "No certificate of origin has this code." in missing.get_data(as_text=True)
