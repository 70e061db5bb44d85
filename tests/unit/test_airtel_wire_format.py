"""Reading Airtel Money callbacks and our transaction ids; a callback without the right hash,
or not about one of our ids, does not get in."""

import base64
import hashlib
import hmac
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.providers.errors import MalformedCallback
from gateway.providers.errors import SendError
from gateway.providers.payments.airtel import Airtel
from gateway.providers.payments.airtel_wire import Route
from gateway.providers.payments.airtel_wire import callback_hash
from gateway.providers.payments.airtel_wire import outcome
from gateway.providers.payments.airtel_wire import request_key_of
from gateway.providers.payments.airtel_wire import route_of
from gateway.providers.payments.airtel_wire import transaction_id
from gateway.providers.payments.base import PaymentStatus
from gateway.providers.payments.base import PayoutStatus
from tests.payment_support import JSON

SECRET = "portal-callback-secret"
SIGNED = Airtel("http://airtel.invalid", "client", "secret", callback_secret=SECRET)
UNSIGNED = Airtel("http://airtel.invalid", "client", "secret")
KEY = "3f2c9a1e-7b4d-4c1a-9e2f-0a1b2c3d4e5f"
PUSH_ID = transaction_id(Route("C", "UG", "UGX"), KEY)
PAYOUT_ID = transaction_id(Route("D", "ZM", "ZMW"), KEY)


def _transaction(tid: str = PUSH_ID, status_code: str = "TS", **fields: object) -> dict:
    return {
        "id": tid,
        "message": "Transaction is successful.",
        "status_code": status_code,
        "airtel_money_id": "MP210603.1234.A12345",
        **fields,
    }


def _raw(transaction: dict, signature: object = "sign") -> bytes:
    body: dict[str, object] = {"transaction": transaction}
    if signature == "sign":
        body["hash"] = callback_hash(SECRET.encode(), transaction)
    elif signature is not None:
        body["hash"] = signature
    return json.dumps(body).encode()


def test_a_transaction_id_is_the_route_then_the_keys_letters_and_digits():
    assert PUSH_ID == "CUGUGX3f2c9a1e7b4d4c1a9e2f0a1b2c3d4e5f"
    assert route_of(PUSH_ID) == Route("C", "UG", "UGX")
    assert route_of(transaction_id(Route("D", "CD", "USD"), KEY)) == Route("D", "CD", "USD")


@pytest.mark.parametrize(
    "tid",
    ["", "CUGUGX", "XUGUGX123", "CKEUGX123", "CUGUGX12-3", "CUGUGX" + "a" * 75, "random-unique-id"],
)
def test_an_id_we_did_not_make_has_no_route(tid):
    assert route_of(tid) is None


@pytest.mark.parametrize("key", ["k" * 75, "----", ""])
def test_a_key_that_makes_no_airtel_id_is_refused_for_good(key):
    with pytest.raises(SendError) as refused:
        transaction_id(Route("C", "UG", "UGX"), key)
    assert not refused.value.retryable and not refused.value.ambiguous


def test_the_hash_is_hmac_sha256_of_the_sorted_compact_transaction_in_base64():
    mac = hmac.new(b"key", b'{"id":"CUGUGX12345","status_code":"TS"}', hashlib.sha256)
    expected = base64.b64encode(mac.digest()).decode()
    assert callback_hash(b"key", {"status_code": "TS", "id": "CUGUGX12345"}) == expected


def test_a_signed_success_callback_is_read():
    assert SIGNED.parse_callback(_raw(_transaction())) == PaymentStatus(
        "succeeded", PUSH_ID, code="TS", receipt="MP210603.1234.A12345"
    )


def test_the_hash_may_come_in_hex_too():
    transaction = _transaction()
    canonical = json.dumps(transaction, sort_keys=True, separators=(",", ":"))
    as_hex = hmac.new(SECRET.encode(), canonical.encode(), hashlib.sha256).hexdigest()
    assert SIGNED.parse_callback(_raw(transaction, as_hex)).state == "succeeded"


@pytest.mark.parametrize(
    "body",
    [
        _raw(_transaction(), None),
        _raw(_transaction(), ""),
        _raw(_transaction(), 12345),
        _raw(_transaction(), callback_hash(b"another secret", _transaction())),
        _raw(_transaction(), callback_hash(SECRET.encode(), _transaction(status_code="TF"))),
    ],
    ids=["missing", "empty", "a number", "another secret", "another transaction"],
)
def test_a_callback_without_the_right_hash_is_refused(body):
    with pytest.raises(MalformedCallback, match="bad hash"):
        SIGNED.parse_callback(body)


