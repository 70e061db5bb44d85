"""The edges over real HTTP, with the gateway under gunicorn as production runs it (behind one
proxy, Africa's Talking's token and network set, each carrier with its own key) and the
workers run here: forged callbacks change nothing, the token works, carriers stay in their
lane, a 2 MB body is refused before it is read, and after a whole story no token, PIN or
delivery code is in any log line or stored SMS."""

from __future__ import annotations

import logging
import re
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from config.settings import ROOT
from gateway.bootstrap import Services
from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsInbound
from gateway.store.models.messages import SmsMessage
from gateway.store.models.orders import Order
from gateway.store.models.payments import PaymentCallback
from gateway.store.models.ussd import UssdSessionEvent
from tests.conftest import Phone
from tests.http_support import Gunicorn
from tests.http_support import HttpClient
from tests.journeys_support import PIN
from tests.journeys_support import Walk
from tests.journeys_support import list_goods
from tests.journeys_support import register_seller
from tests.parcel_support import code_sent_to
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import shipment
from tests.payment_support import TOKEN
from tests.payment_support import fake_daraja  # noqa: F401  (a fixture)
from tests.sms_support import Texter
from tests.sms_support import rows

AT_TOKEN = "at-token-" + "k" * 40
KEYS = {"swiftbox": "swiftbox-key-" + "s" * 32, "acme": "acme-key-" + "a" * 32}
SELLER = "+254722000351"
BUYER = "+254711000351"
WRONG_PINS = ("1357", "2468", "9753")
WRONG_CODE = "731902"
OUTSIDER = "203.0.113.9"


@pytest.fixture(scope="module")
def gateway(_migrated: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    """The gateway under gunicorn on the tests' database and Redis."""
    settings = _migrated.settings
    env = {
        "SOKONI_ENV": "test",
        "DATABASE_URL": settings.DATABASE_URL,
        "REDIS_URL": _migrated.connections.redis_url,
        "AT_CALLBACK_TOKEN": AT_TOKEN,
        "AT_ALLOWED_NETWORKS": "196.201.214.0/24",
        "TRUSTED_PROXIES": "1",
        "CALLBACK_TOKEN": TOKEN,
        "CARRIER_WEBHOOK_SECRETS": ",".join(f"{k}={v}" for k, v in KEYS.items()),
    }
    server = Gunicorn(env, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log").start()
    yield server
    server.stop()


@pytest.fixture()
def at(gateway: Gunicorn) -> HttpClient:
    """Africa's Talking: its token in the path, calling from its network."""
    return HttpClient(gateway.url, AT_TOKEN)


@pytest.fixture()
def forger(gateway: Gunicorn) -> HttpClient:
    """Someone on Africa's Talking's network without the token."""
    return HttpClient(gateway.url)


HOP = {
    "sessionId": "ATUid_http_1",
    "serviceCode": "*384*123#",
    "phoneNumber": BUYER,
    "networkCode": "63902",
    "text": "",
}


def test_forged_callbacks_answer_404_or_403_and_change_nothing_while_the_token_works(
    services: Services, gateway: Gunicorn, at: HttpClient, forger: HttpClient
) -> None:
    consent = Texter(forger, BUYER).form("YES", "ATXinb_http_1")  # type: ignore[arg-type]
    report = {"id": "ATXid_http", "status": "Success", "phoneNumber": BUYER}
    assert forger.post("/sms/inbound", data=consent).status_code == 404
    assert forger.post("/sms/inbound/guessed", data=consent).status_code == 404
    assert forger.post("/ussd", data=HOP).status_code == 404
    assert forger.post("/sms/delivery", data=report).status_code == 404
    outsider = HttpClient(gateway.url, AT_TOKEN, forwarded_for=OUTSIDER)
    assert outsider.post("/sms/inbound", data=consent).status_code == 403
    assert outsider.post("/ussd", data=HOP).status_code == 403
    assert rows(services, SmsInbound) == [] and rows(services, SmsDeliveryReport) == []

    assert at.post("/sms/inbound", data=consent).status_code == 200
    assert at.post("/sms/delivery", data=report).status_code == 200
    assert at.post("/ussd", data=HOP).data.startswith(b"CON ")
    assert len(rows(services, SmsInbound)) == len(rows(services, SmsDeliveryReport)) == 1


def test_a_2_mb_body_answers_413_before_it_is_read(services: Services, gateway: Gunicorn) -> None:
    """Only the headers and the first kilobyte are sent: the answer comes without the rest."""
    head = (
        f"POST /sms/inbound/{AT_TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"X-Forwarded-For: 196.201.214.10\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {2 * 1024 * 1024}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=30) as conn:
        conn.sendall(head.encode() + b"text=" + b"x" * 1024)
        answer = conn.recv(200)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert rows(services, SmsInbound) == []


def test_carriers_sign_with_their_own_key_and_only_the_booked_one_is_heard(
    services: Services, app, gateway: Gunicorn, run_outbox
) -> None:
    carrier = HttpClient(gateway.url)
    ref = paid_parcel(services)
    assert app.test_cli_runner().invoke(args=["parcels", "book", ref, "swiftbox"]).exit_code == 0
    forged = post_event(
        carrier, KEYS["acme"], carrier="swiftbox", tracking_ref=ref, status="in_transit"
    )
    assert forged.status_code == 401
    for _ in range(6):
        other = post_event(
            carrier,
            KEYS["acme"],
            carrier="acme",
            tracking_ref=ref,
            status="delivered",
            delivery_code=WRONG_CODE,
        )
        assert other.status_code == 409
    parcel = shipment(services, ref)
    assert (parcel.status, parcel.carrier_code_attempts, parcel.carrier_locked_until) == (
        "created",
        0,
        None,
    )
    moved = post_event(
        carrier, KEYS["swiftbox"], carrier="swiftbox", tracking_ref=ref, status="in_transit"
    )
    assert moved.status_code == 202 and moved.json["result"] == "queued"
    run_outbox()
    assert shipment(services, ref).status == "in_transit"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SOKONI_ENV": "Production"}, "SOKONI_ENV='Production' is not one of development"),
        (
            {"SOKONI_ENV": "production", "SECRET_KEY": "short", "CALLBACK_BASE_URL": "http://x"},
            "SECRET_KEY is shorter than 32 characters",
        ),
    ],
    ids=["unknown environment", "weak production"],
)
def test_a_process_with_misreadable_or_weak_settings_refuses_to_start(env, named) -> None:
    started = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "secrets", "new"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0 and named in started.stderr


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""An id such as RQ's job ids: a group of it may read like a 4-digit code by chance."""


