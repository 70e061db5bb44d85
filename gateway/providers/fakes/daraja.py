"""A local M-Pesa Daraja that answers like the real one (protocols.md 3), odd types included.

- `GET /oauth/v1/generate?grant_type=client_credentials` (Basic key:secret) → a token whose
  `expires_in` is a string, as older Daraja sent it;
- `POST /mpesa/stkpush/v1/processrequest` checks the bearer token, JSON content type,
  Password = base64(shortcode + passkey + timestamp), AccountReference ≤ 12 and
  TransactionDesc ≤ 13; answers `ResponseCode` as a *string*;
- `POST /mpesa/stkpushquery/v1/query`: the error `500.001.1001` while the buyer has not
  answered, then `ResultCode` as a *string*;
- `POST /mpesa/b2c/v3/paymentrequest` for payouts;
- `POST /mpesa/transactionstatus/v1/query` (Transaction Status, for a payout named by its
  `OriginalConversationID` or its receipt as `TransactionID`): accepted at once, and the
  documented `Result` is POSTed to its ResultURL after `auto_complete` seconds (at once
  without), the payout's `TransactionStatus` being what `payouts[id]["TransactionStatus"]` says.

Tests script each push's outcome (`script(SUCCESS, CANCELLED, ...)`), then `complete()` it:
the query answers from then on and the documented callback body comes back (integer
`ResultCode`, `Amount` a decimal, `PhoneNumber` a number, a `Balance` item without value),
or None for an outcome that sends no callback. With `auto_complete` seconds set (for
`python -m gateway.providers.fakes.daraja`), pushes complete by themselves and the callback
is POSTed to their CallBackURL, and payouts' B2C results to their ResultURL.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import logging
import threading
import uuid
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from flask import Flask
from flask import Response
from flask import jsonify
from flask import request

from gateway.providers.fakes.server import FakeServer
from gateway.providers.fakes.server import call_back
from gateway.providers.fakes.server import serve_alone

log = logging.getLogger(__name__)

RESULT_TEXT = {
    0: "The service request is processed successfully.",
    1: "The balance is insufficient for the transaction.",
    1032: "Request cancelled by user",
    1037: "DS timeout user cannot be reached",
    2001: "The initiator information is invalid.",
}


@dataclass(frozen=True)
class Outcome:
    """How the buyer answers one push: a ResultCode, and whether Daraja calls back."""

    code: int = 0
    callback: bool = True


SUCCESS = Outcome(0)
CANCELLED = Outcome(1032)
WRONG_PIN = Outcome(2001)
TIMEOUT = Outcome(1037)
NO_CALLBACK = Outcome(0, callback=False)


@dataclass
class Push:
    checkout_id: str
    merchant_id: str
    body: dict[str, Any]
    outcome: Outcome
    receipt: str
    done: bool = False


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)


def _error(status: int, code: str, message: str) -> tuple[Response, int]:
    return jsonify(requestId=uuid.uuid4().hex[:20], errorCode=code, errorMessage=message), status


class FakeDaraja(FakeServer):
    """The fake server; `start()` serves it from a thread on a free port."""

    thread_name = "fake-daraja"

    def __init__(
        self,
        consumer_key: str = "fake-consumer-key",
        consumer_secret: str = "fake-consumer-secret",
        shortcode: str = "174379",
        passkey: str = "fake-passkey",
        auto_complete: float | None = None,
    ) -> None:
        self.consumer_key, self.consumer_secret = consumer_key, consumer_secret
        self.shortcode, self.passkey = shortcode, passkey
        self.auto_complete = auto_complete
        self.calls: list[Call] = []
        self.pushes: dict[str, Push] = {}
        self.payouts: dict[str, dict[str, Any]] = {}
        self.tokens: list[str] = []
        self._script: list[Outcome] = []
        self._failures: list[tuple[int, dict[str, Any]]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.app = self._build_app()

    # -- scripting -------------------------------------------------------------------------

    def script(self, *outcomes: Outcome) -> None:
        """The outcomes of the next pushes, in order (then SUCCESS)."""
        self._script += outcomes

    def fail_next(
        self, status: int = 500, body: dict[str, Any] | None = None, times: int = 1
    ) -> None:
        """Answer the next `times` API calls (not token calls) with HTTP `status`."""
        body = body or {"errorCode": "500.003.02", "errorMessage": "System is busy"}
        self._failures += [(status, body)] * times

    def pushes_received(self) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.path.endswith("/processrequest")]

    def last_push(self) -> Push:
        return list(self.pushes.values())[-1]

    def complete(self, checkout_id: str | None = None) -> dict[str, Any] | None:
        """The buyer answered: queries now say so; returns the callback body (None if this
        outcome sends none)."""
        push = self.pushes[checkout_id] if checkout_id else self.last_push()
        push.done = True
        return self.callback_body(push.checkout_id) if push.outcome.callback else None

    def callback_body(self, checkout_id: str, **override: Any) -> dict[str, Any]:
        """The documented STK callback for a push; `override` replaces metadata values."""
        push = self.pushes[checkout_id]
        cb: dict[str, Any] = {
            "MerchantRequestID": push.merchant_id,
            "CheckoutRequestID": push.checkout_id,
            "ResultCode": push.outcome.code,
            "ResultDesc": RESULT_TEXT.get(push.outcome.code, "Failed"),
        }
        if push.outcome.code == 0:
            values = {
                "Amount": float(push.body["Amount"]),
                "MpesaReceiptNumber": push.receipt,
                "Balance": None,
                "TransactionDate": 20191219102115,
                "PhoneNumber": int(push.body["PhoneNumber"]),
                **override,
            }
            cb["CallbackMetadata"] = {
                "Item": [
                    {"Name": k} if v is None else {"Name": k, "Value": v} for k, v in values.items()
                ]
            }
        return {"Body": {"stkCallback": cb}}

    def b2c_result(self, conversation_id: str, code: int = 0) -> dict[str, Any]:
        """The documented B2C `Result` for a payout."""
        payout = self.payouts[conversation_id]
        result: dict[str, Any] = {
            "ResultType": 0,
            "ResultCode": code,
            "ResultDesc": "The service request is processed successfully."
            if code == 0
            else "Failed",
            "OriginatorConversationID": payout["OriginatorConversationID"],
            "ConversationID": conversation_id,
            "TransactionID": payout["receipt"],
        }
        if code == 0:
            result["ResultParameters"] = {
                "ResultParameter": [
                    {"Key": "TransactionAmount", "Value": payout["Amount"]},
                    {"Key": "TransactionReceipt", "Value": payout["receipt"]},
                    {"Key": "ReceiverPartyPublicName", "Value": f"{payout['PartyB']} - Payee"},
                    {"Key": "B2CRecipientIsRegisteredCustomer", "Value": "Y"},
                ]
            }
        return {"Result": result}

    def status_result(self, conversation_id: str, query: dict[str, str]) -> dict[str, Any]:
        """The documented Transaction Status `Result` about a payout, for the `query` (its own
        ConversationID and OriginatorConversationID) that asked."""
        payout = self.payouts[conversation_id]
        status = payout["TransactionStatus"]
        values = {
            "DebitPartyName": f"{payout['PartyA']} - Sokoni",
            "CreditPartyName": f"{payout['PartyB']} - Payee",
            "OriginatorConversationID": payout.get("OriginatorConversationID", ""),
            "InitiatedTime": "20250101120000",
            "DebitAccountType": "Utility Account",
            "DebitPartyCharges": "Fee For B2C Payment|KES|22.40",
            "TransactionReason": None,
            "ReasonType": "Business Payment to Customer via API",
            "TransactionStatus": status,
            "FinalisedTime": "20250101120005",
            "Amount": str(payout["Amount"]),
            "ConversationID": conversation_id,
            "ReceiptNo": payout["receipt"] if status == "Completed" else None,
        }
        result = {
            **query,
            "ReferenceData": {"ReferenceItem": {"Key": "Occasion"}},
            "ResultCode": 0,
            "ResultDesc": "The service request is processed successfully.",
            "ResultParameters": {
                "ResultParameter": [
                    {"Key": k} if v is None else {"Key": k, "Value": v} for k, v in values.items()
                ]
            },
            "ResultType": 0,
            "TransactionID": payout["receipt"],
        }
        return {"Result": result}

    # -- serving ---------------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask(__name__)
        app.add_url_rule("/oauth/v1/generate", "token", self._token, methods=["GET"])
        app.add_url_rule("/mpesa/stkpush/v1/processrequest", "push", self._push, methods=["POST"])
        app.add_url_rule("/mpesa/stkpushquery/v1/query", "query", self._query, methods=["POST"])
        app.add_url_rule("/mpesa/b2c/v3/paymentrequest", "b2c", self._b2c, methods=["POST"])
        app.add_url_rule(
            "/mpesa/transactionstatus/v1/query",
            "transaction_status",
            self._transaction_status,
            methods=["POST"],
        )
        return app

    def _token(self) -> Response | tuple[Response, int]:
        basic = base64.b64encode(f"{self.consumer_key}:{self.consumer_secret}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {basic}":
            return _error(400, "400.008.01", "Invalid Authentication passed")
        if request.args.get("grant_type") != "client_credentials":
            return _error(400, "400.008.02", "Invalid grant type passed")
        token = uuid.uuid4().hex
        self.tokens.append(token)
        return jsonify(access_token=token, expires_in="3599")

    def _api(
        self, password: bool = False
    ) -> tuple[dict[str, Any] | None, tuple[Response, int] | None]:
        """Record the call; the JSON body, or the error Daraja would give instead (checking
        the STK Password too when `password`)."""
        body = request.get_json(silent=True) if request.is_json else None
        self.calls.append(Call(request.path, dict(request.headers), body or {}))
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return None, (jsonify(failure[1]), failure[0])
        auth = request.headers.get("Authorization", "")
        if auth.removeprefix("Bearer ") not in self.tokens:
            return None, _error(404, "404.001.03", "Invalid Access Token")
        if body is None:
            return None, _error(400, "400.002.02", "Bad Request - Invalid BusinessShortCode")
        refused = self._check_password(body) if password else None
        return (None, refused) if refused is not None else (body, None)

    def _check_password(self, body: dict[str, Any]) -> tuple[Response, int] | None:
        if str(body.get("BusinessShortCode")) != self.shortcode:
            return _error(400, "400.002.02", "Bad Request - Invalid BusinessShortCode")
        stamp = str(body.get("Timestamp", ""))
        expected = base64.b64encode(f"{self.shortcode}{self.passkey}{stamp}".encode()).decode()
        if len(stamp) != 14 or not stamp.isdigit() or body.get("Password") != expected:
            return _error(400, "400.002.02", "Bad Request - Invalid Password")
        return None

    def _push(self) -> Response | tuple[Response, int]:
        body, error = self._api(password=True)
        if error is not None:
            return error
        assert body is not None  # no error means a JSON body
        for name, most in (("AccountReference", 12), ("TransactionDesc", 13)):
            if len(str(body.get(name, ""))) > most:
                return _error(400, "400.002.02", f"Bad Request - Invalid {name}")
        amount = body.get("Amount")
        if not isinstance(amount, int | str) or not str(amount).isdigit() or int(amount) < 1:
            return _error(400, "400.002.02", "Bad Request - Invalid Amount")
        number = next(self._ids)
        push = Push(
            checkout_id=f"ws_CO_{number:020d}",
            merchant_id=f"29115-{number}-1",
            body=body,
            outcome=self._script.pop(0) if self._script else SUCCESS,
            receipt=f"NLJ{number:07d}",
        )
        self.pushes[push.checkout_id] = push
        if self.auto_complete is not None:
            threading.Timer(self.auto_complete, self._deliver, args=(push,)).start()
        return jsonify(
            MerchantRequestID=push.merchant_id,
            CheckoutRequestID=push.checkout_id,
            ResponseCode="0",
            ResponseDescription="Success. Request accepted for processing",
            CustomerMessage="Success. Request accepted for processing",
        )

    def _deliver(self, push: Push) -> None:
        body = self.complete(push.checkout_id)
        if body is not None:
            call_back("POST", push.body["CallBackURL"], body, "Daraja")

    def _query(self) -> Response | tuple[Response, int]:
        body, error = self._api(password=True)
        if error is not None:
            return error
        assert body is not None  # no error means a JSON body
        push = self.pushes.get(str(body.get("CheckoutRequestID")))
        if push is None:
            return _error(400, "400.002.02", "Bad Request - Invalid CheckoutRequestID")
        if not push.done:
            return _error(500, "500.001.1001", "The transaction is being processed")
        return jsonify(
            ResponseCode="0",
            ResponseDescription="The service request has been accepted successsfully",
            MerchantRequestID=push.merchant_id,
            CheckoutRequestID=push.checkout_id,
            ResultCode=str(push.outcome.code),
            ResultDesc=RESULT_TEXT.get(push.outcome.code, "Failed"),
        )

    def _b2c(self) -> Response | tuple[Response, int]:
        body, error = self._api()
        if error is not None:
            return error
        assert body is not None  # no error means a JSON body
        for name in ("InitiatorName", "SecurityCredential", "PartyA", "PartyB", "ResultURL"):
            if not body.get(name):
                return _error(400, "400.002.02", f"Bad Request - Invalid {name}")
        number = next(self._ids)
        conversation = f"AG_20250101_{number:020d}"
        self.payouts[conversation] = {
            **body,
            "receipt": f"PAY{number:07d}",
            "TransactionStatus": "Completed",
        }
        if self.auto_complete is not None:
            result = self.b2c_result(conversation)
            threading.Timer(
                self.auto_complete, call_back, args=("POST", body["ResultURL"], result, "Daraja")
            ).start()
        return jsonify(
            ConversationID=conversation,
            OriginatorConversationID=body.get("OriginatorConversationID", ""),
            ResponseCode="0",
            ResponseDescription="Accept the service request successfully.",
        )

    def _transaction_status(self) -> Response | tuple[Response, int]:
        body, error = self._api()
        if error is not None:
            return error
        assert body is not None  # no error means a JSON body
        for name in (
            "Initiator",
            "SecurityCredential",
            "PartyA",
            "IdentifierType",
            "ResultURL",
            "QueueTimeOutURL",
        ):
            if not body.get(name):
                return _error(400, "400.002.02", f"Bad Request - Invalid {name}")
        if body.get("CommandID") != "TransactionStatusQuery":
            return _error(400, "400.002.02", "Bad Request - Invalid CommandID")
        key, receipt = body.get("OriginalConversationID"), body.get("TransactionID")
        asked = next(
            (
                conversation
                for conversation, payout in self.payouts.items()
                if (key and key == payout.get("OriginatorConversationID"))
                or (receipt and receipt == payout["receipt"])
            ),
            None,
        )
        if asked is None:
            return _error(400, "400.002.02", "Bad Request - Invalid OriginalConversationID")
        number = next(self._ids)
        query = {
            "OriginatorConversationID": f"{number}-{number}-1",
            "ConversationID": f"AG_20250101_{number:020d}",
        }
        threading.Timer(
            self.auto_complete or 0,
            self._answer_status,
            args=(asked, query, body["ResultURL"]),
        ).start()
        return jsonify(
            **query,
            ResponseCode="0",
            ResponseDescription="Accept the service request successfully.",
        )

    def _answer_status(self, conversation_id: str, query: dict[str, str], url: str) -> None:
        call_back("POST", url, self.status_result(conversation_id, query), "Daraja")


def main() -> None:
    """Serve the fake for development: MPESA_API_URL=http://127.0.0.1:<port> and the keys."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--auto", type=float, default=5.0, help="seconds until a push succeeds")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    serve_alone(FakeDaraja(auto_complete=args.auto), args.port, _settings)


def _settings(fake: FakeDaraja) -> str:
    return json.dumps(
        {
            "MPESA_API_URL": fake.url,
            "MPESA_CONSUMER_KEY": fake.consumer_key,
            "MPESA_CONSUMER_SECRET": fake.consumer_secret,
            "MPESA_SHORTCODE": fake.shortcode,
            "MPESA_PASSKEY": fake.passkey,
        }
    )


if __name__ == "__main__":
    main()
