"""MTN MoMo Open API (protocols.md 4): collections (requesttopay) and disbursements (transfer).

Each request carries our own UUID v4 as `X-Reference-Id`, so resending it is safe: MoMo
answers 409 for a reference it already has. `externalId` carries the same id, because the
callback (by PUT or POST, the shape of the status GET) need not name the reference. The
status GET answers 200 even for FAILED; `reason` is a string, or `{code, message}` in older
versions.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import partial
from typing import Any

import requests

from gateway.providers.errors import MalformedCallback
from gateway.providers.errors import SendError
from gateway.providers.http import TokenCache
from gateway.providers.http import call
from gateway.providers.http import http_error
from gateway.providers.http import json_body
from gateway.providers.http import lifetime
from gateway.providers.http import with_token
from gateway.providers.payments.base import Accepted
from gateway.providers.payments.base import Collect
from gateway.providers.payments.base import Disburse
from gateway.providers.payments.base import PaymentStatus
from gateway.providers.payments.base import PayoutQuery
from gateway.providers.payments.base import PayoutStatus
from gateway.providers.payments.base import e164
from gateway.providers.payments.base import msisdn
from gateway.providers.payments.base import optional_str
from gateway.providers.payments.base import to_major
from gateway.providers.payments.base import to_minor

STATES = {"PENDING": "pending", "SUCCESSFUL": "succeeded", "FAILED": "failed"}
REASONS = {
    "NOT_ENOUGH_FUNDS": "insufficient_funds",
    "APPROVAL_REJECTED": "cancelled",
    "EXPIRED": "timeout",
    "COULD_NOT_PERFORM_TRANSACTION": "timeout",
    "PAYER_DELAYED": "timeout",
    "PAYER_LIMIT_REACHED": "declined",
    "PAYER_NOT_FOUND": "declined",
    "SENDER_ACCOUNT_NOT_ACTIVE": "declined",
    "NOT_ALLOWED": "declined",
}
"""Failure reasons the buyer's SMS can explain; any other is an `error`."""
TOKEN_MARGIN = 600
"""Refresh a token ten minutes before it expires (MTN's advice)."""


@dataclass(frozen=True)
class Product:
    """Credentials of one MoMo product (collection or disbursement)."""

    name: str
    subscription_key: str
    api_user: str
    api_key: str


