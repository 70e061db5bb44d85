"""Airtel Money Open API (protocols.md 4.4): USSD-push collections and B2C disbursements.

What the wire looks like, and how sure we are ([doc]: the Airtel docs copy protocols.md cites;
[121]: the production integration of global-121/121-platform and its mock service; [2nd]:
other third-party code; UNCONFIRMED: no official source seen):
- `POST /auth/oauth2/token` with JSON client credentials; `expires_in` is a string ("180")
  [doc]. A refused bearer token answers 401 or `{"error": "invalid_token"}` [121].
- `POST /merchant/v2/payments/` with `X-Country`/`X-Currency`; the msisdn carries no country
  code [doc]. Refusals come in 200 bodies too: `status.success` false, `status.code` "400" or
  "500" and a `status.response_code` (DP008... collections, DP009... disbursements) [121, 2nd].
- `GET /standard/v1/payments/{id}` answers `data.transaction.status` [2nd, UNCONFIRMED]; the
  vocabulary is in `airtel_wire.py`.
- `POST /standard/v2/disbursements/` `{payee, reference, transaction: {amount, id, type: B2C}}`
  and `GET /standard/v2/disbursements/{id}?transactionType=B2C` [121]. The real API also wants
  `pin`, the merchant PIN encrypted with Airtel's RSA key [121]; none is sent here, so an
  account that requires it refuses payouts (a final error) until one is configured.
- Callbacks go to one URL registered in the Airtel portal, not per request (`airtel_wire.py`).

Not idempotent: Airtel refuses a disbursement id it has seen (DP00900001011/017 [121, 2nd]),
but nothing says it refuses a repeated collection id, so a collection whose answer was lost is
never sent again (the buyer could be prompted twice).
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
import requests

from gateway.providers.errors import SendError
from gateway.providers.http import TIMEOUT
from gateway.providers.http import TokenCache
from gateway.providers.http import call
from gateway.providers.http import http_error
from gateway.providers.http import json_body
from gateway.providers.http import lifetime
from gateway.providers.http import with_token
from gateway.providers.payments.airtel_wire import COLLECTION
from gateway.providers.payments.airtel_wire import CURRENCIES
from gateway.providers.payments.airtel_wire import DISBURSEMENT
from gateway.providers.payments.airtel_wire import Outcome
from gateway.providers.payments.airtel_wire import Route
from gateway.providers.payments.airtel_wire import outcome
from gateway.providers.payments.airtel_wire import read_callback
from gateway.providers.payments.airtel_wire import request_key_of
from gateway.providers.payments.airtel_wire import route_of
from gateway.providers.payments.airtel_wire import transaction_id
from gateway.providers.payments.base import Accepted
from gateway.providers.payments.base import Collect
from gateway.providers.payments.base import Disburse
from gateway.providers.payments.base import PaymentStatus
from gateway.providers.payments.base import PayoutQuery
from gateway.providers.payments.base import PayoutStatus
from gateway.providers.payments.base import optional_str
from gateway.providers.payments.base import to_major

GOING = frozenset(
    {
        "DP00800001000",  # collection ambiguous: ask later
        "DP00800001006",  # collection in process
        "DP00900001000",  # disbursement ambiguous
        "DP00900001006",  # disbursement in process
        "DP00900001014",  # disbursement timed out, "may be processed"
        "DP00900001011",  # disbursement "already exists"
        "DP00900001017",  # disbursement duplicate id: we sent it before
    }
)
"""Response codes of a refusal-shaped answer that still means Airtel has the transaction."""
NOT_FOUND = frozenset({"DP00800001025", "DP00900001015"})
"""Enquiry codes for an id Airtel does not (yet) know: pending, not failed (Airtel advises
asking no sooner than three minutes after the request [2nd])."""
TOKEN_MARGIN = 30
"""Seconds before expiry a token is replaced (Airtel's live for 180)."""


class Airtel:
    """An Airtel Money client for every country its credentials serve; tokens are cached."""

    name = "airtel"
    idempotent_requests = False
    payout_queries = True

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        callback_secret: str = "",
        timeout: tuple[float, float] = TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._credentials = {
            "client_id": client_id,
            "client_secret": client_secret,
            "grant_type": "client_credentials",
        }
        self._callback_secret = callback_secret.encode()
        self._http = requests.Session()
        self._tokens = TokenCache(self._fetch_token, margin=TOKEN_MARGIN)

    def _fetch_token(self) -> tuple[str, float]:
        response = call(
            self._http,
            "POST",
            f"{self.base_url}/auth/oauth2/token",
            json=self._credentials,
            timeout=self.timeout,
        )
        body = json_body(response)
        if response.status_code != 200 or not body.get("access_token"):
            raise http_error(response, optional_str(body.get("error")))
        return str(body["access_token"]), lifetime(body.get("expires_in"), 180)

    def _request(
        self, method: str, path: str, route: Route, **kw: Any
    ) -> tuple[requests.Response, dict[str, Any]]:
        """One API call with the bearer token (fetched again once if Airtel refuses it)."""
        response = with_token(
            self._tokens,
            lambda token: call(
                self._http,
                method,
                f"{self.base_url}{path}",
                headers={
                    "Authorization": f"Bearer {token}",
                    "X-Country": route.country,
                    "X-Currency": route.currency,
                    "Accept": "*/*",
                },
                timeout=self.timeout,
                **kw,
            ),
            _bad_token,
        )
        return response, json_body(response)

    def collect(self, request: Collect) -> Accepted:
        """USSD push; Accepted means the payer's phone is asking for their Airtel Money PIN.

        `callback_url` is unused: Airtel calls back to the URL registered in its portal.
        """
        route, msisdn = _party(COLLECTION, request.phone, request.currency)
        tid = transaction_id(route, request.request_key)
        response, body = self._request(
            "POST",
            "/merchant/v2/payments/",
            route,
            json={
                "reference": _reference(request.account_ref),
                "subscriber": {
                    "country": route.country,
                    "currency": route.currency,
                    "msisdn": msisdn,
                },
                "transaction": {
                    "amount": _amount(request.amount_minor, request.currency),
                    "country": route.country,
                    "currency": route.currency,
                    "id": tid,
                },
            },
        )
        _check_taken(response, body)
        return Accepted(tid, request.request_key)

    def query(self, provider_ref: str) -> PaymentStatus:
        """The collection's status enquiry, the truth a callback is checked against."""
        said = self._enquire(provider_ref, COLLECTION, "/standard/v1/payments/")
        return PaymentStatus(
            said.state, provider_ref, code=said.code, reason=said.reason, receipt=said.receipt
        )

    def parse_callback(self, body: bytes) -> PaymentStatus | PayoutStatus:
        """A collection or disbursement callback, its `hash` checked when a secret is set."""
        return read_callback(body, self._callback_secret)

    def pay_out(self, request: Disburse) -> Accepted:
        """B2C disbursement, without a PIN (see the module notes); `result_url` is unused."""
        route, msisdn = _party(DISBURSEMENT, request.phone, request.currency)
        tid = transaction_id(route, request.request_key)
        response, body = self._request(
            "POST",
            "/standard/v2/disbursements/",
            route,
            json={
                "payee": {"currency": route.currency, "msisdn": msisdn},
                "reference": _reference(request.remarks),
                "transaction": {
                    "amount": _amount(request.amount_minor, request.currency),
                    "id": tid,
                    "type": "B2C",
                },
            },
        )
        _check_taken(response, body)
        return Accepted(tid, request.request_key)

    def payout_status(self, provider_ref: str) -> PayoutStatus:
        """The disbursement's status enquiry."""
        said = self._enquire(
            provider_ref,
            DISBURSEMENT,
            "/standard/v2/disbursements/",
            params={"transactionType": "B2C"},
        )
        return PayoutStatus(
            said.state,
            provider_ref,
            request_key_of(provider_ref),
            code=said.code,
            receipt=said.receipt,
        )

    def check_payout(self, query: PayoutQuery) -> PayoutStatus | None:
        """The disbursement's enquiry, by the id the payout was (or would have been) sent as."""
        tid = query.provider_ref
        if tid is None:
            route, _ = _party(DISBURSEMENT, query.phone, query.currency)
            tid = transaction_id(route, query.request_key)
        return self.payout_status(tid)

    def _enquire(self, tid: str, kind: str, path: str, **kw: Any) -> Outcome:
        """GET a transaction's status; an id Airtel does not know yet is pending.

        Raises:
            SendError: not one of our ids of this kind (final), or the enquiry failed.
        """
        route = route_of(tid)
        if route is None or route.kind != kind:
            raise SendError(f"not an Airtel id of ours: {tid!r}")
        response, body = self._request("GET", f"{path}{tid}", route, **kw)
        code = optional_str(_object(body.get("status")).get("response_code"))
        if code in NOT_FOUND:
            return Outcome("pending", code, None, None)
        if response.status_code != 200:
            raise http_error(response, code)
        tx = _object(_object(body.get("data")).get("transaction"))
        return outcome(tx.get("status"), tx.get("message"), code, tx.get("airtel_money_id"))


def _party(kind: str, phone: str, currency: str) -> tuple[Route, str]:
    """The route of a payer or payee, and their number without its country code.

    Raises:
        SendError: not a number of a country where Airtel takes `currency` (final).
    """
    try:
        number = phonenumbers.parse(phone)
    except phonenumbers.NumberParseException as err:
        raise SendError(f"not a phone number: {phone!r}") from err
    country = phonenumbers.region_code_for_number(number) or ""
    if currency not in CURRENCIES.get(country, ()):
        raise SendError(f"Airtel Money takes no {currency} in {country or phone}")
    return Route(kind, country, currency), phonenumbers.national_significant_number(number)


def _amount(minor: int, currency: str) -> int | float:
    """Major units as the JSON number Airtel's examples show (1000, or 12.5)."""
    major = to_major(minor, currency)
    return float(major) if "." in major else int(major)


def _reference(text: str) -> str:
    """Letters and digits only, 4 to 64 of them, as Airtel wants a reference [121]."""
    cleaned = re.sub(r"[^A-Za-z0-9]", "", text)[:64]
    return cleaned if len(cleaned) >= 4 else f"Sokoni{cleaned}"


def _object(value: object) -> dict[str, Any]:
    """A JSON object from an answer, or {} for anything else."""
    return value if isinstance(value, dict) else {}


def _check_taken(response: requests.Response, body: dict[str, Any]) -> None:
    """Return if Airtel has the transaction; else raise its refusal.

    Raises:
        SendError: refused; retryable for 5xx and 429, whether in the HTTP status or in the
            body's `status.code` (a 200 answer may carry "500"); ambiguous for a 200 that
            says nothing readable.
    """
    status = _object(body.get("status"))
    code = optional_str(status.get("response_code"))
    if code in GOING or (response.status_code == 200 and status.get("success") in (True, "true")):
        return
    if response.status_code != 200:
        raise http_error(response, code or optional_str(body.get("error")))
    if not body:
        raise SendError("unreadable answer", ambiguous=True)
    reported = str(status.get("code", ""))
    retryable = reported.startswith("5") or reported == "429"
    raise SendError(
        code or optional_str(status.get("result_code")) or "refused", retryable=retryable
    )


def _bad_token(response: requests.Response) -> bool:
    return response.status_code == 401 or json_body(response).get("error") == "invalid_token"
