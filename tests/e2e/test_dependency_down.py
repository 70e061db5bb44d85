"""With the database and Redis unreachable, every callback gets a JSON 503 that its sender
retries (never an HTML page, never a traceback), and a USSD hop a clean END."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from config.settings import load
from gateway.app import create_app
from gateway.providers.carriers.events import sign

NOWHERE_SQL = "postgresql://postgres@127.0.0.1:1/test_nowhere"
NOWHERE_REDIS = "redis://127.0.0.1:1/0"
SECRET = "down-logistics-secret"
EVENT = json.dumps(
    {
        "carrier": "swiftbox",
        "tracking_ref": "K7M2QX",
        "status": "in_transit",
        "occurred_at": "2026-11-29T11:34:18+03:00",
        "event_id": "sb-down",
    }
).encode()
CALLBACKS = [
    ("/sms/inbound", {"data": {"id": "ATXid_d1", "from": "+254711000801", "text": "HELP"}}),
    ("/sms/delivery", {"data": {"id": "ATXid_d2", "status": "Success"}}),
    ("/sms/optout", {"data": {"phoneNumber": "+254711000802"}}),
    ("/ussd/events", {"data": {"sessionId": "ATUid_d", "status": "Success"}}),
    (
        "/logistics/events",
        {
            "data": EVENT,
            "headers": {"X-Sokoni-Signature": sign(EVENT, SECRET)},
            "content_type": "application/json",
        },
    ),
    ("/payments/mpesa/dev-callback-token", {"json": {"Body": {"stkCallback": {}}}}),
    ("/payments/momo/dev-callback-token", {"json": {"status": "SUCCESSFUL"}}),
]


@pytest.fixture()
def cut_off() -> FlaskClient:
    """The app with its database and Redis both unreachable."""
    settings = load(
        {},
        SOKONI_ENV="test",
        DATABASE_URL=NOWHERE_SQL,
        REDIS_URL=NOWHERE_REDIS,
        LOGISTICS_WEBHOOK_SECRET=SECRET,
    )
    return create_app(settings).test_client()


@pytest.mark.parametrize(("path", "request_kwargs"), CALLBACKS, ids=[c[0] for c in CALLBACKS])
def test_a_callback_while_the_database_is_down_gets_a_json_503_to_retry(
    cut_off: FlaskClient, path: str, request_kwargs: dict
) -> None:
    response = cut_off.post(path, **request_kwargs)
    assert response.status_code == 503
    assert response.mimetype == "application/json"
    assert response.get_json() == {"error": "database unavailable; retry later"}
    assert response.headers["Retry-After"] == "30"


def test_a_ussd_hop_while_redis_is_down_gets_a_clean_end(cut_off: FlaskClient) -> None:
    form = {
        "sessionId": "ATUid_d2",
        "phoneNumber": "+254711000803",
        "text": "",
        "serviceCode": "*384*123#",
    }
    response = cut_off.post("/ussd", data=form)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True).startswith("END ")


def test_health_names_what_is_down(cut_off: FlaskClient) -> None:
    response = cut_off.get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["redis"].startswith("down") and body["database"].startswith("down")


def test_an_unknown_path_or_method_is_answered_in_json(cut_off: FlaskClient) -> None:
    for response, status in ((cut_off.get("/nowhere"), 404), (cut_off.get("/sms/inbound"), 405)):
        assert (response.status_code, response.mimetype) == (status, "application/json")
        assert "error" in response.get_json()
