"""The sandbox payment provider: a pretend wallet a developer drives by hand.

A payment asked of it waits until someone decides it (`flask payments sandbox approve REF`,
or `POST /payments/sandbox/<token>`): approve, cancel, wrong_pin, insufficient or timeout.
The decision is what its status query answers from then on, and the callback it "sends"
is the JSON `callback_body` returns. Payouts succeed at once. State lives in Redis, so the
web app, the workers and the CLI see the same wallet.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import redis

from gateway.providers.errors import MalformedCallback
from gateway.providers.errors import SendError
from gateway.providers.payments.base import Accepted
from gateway.providers.payments.base import Collect
from gateway.providers.payments.base import Disburse
from gateway.providers.payments.base import PaymentStatus
from gateway.providers.payments.base import PayoutQuery
from gateway.providers.payments.base import PayoutStatus

DECISIONS = {
    "approve": ("succeeded", None, None),
    "cancel": ("failed", "CANCELLED", "cancelled"),
    "wrong_pin": ("failed", "WRONG_PIN", "wrong_pin"),
    "insufficient": ("failed", "NOT_ENOUGH_FUNDS", "insufficient_funds"),
    "timeout": ("failed", "TIMEOUT", "timeout"),
}
KEEP = 7 * 86400
"""Seconds the sandbox remembers a payment."""


class UnknownSandboxPayment(LookupError):
    """No sandbox payment has this reference."""


class Sandbox:
    name = "sandbox"
    payout_queries = True
    idempotent_requests = True

    def __init__(self, connection: redis.Redis) -> None:
        self._redis = connection

    def _key(self, ref: str) -> str:
        return f"sandbox:payment:{ref}"

    def _prompts_key(self, phone: str) -> str:
        return f"sandbox:prompts:{phone}"

    def _load(self, ref: str) -> dict[str, Any] | None:
        raw = self._redis.get(self._key(ref))
        return json.loads(raw) if raw else None

    def _save(self, ref: str, record: dict[str, Any]) -> None:
        self._redis.set(self._key(ref), json.dumps(record), ex=KEEP)

    def collect(self, request: Collect) -> Accepted:
        ref = request.request_key
        if self._load(ref) is None:
            self._save(
                ref,
                {
                    "ref": ref,
                    "state": "pending",
                    "amount_minor": request.amount_minor,
                    "currency": request.currency,
                    "phone": request.phone,
                    "account": request.account_ref,
                },
            )
            pipe = self._redis.pipeline()
            pipe.rpush(self._prompts_key(request.phone), ref)
            pipe.expire(self._prompts_key(request.phone), KEEP)
            pipe.execute()
        return Accepted(ref)

    def prompts(self, phone: str) -> list[dict[str, Any]]:
        """The prompts on `phone` still waiting for a decision, oldest first (what the phone
        simulator shows)."""
        refs = self._redis.lrange(self._prompts_key(phone), 0, -1)
        records = [self._load(ref.decode()) for ref in refs]  # type: ignore[union-attr]
        return [r for r in records if r is not None and r["state"] == "pending"]

    def query(self, provider_ref: str) -> PaymentStatus:
        record = self._load(provider_ref)
        if record is None:
            return PaymentStatus("failed", provider_ref, code="NOT_FOUND", reason="error")
        return _status(record)

    def decide(self, provider_ref: str, decision: str) -> bytes:
        """Settle a pending payment; returns the callback the sandbox sends about it.

        Raises:
            UnknownSandboxPayment; ValueError for a decision not in DECISIONS.
        """
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
        record = self._load(provider_ref)
        if record is None:
            raise UnknownSandboxPayment(provider_ref)
        if record["state"] == "pending":
            state, code, reason = DECISIONS[decision]
            record.update(state=state, code=code, reason=reason)
            if state == "succeeded":
                record["receipt"] = "SBX" + uuid.uuid4().hex[:9].upper()
            self._save(provider_ref, record)
        return callback_body(record)

    def parse_callback(self, body: bytes) -> PaymentStatus | PayoutStatus:
        try:
            record = json.loads(body)
            if record.get("kind") == "payout":
                return PayoutStatus(
                    record["state"], record["ref"], record["ref"], None, record["ref"]
                )
            return _status(record)
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise MalformedCallback(f"not a sandbox callback: {err}") from err

    def pay_out(self, request: Disburse) -> Accepted:
        if request.amount_minor <= 0:
            raise SendError("amount must be positive")
        ref = request.request_key
        self._save(ref, {"kind": "payout", "ref": ref, "state": "succeeded"})
        return Accepted(ref)

    def payout_status(self, provider_ref: str) -> PayoutStatus | None:
        record = self._load(provider_ref)
        if record is None:
            return PayoutStatus("failed", provider_ref, provider_ref, "NOT_FOUND")
        return PayoutStatus(record["state"], provider_ref, provider_ref, None, provider_ref)

    def check_payout(self, query: PayoutQuery) -> PayoutStatus | None:
        return self.payout_status(query.provider_ref or query.request_key)


def callback_body(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True).encode()


def _status(record: dict[str, Any]) -> PaymentStatus:
    state = record["state"]
    if state not in ("pending", "succeeded", "failed"):
        raise MalformedCallback(f"state {state!r}")
    return PaymentStatus(
        state,
        provider_ref=str(record["ref"]),
        code=record.get("code"),
        reason=record.get("reason"),
        amount_minor=int(record["amount_minor"]),
        currency=str(record["currency"]),
        phone=str(record["phone"]),
        receipt=record.get("receipt"),
    )
