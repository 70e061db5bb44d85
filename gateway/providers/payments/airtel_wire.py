"""What Airtel Money's answers and callbacks mean: our transaction ids, its status and response
vocabularies, and the callback with its optional `hash` (protocols.md 4.4).

Transaction ids must be 5-80 letters and digits [121], so ours are not the request key itself
but `C`/`D` (collection/disbursement), the country, the currency and the request key's letters
and digits: `CUGUGX3f2c...`. The status enquiries need X-Country and X-Currency, and a callback
does not say which product it is about; the id is all Sokoni keeps and all Airtel echoes.

Sources as in `airtel.py`: [doc] the Airtel docs copy protocols.md cites, [121] the
global-121/121-platform integration, [2nd] other third-party code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid
from typing import Any
from typing import NamedTuple

from gateway.providers.errors import MalformedCallback
from gateway.providers.errors import SendError
from gateway.providers.payments.base import PaymentStatus
from gateway.providers.payments.base import PayoutStatus
from gateway.providers.payments.base import optional_str

COLLECTION = "C"
DISBURSEMENT = "D"
CURRENCIES = {
    "UG": ("UGX",),
    "KE": ("KES",),
    "RW": ("RWF",),
    "ZM": ("ZMW",),
    "MW": ("MWK",),
    "CD": ("CDF", "USD"),
    "TZ": ("TZS",),
}
"""Currencies Airtel Money takes in each country (TZ is outside COMESA, and harmless)."""
STATES = {"TS": "succeeded", "TF": "failed", "TE": "failed"}
"""Final statuses [2nd, UNCONFIRMED]; TIP (in progress), TA (ambiguous) and any unknown status
are pending: the status enquiry decides later."""
REASONS = {
    "DP00800001002": "wrong_pin",
    "DP00800001003": "declined",
    "DP00800001007": "insufficient_funds",
    "DP00800001008": "declined",
    "DP00800001009": "declined",
    "DP00800001010": "declined",
    "DP00800001024": "timeout",
    "DP00800001029": "timeout",
}
"""Collection response codes the buyer's SMS can explain, where three [2nd] tables agree."""
MESSAGES = (
    ("insufficient", "insufficient_funds"),
    ("not enough", "insufficient_funds"),
    ("incorrect pin", "wrong_pin"),
    ("invalid pin", "wrong_pin"),
    ("wrong pin", "wrong_pin"),
    ("cancel", "cancelled"),
    ("declined by user", "cancelled"),
    ("rejected by user", "cancelled"),
    ("timed out", "timeout"),
    ("timeout", "timeout"),
    ("expired", "timeout"),
    ("refused", "declined"),
    ("declined", "declined"),
    ("limit", "declined"),
    ("not permitted", "declined"),
)
"""Words of a failure `message` (a callback carries no response code); the first match wins,
else the reason is `error`."""


class Route(NamedTuple):
    """What Airtel must be told again about a transaction, kept in its id."""

    kind: str
    country: str
    currency: str


class Outcome(NamedTuple):
    """What a status enquiry or a callback says, in our words."""

    state: str
    code: str | None
    reason: str | None
    receipt: str | None


def transaction_id(route: Route, request_key: str) -> str:
    """Our Airtel `transaction.id` for a request: the route, then the key's letters and digits.

    Raises:
        SendError: the key has no letters or digits, or too many for Airtel's 80 (final).
    """
    tid = "".join(route) + re.sub(r"[^A-Za-z0-9]", "", request_key)
    if not 6 < len(tid) <= 80:
        raise SendError(f"request key unfit for an Airtel id: {request_key!r}")
    return tid


def route_of(tid: str) -> Route | None:
    """The route kept in one of our transaction ids, or None for an id we did not make."""
    route = Route(tid[:1], tid[1:3], tid[3:6])
    ours = route.kind in (COLLECTION, DISBURSEMENT) and 6 < len(tid) <= 80 and tid.isalnum()
    return route if ours and route.currency in CURRENCIES.get(route.country, ()) else None


def request_key_of(tid: str) -> str | None:
    """Our request key inside one of our ids, when it was a UUID (as Sokoni's keys are), so a
    result names the payout even when the answer to its request was lost."""
    try:
        return str(uuid.UUID(hex=tid[6:])) if len(tid) == 38 else None
    except ValueError:
        return None


def outcome(status_code: object, message: object, code: str | None, receipt: object) -> Outcome:
    """What a transaction status means: final, or pending for anything Airtel may still change.

    Args:
        status_code: TS, TF, TE (final), TIP, TA or anything else (pending).
        message: Airtel's words, read for a failure's reason when `code` does not tell.
        code: the answer's `status.response_code`, if it had one.
        receipt: `airtel_money_id`, kept for a success.
    """
    status = str(status_code or "").strip().upper()
    state = STATES.get(status, "pending")
    code = code or status or None
    if state != "failed":
        return Outcome(state, code, None, optional_str(receipt) if state == "succeeded" else None)
    return Outcome(state, code, _reason(status, code, message), None)


def callback_hash(secret: bytes, transaction: dict[str, Any]) -> str:
    """HMAC-SHA256 of the transaction as canonical JSON (sorted keys, no spaces), base64.

    The docs, as third parties quote them, say "HmacSHA256, output text format in Base64" over
    the callback [2nd]; which bytes exactly is UNCONFIRMED (no official page found), so this is
    our canonical choice, and `read_callback` accepts the same MAC in hex too.
    """
    return base64.b64encode(_digest(secret, transaction)).decode()


def read_callback(body: bytes, secret: bytes) -> PaymentStatus | PayoutStatus:
    """A transaction callback; our id's first letter says collection or disbursement.

    Args:
        body: `{"transaction": {"id", "message", "status_code", "airtel_money_id"}, "hash"?}`.
        secret: the callback secret from the Airtel portal; empty when callbacks are unsigned.

    Raises:
        MalformedCallback: not that shape, not one of our ids, or (with a secret) a missing or
            wrong `hash`, reported as "bad hash".
    """
    try:
        data = json.loads(body)
        tx = data["transaction"]
        tid, status_code = str(tx["id"]), tx["status_code"]
    except (ValueError, KeyError, TypeError) as err:
        raise MalformedCallback(f"not an Airtel callback: {err!r}") from err
    if secret and not _signed(secret, tx, data.get("hash")):
        raise MalformedCallback("bad hash")
    route = route_of(tid)
    if route is None:
        raise MalformedCallback(f"not an Airtel id of ours: {tid!r}")
    said = outcome(status_code, tx.get("message"), None, tx.get("airtel_money_id"))
    if route.kind == DISBURSEMENT:
        return PayoutStatus(
            said.state, tid, request_key_of(tid), code=said.code, receipt=said.receipt
        )
    return PaymentStatus(said.state, tid, code=said.code, reason=said.reason, receipt=said.receipt)


def _reason(status: str, code: str | None, message: object) -> str:
    if status == "TE":
        return "timeout"
    if code in REASONS:
        return REASONS[code]
    text = str(message or "").lower()
    return next((reason for words, reason in MESSAGES if words in text), "error")


def _signed(secret: bytes, transaction: dict[str, Any], given: object) -> bool:
    if not isinstance(given, str):
        return False
    digest = _digest(secret, transaction)
    forms = (base64.b64encode(digest).decode(), digest.hex())
    return any(hmac.compare_digest(given.encode(), form.encode()) for form in forms)


def _digest(secret: bytes, transaction: dict[str, Any]) -> bytes:
    canonical = json.dumps(transaction, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(secret, canonical.encode(), hashlib.sha256).digest()