def test_without_a_callback_secret_no_hash_is_asked_for():
    assert UNSIGNED.parse_callback(_raw(_transaction(), None)).state == "succeeded"


@pytest.mark.parametrize(
    ("status_code", "state"),
    [
        ("TS", "succeeded"),
        ("TF", "failed"),
        ("TE", "failed"),
        ("TIP", "pending"),
        ("TA", "pending"),
        ("ts", "succeeded"),
        ("TQ", "pending"),
        ("SUCCESS", "pending"),
        ("", "pending"),
    ],
)
def test_only_ts_tf_and_te_are_final_and_any_other_status_is_pending(status_code, state):
    status = SIGNED.parse_callback(_raw(_transaction(status_code=status_code)))
    assert status.state == state
    assert status.receipt == ("MP210603.1234.A12345" if state == "succeeded" else None)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("Not enough balance", "insufficient_funds"),
        ("Insufficient funds in wallet", "insufficient_funds"),
        ("Incorrect pin has been entered.", "wrong_pin"),
        ("Transaction cancelled by the customer", "cancelled"),
        ("Transaction Declined by user", "cancelled"),
        ("The transaction was timed out.", "timeout"),
        ("The transaction was refused.", "declined"),
        ("Payer limit reached", "declined"),
        ("Something unexpected", "error"),
        (None, "error"),
    ],
)
def test_a_failure_message_names_its_reason(message, reason):
    status = SIGNED.parse_callback(_raw(_transaction(status_code="TF", message=message)))
    assert (status.state, status.code, status.reason) == ("failed", "TF", reason)


def test_an_expired_transaction_timed_out():
    assert SIGNED.parse_callback(_raw(_transaction(status_code="TE"))).reason == "timeout"


@pytest.mark.parametrize(
    ("code", "reason"),
    [("DP00800001007", "insufficient_funds"), ("DP00800001002", "wrong_pin"), ("DP1", "error")],
)
def test_an_enquirys_response_code_names_the_reason_before_its_words(code, reason):
    assert outcome("TF", "Transaction is successful.", code, None).reason == reason


def test_a_callback_about_a_disbursement_is_a_payout_named_by_our_request_key_too():
    assert SIGNED.parse_callback(_raw(_transaction(PAYOUT_ID))) == PayoutStatus(
        "succeeded", PAYOUT_ID, KEY, code="TS", receipt="MP210603.1234.A12345"
    )


@given(st.uuids())
def test_our_request_key_comes_back_out_of_any_id_made_from_it(key):
    for route in (Route("D", "UG", "UGX"), Route("C", "CD", "USD")):
        assert request_key_of(transaction_id(route, str(key))) == str(key)


@pytest.mark.parametrize("key", ["order-K7M2QX", "not-a-uuid-but-32-characters-long!"])
def test_an_id_made_from_a_key_that_is_no_uuid_names_no_request_key(key):
    assert request_key_of(transaction_id(Route("D", "UG", "UGX"), key)) is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b"{not json",
        json.dumps({"transaction": "TS"}).encode(),
        json.dumps({"transaction": {"id": PUSH_ID}}).encode(),
        json.dumps({"data": {"transaction": _transaction()}}).encode(),
        _raw(_transaction("random-unique-id")),
        _raw(_transaction(7)),
    ],
)
def test_anything_else_is_malformed(body):
    with pytest.raises(MalformedCallback):
        UNSIGNED.parse_callback(body)


@given(JSON)
def test_no_body_breaks_the_parser_with_anything_but_malformed(value):
    for client in (SIGNED, UNSIGNED):
        try:
            client.parse_callback(json.dumps(value).encode())
        except MalformedCallback:
            pass


@given(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from([PUSH_ID, PAYOUT_ID]) | st.text(max_size=12),
            "status_code": JSON,
            "message": JSON,
            "airtel_money_id": JSON,
        }
    )
)
def test_near_miss_callbacks_are_read_or_refused_never_crash(transaction):
    try:
        status = UNSIGNED.parse_callback(json.dumps({"transaction": transaction}).encode())
    except MalformedCallback:
        return
    assert status.state in ("succeeded", "failed", "pending")
