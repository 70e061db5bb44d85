"""The Airtel Money client against a local fake over HTTP: tokens, what goes on the wire, the
status enquiries as the truth, signed callbacks, and which failures may be retried."""

import json
import uuid
from collections.abc import Iterator

import pytest

from config.settings import load
from gateway.providers.errors import MalformedCallback
from gateway.providers.errors import SendError
from gateway.providers.fakes.airtel import FakeAirtel
from gateway.providers.fakes.airtel import Outcome
from gateway.providers.payments.airtel import Airtel
from gateway.providers.payments.airtel_wire import Route
from gateway.providers.payments.airtel_wire import transaction_id
from gateway.providers.payments.base import Collect
from gateway.providers.payments.base import Disburse
from gateway.providers.payments.registry import PaymentProviders


@pytest.fixture()
def fake() -> Iterator[FakeAirtel]:
    server = FakeAirtel().start()
    yield server
    server.stop()


@pytest.fixture()
def client(fake: FakeAirtel) -> Airtel:
    return Airtel(
        fake.url, fake.client_id, fake.client_secret, callback_secret=fake.callback_secret
    )


def _collect(
    phone: str = "+256701234567", amount_minor: int = 75000, currency: str = "UGX"
) -> Collect:
    return Collect(
        str(uuid.uuid4()),
        phone,
        amount_minor,
        currency,
        "ABC123",
        "Sokoni order",
        "https://gw.example/payments/airtel/t",
    )


def _disburse(phone: str = "+260971234567", amount_minor: int = 12050) -> Disburse:
    return Disburse(
        str(uuid.uuid4()), phone, amount_minor, "ZMW", "Sokoni seller ABC123", "https://x"
    )


def _raw(body: dict | None) -> bytes:
    return json.dumps(body).encode()


@pytest.mark.parametrize(("expires_in", "tokens"), [("180", 1), ("20", 3)])
def test_expires_in_is_a_string_of_seconds_and_the_token_lives_that_long(
    fake, client, expires_in, tokens
):
    fake.expires_in = expires_in  # "20" is inside the refresh margin: a new token every call
    ref = client.collect(_collect()).provider_ref
    client.query(ref)
    client.query(ref)
    assert len(fake.tokens) == tokens


def test_a_token_airtel_no_longer_accepts_is_fetched_again(fake, client):
    client.collect(_collect())
    fake.tokens.clear()  # Airtel forgot it: 401 invalid_token
    client.collect(_collect())
    assert len(fake.tokens) == 1 and len(fake.transactions) == 2


def test_wrong_credentials_are_a_final_refusal(fake):
    with pytest.raises(SendError) as refused:
        Airtel(fake.url, fake.client_id, "not-the-secret").collect(_collect())
    assert (refused.value.code, refused.value.retryable) == ("invalid_client", False)


def test_the_push_names_the_number_without_its_country_code_and_the_country_in_headers(
    fake, client
):
    request = _collect("+256701234567", 75000, "UGX")
    accepted = client.collect(request)
    path, headers, body = fake.requests[-1]
    assert path == "/merchant/v2/payments/"
    assert (headers["X-Country"], headers["X-Currency"]) == ("UG", "UGX")
    assert headers["Authorization"] == f"Bearer {fake.tokens[-1]}"
    assert body == {
        "reference": "ABC123",
        "subscriber": {"country": "UG", "currency": "UGX", "msisdn": "701234567"},
        "transaction": {
            "amount": 75000,
            "country": "UG",
            "currency": "UGX",
            "id": accepted.provider_ref,
        },
    }
    assert accepted.provider_ref == transaction_id(Route("C", "UG", "UGX"), request.request_key)


def test_congo_pays_in_francs_or_dollars_and_no_country_takes_another_currency(fake, client):
    client.collect(_collect("+243971234567", 1250, "USD"))
    _, headers, body = fake.requests[-1]
    assert (headers["X-Currency"], body["transaction"]["amount"]) == ("USD", 12.5)
    client.collect(_collect("+243991234567", 5000, "CDF"))
    for phone, currency in (("+256701234567", "KES"), ("+201001234567", "EGP")):
        with pytest.raises(SendError) as refused:
            client.collect(_collect(phone, 5000, currency))
        assert not refused.value.retryable
    assert len(fake.requests) == 2


def test_a_push_is_pending_until_the_payer_answers_and_its_signed_callback_agrees(fake, client):
    ref = client.collect(_collect()).provider_ref
    waiting = client.query(ref)
    assert (waiting.state, waiting.code) == ("pending", "DP00800001006")
    callback = client.parse_callback(_raw(fake.complete(ref)))
    truth = client.query(ref)
    receipt = fake.transactions[ref].airtel_money_id
    assert (truth.state, truth.provider_ref, truth.receipt) == ("succeeded", ref, receipt)
    assert (callback.state, callback.provider_ref, callback.receipt) == ("succeeded", ref, receipt)


def test_a_callback_changed_on_the_way_or_signed_with_another_secret_is_refused(fake, client):
    fake.script(Outcome("TF", "Not enough balance", "DP00800001007"))
    ref = client.collect(_collect()).provider_ref
    forged = fake.complete(ref)
    forged["transaction"]["status_code"] = "TS"
    with pytest.raises(MalformedCallback, match="bad hash"):
        client.parse_callback(_raw(forged))
    fake.callback_secret = "someone-elses-secret"
    with pytest.raises(MalformedCallback, match="bad hash"):
        client.parse_callback(_raw(fake.callback_body(ref)))


