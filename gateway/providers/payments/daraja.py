"""Safaricom M-Pesa Daraja (protocols.md 3): OAuth, STK push and query, callbacks, B2C.

Daraja's types flip: `ResponseCode`/`ResultCode` are strings in synchronous and query answers
and integers in callbacks; a query for a payment still waiting for the buyer answers with the
error `500.001.1001` ("being processed"), which means pending. Callback items are read by
`Name` (an old `Balance` item has no `Value`). STK pushes are not idempotent: resending one
may prompt the buyer twice, so only a request that never reached Daraja is sent again.

B2C has no synchronous status query, so `payout_status` says nothing. The Transaction Status
API (`ask_payout_status`) asks again asynchronously: its `Result` comes to the ResultURL, and
the ids in it are the query's own; the payout's are among its `ResultParameters`. Confirmed
by the official page (DARAJA TransactionStatus in protocols.md's sources): the request fields
(`OriginalConversationID` is the name its table gives the payout's OriginatorConversationID),
and the result's `TransactionStatus` "Completed", `ReceiptNo`, `Amount` (a string),
`ConversationID` and `OriginatorConversationID` parameters. UNCONFIRMED: any other
`TransactionStatus` value, whether `TransactionID` may be left out when unknown, and the
result of a query that fails: without parameters it reads as a failed B2C result about the
query's own ids, which match no payout.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from datetime import timedelta
from datetime import timezone
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
from gateway.providers.payments.base import to_minor

EAT = timezone(timedelta(hours=3), "EAT")
CURRENCY = "KES"
BEING_PROCESSED = "500.001.1001"
BAD_TOKEN = "404.001.03"
MAX_ACCOUNT_REF = 12
MAX_DESCRIPTION = 13
REASONS = {
    "1": "insufficient_funds",
    "2": "declined",
    "3": "declined",
    "4": "declined",
    "8": "declined",
    "17": "declined",
    "1001": "declined",
    "1019": "timeout",
    "1032": "cancelled",
    "1037": "timeout",
    "2001": "wrong_pin",
}
"""STK ResultCodes the buyer's SMS can explain; any other failure is an `error`."""
PAYOUT_STATES = {
    "Completed": "succeeded",
    "Failed": "failed",
    "Cancelled": "failed",
    "Declined": "failed",
    "Expired": "failed",
}
"""A Transaction Status result's `TransactionStatus`; only "Completed" is in the official
sample, and any value not listed (one still in progress, say) is pending."""


def password(shortcode: str, passkey: str, timestamp: str) -> str:
    """base64(BusinessShortCode + Passkey + Timestamp), plain concatenation."""
    return base64.b64encode(f"{shortcode}{passkey}{timestamp}".encode()).decode()


