"""Reading Daraja and MoMo callbacks as documented, odd types included; nothing else gets in."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.settings import Settings
from gateway.providers.errors import MalformedCallback
from gateway.providers.payments.base import PaymentStatus
from gateway.providers.payments.base import PayoutStatus
from gateway.providers.payments.base import to_major
from gateway.providers.payments.base import to_minor
from gateway.providers.payments.daraja import Daraja
from gateway.providers.payments.daraja import password
from gateway.providers.payments.momo import Momo
from gateway.providers.payments.momo import Product
from gateway.providers.payments.registry import PaymentProviders
from tests.payment_support import JSON

DARAJA = Daraja("http://daraja.invalid", "key", "secret", "174379", "passkey")
PRODUCT = Product("collection", "sub", "user", "key")
MOMO = Momo("http://momo.invalid", PRODUCT, Product("disbursement", "sub", "user", "key"))

DOCUMENTED_SUCCESS = {
    "Body": {
        "stkCallback": {
            "MerchantRequestID": "29115-34620561-1",
            "CheckoutRequestID": "ws_CO_191220191020363925",
            "ResultCode": 0,
            "ResultDesc": "The service request is processed successfully.",
            "CallbackMetadata": {
                "Item": [
                    {"Name": "Amount", "Value": 1.00},
                    {"Name": "MpesaReceiptNumber", "Value": "NLJ7RT61SV"},
                    {"Name": "Balance"},
                    {"Name": "TransactionDate", "Value": 20191219102115},
                    {"Name": "PhoneNumber", "Value": 254708374149},
                ]
            },
        }
    }
}


def _raw(body: object) -> bytes:
    return json.dumps(body).encode()


def test_the_documented_stk_success_callback_is_read_by_item_name():
    status = DARAJA.parse_callback(_raw(DOCUMENTED_SUCCESS))
    assert status == PaymentStatus(
        "succeeded",
        provider_ref="ws_CO_191220191020363925",
        merchant_ref="29115-34620561-1",
        code="0",
        amount_minor=100,
        currency="KES",
        phone="+254708374149",
        receipt="NLJ7RT61SV",
    )


def test_items_in_another_order_read_the_same():
    body = json.loads(json.dumps(DOCUMENTED_SUCCESS))
    body["Body"]["stkCallback"]["CallbackMetadata"]["Item"].reverse()
    assert DARAJA.parse_callback(_raw(body)) == DARAJA.parse_callback(_raw(DOCUMENTED_SUCCESS))


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (1032, "cancelled"),
        ("1032", "cancelled"),
        (2001, "wrong_pin"),
        (1037, "timeout"),
        (1, "insufficient_funds"),
        (9999, "error"),
    ],
)
def test_a_failure_callback_names_its_reason(code, reason):
    body = {
        "Body": {
            "stkCallback": {
                "MerchantRequestID": "m",
                "CheckoutRequestID": "ws_CO_1",
                "ResultCode": code,
                "ResultDesc": "Request cancelled by user",
            }
        }
    }
    status = DARAJA.parse_callback(_raw(body))
    assert (status.state, status.code, status.reason) == ("failed", str(code), reason)
    assert status.amount_minor is None and status.phone is None


def test_a_b2c_result_with_a_single_parameter_object_is_read():
    body = {
        "Result": {
            "ResultType": 0,
            "ResultCode": 0,
            "ResultDesc": "ok",
            "OriginatorConversationID": "our-key",
            "ConversationID": "AG_1",
            "TransactionID": "LGH3197RIB",
            "ResultParameters": {"ResultParameter": {"Key": "TransactionAmount", "Value": 8000}},
        }
    }
    assert DARAJA.parse_callback(_raw(body)) == PayoutStatus(
        "succeeded", "AG_1", "our-key", "0", "LGH3197RIB", 800000
    )


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b"{not json",
        _raw({"Body": {}}),
        _raw({"Body": {"stkCallback": {"ResultCode": "x"}}}),
        _raw(
            {
                "Body": {
                    "stkCallback": {
                        "CheckoutRequestID": "c",
                        "ResultCode": 0,
                        "CallbackMetadata": {"Item": [{"Name": "Amount", "Value": "lots"}]},
                    }
                }
            }
        ),
    ],
)
def test_anything_else_is_malformed(body):
    with pytest.raises(MalformedCallback):
        DARAJA.parse_callback(body)


@given(JSON)
def test_no_body_breaks_the_parsers_with_anything_but_malformed(value):
    for provider in (DARAJA, MOMO):
        try:
            provider.parse_callback(_raw(value))
        except MalformedCallback:
            pass


@given(
    st.fixed_dictionaries(
        {
            "Body": st.fixed_dictionaries(
                {
                    "stkCallback": st.fixed_dictionaries(
                        {
                            "CheckoutRequestID": st.text(min_size=1, max_size=20),
                            "ResultCode": st.integers(0, 3000) | st.integers(0, 3000).map(str),
                            "CallbackMetadata": st.fixed_dictionaries(
                                {
                                    "Item": st.lists(
                                        st.fixed_dictionaries(
                                            {
                                                "Name": st.sampled_from(
                                                    [
                                                        "Amount",
                                                        "MpesaReceiptNumber",
                                                        "Balance",
                                                        "PhoneNumber",
                                                    ]
                                                ),
                                                "Value": JSON,
                                            }
                                        ),
                                        max_size=5,
                                    )
                                }
                            ),
                        }
                    )
                }
            )
        }
    )
)
def test_near_miss_stk_callbacks_are_read_or_refused_never_crash(value):
    try:
        status = DARAJA.parse_callback(_raw(value))
    except MalformedCallback:
        return
    assert status.state in ("succeeded", "failed")


def _momo(**fields: object) -> bytes:
    base = {
        "financialTransactionId": "1232581108",
        "externalId": "ref-1",
        "amount": "75000",
        "currency": "UGX",
        "payer": {"partyIdType": "MSISDN", "partyId": "256772123456"},
        "payerMessage": "Sokoni order",
        "payeeNote": "ABC123",
    }
    return _raw({**base, **fields})


def test_a_momo_success_object_is_read():
    assert MOMO.parse_callback(_momo(status="SUCCESSFUL")) == PaymentStatus(
        "succeeded", "ref-1", "ref-1", None, None, 75000, "UGX", "+256772123456", "1232581108"
    )


@pytest.mark.parametrize(
    "reason", ["NOT_ENOUGH_FUNDS", {"code": "NOT_ENOUGH_FUNDS", "message": "Not enough"}]
)
def test_a_momo_failure_reason_may_be_a_string_or_an_object(reason):
    status = MOMO.parse_callback(_momo(status="FAILED", reason=reason))
    assert (status.state, status.code, status.reason) == (
        "failed",
        "NOT_ENOUGH_FUNDS",
        "insufficient_funds",
    )


def test_a_momo_transfer_object_is_a_payout():
    body = _raw(
        {
            "amount": "5000",
            "currency": "UGX",
            "externalId": "key-9",
            "status": "SUCCESSFUL",
            "financialTransactionId": "99",
            "payee": {"partyIdType": "MSISDN", "partyId": "256772000201"},
        }
    )
    assert MOMO.parse_callback(body) == PayoutStatus(
        "succeeded", "key-9", "key-9", None, "99", 5000
    )


@pytest.mark.parametrize(
    ("value", "currency", "minor"),
    [
        (1.00, "KES", 100),
        ("5.0", "UGX", 5),
        (3200, "KES", 320000),
        ("12.50", "KES", 1250),
        ("1.250", "TND", 1250),
    ],
)
def test_provider_amounts_become_integer_minor_units(value, currency, minor):
    assert to_minor(value, currency) == minor


@pytest.mark.parametrize(
    ("value", "currency"),
    [(1.005, "KES"), ("5.5", "UGX"), (True, "KES"), ("", "KES"), ("inf", "KES")],
)
def test_amounts_finer_than_the_currency_or_not_numbers_are_refused(value, currency):
    with pytest.raises(MalformedCallback):
        to_minor(value, currency)


@given(st.integers(0, 10**12), st.sampled_from(["KES", "UGX", "TND", "RWF"]))
def test_minor_units_survive_the_trip_through_a_provider_amount(minor, currency):
    assert to_minor(to_major(minor, currency), currency) == minor


def test_the_stk_password_is_the_documented_concatenation():
    assert password(
        "174379",
        "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919",
        "20210628092408",
    ) == (
        "MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMjEwNjI4MDkyNDA4"
    )


DOCUMENTED_STATUS_RESULT = {
    "Result": {
        "ConversationID": "AG_20180223_0000493344ae97d86f75",
        "OriginatorConversationID": "3213-416199-2",
        "ReferenceData": {"ReferenceItem": {"Key": "Occasion"}},
        "ResultCode": 0,
        "ResultDesc": "The service request is processed successfully.",
        "ResultParameters": {
            "ResultParameter": [
                {"Key": "DebitPartyName", "Value": "600310 - Safaricom333"},
                {"Key": "DebitPartyName", "Value": "254708374149 - John Doe"},
                {"Key": "OriginatorConversationID", "Value": "3211-416020-3"},
                {"Key": "InitiatedTime", "Value": "20180223054112"},
                {"Key": "DebitAccountType", "Value": "Utility Account"},
                {"Key": "DebitPartyCharges", "Value": "Fee For B2C Payment|KES|22.40"},
                {"Key": "TransactionReason"},
                {"Key": "ReasonType", "Value": "Business Payment to Customer via API"},
                {"Key": "TransactionStatus", "Value": "Completed"},
                {"Key": "FinalisedTime", "Value": "20180223054112"},
                {"Key": "Amount", "Value": "300"},
                {"Key": "ConversationID", "Value": "AG_20180223_000041b09c22e613d6c9"},
                {"Key": "ReceiptNo", "Value": "MBN31H462N"},
            ]
        },
        "ResultType": 0,
        "TransactionID": "MBN0000000",
    }
}
"""The official Transaction Status callback sample, as published (DebitPartyName twice)."""


def test_the_documented_transaction_status_result_names_the_payout_not_the_query():
    assert DARAJA.parse_callback(_raw(DOCUMENTED_STATUS_RESULT)) == PayoutStatus(
        "succeeded",
        provider_ref="AG_20180223_000041b09c22e613d6c9",
        request_key="3211-416020-3",
        code="Completed",
        receipt="MBN31H462N",
        amount_minor=30000,
    )


@pytest.mark.parametrize(
    ("told", "code", "state"),
    [
        ("Failed", 0, "failed"),
        ("Expired", 0, "failed"),
        ("Pending", 0, "pending"),
        ("Something new", 0, "pending"),
        ("Completed", 1, "pending"),
    ],
)
def test_a_status_result_is_final_only_for_a_transaction_status_it_knows(told, code, state):
    body = json.loads(json.dumps(DOCUMENTED_STATUS_RESULT))
    body["Result"]["ResultCode"] = code
    for parameter in body["Result"]["ResultParameters"]["ResultParameter"]:
        if parameter["Key"] == "TransactionStatus":
            parameter["Value"] = told
    assert DARAJA.parse_callback(_raw(body)).state == state


def test_older_parameter_names_with_spaces_are_read_the_same():
    body = json.loads(json.dumps(DOCUMENTED_STATUS_RESULT))
    for parameter in body["Result"]["ResultParameters"]["ResultParameter"]:
        parameter["Key"] = {
            "ConversationID": "Conversation ID",
            "OriginatorConversationID": "Originator Conversation ID",
        }.get(parameter["Key"], parameter["Key"])
    assert DARAJA.parse_callback(_raw(body)) == DARAJA.parse_callback(
        _raw(DOCUMENTED_STATUS_RESULT)
    )


@pytest.mark.parametrize(
    ("phone", "network", "provider"),
    [
        ("+256751000502", None, "airtel"),  # an Airtel prefix
        ("+256772123456", None, "momo"),  # an MTN prefix
        ("+256772123456", "64101", "airtel"),  # ported: dials from Airtel Uganda
        ("+256751000502", "64110", "momo"),  # ported the other way
        ("+256772123456", "63903", "momo"),  # a Kenyan network code says nothing of a UG number
        ("+254733123456", None, "airtel"),
        ("+254711000001", "63902", "mpesa"),
        ("+260971234567", "64501", "airtel"),
    ],
)
def test_the_provider_follows_the_network_a_number_dials_from_else_its_prefix(
    phone, network, provider
):
    configured = Settings(
        SOKONI_ENV="production",
        MPESA_CONSUMER_KEY="k",
        MPESA_CONSUMER_SECRET="s",
        MPESA_SHORTCODE="174379",
        MPESA_PASSKEY="p",
        MOMO_SUBSCRIPTION_KEY="k",
        MOMO_API_USER="u",
        MOMO_API_KEY="k",
        AIRTEL_CLIENT_ID="c",
        AIRTEL_CLIENT_SECRET="s",
    )
    assert PaymentProviders(configured, None).choose(phone, network) == provider  # type: ignore[arg-type]
