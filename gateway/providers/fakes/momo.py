"""A local MTN MoMo Open API that answers like the real one (protocols.md 4).

- `POST /{collection,disbursement}/token/` (Basic apiUser:apiKey + subscription key);
- `POST /collection/v1_0/requesttopay` and `/disbursement/v1_0/transfer`: 202 with an empty
  body; 409 for an X-Reference-Id seen before; 400 for one that is not a UUID v4 or an
  apostrophe in a note;
- `GET .../requesttopay/{ref}` and `.../transfer/{ref}`: 200 even when FAILED, with `reason`
  a string or, in the older shape, an object `{code, message}`; 404 for an unknown reference.

Tests script outcomes (`script(Outcome("FAILED", "NOT_ENOUGH_FUNDS", reason_as_object=True))`)
and `complete()` a request: the GET answers the outcome from then on and the callback body
(the same object) comes back for the test to PUT or POST. `auto_complete` seconds make it
call back by itself (PUT, like MTN) for `python -m gateway.providers.fakes.momo`.
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
from typing import Any

from flask import Flask
from flask import Response
from flask import jsonify
from flask import request

from gateway.providers.fakes.server import FakeServer
from gateway.providers.fakes.server import call_back
from gateway.providers.fakes.server import serve_alone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    status: str = "SUCCESSFUL"
    reason: str | None = None
    reason_as_object: bool = False
    callback: bool = True


SUCCESSFUL = Outcome()


@dataclass
class Transaction:
    ref: str
    product: str
    body: dict[str, Any]
    callback_url: str | None
    outcome: Outcome
    financial_id: str
    done: bool = False


class FakeMomo(FakeServer):
    """The fake server; `start()` serves it from a thread on a free port."""

    thread_name = "fake-momo"

    def __init__(
        self,
        subscription_key: str = "fake-subscription-key",
        api_user: str = "c72025f5-5cd1-4630-99e4-8ba4722fad56",
        api_key: str = "fake-api-key",
        auto_complete: float | None = None,
    ) -> None:
        self.subscription_key, self.api_user, self.api_key = subscription_key, api_user, api_key
        self.auto_complete = auto_complete
        self.transactions: dict[str, Transaction] = {}
        self.requests: list[tuple[str, str, dict[str, str], dict[str, Any]]] = []
        self.tokens: list[str] = []
        self._script: list[Outcome] = []
        self._ids = itertools.count(1)
        self.app = self._build_app()

    def script(self, *outcomes: Outcome) -> None:
        self._script += outcomes

    def last(self, product: str = "collection") -> Transaction:
        return [t for t in self.transactions.values() if t.product == product][-1]

    def complete(self, ref: str | None = None) -> dict[str, Any] | None:
        """The payer answered: the GET now says so; returns the callback body or None."""
        tx = self.transactions[ref] if ref else self.last()
        tx.done = True
        return self.resource(tx) if tx.outcome.callback else None

    def resource(self, tx: Transaction) -> dict[str, Any]:
        """The transaction object as GET returns it (and as the callback carries it)."""
        status = tx.outcome.status if tx.done else "PENDING"
        body = {k: v for k, v in tx.body.items() if k != "amount"}
        body["amount"] = str(tx.body["amount"]).removesuffix(".0")  # MoMo echoes "5", not "5.0"
        body["status"] = status
        if status == "SUCCESSFUL":
            body["financialTransactionId"] = tx.financial_id
        if status == "FAILED" and tx.outcome.reason:
            reason: Any = tx.outcome.reason
            if tx.outcome.reason_as_object:
                reason = {"code": tx.outcome.reason, "message": reason.replace("_", " ").title()}
            body["reason"] = reason
        return body

    def _build_app(self) -> Flask:
        app = Flask(__name__)
        for product, resource in (("collection", "requesttopay"), ("disbursement", "transfer")):
            app.add_url_rule(
                f"/{product}/token/", f"{product}_token", self._token, methods=["POST"]
            )
            app.add_url_rule(
                f"/{product}/v1_0/{resource}",
                f"{product}_create",
                lambda product=product: self._create(product),
                methods=["POST"],
            )
            app.add_url_rule(
                f"/{product}/v1_0/{resource}/<ref>",
                f"{product}_get",
                lambda ref, product=product: self._get(product, ref),
                methods=["GET"],
            )
        return app

    def _token(self) -> Response | tuple[Response, int]:
        basic = base64.b64encode(f"{self.api_user}:{self.api_key}".encode()).decode()
        if request.headers.get("Ocp-Apim-Subscription-Key") != self.subscription_key:
            return jsonify(
                statusCode=401, message="Access denied due to invalid subscription key."
            ), 401
        if request.headers.get("Authorization") != f"Basic {basic}":
            return jsonify(error="login_failed"), 401
        token = uuid.uuid4().hex
        self.tokens.append(token)
        return jsonify(access_token=token, token_type="access_token", expires_in=3600)

    def _authorized(self) -> tuple[Response, int] | None:
        if request.headers.get("Ocp-Apim-Subscription-Key") != self.subscription_key:
            return jsonify(
                statusCode=401, message="Access denied due to invalid subscription key."
            ), 401
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.tokens:
            return jsonify(code="NOT_AUTHORIZED", message="Authorization failed."), 401
        if not request.headers.get("X-Target-Environment"):
            return jsonify(
                code="NOT_ALLOWED_TARGET_ENVIRONMENT", message="Missing target environment"
            ), 400
        return None

    def _create(self, product: str) -> Response | tuple[Response, int]:
        body = request.get_json(silent=True) or {}
        self.requests.append((product, request.method, dict(request.headers), body))
        refused = self._authorized()
        if refused is not None:
            return refused
        ref = request.headers.get("X-Reference-Id", "")
        try:
            valid = uuid.UUID(ref).version == 4 and str(uuid.UUID(ref)) == ref.lower()
        except ValueError:
            valid = False
        if not valid:
            return jsonify(
                code="INVALID_REFERENCE_ID", message="Reference id is not a UUID v4"
            ), 400
        if ref in self.transactions:
            return jsonify(code="RESOURCE_ALREADY_EXIST", message="Duplicated reference id."), 409
        notes = (body.get("payerMessage", ""), body.get("payeeNote", ""))
        if any("'" in n or len(n) > 160 for n in notes) or not body.get("currency"):
            return jsonify(code="INVALID_PARAMETER", message="Invalid parameter"), 400
        callback = request.headers.get("X-Callback-Url")
        if callback is not None and not callback:
            return jsonify(code="INVALID_CALLBACK_URL_HOST", message="Callback URL is empty"), 400
        tx = Transaction(
            ref,
            product,
            body,
            callback,
            self._script.pop(0) if self._script and product == "collection" else SUCCESSFUL,
            str(1232581100 + next(self._ids)),
        )
        self.transactions[ref] = tx
        if self.auto_complete is not None:
            threading.Timer(self.auto_complete, self._deliver, args=(tx,)).start()
        return Response(status=202)

    def _deliver(self, tx: Transaction) -> None:
        body = self.complete(tx.ref)
        if body is not None and tx.callback_url:
            call_back("PUT", tx.callback_url, body, "MoMo")

    def _get(self, product: str, ref: str) -> Response | tuple[Response, int]:
        refused = self._authorized()
        if refused is not None:
            return refused
        tx = self.transactions.get(ref)
        if tx is None or tx.product != product:
            return jsonify(
                code="RESOURCE_NOT_FOUND", message="Requested resource was not found."
            ), 404
        return jsonify(self.resource(tx))


def main() -> None:
    """Serve the fake for development: MOMO_API_URL=http://127.0.0.1:<port> and the keys."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8092)
    parser.add_argument("--auto", type=float, default=5.0, help="seconds until a request succeeds")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    serve_alone(FakeMomo(auto_complete=args.auto), args.port, _settings)


def _settings(fake: FakeMomo) -> str:
    return json.dumps(
        {
            "MOMO_API_URL": fake.url,
            "MOMO_SUBSCRIPTION_KEY": fake.subscription_key,
            "MOMO_API_USER": fake.api_user,
            "MOMO_API_KEY": fake.api_key,
        }
    )


if __name__ == "__main__":
    main()
