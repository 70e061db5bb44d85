"""Numbers typed by SMS are read strictly, and a seller undoes a listing in one word."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from gateway.bootstrap import Services
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from gateway.store.models.people import Person
from tests.sms_support import Texter
from tests.sms_support import rows

pytestmark = pytest.mark.usefixtures("fake_at")


def _seller(services: Services, phone: str, language: str | None = None) -> int:
    with services.uow() as uow:
        person = Person(phone=phone, country="KE", language=language, district="Molo")
        person.grant("buyer")
        person.grant("seller")
        uow.people.add(person)
        uow.commit()
        return person.id


def _replies(fake: FakeAfricasTalking, number: str) -> list[str]:
    return [call.message for call in fake.received if number in call.recipients]


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        (
            "SELL x -5 10",
            'Price "-5" not understood: use digits only, like 3200 or 3,200.50. '
            "Send: SELL item price qty unit",
        ),
        (
            "SELL x 3200 -3",
            'Quantity "-3" not understood: use a whole number from 1 to 9999.',
        ),
        (
            "SELL probeG 1e9 1",
            'Price "1E9" not understood: use digits only, like 3200 or 3,200.50. '
            "Send: SELL item price qty unit",
        ),
        (
            "ORDER D002 -1",
            'Quantity "-1" not understood: use a whole number from 1 to 9999.',
        ),
    ],
)
def test_a_command_with_a_number_that_is_not_plain_digits_changes_nothing_and_says_why(
    services: Services,
    client: FlaskClient,
    fake_at: FakeAfricasTalking,
    run_outbox,
    text: str,
    reply: str,
) -> None:
    seller = _seller(services, "+254711000601")
    with services.uow() as uow:
        uow.listings.add(
            Listing(
                code="D002",
                seller_id=seller,
                name="Eggs",
                category="other",
                unit="tray",
                price_minor=45000,
                currency="KES",
                stock=9,
                status="active",
                country="KE",
            )
        )
        uow.commit()
    number = "+254711000602" if text.startswith("ORDER") else "+254711000601"
    Texter(client, number).text(text)
    run_outbox()
    assert _replies(fake_at, number) == [reply]
    assert [x.code for x in rows(services, Listing)] == ["D002"]
    assert rows(services, Order) == []


def test_a_seller_pauses_what_they_just_listed_with_the_word_the_reply_gave(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    _seller(services, "+254711000611", language="sw")
    texter = Texter(client, "+254711000611")
    texter.text("UZA mahindi 3,200 10 gunia")
    run_outbox()
    [listing] = rows(services, Listing)
    [listed] = _replies(fake_at, "+254711000611")
    assert listed == (
        f"Imewekwa {listing.code}: Mahindi, KES 3,200/gunia, magunia 10 zipo. Wanunuzi watume "
        f"AGIZA {listing.code} idadi. Kuacha kuuza, tuma SIMAMISHA {listing.code}"
    )
    texter.text(f"SIMAMISHA {listing.code}")
    run_outbox()
    [listing] = rows(services, Listing)
    assert listing.status == "paused"
    assert _replies(fake_at, "+254711000611")[1] == (
        f"Imesimamishwa {listing.code}: Mahindi haiuzwi tena. "
        "Kuuza tena, piga *384*123#: Uza > Bidhaa zangu."
    )


def test_a_seller_cannot_pause_someone_elses_listing(
    services: Services, client: FlaskClient, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    owner = _seller(services, "+254711000621")
    _seller(services, "+254711000622")
    with services.uow() as uow:
        uow.listings.add(
            Listing(
                code="OWN621",
                seller_id=owner,
                name="Beans",
                category="other",
                unit="kg",
                price_minor=20000,
                currency="KES",
                stock=5,
                status="active",
                country="KE",
            )
        )
        uow.commit()
    Texter(client, "+254711000622").text("PAUSE OWN621")
    Texter(client, "+254711000622").text("PAUSE NONE99")
    run_outbox()
    assert [x.status for x in rows(services, Listing)] == ["active"]
    assert _replies(fake_at, "+254711000622") == [
        "You have no goods with code OWN621. The code is in the SMS you got when you listed them.",
        "You have no goods with code NONE99. The code is in the SMS you got when you listed them.",
    ]
