"""The Daraja and MoMo clients against local fakes over HTTP: tokens, odd answers, and which
failures may be retried."""

import uuid
from collections.abc import Iterator

import pytest

from config.settings import load
from gateway.providers.errors import SendError
from gateway.providers.fakes.daraja import FakeDaraja
from gateway.providers.fakes.momo import FakeMomo
from gateway.providers.fakes.momo import Outcome
from gateway.providers.http import TokenCache
from gateway.providers.payments.base import Collect
from gateway.providers.payments.base import Disburse
from gateway.providers.payments.daraja import Daraja
from gateway.providers.payments.momo import Momo
from gateway.providers.payments.momo import Product
from gateway.providers.payments.registry import PaymentProviders
from gateway.providers.payments.registry import rules
from tests.payment_support import daraja_for


@pytest.fixture()
def daraja() -> Iterator[tuple[FakeDaraja, Daraja]]:
    fake = FakeDaraja().start()
    yield (
        fake,
        daraja_for(fake, initiator_name="api", security_credential="cred"),
    )
    fake.stop()


@pytest.fixture()
def momo() -> Iterator[tuple[FakeMomo, Momo]]:
    fake = FakeMomo().start()
    product = Product("collection", fake.subscription_key, fake.api_user, fake.api_key)
    yield (
        fake,
        Momo(
            fake.url,
            product,
            Product("disbursement", fake.subscription_key, fake.api_user, fake.api_key),
        ),
    )
    fake.stop()


def _collect(amount_minor: int = 640000, currency: str = "KES", key: str | None = None) -> Collect:
    return Collect(
        key or str(uuid.uuid4()),
        "+254711000501",
        amount_minor,
        currency,
        "ABC123",
        "Sokoni order",
        "https://gw.example/payments/mpesa/t",
    )


def test_the_daraja_token_is_fetched_once_and_reused(daraja):
    fake, client = daraja
    accepted = client.collect(_collect())
    client.query(accepted.provider_ref)
    client.query(accepted.provider_ref)
    assert len(fake.tokens) == 1


def test_a_token_daraja_no_longer_accepts_is_fetched_again(daraja):
    fake, client = daraja
    client.collect(_collect())
    fake.tokens.clear()  # Daraja forgot it: 404.001.03 Invalid Access Token
    client.collect(_collect())
    assert len(fake.tokens) == 1 and len(fake.pushes) == 2


def test_a_query_while_the_buyer_has_not_answered_is_pending_then_final(daraja):
    fake, client = daraja
    ref = client.collect(_collect()).provider_ref
    assert client.query(ref).state == "pending"
    fake.complete(ref)
    status = client.query(ref)
    assert (status.state, status.code) == ("succeeded", "0")


def test_a_busy_daraja_may_be_retried_and_a_refusal_may_not(daraja):
    fake, client = daraja
    fake.fail_next(503)
    with pytest.raises(SendError) as busy:
        client.collect(_collect())
    assert busy.value.retryable and busy.value.code == "500.003.02"
    fake.fail_next(
        400, {"errorCode": "400.002.02", "errorMessage": "Bad Request - Invalid PhoneNumber"}
    )
    with pytest.raises(SendError) as refused:
        client.collect(_collect())
    assert not refused.value.retryable and refused.value.code == "400.002.02"
    with pytest.raises(SendError) as cents:
        client.collect(_collect(amount_minor=640050))
    assert not cents.value.retryable and len(fake.pushes) == 0


def test_an_unreachable_provider_may_be_retried():
    client = Daraja("http://127.0.0.1:9", "k", "s", "174379", "p")
    with pytest.raises(SendError) as unreachable:
        client.collect(_collect())
    assert unreachable.value.retryable and not unreachable.value.ambiguous


