"""Masks for every log line: secret path tokens, known secret values and phone numbers.

`install()` puts the masks in the process's log record factory, so each record is masked when
it is made, before any handler (a file, the console, gunicorn's access log, a test's capture)
sees it: `POST /payments/mpesa/s3cr3t` is logged as `POST /payments/mpesa/***`,
`+254711000001` as `+2547******01`, and each secret value `install` was given as `***`.
PINs and delivery codes are never logged at all; the masks are the net under that rule.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable
from typing import Any

HIDDEN = "***"
SHORTEST = 6
"""Secret values shorter than this are not searched for (they would mask ordinary words)."""
TOKEN_PATHS = re.compile(
    r"(/payments/[\w-]+/"
    r"|/(?:ussd/events|ussd|sms/inbound|sms/delivery|sms/optout)/(?!events(?:[\s/?#\"']|$)))"
    r"[^\s/?#\"']+"
)
"""A callback path's secret last part (`/payments/<provider>/<token>`, `/sms/inbound/<token>`)."""
PHONE = re.compile(r"(?<![\w+])(\+?)(\d{4})(\d{3,9})(\d{2})(?!\w)")
"""A phone number (9 to 15 digits, with or without `+`): its country and first digit, and its
last two, stay."""


class Masks:
    """Masks text; `secrets` are values to hide wherever they appear."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        kept = {secret for secret in secrets if len(secret) >= SHORTEST}
        self.secrets = tuple(sorted(kept, key=len, reverse=True))

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, HIDDEN)
        text = TOKEN_PATHS.sub(lambda m: m.group(1) + HIDDEN, text)
        return PHONE.sub(lambda m: m[1] + m[2] + "*" * len(m[3]) + m[4], text)


_masks = Masks()
_make_record = logging.getLogRecordFactory()


def install(secrets: Iterable[str] = ()) -> None:
    """Mask every log record this process makes from now on, hiding `secrets` too (added to
    those of earlier calls)."""
    global _masks
    _masks = Masks((*_masks.secrets, *secrets))
    logging.setLogRecordFactory(_masked_record)


def _masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: logging reports it when the record is emitted
        return record
    record.msg, record.args = _masks(message), None
    if record.exc_info:
        record.exc_text = _masks("".join(traceback.format_exception(*record.exc_info)).rstrip())
    if record.stack_info:
        record.stack_info = _masks(record.stack_info)
    return record