def test_a_failed_push_names_its_reason_in_the_enquiry_and_the_callback(fake, client):
    fake.script(Outcome("TF", "Not enough balance", "DP00800001007"))
    ref = client.collect(_collect()).provider_ref
    callback = client.parse_callback(_raw(fake.complete(ref)))
    truth = client.query(ref)
    assert (truth.state, truth.code, truth.reason) == (
        "failed",
        "DP00800001007",
        "insufficient_funds",
    )
    assert (callback.state, callback.reason) == ("failed", "insufficient_funds")


@pytest.mark.parametrize("status", ["TIP", "TA", "TQ"])
def test_a_status_that_is_not_final_or_not_known_reads_as_pending(fake, client, status):
    fake.script(Outcome(status, "Whatever Airtel says"))
    ref = client.collect(_collect()).provider_ref
    callback = client.parse_callback(_raw(fake.complete(ref)))
    assert client.query(ref).state == callback.state == "pending"


def test_an_id_airtel_does_not_know_yet_is_pending_not_failed(client):
    unknown = transaction_id(Route("C", "UG", "UGX"), str(uuid.uuid4()))
    status = client.query(unknown)
    assert (status.state, status.code) == ("pending", "DP00800001025")
    with pytest.raises(SendError):
        client.query("not-one-of-ours")


def test_a_push_sent_twice_is_refused_the_second_time_not_charged_twice(fake, client):
    request = _collect()
    client.collect(request)
    with pytest.raises(SendError) as refused:
        client.collect(request)
    assert not refused.value.retryable and len(fake.transactions) == 1
    assert not client.idempotent_requests  # so a push whose answer was lost is never resent


def test_a_payout_goes_out_without_a_country_code_and_is_asked_about_by_its_id(fake, client):
    accepted = client.pay_out(_disburse("+260971234567", 12050))
    path, headers, body = fake.requests[-1]
    assert (path, headers["X-Country"], headers["X-Currency"]) == (
        "/standard/v2/disbursements/",
        "ZM",
        "ZMW",
    )
    assert body == {
        "payee": {"currency": "ZMW", "msisdn": "971234567"},
        "reference": "SokonisellerABC123",
        "transaction": {"amount": 120.5, "id": accepted.provider_ref, "type": "B2C"},
    }
    assert client.payout_status(accepted.provider_ref).state == "pending"
    callback = client.parse_callback(_raw(fake.complete(accepted.provider_ref)))
    truth = client.payout_status(accepted.provider_ref)
    receipt = fake.transactions[accepted.provider_ref].airtel_money_id
    assert (
        (truth.state, truth.receipt)
        == (callback.state, callback.receipt)
        == (
            "succeeded",
            receipt,
        )
    )
    assert callback.provider_ref == accepted.provider_ref


def test_a_payout_sent_again_is_the_same_payout(fake, client):
    request = _disburse()
    assert client.pay_out(request) == client.pay_out(request)  # DP00900001017: sent before
    assert len(fake.transactions) == 1


@pytest.mark.parametrize(
    ("status", "retryable"), [(500, True), (502, True), (503, True), (429, True), (400, False)]
)
def test_a_refused_call_says_whether_a_retry_makes_sense(fake, client, status, retryable):
    fake.fail_next(status)
    with pytest.raises(SendError) as failed:
        client.collect(_collect())
    assert (failed.value.retryable, failed.value.ambiguous) == (retryable, False)
    assert fake.transactions == {}


def test_a_lost_answer_is_ambiguous_and_an_unreachable_airtel_retryable(fake):
    slow = Airtel(fake.url, fake.client_id, fake.client_secret, timeout=(2, 0.2))
    fake.stall_next(1.0)
    with pytest.raises(SendError) as lost:
        slow.collect(_collect())
    assert lost.value.ambiguous and not lost.value.retryable
    with pytest.raises(SendError) as unreachable:
        Airtel("http://127.0.0.1:9", "id", "secret").collect(_collect())
    assert unreachable.value.retryable and not unreachable.value.ambiguous


def test_left_alone_the_fake_completes_and_calls_back_to_the_registered_url(inbox):
    fake = FakeAirtel(callback_url=inbox.url + "/", auto_complete=0.05).start()
    try:
        client = Airtel(
            fake.url, fake.client_id, fake.client_secret, callback_secret=fake.callback_secret
        )
        push = client.collect(_collect()).provider_ref
        payout = client.pay_out(_disburse()).provider_ref
        statuses = [client.parse_callback(body) for body in inbox.wait(2)]
    finally:
        fake.stop()
    assert {(type(s).__name__, s.provider_ref, s.state) for s in statuses} == {
        ("PaymentStatus", push, "succeeded"),
        ("PayoutStatus", payout, "succeeded"),
    }


def test_airtel_numbers_can_be_routed_to_airtel():
    settings = load(
        {
            "AIRTEL_CLIENT_ID": "id",
            "AIRTEL_CLIENT_SECRET": "secret",
            "AIRTEL_CALLBACK_SECRET": "cb",
            "PAYMENT_PROVIDERS": "UG/Airtel=airtel,UG=momo",
        }
    )
    providers = PaymentProviders(settings, connection=None)
    assert providers.choose("+256701234567") == "airtel"
    assert providers.choose("+256772123456") == "sandbox"  # MTN: MoMo, not configured here
    client = providers.get("airtel")
    assert isinstance(client, Airtel) and client.base_url == "https://openapiuat.airtel.africa"
    assert not PaymentProviders(load({}), connection=None).configured("airtel")
