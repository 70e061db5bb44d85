"""Every field of every documented request, one at a time, replaced by something hostile (NUL
bytes, control characters, a lone surrogate, huge and negative numbers): the answer is never a
server error and never HTML. Complements the random search of `test_fuzz.py` deterministically:
the inputs measured as HTTP 500 before the contract existed are all here."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from flask.testing import FlaskClient

from gateway.bootstrap import Services
from gateway.providers.carriers.events import sign
from tests.parcel_support import paid_parcel

TOKEN = "hostile-callback-token"
SECRET = "hostile-logistics-secret"
HOSTILE: tuple[Any, ...] = (
    "\x00",
    "K7M\x00QX",
    "\x1b[2J\x07",
    "\ud800",
    99999999999999999999,
    "99999999999999999999",
    -1,
    "",
    "x" * 10_000,
)
FORMS = {
    "/ussd": {
        "sessionId": "ATUid_hostile",
        "serviceCode": "*384*123#",
        "phoneNumber": "+254711000901",
        "networkCode": "63902",
        "text": "1",
    },
    "/ussd/events": {"sessionId": "ATUid_hostile", "status": "Success", "hopsCount": "3"},
    "/sms/inbound": {"id": "ATXid_h1", "from": "+254711000902", "text": "HELP", "to": "22384"},
    "/sms/delivery": {"id": "ATXid_h2", "status": "Success", "retryCount": "0"},
    "/sms/optout": {"senderId": "SOKONI", "phoneNumber": "+254711000903"},
    f"/payments/sandbox/{TOKEN}": {"ref": "NOSUCH", "result": "approve"},
}


def _json_bodies(ref: str) -> dict[str, dict[str, Any]]:
    return {
        "/logistics/events": {
            "carrier": "swiftbox",
            "tracking_ref": ref,
            "status": "in_transit",
            "occurred_at": "2099-01-01T00:00:00Z",
            "event_id": "sb-hostile",
            "location": "Nakuru hub",
            "note": "",
        },
        f"/payments/mpesa/{TOKEN}": {
            "Body": {
                "stkCallback": {
                    "MerchantRequestID": "29115-34620561-1",
                    "CheckoutRequestID": "ws_CO_191220191020363925",
                    "ResultCode": 0,
                    "ResultDesc": "The service request is processed successfully.",
                }
            }
        },
        f"/payments/momo/{TOKEN}": {
            "financialTransactionId": "23503452",
            "externalId": ref,
            "amount": "100",
            "currency": "EUR",
            "status": "SUCCESSFUL",
        },
    }


def _variants(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**body, name: value} for name in body for value in HOSTILE]


def _nested(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Variants of the top level, and of the fields one level down (Daraja's stkCallback)."""
    found = _variants(body)
    for name, inner in body.items():
        if isinstance(inner, dict):
            for key, deeper in inner.items():
                if isinstance(deeper, dict):
                    found += [{name: {key: v}} for v in _variants(deeper)]
    return found


def _assert_clean(response: Any, path: str, body: Any) -> None:
    assert response.status_code < 500, (path, body, response.get_data(as_text=True))
    assert response.mimetype in ("text/plain", "application/json"), (path, response.mimetype)


@pytest.fixture()
def hostile(services: Services) -> Any:
    original = services.settings
    services.settings = replace(original, CALLBACK_TOKEN=TOKEN, LOGISTICS_WEBHOOK_SECRET=SECRET)
    yield services
    services.settings = original


@pytest.mark.parametrize("path", list(FORMS))
def test_a_hostile_value_in_any_form_field_is_refused_or_cleaned_never_a_server_error(
    hostile: Services, client: FlaskClient, path: str
) -> None:
    for form in _variants(FORMS[path]):
        sent = {k: v if isinstance(v, str) else str(v) for k, v in form.items()}
        if "\ud800" in sent.values():
            continue  # a form is bytes: a lone surrogate cannot be sent in one
        _assert_clean(client.post(path, data=sent), path, sent)


def test_a_hostile_value_in_any_json_field_is_refused_or_cleaned_never_a_server_error(
    hostile: Services, client: FlaskClient
) -> None:
    ref = paid_parcel(hostile)
    for path, body in _json_bodies(ref).items():
        for variant in _nested(body):
            raw = json.dumps(variant).encode()
            headers = {"Content-Type": "application/json", "X-Sokoni-Signature": sign(raw, SECRET)}
            for method in ("post", "put") if "momo" in path else ("post",):
                response = client.open(path, method=method, data=raw, headers=headers)
                _assert_clean(response, path, variant)


@pytest.mark.parametrize(
    "path", ["/logistics/events", f"/payments/mpesa/{TOKEN}", f"/payments/momo/{TOKEN}"]
)
def test_json_nested_past_any_parsers_limit_is_refused_not_a_server_error(
    hostile: Services, client: FlaskClient, path: str
) -> None:
    raw = b"[" * 5000
    headers = {"Content-Type": "application/json", "X-Sokoni-Signature": sign(raw, SECRET)}
    response = client.post(path, data=raw, headers=headers)
    assert response.status_code == 400
    _assert_clean(response, path, raw)
