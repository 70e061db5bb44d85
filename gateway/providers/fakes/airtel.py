"""A local Airtel Money Open API that answers like the real one (protocols.md 4.4).

- `POST /auth/oauth2/token` (JSON client_id, client_secret, grant_type) → a token whose
  `expires_in` is a string, as Airtel sends it; 400 `invalid_client` otherwise;
- `POST /merchant/v2/payments/` (USSD push) checks the bearer token (401 `invalid_token`),
  X-Country and X-Currency against the body, a msisdn without the country code, a number
  amount and a 5-80 letters-and-digits id; refusals come as 200 with `status.success` false;
- `GET /standard/v1/payments/{id}`: TIP until the payer answers, then the outcome;
  `DP00800001025` (not found) for an id it never saw;
- `POST /standard/v2/disbursements/` (type B2C) answers "in process" (DP00900001006) and
  decides later; `DP00900001017` for an id it has seen;
- `GET /standard/v2/disbursements/{id}?transactionType=B2C` as for payments.

Airtel calls back to one URL registered in its portal, not one per request: `callback_url`.
The body is `{"transaction": {"id", "message", "status_code", "airtel_money_id"}}`, with a
`hash` when `callback_secret` is set. Tests script outcomes (`script(Outcome("TF", "Not enough
balance", "DP00800001007"))`) and `complete()` a transaction: the enquiries answer the outcome
from then on and the callback body comes back for the test to post. With `auto_complete`
seconds, transactions complete by themselves and are POSTed to `callback_url`
(`python -m gateway.providers.fakes.airtel --port 8093 --auto 5`).
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import phonenumbers
from flask import Flask
from flask import Response
from flask import jsonify
from flask import request

from gateway.providers.fakes.server import FakeServer
from gateway.providers.fakes.server import call_back
from gateway.providers.fakes.server import serve_alone
from gateway.providers.payments.airtel_wire import callback_hash

log = logging.getLogger(__name__)

ID = re.compile(r"[A-Za-z0-9]{5,80}")
"""A transaction id Airtel takes."""
CODES = {
    "payment": {
        "pending": "DP00800001006",
        "TS": "DP00800001001",
        "failed": "DP00800001008",
        "not_found": "DP00800001025",
        "invalid": "ESB000008",
        "amount": "DP00800001004",
        "duplicate": "DP00800001005",  # the real answer to a repeated id is not documented
    },
    "disbursement": {
        "pending": "DP00900001006",
        "TS": "DP00900001001",
        "failed": "DP00900001005",
        "not_found": "DP00900001015",
        "invalid": "DP00900001013",
        "amount": "DP00900001004",
        "duplicate": "DP00900001017",
    },
}
"""The `status.response_code` the fake answers with, per product."""


@dataclass(frozen=True)
class Outcome:
    """How one transaction ends: its status code, message, enquiry response code, callback."""

    status: str = "TS"
    message: str = "Transaction is successful."
    response_code: str | None = None
    callback: bool = True


SUCCESS = Outcome()


@dataclass
class Transaction:
    id: str
    kind: str
    country: str
    currency: str
    body: dict[str, Any]
    outcome: Outcome
    airtel_money_id: str
    done: bool = False


def _refusal(message: str, code: str, http: int = 200) -> tuple[Response, int]:
    """Airtel's refusal shape: a `status` object with `success` false."""
    status = {
        "code": "400",
        "message": message,
        "result_code": "ESB000008",
        "response_code": code,
        "success": False,
    }
    return jsonify(status=status), http


def _answer(transaction: dict[str, Any], code: str) -> Response:
    status = {
        "code": "200",
        "message": "SUCCESS",
        "result_code": "ESB000010",
        "response_code": code,
        "success": True,
    }
    return jsonify(data={"transaction": transaction}, status=status)