class Daraja:
    """A Daraja client for one paybill or till; tokens are cached until they expire."""

    name = "mpesa"
    payout_queries = False
    idempotent_requests = False

    def __init__(
        self,
        base_url: str,
        consumer_key: str,
        consumer_secret: str,
        shortcode: str,
        passkey: str,
        *,
        transaction_type: str = "CustomerPayBillOnline",
        initiator_name: str = "",
        security_credential: str = "",
        b2c_shortcode: str = "",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.shortcode = shortcode
        self.passkey = passkey
        self.transaction_type = transaction_type
        self.initiator_name = initiator_name
        self.security_credential = security_credential
        self.b2c_shortcode = b2c_shortcode or shortcode
        self._basic = base64.b64encode(f"{consumer_key}:{consumer_secret}".encode()).decode()
        self._http = requests.Session()
        self._tokens = TokenCache(self._fetch_token, margin=60)

    def _fetch_token(self) -> tuple[str, float]:
        response = call(
            self._http,
            "GET",
            f"{self.base_url}/oauth/v1/generate",
            params={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {self._basic}"},
        )
        body = json_body(response)
        if response.status_code != 200 or not body.get("access_token"):
            raise http_error(response, body.get("errorCode"))
        return str(body["access_token"]), lifetime(body.get("expires_in"), 3599)

    def _post(self, path: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """POST JSON with a bearer token (fetched again once if Daraja refuses it)."""
        response = with_token(
            self._tokens,
            lambda token: call(
                self._http,
                "POST",
                f"{self.base_url}{path}",
                json=payload,
                headers={"Authorization": f"Bearer {token}"},
            ),
            _bad_token,
        )
        if _bad_token(response):
            raise SendError(BAD_TOKEN)
        return response.status_code, json_body(response)

    def _stamp(self) -> dict[str, str]:
        timestamp = datetime.now(EAT).strftime("%Y%m%d%H%M%S")
        return {
            "BusinessShortCode": self.shortcode,
            "Password": password(self.shortcode, self.passkey, timestamp),
            "Timestamp": timestamp,
        }

    def collect(self, request: Collect) -> Accepted:
        """STK push; Accepted only means the prompt was queued for the buyer's phone."""
        if request.currency != CURRENCY or request.amount_minor % 100:
            raise SendError(f"M-Pesa takes whole {CURRENCY}")
        phone = msisdn(request.phone)
        status, body = self._post(
            "/mpesa/stkpush/v1/processrequest",
            {
                **self._stamp(),
                "TransactionType": self.transaction_type,
                "Amount": request.amount_minor // 100,
                "PartyA": phone,
                "PartyB": self.shortcode,
                "PhoneNumber": phone,
                "CallBackURL": request.callback_url,
                "AccountReference": request.account_ref[:MAX_ACCOUNT_REF],
                "TransactionDesc": request.description[:MAX_DESCRIPTION],
            },
        )
        if status == 200 and str(body.get("ResponseCode")) == "0":
            return Accepted(str(body["CheckoutRequestID"]), body.get("MerchantRequestID"))
        code = str(body.get("errorCode") or body.get("ResponseCode") or f"HTTP {status}")
        # A locked subscriber ("wait >= 1 min"), system busy and quotas pass with time.
        retryable = status >= 500 or status == 429 or code.startswith("500.")
        raise SendError(code, retryable=retryable)

    def query(self, provider_ref: str) -> PaymentStatus:
        status, body = self._post(
            "/mpesa/stkpushquery/v1/query", {**self._stamp(), "CheckoutRequestID": provider_ref}
        )
        if body.get("errorCode") == BEING_PROCESSED:
            return PaymentStatus("pending", provider_ref)
        if status != 200 or body.get("ResultCode") is None:
            raise SendError(
                str(body.get("errorCode") or f"HTTP {status}"),
                retryable=status >= 500 or status == 429,
            )
        return _result(provider_ref, body.get("MerchantRequestID"), body["ResultCode"])

    def parse_callback(self, body: bytes) -> PaymentStatus | PayoutStatus:
        """An STK callback (`Body.stkCallback`), or a `Result`: of a B2C payout, or of a
        Transaction Status query (it has a `TransactionStatus` parameter)."""
        try:
            data = json.loads(body)
            if "Result" in data:
                values = _parameters(data["Result"])
                if "TransactionStatus" in values:
                    return _status_result(data["Result"], values)
                return _b2c_result(data["Result"], values)
            return _stk_callback(data["Body"]["stkCallback"])
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise MalformedCallback(f"not a Daraja callback: {err}") from err

    def pay_out(self, request: Disburse) -> Accepted:
        """B2C BusinessPayment; the outcome arrives at `result_url` as a `Result`."""
        if request.currency != CURRENCY or request.amount_minor % 100:
            raise SendError(f"M-Pesa pays whole {CURRENCY}")
        status, body = self._post(
            "/mpesa/b2c/v3/paymentrequest",
            {
                "OriginatorConversationID": request.request_key,
                "InitiatorName": self.initiator_name,
                "SecurityCredential": self.security_credential,
                "CommandID": "BusinessPayment",
                "Amount": request.amount_minor // 100,
                "PartyA": self.b2c_shortcode,
                "PartyB": msisdn(request.phone),
                "Remarks": request.remarks[:100],
                "QueueTimeOutURL": request.result_url,
                "ResultURL": request.result_url,
                "Occasion": "",
            },
        )
        if status == 200 and str(body.get("ResponseCode")) == "0":
            return Accepted(str(body["ConversationID"]), body.get("OriginatorConversationID"))
        raise _refusal(status, body)

    def payout_status(self, provider_ref: str) -> PayoutStatus | None:
        """Daraja answers B2C only by a result callback (see `ask_payout_status`)."""
        return None

    def check_payout(self, query: PayoutQuery) -> None:
        """Ask by Transaction Status: the answer comes to `query.result_url` later."""
        self.ask_payout_status(query.request_key, query.result_url)

    def ask_payout_status(self, request_key: str, result_url: str) -> None:
        """Ask how a B2C payout went; the answer comes later to `result_url`, as a `Result`
        that `parse_callback` reads as the payout's PayoutStatus.

        Args:
            request_key: the OriginatorConversationID the payout was sent with (ours).
            result_url: where Daraja posts the result, and its queue timeout.

        Raises:
            SendError: Daraja refused the query. A lost answer is retryable, not ambiguous:
                asking twice does no harm.
        """
        try:
            status, body = self._post(
                "/mpesa/transactionstatus/v1/query",
                {
                    "Initiator": self.initiator_name,
                    "SecurityCredential": self.security_credential,
                    "CommandID": "TransactionStatusQuery",
                    "OriginalConversationID": request_key,
                    "PartyA": self.b2c_shortcode,
                    "IdentifierType": "4",  # an organisation short code
                    "ResultURL": result_url,
                    "QueueTimeOutURL": result_url,
                    "Remarks": "Sokoni payout check",
                    "Occasion": request_key,
                },
            )
        except SendError as err:
            if err.ambiguous:
                raise SendError(err.code, retryable=True) from err
            raise
        if status != 200 or str(body.get("ResponseCode")) != "0":
            raise _refusal(status, body)


def _result(checkout_id: str, merchant_ref: object, code: object, **paid: Any) -> PaymentStatus:
    text = str(code).strip()
    if not text.lstrip("-").isdigit():
        raise MalformedCallback(f"ResultCode {code!r}")
    text = str(int(text))
    if text == "0":
        return PaymentStatus(
            "succeeded", checkout_id, optional_str(merchant_ref), "0", currency=CURRENCY, **paid
        )
    return PaymentStatus(
        "failed", checkout_id, optional_str(merchant_ref), text, REASONS.get(text, "error")
    )


def _stk_callback(cb: dict[str, Any]) -> PaymentStatus:
    items = {
        item["Name"]: item.get("Value")
        for item in (cb.get("CallbackMetadata") or {}).get("Item") or []
        if isinstance(item, dict) and "Name" in item
    }
    paid: dict[str, Any] = {}
    if str(cb["ResultCode"]).strip() == "0":
        paid = {
            "amount_minor": to_minor(items.get("Amount"), CURRENCY),
            "phone": e164(items.get("PhoneNumber")),
            "receipt": optional_str(items.get("MpesaReceiptNumber")),
        }
    return _result(
        str(cb["CheckoutRequestID"]), cb.get("MerchantRequestID"), cb["ResultCode"], **paid
    )


def _parameters(result: dict[str, Any]) -> dict[str, Any]:
    """`ResultParameters` by `Key`, spaces dropped (older results say "Conversation ID")."""
    params = (result.get("ResultParameters") or {}).get("ResultParameter") or []
    if isinstance(params, dict):  # a single parameter comes as an object, not a list
        params = [params]
    return {
        str(p["Key"]).replace(" ", ""): p.get("Value")
        for p in params
        if isinstance(p, dict) and "Key" in p
    }


def _b2c_result(result: dict[str, Any], values: dict[str, Any]) -> PayoutStatus:
    code = str(result["ResultCode"]).strip()
    amount = values.get("TransactionAmount")
    return PayoutStatus(
        "succeeded" if code == "0" else "failed",
        provider_ref=optional_str(result.get("ConversationID")),
        request_key=optional_str(result.get("OriginatorConversationID")),
        code=code,
        receipt=optional_str(result.get("TransactionID") or values.get("TransactionReceipt")),
        amount_minor=to_minor(amount, CURRENCY) if amount is not None else None,
    )


def _status_result(result: dict[str, Any], values: dict[str, Any]) -> PayoutStatus:
    """The payout a Transaction Status query asked about, named by the ids in its parameters
    (the Result's own ConversationID and OriginatorConversationID are the query's)."""
    told = optional_str(values.get("TransactionStatus"))
    answered = str(result["ResultCode"]).strip() == "0"
    amount = values.get("Amount")
    return PayoutStatus(
        PAYOUT_STATES.get(told or "", "pending") if answered else "pending",
        provider_ref=optional_str(values.get("ConversationID")),
        request_key=optional_str(values.get("OriginatorConversationID")),
        code=told,
        receipt=optional_str(values.get("ReceiptNo")),
        amount_minor=to_minor(amount, CURRENCY) if amount is not None else None,
    )


def _refusal(status: int, body: dict[str, Any]) -> SendError:
    """Daraja's refusal of a request; 5xx and 429 may pass with time."""
    code = str(body.get("errorCode") or body.get("ResponseCode") or f"HTTP {status}")
    return SendError(code, retryable=status >= 500 or status == 429)


def _bad_token(response: requests.Response) -> bool:
    return response.status_code == 401 or json_body(response).get("errorCode") == BAD_TOKEN