def _grep(text: str, needles: list[str]) -> list[str]:
    """The needles found in `text` on their own (not inside a longer word or number, nor in a
    UUID: CI once saw a job id `23fd22a4-4826-...` beside a delivery code 4826)."""
    text = UUID.sub("<uuid>", text)
    return [
        n for n in needles if re.search(rf"(?<![0-9A-Za-z]){re.escape(n)}(?![0-9A-Za-z])", text)
    ]


def test_after_a_whole_story_no_token_pin_or_code_is_in_any_log_or_stored_sms(
    services: Services,
    app,
    gateway: Gunicorn,
    at: HttpClient,
    forger: HttpClient,
    run_outbox,
    fake_at,
    fake_daraja,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    provider = HttpClient(gateway.url)
    seller = register_seller(Phone(at, SELLER), "Wanjiru Farm", "Nakuru", "Molo")  # type: ignore[arg-type]
    listed = list_goods(seller, "Grains and flour", "Maize", "bag", "3200", "40")
    code_of_listing = re.search(r"Listed as (\w+)", listed)[1]  # type: ignore[index]
    Texter(at, BUYER).text(f"ORDER {code_of_listing} 2")  # type: ignore[arg-type]
    run_outbox()
    assert provider.post(f"/payments/mpesa/{TOKEN}", json=fake_daraja.complete()).status_code == 200
    assert provider.post("/payments/mpesa/guessed", json={"Body": {}}).status_code == 403
    run_outbox()
    with services.uow() as uow:
        ref = uow.session.scalar(select(Order.ref))
    assert shipment(services, ref).status == "created"

    swiftbox = KEYS["swiftbox"]
    for status in ("picked_up", "out_for_delivery"):
        assert post_event(provider, swiftbox, tracking_ref=ref, status=status).status_code == 202
    run_outbox()
    code = code_sent_to(fake_at, BUYER)
    wrong = post_event(
        provider, swiftbox, tracking_ref=ref, status="delivered", delivery_code=WRONG_CODE
    )
    forged = post_event(
        provider, "guessed", tracking_ref=ref, status="delivered", delivery_code=code
    )
    assert (wrong.status_code, forged.status_code) == (409, 401)
    done = post_event(provider, swiftbox, tracking_ref=ref, status="delivered", delivery_code=code)
    assert done.status_code == 200 and done.json["status"] == "delivered"
    run_outbox()

    seller = Walk(Phone(at, SELLER)).dial()  # type: ignore[arg-type]
    seller.go(
        "@Sell", "@My listings", f"@{code_of_listing} Maize", "@Change price", "1", *WRONG_PINS
    )
    assert seller.screen.startswith("END Too many wrong PINs.")
    run_outbox()
    [sent] = [call for call in fake_at.received if BUYER in call.recipients][-1:]
    assert (
        at.post("/sms/delivery", data=fake_at.delivery_report(sent.message_ids[0])).status_code
        == 200
    )
    assert (
        forger.post("/sms/inbound", data=Texter(forger, BUYER).form("YES", "x1")).status_code == 404
    )  # type: ignore[arg-type]
    session_end = {**HOP, "status": "Success", "date": "2026-11-29 10:15:42", "hopsCount": "1"}
    assert at.post("/ussd/events", data=session_end).status_code == 200
    assert len(rows(services, UssdSessionEvent)) == 1 and rows(services, PaymentCallback)

    gateway_log, worker_log = gateway.output(), caplog.text
    stored = "\n".join(m.text for m in rows(services, SmsMessage))
    assert "Your delivery code is ******." in stored  # what the grep looks for was there
    assert any(code in call.message for call in fake_at.received)
    assert '"POST /sms/inbound/*** HTTP/1.1" 200' in gateway_log
    assert '"POST /payments/mpesa/*** HTTP/1.1" 200' in gateway_log
    assert '"POST /sms/inbound HTTP/1.1" 404' in gateway_log
    secrets = [AT_TOKEN, TOKEN, *KEYS.values()]
    typed = [PIN, *WRONG_PINS, code, WRONG_CODE]
    for name, text in (("gateway", gateway_log), ("worker", worker_log), ("SMS", stored)):
        assert [s for s in secrets if s in text] == [], name
        assert _grep(text, typed) == [], name
