"""Carrier events as they arrive: the HMAC-signed JSON of `POST /logistics/events`.

The body is `{carrier, tracking_ref, status, occurred_at, location, note, event_id}` plus
`delivery_code` on a `delivered` event, signed with HMAC-SHA256 of the raw body under the key
of the carrier it names (`Settings.webhook_keys`) and sent as `X-Sokoni-Signature:
sha256=<hex digest>`. Statuses are ours, or the aggregators' names for them (STATUS); anything
else is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from gateway.text.control import has_control

SIGNATURE_HEADER = "X-Sokoni-Signature"
MAX_BODY = 8192
FUTURE_SKEW = timedelta(minutes=5)
"""How far in the future an event's time may be (clocks differ) before it is refused."""
CARRIER_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,19}")
STATUS = {
    "picked_up": "picked_up",
    "PickedUp": "picked_up",
    "in_transit": "in_transit",
    "InTransit": "in_transit",
    "at_pickup_point": "at_pickup_point",
    "AvailableForPickup": "at_pickup_point",
    "out_for_delivery": "out_for_delivery",
    "OutForDelivery": "out_for_delivery",
    "delivered": "delivered",
    "Delivered": "delivered",
    "failed_delivery": "failed_delivery",
    "DeliveryFailed": "failed_delivery",
    "returning": "returning",
    "Returning": "returning",
    "returned": "returned",
    "Returned": "returned",
    "expired": "expired",
    "Expired": "expired",
    "at_border": "at_border",
    "AtBorder": "at_border",
    "cleared_border": "cleared_border",
    "ClearedBorder": "cleared_border",
    "CustomsCleared": "cleared_border",
}
"""A carrier's status word → ours."""
TEXT_FIELDS = {"tracking_ref": 40, "event_id": 64, "location": 60, "note": 200, "delivery_code": 12}
"""Longest value of each text field."""
REQUIRED = ("carrier", "tracking_ref", "status", "occurred_at", "event_id")


def sign(body: bytes, secret: str) -> str:
    """The header value for `body`: `sha256=<hex digest>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, header: str | None, keys: Sequence[str]) -> bool:
    """Whether `header` signs `body` under one of `keys` (compared in constant time)."""
    if not header:
        return False
    given = header.strip().encode()
    return any(key and hmac.compare_digest(sign(body, key).encode(), given) for key in keys)


def claimed_carrier(body: bytes) -> str:
    """The carrier a body names, unchecked (it chooses the key to check the signature with);
    empty when the body names none."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ""
    name = data.get("carrier") if isinstance(data, dict) else None
    return name if isinstance(name, str) else ""


@dataclass(frozen=True)
class CarrierEvent:
    """One carrier event, checked and in our vocabulary (fits parcels.CarrierReport)."""

    carrier: str
    tracking_ref: str
    status: str
    occurred_at: datetime
    event_id: str
    location: str | None = None
    note: str | None = None
    delivery_code: str | None = None


class Malformed(ValueError):
    """The event cannot be read; the message says why."""


def parse_time(value: Any) -> datetime:
    """An ISO 8601 time with its UTC offset (`2026-11-29T08:34:18+03:00`, or `Z`)."""
    if not isinstance(value, str):
        raise Malformed("occurred_at must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Malformed("occurred_at is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise Malformed("occurred_at needs a UTC offset")
    return moment


def _text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Malformed(f"{name} must be a string")
    if len(value) > TEXT_FIELDS[name]:
        raise Malformed(f"{name} is longer than {TEXT_FIELDS[name]} characters")
    if has_control(value):
        raise Malformed(f"{name} contains a control character")
    return value.strip() or None


def event_of(data: Any, carrier: str | None = None) -> CarrierEvent:
    """A decoded event (`carrier` given by the caller when polling).

    Raises:
        Malformed.
    """
    if not isinstance(data, dict):
        raise Malformed("the body must be a JSON object")
    data = {"carrier": carrier, **data} if carrier else data
    missing = [name for name in REQUIRED if data.get(name) in (None, "")]
    if missing:
        raise Malformed(f"missing {', '.join(missing)}")
    name = data["carrier"]
    if not isinstance(name, str) or not CARRIER_NAME.fullmatch(name):
        raise Malformed("carrier must be 1-20 lower-case letters, digits, - or _")
    status = data["status"]
    if not isinstance(status, str) or status not in STATUS:
        raise Malformed(f"unknown status {str(status)[:30]!r}")
    return CarrierEvent(
        carrier=name,
        tracking_ref=_text(data, "tracking_ref") or "",
        status=STATUS[status],
        occurred_at=parse_time(data["occurred_at"]),
        event_id=_text(data, "event_id") or "",
        location=_text(data, "location"),
        note=_text(data, "note"),
        delivery_code=_text(data, "delivery_code"),
    )


def parse_event(body: bytes, now: datetime) -> CarrierEvent | str:
    """The event in a webhook body, or the reason it is refused."""
    if len(body) > MAX_BODY:
        return f"the body is larger than {MAX_BODY} bytes"
    try:
        event = event_of(json.loads(body))
    except (ValueError, UnicodeDecodeError) as err:
        return str(err) if isinstance(err, Malformed) else "the body is not JSON"
    if event.occurred_at > now + FUTURE_SKEW:
        return "occurred_at is in the future"
    return event
