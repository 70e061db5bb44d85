"""The USSD engine over HTTP: replays, `*` in input, paging, back and home, resume, bad input."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from gateway.cli.demo import seed
from gateway.store.models.orders import Order
from gateway.store.models.people import Person
from menus.engine import fingerprint
from menus.engine import newest_input
from tests.journeys_support import grant_agent


@pytest.fixture()
def buyer(services, phone):
    """A Kenyan buyer who has already chosen English and Kenya, with the demo catalogue loaded."""
    seed(services.uow())
    handset = phone("+254711000010")
    handset.dial()
    handset.send("1")
    handset.send("1")
    return handset


def _orders(services) -> int:
    with services.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Order))


def test_a_repeated_hop_gets_the_stored_answer_and_orders_once(services, buyer):
    buyer.dial()
    for step in ("1", "2", "1", "1", "1"):
        buyer.send(step)
    before = buyer.hop_text("*".join(buyer.inputs))
    placed = buyer.send("1")
    assert placed.startswith("END Order")
    assert buyer.hop_text("*".join(buyer.inputs)) == placed
    assert buyer.hop_text("*".join(buyer.inputs)) == placed
    assert buyer.hop_text("*".join(buyer.inputs[:-1])) == before
    assert _orders(services) == 1


@pytest.mark.parametrize(
    ("processed", "text", "newest"),
    [
        ("", "1", "1"),
        ("1", "1*2", "2"),
        ("1*2", "1*2*a*b", "a*b"),
        ("1*2", "1*2*", ""),
        ("1*2", "9*9*7", "7"),
    ],
)
def test_the_newest_input_is_what_follows_the_processed_text(processed, text, newest):
    assert newest_input(fingerprint(processed), text) == newest


def test_a_star_typed_inside_an_input_stays_one_input(buyer):
    buyer.dial()
    for step in ("1", "2", "1"):
        buyer.send(step)
    refused = buyer.send("2*3")
    assert refused.startswith("CON Enter a whole number")
    buyer.send("1")
    confirm = buyer.send("1")
    assert "Order 1 " in confirm


def test_98_pages_forward_and_0_goes_back_a_page_then_a_screen(buyer):
    buyer.dial()
    buyer.send("1")
    first = buyer.send("2")
    assert "98:More" in first
    second = buyer.send("98")
    assert second != first and "0:Back" in second
    assert buyer.send("0") == first
    categories = buyer.send("0")
    assert categories.startswith("CON Buy: choose a category")


def test_00_goes_home_from_anywhere(buyer):
    buyer.dial()
    for step in ("1", "1", "1"):
        buyer.send(step)
    assert buyer.send("00").startswith("CON Welcome to Sokoni")


def test_an_invalid_choice_shows_the_same_list_with_a_reason(buyer):
    buyer.dial()
    screen = buyer.send("7")
    assert screen.startswith("CON Invalid choice")
    assert "1. Buy" in screen


def test_a_redial_offers_to_resume_an_unfinished_journey(services, buyer):
    buyer.dial()
    for step in ("1", "2", "1"):
        quantity = buyer.send(step)
    offer = buyer.dial()
    assert offer == "CON You have an unfinished session.\n1. Resume\n2. Start over"
    assert buyer.send("1") == quantity
    buyer.send("1")
    assert "Order 1 " in buyer.send("1")


def test_start_over_forgets_the_unfinished_journey(buyer):
    buyer.dial()
    buyer.send("1")
    buyer.dial()
    assert buyer.send("2").startswith("CON Welcome to Sokoni")
    assert buyer.dial().startswith("CON Welcome to Sokoni")


def test_an_unfinished_journey_is_kept_for_15_minutes_then_forgotten(services, buyer):
    buyer.dial()
    buyer.send("1")
    key = f"ussd:resume:{buyer.number}"
    assert 890 < services.connections.redis.ttl(key) <= 900
    services.connections.redis.delete(key)  # what Redis does when the 15 minutes pass
    assert buyer.dial().startswith("CON Welcome to Sokoni")


def test_a_finished_journey_is_not_offered_for_resume(buyer):
    buyer.dial()
    for step in ("1", "2", "1", "1", "1", "1"):
        buyer.send(step)
    assert buyer.dial().startswith("CON Welcome to Sokoni")


def test_a_shortcut_dial_walks_every_step_at_once(buyer):
    assert buyer.dial("1*2").startswith("CON Choose goods")


def _post(client, **fields):
    return client.post("/ussd", data=fields)


@pytest.mark.parametrize(
    ("fields", "answer"),
    [
        ({"phoneNumber": "+254711000011", "text": ""}, "END Sorry, we could not read your request"),
        ({"sessionId": "s1", "text": ""}, "END Sorry, we could not read your request"),
        (
            {"sessionId": "s1", "phoneNumber": "+254711000011"},
            "END Sorry, we could not read your request",
        ),
        (
            {"sessionId": "s1", "phoneNumber": "not a phone", "text": ""},
            "END Sorry, we could not read",
        ),
        (
            {"sessionId": "s1", "phoneNumber": "+254711000011", "text": "1" * 10_240},
            "END That input is too long",
        ),
        (
            {"sessionId": "s1", "phoneNumber": "+25471100001\x00", "text": "\x00\xff"},
            "END Sorry, we could not read",
        ),
    ],
    ids=["no session", "no phone", "no text", "garbage phone", "10 kB text", "control characters"],
)
def test_bad_requests_get_a_clear_end_and_change_nothing(services, client, fields, answer):
    response = _post(client, serviceCode="*384*123#", networkCode="64110", **fields)
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith(answer)
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Person)) == 0


def test_a_bad_request_from_a_kenyan_network_is_answered_in_swahili(client):
    response = _post(client, sessionId="s1", phoneNumber="garbage", networkCode="63902", text="")
    assert response.get_data(as_text=True).startswith("END Samahani, hatukuweza kusoma")


def test_a_known_caller_is_refused_in_their_own_language(buyer, client):
    buyer.dial()
    buyer.send("6")  # Language / Account (a buyer with no parcel work has no Parcels line)
    buyer.send("1")  # Language
    buyer.send("3")  # Francais
    response = _post(
        client, sessionId="s7", phoneNumber=buyer.number, networkCode="63902", text="1" * 10_240
    )
    assert response.get_data(as_text=True) == "END Saisie trop longue. Veuillez rappeler."


def test_one_long_input_is_refused_in_the_callers_language(services, buyer):
    buyer.dial()
    answer = buyer.send("x" * 200)
    assert answer.startswith("END That input is too long")
    assert buyer.dial().startswith("CON Welcome to Sokoni")


def test_a_get_or_json_body_is_not_a_server_error(client):
    assert client.get("/ussd").status_code == 405
    response = client.post("/ussd", json={"sessionId": "s1"})
    assert response.status_code == 200 and response.get_data(as_text=True).startswith("END ")


def test_every_answer_names_its_screen_for_africas_talking_hop_metadata(client):
    response = _post(
        client, sessionId="s9", phoneNumber="+254711000012", networkCode="63902", text=""
    )
    assert response.headers["at-ussd-hop-metadata"] == "home.language"


def test_what_a_caller_typed_is_not_kept_in_redis(services, buyer):
    buyer.dial()
    buyer.send("1")
    buyer.send("4826")  # might be a PIN on another screen
    redis = services.connections.redis
    stored = b""
    for key in redis.scan_iter(f"ussd:{{{buyer.session_id}}}*"):
        if redis.type(key) == b"hash":
            stored += b"".join(k + v for k, v in redis.hgetall(key).items())
    assert stored and b"4826" not in stored


def test_a_caller_changed_elsewhere_mid_session_is_read_anew(app, buyer):
    assert "Agent" not in buyer.dial()
    buyer.send("1")  # Buy: the session has the caller cached by now
    grant_agent(app, buyer.number, "Mama Njeri Shop", "Kisumu Town")  # an operator, meanwhile
    assert "Agent" in buyer.send("00")


def test_a_caller_who_changes_their_language_sees_it_at_once_and_next_time(buyer):
    buyer.dial()
    buyer.send("6")  # Language / Account
    buyer.send("1")  # Language
    assert buyer.send("2").startswith("CON ")  # Kiswahili
    assert buyer.send("00").startswith("CON Karibu")
    assert buyer.dial().startswith("CON Karibu")