class Momo:
    """A MoMo client for one target environment (`sandbox`, `mtnuganda`, ...)."""

    name = "momo"
    payout_queries = True
    idempotent_requests = True

    def __init__(
        self,
        base_url: str,
        collection: Product,
        disbursement: Product,
        target_environment: str = "sandbox",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.target_environment = target_environment
        self._products = {p.name: p for p in (collection, disbursement)}
        self._http = requests.Session()
        self._tokens = {
            p.name: TokenCache(partial(self._fetch_token, p), margin=TOKEN_MARGIN)
            for p in (collection, disbursement)
        }

    def _fetch_token(self, product: Product) -> tuple[str, float]:
        basic = base64.b64encode(f"{product.api_user}:{product.api_key}".encode()).decode()
        response = call(
            self._http,
            "POST",
            f"{self.base_url}/{product.name}/token/",
            headers={
                "Authorization": f"Basic {basic}",
                "Ocp-Apim-Subscription-Key": product.subscription_key,
            },
        )
        body = json_body(response)
        if response.status_code != 200 or not body.get("access_token"):
            raise http_error(response)
        return str(body["access_token"]), lifetime(body.get("expires_in"), 3600)

    def _request(
        self, product: str, method: str, path: str, headers: dict[str, str] | None = None, **kw: Any
    ) -> requests.Response:
        return with_token(
            self._tokens[product],
            lambda token: call(
                self._http,
                method,
                f"{self.base_url}/{product}/v1_0/{path}",
                headers={
                    "Authorization": f"Bearer {token}",
                    "X-Target-Environment": self.target_environment,
                    "Ocp-Apim-Subscription-Key": self._products[product].subscription_key,
                    **(headers or {}),
                },
                **kw,
            ),
            lambda response: response.status_code == 401,
        )

    def _send(self, product: str, path: str, key: str, url: str, body: dict[str, Any]) -> None:
        headers = {"X-Reference-Id": key}
        if url:
            headers["X-Callback-Url"] = url
        try:
            response = self._request(product, "POST", path, headers, json=body)
        except SendError as err:
            if err.ambiguous:  # resending the same X-Reference-Id cannot act twice
                raise SendError(err.code, retryable=True) from err
            raise
        if response.status_code not in (202, 409):  # 409: we sent this reference before
            raise http_error(response, json_body(response).get("code"))

    def collect(self, request: Collect) -> Accepted:
        """requesttopay; Accepted means the buyer is being asked to approve it."""
        self._send(
            "collection",
            "requesttopay",
            request.request_key,
            request.callback_url,
            {
                "amount": to_major(request.amount_minor, request.currency),
                "currency": request.currency,
                "externalId": request.request_key,
                "payer": {"partyIdType": "MSISDN", "partyId": msisdn(request.phone)},
                "payerMessage": _plain(request.description),
                "payeeNote": _plain(request.account_ref),
            },
        )
        return Accepted(request.request_key, request.request_key)

    def query(self, provider_ref: str) -> PaymentStatus:
        response = self._request("collection", "GET", f"requesttopay/{provider_ref}")
        if response.status_code == 404:
            return PaymentStatus("failed", provider_ref, code="RESOURCE_NOT_FOUND", reason="error")
        if response.status_code != 200:
            raise http_error(response)
        return _collection(json_body(response), provider_ref)

    def parse_callback(self, body: bytes) -> PaymentStatus | PayoutStatus:
        """The final transaction object: with `payer` a collection, with `payee` a transfer."""
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise TypeError("not an object")
            if "payee" in data:
                return _transfer(data, None)
            return _collection(data, None)
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise MalformedCallback(f"not a MoMo callback: {err}") from err

    def pay_out(self, request: Disburse) -> Accepted:
        self._send(
            "disbursement",
            "transfer",
            request.request_key,
            request.result_url,
            {
                "amount": to_major(request.amount_minor, request.currency),
                "currency": request.currency,
                "externalId": request.request_key,
                "payee": {"partyIdType": "MSISDN", "partyId": msisdn(request.phone)},
                "payerMessage": _plain(request.remarks),
                "payeeNote": _plain(request.remarks),
            },
        )
        return Accepted(request.request_key, request.request_key)

    def payout_status(self, provider_ref: str) -> PayoutStatus | None:
        response = self._request("disbursement", "GET", f"transfer/{provider_ref}")
        if response.status_code == 404:
            return PayoutStatus("failed", provider_ref, provider_ref, code="RESOURCE_NOT_FOUND")
        if response.status_code != 200:
            raise http_error(response)
        return _transfer(json_body(response), provider_ref)

    def check_payout(self, query: PayoutQuery) -> PayoutStatus | None:
        """The transfer's status GET; its reference is our request key, lost answer or not."""
        return self.payout_status(query.provider_ref or query.request_key)


def reason_code(reason: object) -> str | None:
    """`reason` as MoMo sends it: "NOT_ENOUGH_FUNDS", or {"code": ..., "message": ...}."""
    if isinstance(reason, dict):
        reason = reason.get("code")
    return None if reason in (None, "") else str(reason)


def _state(data: dict[str, Any]) -> str:
    state = STATES.get(str(data.get("status", "")).upper())
    if state is None:
        raise MalformedCallback(f"status {data.get('status')!r}")
    return state


def _collection(data: dict[str, Any], provider_ref: str | None) -> PaymentStatus:
    state = _state(data)
    ref = (
        provider_ref
        or optional_str(data.get("referenceId"))
        or optional_str(data.get("externalId"))
    )
    code = reason_code(data.get("reason")) if state == "failed" else None
    currency = optional_str(data.get("currency"))
    amount = data.get("amount")
    payer = data.get("payer") or {}
    return PaymentStatus(
        state,
        provider_ref=ref,
        merchant_ref=optional_str(data.get("externalId")),
        code=code,
        reason=REASONS.get(code or "", "error") if state == "failed" else None,
        amount_minor=to_minor(amount, currency) if currency and amount is not None else None,
        currency=currency,
        phone=e164(payer.get("partyId"))
        if payer.get("partyIdType", "MSISDN") == "MSISDN"
        else None,
        receipt=optional_str(data.get("financialTransactionId")),
    )


def _transfer(data: dict[str, Any], provider_ref: str | None) -> PayoutStatus:
    state = _state(data)
    ref = (
        provider_ref
        or optional_str(data.get("referenceId"))
        or optional_str(data.get("externalId"))
    )
    currency = optional_str(data.get("currency"))
    amount = data.get("amount")
    return PayoutStatus(
        state,
        provider_ref=ref,
        request_key=optional_str(data.get("externalId")),
        code=reason_code(data.get("reason")) if state == "failed" else None,
        receipt=optional_str(data.get("financialTransactionId")),
        amount_minor=to_minor(amount, currency) if currency and amount is not None else None,
    )


def _plain(text: str) -> str:
    """MoMo refuses an apostrophe or more than 160 characters in payer/payee notes."""
    return text.replace("'", "")[:160]