class FakeAirtel(FakeServer):
    """The fake server; `start()` serves it from a thread on a free port."""

    thread_name = "fake-airtel"

    def __init__(
        self,
        client_id: str = "fake-airtel-client",
        client_secret: str = "fake-airtel-secret",
        callback_secret: str = "fake-airtel-callback-secret",
        callback_url: str = "",
        auto_complete: float | None = None,
    ) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.callback_secret, self.callback_url = callback_secret, callback_url
        self.auto_complete = auto_complete
        self.expires_in = "180"
        self.tokens: list[str] = []
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.transactions: dict[str, Transaction] = {}
        self._script: list[Outcome] = []
        self._failures: list[int] = []
        self._stalls: list[float] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.app = self._build_app()

    # -- scripting -------------------------------------------------------------------------

    def script(self, *outcomes: Outcome) -> None:
        """The outcomes of the next transactions, in order (then SUCCESS)."""
        self._script += outcomes

    def fail_next(self, status: int = 503, times: int = 1) -> None:
        """Answer the next `times` API calls (not token calls) with HTTP `status`."""
        self._failures += [status] * times

    def stall_next(self, seconds: float) -> None:
        """Wait `seconds` before answering the next API call (a lost answer, for the client)."""
        self._stalls.append(seconds)

    def last(self, kind: str = "payment") -> Transaction:
        return [t for t in self.transactions.values() if t.kind == kind][-1]

    def complete(self, tid: str | None = None) -> dict[str, Any] | None:
        """The payer answered (or the payout went through): enquiries now say so; returns the
        callback body, or None for an outcome that sends none."""
        tx = self.transactions[tid] if tid else self.last()
        tx.done = True
        return self.callback_body(tx.id) if tx.outcome.callback else None

    def callback_body(self, tid: str) -> dict[str, Any]:
        """The callback for a transaction, with its `hash` when there is a callback secret."""
        tx = self.transactions[tid]
        transaction = {
            "id": tx.id,
            "message": tx.outcome.message,
            "status_code": tx.outcome.status,
            "airtel_money_id": tx.airtel_money_id,
        }
        body: dict[str, Any] = {"transaction": transaction}
        if self.callback_secret:
            body["hash"] = callback_hash(self.callback_secret.encode(), transaction)
        return body

    # -- serving ---------------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask(__name__)
        app.add_url_rule("/auth/oauth2/token", "token", self._token, methods=["POST"])
        app.add_url_rule("/merchant/v2/payments/", "pay", self._pay, methods=["POST"])
        app.add_url_rule(
            "/standard/v1/payments/<tid>", "pay_status", self._payment_status, methods=["GET"]
        )
        app.add_url_rule(
            "/standard/v2/disbursements/", "disburse", self._disburse, methods=["POST"]
        )
        app.add_url_rule(
            "/standard/v2/disbursements/<tid>",
            "disburse_status",
            self._disbursement_status,
            methods=["GET"],
        )
        return app

    def _token(self) -> Response | tuple[Response, int]:
        body = request.get_json(silent=True) or {}
        if (body.get("client_id"), body.get("client_secret"), body.get("grant_type")) != (
            self.client_id,
            self.client_secret,
            "client_credentials",
        ):
            return jsonify(
                error="invalid_client", error_description="Invalid client authentication"
            ), 400
        token = uuid.uuid4().hex
        self.tokens.append(token)
        return jsonify(access_token=token, expires_in=self.expires_in, token_type="bearer")

    def _api(self) -> tuple[dict[str, Any], tuple[Response, int] | None]:
        """Record the call; its JSON body, or the answer Airtel would give instead."""
        sent = request.get_json(silent=True)
        body = sent if isinstance(sent, dict) else {}
        self.requests.append((request.path, dict(request.headers), body))
        with self._lock:
            stall = self._stalls.pop(0) if self._stalls else 0.0
            failure = self._failures.pop(0) if self._failures else None
        time.sleep(stall)
        if failure is not None:
            return body, (
                jsonify(error="upstream", error_description="Service Unavailable"),
                failure,
            )
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.tokens:
            return body, (
                jsonify(
                    error="invalid_token",
                    error_description="The access token is invalid or has expired",
                ),
                401,
            )
        country = request.headers.get("X-Country", "")
        if len(country) != 2:
            return body, _refusal("Invalid Country Code", "ROUTER110", 400)
        if not request.headers.get("X-Currency"):
            return body, _refusal("Invalid/Missing Currency", "ESB000008")
        return body, None

    def _party(self, msisdn: object, currency: object) -> str | None:
        """Why a msisdn and currency do not suit the X-Country/X-Currency headers, if they do not."""
        country = request.headers["X-Country"]
        if currency != request.headers["X-Currency"]:
            return "Invalid/Missing Currency"
        try:
            number = phonenumbers.parse(str(msisdn), country)
        except phonenumbers.NumberParseException:
            return "Invalid Msisdn"
        national = phonenumbers.national_significant_number(number)
        if not phonenumbers.is_valid_number(number) or national != msisdn:
            return "Invalid Msisdn: send it without the country code"
        return None

    def _new(
        self, kind: str, transaction: dict[str, Any], body: dict[str, Any]
    ) -> tuple[Response, int] | None:
        """Airtel's refusal of the id or amount, if any; else the transaction is recorded."""
        codes, tid, amount = CODES[kind], transaction.get("id"), transaction.get("amount")
        if not isinstance(tid, str) or not ID.fullmatch(tid):
            return _refusal("Transaction id must be 5-80 letters and digits", codes["invalid"])
        if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
            return _refusal("Invalid Amount", codes["amount"])
        if tid in self.transactions:
            return _refusal("Duplicate Transaction Id", codes["duplicate"])
        tx = Transaction(
            tid,
            kind,
            request.headers["X-Country"],
            request.headers["X-Currency"],
            body,
            self._script.pop(0) if self._script else SUCCESS,
            f"MP{next(self._ids):08d}",
        )
        self.transactions[tid] = tx
        if self.auto_complete is not None:
            threading.Timer(self.auto_complete, self._deliver, args=(tx,)).start()
        return None

    def _deliver(self, tx: Transaction) -> None:
        body = self.complete(tx.id)
        if body is not None and self.callback_url:
            call_back("POST", self.callback_url, body, "Airtel")

    def _pay(self) -> Response | tuple[Response, int]:
        body, refused = self._api()
        if refused is not None:
            return refused
        subscriber, tx = body.get("subscriber") or {}, body.get("transaction") or {}
        country = request.headers["X-Country"]
        problem = self._party(subscriber.get("msisdn"), subscriber.get("currency"))
        if subscriber.get("country") != country or tx.get("country") != country:
            problem = "Invalid Country Code"
        elif tx.get("currency") != request.headers["X-Currency"]:
            problem = "Invalid/Missing Currency"
        refused = self._new("payment", tx, body) if problem is None else None
        if problem is not None or refused is not None:
            return refused or _refusal(str(problem), CODES["payment"]["invalid"])
        return _answer({"id": tx["id"], "status": "SUCCESS"}, CODES["payment"]["pending"])

    def _disburse(self) -> Response | tuple[Response, int]:
        body, refused = self._api()
        if refused is not None:
            return refused
        payee, tx = body.get("payee") or {}, body.get("transaction") or {}
        problem = self._party(payee.get("msisdn"), payee.get("currency"))
        if tx.get("type") != "B2C" or not body.get("reference"):
            problem = "Missing header/body params"
        refused = self._new("disbursement", tx, body) if problem is None else None
        if problem is not None or refused is not None:
            return refused or _refusal(str(problem), CODES["disbursement"]["invalid"])
        made = self.transactions[tx["id"]]
        answer = {"id": made.id, "airtel_money_id": made.airtel_money_id, "status": "TIP"}
        return _answer(answer, CODES["disbursement"]["pending"])

    def _payment_status(self, tid: str) -> Response | tuple[Response, int]:
        return self._status("payment", tid)

    def _disbursement_status(self, tid: str) -> Response | tuple[Response, int]:
        if request.args.get("transactionType") != "B2C":
            return _refusal("transactionType must be B2C", CODES["disbursement"]["invalid"], 400)
        return self._status("disbursement", tid)

    def _status(self, kind: str, tid: str) -> Response | tuple[Response, int]:
        _, refused = self._api()
        if refused is not None:
            return refused
        codes, tx = CODES[kind], self.transactions.get(tid)
        if tx is None or tx.kind != kind:
            return _refusal("Transaction Not Found", codes["not_found"])
        if not tx.done:
            return _answer({"id": tid, "message": "In process", "status": "TIP"}, codes["pending"])
        outcome = tx.outcome
        code = {"TS": codes["TS"], "TF": codes["failed"], "TE": codes["failed"]}.get(
            outcome.status, codes["pending"]
        )
        answer = {
            "airtel_money_id": tx.airtel_money_id,
            "id": tid,
            "message": outcome.message,
            "status": outcome.status,
        }
        return _answer(answer, outcome.response_code or code)


def main() -> None:
    """Serve the fake for development: AIRTEL_API_URL=http://127.0.0.1:<port> and the keys."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--auto", type=float, default=5.0, help="seconds until a request succeeds")
    parser.add_argument(
        "--callback-url",
        default="http://127.0.0.1:8000/payments/airtel/dev-callback-token",
        help="where callbacks go (Airtel's is registered in its portal, not sent per request)",
    )
    parser.add_argument("--callback-secret", default="fake-airtel-callback-secret")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    fake = FakeAirtel(
        callback_secret=args.callback_secret,
        callback_url=args.callback_url,
        auto_complete=args.auto,
    )
    serve_alone(fake, args.port, _settings)


def _settings(fake: FakeAirtel) -> str:
    return json.dumps(
        {
            "AIRTEL_API_URL": fake.url,
            "AIRTEL_CLIENT_ID": fake.client_id,
            "AIRTEL_CLIENT_SECRET": fake.client_secret,
            "AIRTEL_CALLBACK_SECRET": fake.callback_secret,
        }
    )


if __name__ == "__main__":
    main()