def test_a_b2c_payout_is_accepted_with_our_own_conversation_id(daraja):
    fake, client = daraja
    key = str(uuid.uuid4())
    accepted = client.pay_out(
        Disburse(key, "+254711000502", 608000, "KES", "Sokoni seller ABC123", "https://x")
    )
    assert accepted.merchant_ref == key and fake.payouts[accepted.provider_ref]["Amount"] == 6080
    assert client.payout_status(accepted.provider_ref) is None


def test_momo_requesttopay_sent_twice_with_one_reference_is_one_request(momo):
    fake, client = momo
    request = _collect(75000, "UGX")
    assert client.collect(request).provider_ref == request.request_key
    assert client.collect(request).provider_ref == request.request_key  # 409: we sent it before
    assert len(fake.requests) == 2 and len(fake.transactions) == 1
    assert client.query(request.request_key).state == "pending"


def test_momo_answers_200_for_a_failure_and_404_for_an_unknown_reference(momo):
    fake, client = momo
    fake.script(Outcome("FAILED", "APPROVAL_REJECTED", reason_as_object=True))
    request = _collect(75000, "UGX")
    client.collect(request)
    fake.complete(request.request_key)
    status = client.query(request.request_key)
    assert (status.state, status.code, status.reason) == (
        "failed",
        "APPROVAL_REJECTED",
        "cancelled",
    )
    assert client.query(str(uuid.uuid4())).code == "RESOURCE_NOT_FOUND"


def test_momo_refuses_a_reference_that_is_not_a_uuid4(momo):
    _, client = momo
    with pytest.raises(SendError) as refused:
        client.collect(_collect(75000, "UGX", key="not-a-uuid"))
    assert not refused.value.retryable


def test_a_momo_transfer_is_asked_about_by_its_reference(momo):
    fake, client = momo
    key = str(uuid.uuid4())
    client.pay_out(
        Disburse(key, "+256772000401", 95000, "UGX", "Sokoni seller ABC123", "https://x")
    )
    assert client.payout_status(key).state == "pending"
    fake.complete(key)
    assert client.payout_status(key).state == "succeeded"


def test_a_token_is_refreshed_a_margin_before_it_expires():
    clock, fetched = [0.0], []

    def fetch() -> tuple[str, float]:
        fetched.append(clock[0])
        return f"token-{len(fetched)}", 3600

    tokens = TokenCache(fetch, margin=600, clock=lambda: clock[0])
    assert tokens.get() == tokens.get() == "token-1"
    clock[0] = 2999
    assert tokens.get() == "token-1"
    clock[0] = 3000
    assert tokens.get() == "token-2"


def test_the_provider_follows_the_country_and_network_of_the_number():
    configured = load(
        {
            "MPESA_CONSUMER_KEY": "k",
            "MPESA_CONSUMER_SECRET": "s",
            "MPESA_SHORTCODE": "1",
            "MPESA_PASSKEY": "p",
            "PAYMENT_PROVIDERS": "KE=mpesa,KE/Airtel=sandbox,UG=momo",
        }
    )
    providers = PaymentProviders(configured, connection=None)
    assert providers.choose("+254711000001") == "mpesa"  # Safaricom
    assert providers.choose("+254733000001") == "sandbox"  # Airtel Kenya, by its own rule
    assert providers.choose("+256772123456") == "sandbox"  # MoMo not configured: development
    production = load(
        {
            **{
                k: f"{k.lower()}-{'x' * 32}"
                for k in (
                    "SECRET_KEY",
                    "DATABASE_URL",
                    "REDIS_URL",
                    "AT_USERNAME",
                    "AT_API_KEY",
                    "CALLBACK_TOKEN",
                    "AT_CALLBACK_TOKEN",
                )
            },
            "CALLBACK_BASE_URL": "https://gw.example",
            "SOKONI_ENV": "production",
        }
    )
    with pytest.raises(SendError):
        PaymentProviders(production, connection=None).choose("+254711000001")
    with pytest.raises(ValueError):
        rules("KE=paypal")
