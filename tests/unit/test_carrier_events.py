"""Reading and checking carrier webhooks: the signature, then the body, as a table of cases."""

import hmac
import json
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.providers.carriers.events import CarrierEvent
from gateway.providers.carriers.events import claimed_carrier
from gateway.providers.carriers.events import parse_event
from gateway.providers.carriers.events import sign
from gateway.providers.carriers.events import signature_ok

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
VALID = {
    "carrier": "swiftbox",
    "tracking_ref": "K7M2QX",
    "status": "in_transit",
    "occurred_at": "2026-11-29T11:34:18+03:00",
    "location": "Nakuru hub",
    "note": "",
    "event_id": "sb-001",
}


@dataclass(frozen=True)
class Case:
    label: str
    changes: dict[str, Any]
    reason: str | None = None


CASES = [
    Case("valid", {}),
    Case("aggregator status word", {"status": "AvailableForPickup"}),
    Case("utc with Z", {"occurred_at": "2026-11-29T08:34:18Z"}),
    Case("delivered with its code", {"status": "delivered", "delivery_code": "482913"}),
    Case("no location or note", {"location": None, "note": None}),
    Case("missing event id", {"event_id": None}, "missing event_id"),
    Case("missing two", {"carrier": "", "tracking_ref": None}, "missing carrier, tracking_ref"),
    Case("unknown status", {"status": "teleported"}, "unknown status 'teleported'"),
    Case("created is ours", {"status": "created"}, "unknown status 'created'"),
    Case("naive time", {"occurred_at": "2026-11-29T08:34:18"}, "occurred_at needs a UTC offset"),
    Case("not a time", {"occurred_at": "yesterday"}, "occurred_at is not an ISO 8601 time"),
    Case("time as number", {"occurred_at": 1764405258}, "occurred_at must be an ISO 8601 string"),
    Case(
        "in the future",
        {"occurred_at": (NOW + timedelta(hours=1)).isoformat()},
        "occurred_at is in the future",
    ),
    Case(
        "carrier with spaces",
        {"carrier": "Swift Box"},
        "carrier must be 1-20 lower-case letters, digits, - or _",
    ),
    Case("location too long", {"location": "x" * 61}, "location is longer than 60 characters"),
    Case("note not text", {"note": ["late"]}, "note must be a string"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_a_webhook_body_is_read_or_refused_with_its_reason(case):
    body = json.dumps({**VALID, **case.changes}).encode()
    got = parse_event(body, NOW)
    if case.reason is None:
        assert isinstance(got, CarrierEvent) and got.carrier == "swiftbox"
    else:
        assert got == case.reason


def test_a_valid_event_is_in_our_vocabulary_and_keeps_its_offset_as_an_instant():
    got = parse_event(json.dumps({**VALID, "status": "DeliveryFailed"}).encode(), NOW)
    assert got.status == "failed_delivery" and got.location == "Nakuru hub" and got.note is None
    assert got.occurred_at == datetime(2026, 11, 29, 8, 34, 18, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "the body is not JSON"),
        (b"[1, 2]", "the body must be a JSON object"),
        (b"\xff\xfe", "the body is not JSON"),
        (b"{" + b" " * 9000 + b"}", "the body is larger than 8192 bytes"),
    ],
)
def test_a_body_that_is_no_json_object_is_refused(body, reason):
    assert parse_event(body, NOW) == reason


def test_the_signature_is_hmac_sha256_of_the_raw_body_in_hex():
    body = b'{"carrier":"swiftbox"}'
    assert sign(body, "s3cret") == "sha256=" + hmac.new(b"s3cret", body, "sha256").hexdigest()
    assert signature_ok(body, sign(body, "s3cret"), ["s3cret"])


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha256=00", "md5=abc", "SHA256=x"])
def test_a_missing_or_wrong_signature_is_refused(header):
    assert not signature_ok(b"{}", header, ["s3cret"])


def test_without_a_secret_nothing_is_trusted():
    assert not signature_ok(b"{}", sign(b"{}", ""), [""])
    assert not signature_ok(b"{}", sign(b"{}", "s3cret"), [])


def test_the_old_key_still_signs_while_it_rotates_out():
    assert signature_ok(b"{}", sign(b"{}", "old-key"), ["new-key", "old-key"])
    assert not signature_ok(b"{}", sign(b"{}", "older-key"), ["new-key", "old-key"])


@pytest.mark.parametrize(
    ("body", "carrier"),
    [
        (b'{"carrier": "acme", "status": "x"}', "acme"),
        (b'{"carrier": 7}', ""),
        (b"[1, 2]", ""),
        (b"not json", ""),
        (b"\xff\xfe", ""),
    ],
)
def test_the_carrier_a_body_claims_chooses_the_key(body, carrier):
    assert claimed_carrier(body) == carrier


@given(st.binary(min_size=1, max_size=200), st.integers(min_value=0), st.integers(1, 255))
def test_changing_any_byte_of_the_body_breaks_the_signature(body, position, flip):
    header = sign(body, "s3cret")
    index = position % len(body)
    tampered = body[:index] + bytes([body[index] ^ flip]) + body[index + 1 :]
    keys = ["s3cret"]
    assert signature_ok(body, header, keys) and not signature_ok(tampered, header, keys)


@pytest.mark.parametrize("name", ["tracking_ref", "event_id", "location", "note", "delivery_code"])
def test_a_control_character_in_any_text_field_is_refused(name):
    body = json.dumps({**VALID, name: "K7M2\x00QX"}).encode()
    assert parse_event(body, NOW) == f"{name} contains a control character"
