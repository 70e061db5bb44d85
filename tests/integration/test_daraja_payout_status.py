"""Daraja's Transaction Status API as the truth about a B2C payout: the query goes to a local
fake Daraja over HTTP, and the result it posts to the ResultURL names the payout."""

import uuid
from collections.abc import Iterator

import pytest

from gateway.providers.errors import SendError
from gateway.providers.fakes.daraja import FakeDaraja
from gateway.providers.payments.base import Disburse
from gateway.providers.payments.base import PayoutStatus
from gateway.providers.payments.daraja import Daraja
from tests.payment_support import daraja_for


@pytest.fixture()
def daraja() -> Iterator[tuple[FakeDaraja, Daraja]]:
    fake = FakeDaraja().start()
    yield (
        fake,
        daraja_for(
            fake,
            initiator_name="sokoni-api",
            security_credential="encrypted-credential",
            b2c_shortcode="600997",
        ),
    )
    fake.stop()


def _pay_out(client: Daraja) -> tuple[str, str]:
    """A B2C payout of KES 6,080: (its ConversationID, our request key)."""
    key = str(uuid.uuid4())
    accepted = client.pay_out(
        Disburse(key, "+254711000701", 608000, "KES", "Sokoni seller DPS001", "https://x")
    )
    return accepted.provider_ref, key


def test_the_query_names_the_payout_by_the_originator_id_it_was_sent_with(daraja, inbox):
    fake, client = daraja
    _, key = _pay_out(client)
    client.ask_payout_status(key, inbox.url)
    [query] = [c for c in fake.calls if c.path == "/mpesa/transactionstatus/v1/query"]
    assert query.body == {
        "Initiator": "sokoni-api",
        "SecurityCredential": "encrypted-credential",
        "CommandID": "TransactionStatusQuery",
        "OriginalConversationID": key,
        "PartyA": "600997",
        "IdentifierType": "4",
        "ResultURL": inbox.url,
        "QueueTimeOutURL": inbox.url,
        "Remarks": "Sokoni payout check",
        "Occasion": key,
    }
    assert query.headers["Authorization"] == f"Bearer {fake.tokens[-1]}"


def test_the_result_posted_to_the_result_url_is_the_payouts_status(daraja, inbox):
    fake, client = daraja
    conversation, key = _pay_out(client)
    client.ask_payout_status(key, inbox.url)
    [body] = inbox.wait()
    assert client.parse_callback(body) == PayoutStatus(
        "succeeded",
        provider_ref=conversation,
        request_key=key,
        code="Completed",
        receipt=fake.payouts[conversation]["receipt"],
        amount_minor=608000,
    )


def test_a_payout_mpesa_says_failed_is_failed_and_has_no_receipt(daraja, inbox):
    fake, client = daraja
    conversation, key = _pay_out(client)
    fake.payouts[conversation]["TransactionStatus"] = "Failed"
    client.ask_payout_status(key, inbox.url)
    [body] = inbox.wait()
    status = client.parse_callback(body)
    assert (status.state, status.provider_ref, status.receipt) == ("failed", conversation, None)


def test_a_payout_daraja_does_not_know_is_a_final_refusal(daraja, inbox):
    _, client = daraja
    with pytest.raises(SendError) as refused:
        client.ask_payout_status(str(uuid.uuid4()), inbox.url)
    assert (refused.value.code, refused.value.retryable) == ("400.002.02", False)


def test_a_busy_daraja_may_be_asked_again(daraja, inbox):
    fake, client = daraja
    _, key = _pay_out(client)
    fake.fail_next(503)
    with pytest.raises(SendError) as busy:
        client.ask_payout_status(key, inbox.url)
    assert busy.value.retryable
    client.ask_payout_status(key, inbox.url)
    assert len(inbox.wait()) == 1


def test_a_daraja_that_cannot_be_reached_may_be_asked_again():
    client = Daraja("http://127.0.0.1:9", "k", "s", "174379", "p")
    with pytest.raises(SendError) as unreachable:
        client.ask_payout_status(str(uuid.uuid4()), "https://x")
    assert unreachable.value.retryable and not unreachable.value.ambiguous


def test_left_alone_the_fake_posts_b2c_results_and_status_results_by_itself(inbox):
    fake = FakeDaraja(auto_complete=0.05).start()
    try:
        client = daraja_for(
            fake, initiator_name="sokoni-api", security_credential="encrypted-credential"
        )
        key = str(uuid.uuid4())
        accepted = client.pay_out(
            Disburse(key, "+254711000702", 100000, "KES", "Sokoni seller DPS002", inbox.url)
        )
        client.ask_payout_status(key, inbox.url)
        statuses = [client.parse_callback(body) for body in inbox.wait(2)]
    finally:
        fake.stop()
    assert {(s.provider_ref, s.request_key, s.state) for s in statuses} == {
        (accepted.provider_ref, key, "succeeded")
    }
    assert sorted(s.code for s in statuses) == ["0", "Completed"]
