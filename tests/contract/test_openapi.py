"""The published OpenAPI document covers every route the app serves, and nothing else, and the
payloads providers really send fit the request schemas it publishes."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient

from gateway.commerce.messaging.outgoing import queue_sms
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.providers.fakes.daraja import FakeDaraja
from gateway.web import schemas
from gateway.web.openapi import PAGES_FOR_PEOPLE
from tests.payment_support import fake_daraja  # noqa: F401  (a fixture)
from tests.payment_support import kenyan_order
from tests.sms_support import Texter

IGNORED_METHODS = {"HEAD", "OPTIONS"}
CARRIER_EVENT = {
    "carrier": "swiftbox",
    "tracking_ref": "K7M2QX",
    "status": "AvailableForPickup",
    "occurred_at": "2026-11-29T11:34:18+03:00",
    "location": "Mama Njeri Shop, Molo",
    "note": "",
    "event_id": "sb-000123",
}
"""The README's example event."""


def _routes(app: Flask) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.split(".")[0] in PAGES_FOR_PEOPLE:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        found |= {
            (method.lower(), path) for method in rule.methods or () if method not in IGNORED_METHODS
        }
    return found


def _documented(client: FlaskClient) -> set[tuple[str, str]]:
    document = client.get("/openapi.json").get_json()
    return {(method, path) for path, item in document["paths"].items() for method in item}


def test_every_route_the_app_serves_is_in_the_published_document(
    app: Flask, client: FlaskClient
) -> None:
    missing = _routes(app) - _documented(client)
    assert not missing, f"routes missing from gateway/web/openapi.py OPERATIONS: {sorted(missing)}"


def test_the_document_names_no_route_the_app_does_not_serve(
    app: Flask, client: FlaskClient
) -> None:
    assert _documented(client) - _routes(app) == set()


def test_the_document_is_openapi_3_1_with_its_authentication(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert (
        document["components"]["securitySchemes"]["carrierSignature"]["name"]
        == "X-Sokoni-Signature"
    )
    mpesa = document["paths"]["/payments/mpesa/{token}"]["post"]
    assert mpesa["parameters"] == [{"$ref": "#/components/parameters/CallbackToken"}]
    assert document["paths"]["/logistics/events"]["post"]["security"] == [{"carrierSignature": []}]


def test_what_africas_talking_sends_fits_the_published_forms(
    services, fake_at: FakeAfricasTalking, run_outbox
) -> None:
    inbound = Texter(None, "+254711000701").form("ORDER K7M2QX 2", "ATXid_1")  # type: ignore[arg-type]
    assert schemas.SmsInbound.model_validate(inbound).fields()["from"] == "+254711000701"
    with services.uow() as uow:
        queue_sms(uow, "+254711000702", "Your parcel is on its way", kind="transactional")
        uow.commit()
    run_outbox()
    [message_id] = fake_at.received[0].message_ids
    report = fake_at.delivery_report(message_id, "Failed", failureReason="InsufficientCredit")
    assert schemas.SmsDelivery.model_validate(report).fields()["status"] == "Failed"


def test_what_daraja_sends_fits_the_published_callback(
    services,
    fake_daraja: FakeDaraja,  # noqa: F811
    run_outbox,
) -> None:
    kenyan_order(services)
    run_outbox()
    body = fake_daraja.complete()
    assert schemas.DarajaStkCallback.model_validate(body).Body["stkCallback"]["ResultCode"] == 0


def test_what_a_carrier_sends_fits_the_published_event() -> None:
    event = schemas.CarrierEvent.model_validate_json(json.dumps(CARRIER_EVENT))
    assert (event.status, event.delivery_code) == ("AvailableForPickup", None)
