"""The requests the phone simulator sends, each exactly as its provider sends it: Africa's
Talking's USSD hop and inbound SMS (form fields, at `/<AT_CALLBACK_TOKEN>` when set), the
sandbox's decision (`/payments/sandbox/<CALLBACK_TOKEN>`), a carrier's event (JSON signed with
the carrier's key). Each goes through the gateway's own WSGI application, guards included;
only the socket is skipped, so a click never waits for a free gunicorn worker.

The SMS inbox is read from the built-in fake Africa's Talking (`AT_API_URL`), which is what
received the messages.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

import requests
from flask import current_app

from config.settings import Settings
from gateway.providers.carriers.events import SIGNATURE_HEADER

SHORT_CODE = "22384"
"""The short code the simulator texts (any works: the gateway answers every one)."""
LOCAL = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def _send(method: str, path: str, **kwargs: Any) -> Answer:
    with current_app.test_client() as client:
        response = client.open(path, method=method, **kwargs)
        return Answer(response.status_code, response.get_data(as_text=True))


def _at(settings: Settings, path: str) -> str:
    return f"{path}/{settings.AT_CALLBACK_TOKEN}" if settings.AT_CALLBACK_TOKEN else path


def hop(
    settings: Settings, session_id: str, service_code: str, number: str, network: str, text: str
) -> Answer:
    """One USSD hop: every input so far joined with `*`, as Africa's Talking sends it."""
    form = {
        "sessionId": session_id,
        "serviceCode": service_code,
        "phoneNumber": number,
        "networkCode": network,
        "text": text,
    }
    return _send("POST", _at(settings, "/ussd"), data=form)


def text_in(settings: Settings, number: str, network: str, text: str) -> Answer:
    """An SMS the phone sends to the short code, as Africa's Talking forwards it."""
    form = {
        "from": number,
        "to": SHORT_CODE,
        "text": text,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "id": f"ATXid_sim{uuid.uuid4().hex}",
        "linkId": uuid.uuid4().hex,
        "networkCode": network,
    }
    return _send("POST", _at(settings, "/sms/inbound"), data=form)


def decide(settings: Settings, ref: str, result: str) -> Answer:
    """The sandbox wallet's decision on a payment prompt."""
    path = f"/payments/sandbox/{settings.CALLBACK_TOKEN}"
    return _send("POST", path, data={"ref": ref, "result": result})


def carrier_event(
    settings: Settings, carrier: str, ref: str, status: str, code: str, location: str
) -> Answer:
    """A carrier's webhook event about parcel `ref`, signed with that carrier's key."""
    event = {
        "carrier": carrier,
        "tracking_ref": ref,
        "status": status,
        "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "location": location,
        "note": "",
        "event_id": f"sim-{uuid.uuid4().hex[:16]}",
    }
    if code:
        event["delivery_code"] = code
    body = json.dumps(event).encode()
    keys = settings.webhook_keys(carrier)
    signature = hmac.new(keys[0].encode(), body, hashlib.sha256).hexdigest() if keys else ""
    return _send(
        "POST",
        "/logistics/events",
        data=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: f"sha256={signature}"},
    )


def inbox(settings: Settings, number: str) -> list[dict[str, str]] | None:
    """What `number` received from the built-in fake Africa's Talking, oldest first; None when
    SMS go to a real Africa's Talking (or the fake does not answer)."""
    if urlparse(settings.at_api_url).hostname not in LOCAL:
        return None
    try:
        answer = requests.get(
            f"{settings.at_api_url}/fake/inbox", params={"phoneNumber": number}, timeout=3
        )
        messages: list[dict[str, str]] = answer.json()["messages"]
    except (requests.RequestException, ValueError, KeyError):
        return None
    return messages
