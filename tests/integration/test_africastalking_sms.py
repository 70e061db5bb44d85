"""The Africa's Talking SMS client: the real SDK, its base URL from settings, errors classified."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import urllib3

from config.settings import AT_LIVE_URL
from config.settings import AT_SANDBOX_URL
from config.settings import load
from gateway.bootstrap import Services
from gateway.providers.africastalking.sms import AfricasTalkingSms
from gateway.providers.africastalking.sms import Recipient
from gateway.providers.africastalking.sms import Unconfigured
from gateway.providers.errors import SendError
from gateway.providers.fakes.africastalking import FakeAfricasTalking


@pytest.fixture()
def fake() -> Iterator[FakeAfricasTalking]:
    fake = FakeAfricasTalking(username="sokoni", api_key="k-123").start()
    yield fake
    fake.stop()


def _client(fake: FakeAfricasTalking, key: str = "k-123", sender: str | None = "SOKONI"):
    return AfricasTalkingSms(fake.username, key, fake.url, sender)


def test_one_call_sends_a_text_to_many_numbers_and_returns_each_result(
    fake: FakeAfricasTalking,
) -> None:
    fake.reject("+256771000602", 406)
    result = _client(fake).send("Maize KES 3,200", ["+254711000601", "+256771000602"])
    [call] = fake.received
    assert call.recipients == ("+254711000601", "+256771000602")
    assert (call.username, call.api_key, call.sender, call.bulk_sms_mode) == (
        "sokoni",
        "k-123",
        "SOKONI",
        "1",
    )
    assert result == [
        Recipient("+254711000601", 101, "Sent", call.message_ids[0], "KES 0.8000"),
        Recipient("+256771000602", 406, "UserInBlacklist", None, "0"),
    ]


def test_without_a_sender_id_the_from_field_is_left_out(fake: FakeAfricasTalking) -> None:
    _client(fake, sender=None).send("Hi", ["+254711000603"])
    assert fake.received[0].sender is None


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (500, "HTTP 500", True),
        (502, "HTTP 502", True),
        (503, "HTTP 503", True),
        (429, "HTTP 429", True),
        (400, "HTTP 400: Bad Request", False),
        (409, "HTTP 409: Bad Request", False),
    ],
)
def test_a_failed_call_says_whether_a_retry_makes_sense(
    fake: FakeAfricasTalking, status: int, code: str, retryable: bool
) -> None:
    fake.fail_next(status, "Bad Request" if status < 500 else "oops")
    with pytest.raises(SendError) as failed:
        _client(fake).send("Hi", ["+254711000604"])
    assert (failed.value.code, failed.value.retryable, failed.value.ambiguous) == (
        code,
        retryable,
        False,
    )


def test_a_bad_key_is_a_final_401(fake: FakeAfricasTalking) -> None:
    with pytest.raises(SendError) as failed:
        _client(fake, key="wrong").send("Hi", ["+254711000605"])
    assert (failed.value.code, failed.value.retryable) == ("InvalidCredentials", False)
    assert fake.received == []


def test_a_number_without_plus_is_refused_by_the_sdk_before_any_call(
    fake: FakeAfricasTalking,
) -> None:
    with pytest.raises(SendError) as failed:
        _client(fake).send("Hi", ["254711000606"])
    assert failed.value.code == "InvalidPhoneNumber" and fake.received == []


def test_an_unconfigured_sender_fails_for_good() -> None:
    with pytest.raises(SendError) as failed:
        Unconfigured().send("Hi", ["+254711000607"])
    assert not failed.value.retryable and failed.value.code.startswith("NotConfigured")


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, AT_SANDBOX_URL),
        ({"AT_USERNAME": "sokoni"}, AT_LIVE_URL),
        (
            {"AT_USERNAME": "sokoni", "AT_API_URL": "http://127.0.0.1:8089/"},
            "http://127.0.0.1:8089",
        ),
    ],
)
def test_the_api_url_comes_from_at_api_url_else_from_the_username(
    env: dict[str, str], url: str
) -> None:
    assert load(env).at_api_url == url


def test_the_services_send_to_at_api_url_when_a_key_is_set(fake: FakeAfricasTalking) -> None:
    settings = load({"AT_USERNAME": "sokoni", "AT_API_KEY": "k-123", "AT_API_URL": fake.url})
    Services(settings).sms_sender.send("Through settings", ["+254711000608"])
    assert fake.received[0].message == "Through settings"


def test_in_development_without_a_key_sms_go_to_a_local_fake() -> None:
    sender = Services(load({"SOKONI_ENV": "development"})).sms_sender
    assert sender.api_url.startswith("http://127.0.0.1:")
    assert sender.send("Dev", ["+254711000609"])[0].status_code == 101


def test_a_fake_served_alone_keeps_the_connection_open_between_calls() -> None:
    """`python -m gateway.providers.fakes.africastalking` (the bench's, and development's):
    it answers sends as in process, and keeps a connection open between calls, as the real
    service does (Werkzeug's development server closes each one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fake = subprocess.Popen(
        [sys.executable, "-m", "gateway.providers.fakes.africastalking", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert fake.stdout is not None
        assert f"127.0.0.1:{port}" in fake.stdout.readline().decode()
        client = AfricasTalkingSms("sandbox", "fake-at-key", f"http://127.0.0.1:{port}", None)
        for _ in range(30):  # until waitress listens
            try:
                client.send("Hi", ["+254711000610"])
                break
            except SendError:
                time.sleep(0.1)
        answers = [client.send("Hi", ["+254711000611"])[0].status_code for _ in range(3)]
        assert answers == [101, 101, 101]
        http = urllib3.PoolManager()
        for _ in range(2):
            answer = http.request("POST", f"http://127.0.0.1:{port}/version1/messaging")
            assert answer.headers.get("Connection", "").lower() != "close"
        assert http.connection_from_url(f"http://127.0.0.1:{port}").num_connections == 1
    finally:
        fake.terminate()
        fake.wait(timeout=10)
