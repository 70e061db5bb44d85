"""Provider callbacks: `POST /payments/mpesa/<token>`, `PUT|POST /payments/momo/<token>`,
`POST /payments/airtel/<token>`, and, outside production, `POST /payments/sandbox/<token>`
to decide a sandbox payment.

Every callback is stored before anything else (a malformed body too, judged at once and shown
to operators) and answered at once; checking and applying it is a worker's job. Nothing here
trusts the body. A wrong token is counted, and a few each hour are stored (their first 2 KB) for
operators to see. CALLBACK_TOKEN_PREVIOUS is accepted too while a token is rotated out.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint
from flask import Response
from flask import abort
from flask import jsonify
from flask import request

from gateway.cli.sandbox import decide
from gateway.commerce.payments.callbacks import record_callback
from gateway.current import services
from gateway.providers.errors import MalformedCallback
from gateway.providers.payments.base import PayoutStatus
from gateway.providers.payments.sandbox import DECISIONS
from gateway.providers.payments.sandbox import UnknownSandboxPayment
from gateway.web import schemas
from gateway.web.guards import KEPT_BODY
from gateway.web.guards import refused
from gateway.web.guards import token_ok
from gateway.web.replies import plain
from gateway.web.validate import read_form

bp = Blueprint("payments", __name__)

MAX_BODY = 64 * 1024
"""Bytes of a callback kept; real ones are far smaller."""


def _token_ok(token: str) -> bool:
    settings = services().settings
    return token_ok(token, settings.CALLBACK_TOKEN, settings.CALLBACK_TOKEN_PREVIOUS)


def _receive(provider: str, token: str) -> tuple[int, str]:
    """Store the callback; (HTTP status, verdict so far)."""
    body = request.stream.read(MAX_BODY)
    svc = services()
    store = partial(record_callback, svc.uow(), provider, request.method, request.remote_addr)
    try:
        status = svc.payment_providers.get(provider).parse_callback(body)
    except MalformedCallback as err:
        status, problem = None, str(err)
    except RecursionError:
        status, problem = None, "JSON nested too deep"
    ref = status.provider_ref if status is not None else None
    kind = "payout" if isinstance(status, PayoutStatus) else "payment"
    if not _token_ok(token):
        if refused(f"payments.{provider} token"):
            kept = body[:KEPT_BODY]
            store(
                kept, provider_ref=ref, kind=kind, verdict="forged", detail="wrong callback token"
            )
        return 403, "forged"
    if status is None:
        store(body, verdict="malformed", detail=problem)
        return 400, "malformed"
    store(body, provider_ref=ref, kind=kind)
    return 200, "received"


@bp.post("/payments/mpesa/<token>")
def mpesa(token: str) -> tuple[Response, int]:
    """Daraja STK callback or B2C result; acknowledged in Daraja's own words."""
    status, verdict = _receive("mpesa", token)
    if status != 200:
        return jsonify(ResultCode=1, ResultDesc=f"Rejected: {verdict}"), status
    return jsonify(ResultCode=0, ResultDesc="Accepted"), 200


@bp.route("/payments/momo/<token>", methods=["PUT", "POST"])
def momo(token: str) -> Response:
    """MoMo sends the final transaction object, by PUT or by POST."""
    status, verdict = _receive("momo", token)
    return plain(verdict, status)


@bp.post("/payments/airtel/<token>")
def airtel(token: str) -> tuple[Response, int]:
    """Airtel Money collection or disbursement callback (its `hash` checked when
    AIRTEL_CALLBACK_SECRET is set); Airtel only needs the HTTP status."""
    status, verdict = _receive("airtel", token)
    return jsonify(status=verdict), status


@bp.post("/payments/sandbox/<token>")
def sandbox(token: str) -> tuple[Response, int]:
    """Decide a sandbox payment: fields `ref` (order or sandbox reference), `result`
    (approve, cancel, wrong_pin, insufficient, timeout), optional `callback=no`."""
    if services().settings.is_production:
        abort(404)
    if not _token_ok(token):
        refused("payments.sandbox token")
        return jsonify(error="wrong callback token"), 403
    fields = request.get_json(silent=True) if request.is_json else request.form
    fields = fields if isinstance(fields, dict) else {}
    asked = read_form(schemas.SandboxDecision, {k: str(v) for k, v in fields.items()})
    if isinstance(asked, str):
        return jsonify(error=f"ref and result ({', '.join(DECISIONS)}) are required"), 400
    callback = (asked.callback or "yes").lower() not in ("no", "false", "0")
    try:
        decided = decide(services(), asked.ref, asked.result, callback=callback)
    except UnknownSandboxPayment:
        return jsonify(error=f"no sandbox payment {asked.ref}"), 404
    return jsonify(
        order=decided.order_ref,
        ref=decided.provider_ref,
        result=decided.decision,
        callback=decided.callback_id is not None,
    ), 200
