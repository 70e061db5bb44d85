"""Log lines never show a callback token, a secret value or a whole phone number."""

from __future__ import annotations

import logging

import pytest

from config.log_masks import Masks
from config.log_masks import install

MASKS = Masks(["s3cret-api-key-value", "tiny"])


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (
            '127.0.0.1 - - [29/Nov/2026] "POST /payments/mpesa/dev-callback-token HTTP/1.1" 200',
            '127.0.0.1 - - [29/Nov/2026] "POST /payments/mpesa/*** HTTP/1.1" 200',
        ),
        ("PUT /payments/momo/abc?x=1", "PUT /payments/momo/***?x=1"),
        ("POST /ussd/Zq-9_token HTTP/1.1", "POST /ussd/*** HTTP/1.1"),
        ("POST /ussd/events/Zq-9_token", "POST /ussd/events/***"),
        ("POST /ussd/events HTTP/1.1", "POST /ussd/events HTTP/1.1"),
        ("POST /ussd/events-like-token", "POST /ussd/***"),
        ("POST /sms/inbound/t0ken", "POST /sms/inbound/***"),
        ("POST /sms/delivery/t0ken 200", "POST /sms/delivery/*** 200"),
        ("POST /sms/optout/t0ken", "POST /sms/optout/***"),
        ("POST /sms/inbound HTTP/1.1", "POST /sms/inbound HTTP/1.1"),
        ("POST /logistics/events HTTP/1.1", "POST /logistics/events HTTP/1.1"),
        ("inbound SMS 7 from +254711000001", "inbound SMS 7 from +2547******01"),
        ("PartyB 254722000301 paid", "PartyB 2547******01 paid"),
        ("call +256772123456.", "call +2567******56."),
        ("order K7M2QX total 640000", "order K7M2QX total 640000"),
        ("session ATUid_0000000000000000000001", "session ATUid_0000000000000000000001"),
        ("apiKey=s3cret-api-key-value sent", "apiKey=*** sent"),
        ("a tiny word stays", "a tiny word stays"),
    ],
)
def test_a_log_line_is_masked(line: str, masked: str) -> None:
    assert MASKS(line) == masked


def test_records_are_masked_when_made_so_every_handler_sees_the_masked_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install(["another-secret-value"])
    log = logging.getLogger("tests.masks")
    with caplog.at_level(logging.INFO):
        log.info("callback %s from %s", "/payments/mpesa/tok3n", "+254711000001")
        log.info("%(apiKey)s", {"apiKey": "another-secret-value"})
        try:
            raise ValueError("bad token another-secret-value")
        except ValueError:
            log.exception("failed for +254711000001")
    assert [r.getMessage() for r in caplog.records] == [
        "callback /payments/mpesa/*** from +2547******01",
        "***",
        "failed for +2547******01",
    ]
    assert "another-secret-value" not in caplog.text and "bad token ***" in caplog.text
