"""`GET /openapi.json`: the OpenAPI 3.1 document of every HTTP endpoint Sokoni serves.

The request and answer schemas are the pydantic models the views validate with
(`gateway.web.schemas`); this module only says which endpoint takes and gives which. A test
fails when a route is missing here (`tests/e2e/test_openapi.py`), and schemathesis checks the
answers against this document (`tests/e2e/test_contract_fuzz.py`).

To add an endpoint: its models in `schemas.py`, one `Operation` in OPERATIONS; a new kind of
authentication: one entry in SECURITY (a header) or in PARAMETERS (a secret path segment).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from functools import cache
from typing import Any

from flask import Blueprint
from flask import Response
from flask import jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from gateway.web import schemas

bp = Blueprint("openapi", __name__)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TEXT = "text/plain"
HTML = "text/html"
PDF = "application/pdf"


@dataclass(frozen=True)
class Body:
    """A request or answer body: its media type and model (None: plain text)."""

    media: str
    model: type[BaseModel] | tuple[type[BaseModel], ...] | None = None
    description: str = ""


@dataclass(frozen=True)
class Operation:
    """One method on one path, what it reads and what it answers."""

    method: str
    path: str
    summary: str
    responses: dict[int, Body]
    request: tuple[Body, ...] = ()
    security: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    tag: str = ""


SECURITY: dict[str, dict[str, str]] = {
    "carrierSignature": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Sokoni-Signature",
        "description": "`sha256=<hex digest>` of HMAC-SHA256 over the raw body bytes, keyed by "
        "the key of the carrier the body names (CARRIER_WEBHOOK_SECRETS; "
        "LOGISTICS_WEBHOOK_SECRET for unlisted carriers outside production); compared in "
        "constant time.",
    },
    "metricsToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "METRICS_TOKEN; without it set, /metrics is open outside production and "
        "a 404 in production.",
    },
}
"""Authentication carried in a header."""
PAGES_FOR_PEOPLE = ("admin", "simulator")
"""Blueprints of HTML pages people use in a browser (sign-in, forms with CSRF tokens): not
part of this machine contract; the browser tests drive them."""
PARAMETERS: dict[str, dict[str, Any]] = {
    "CallbackToken": {
        "name": "token",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "The secret CALLBACK_TOKEN (or CALLBACK_TOKEN_PREVIOUS while it is "
        "rotated out), part of the callback URL given to the provider. A wrong token is "
        "counted, a few each hour stored as `forged`, and answered 403.",
    },
    "AtCallbackToken": {
        "name": "at_token",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "The secret AT_CALLBACK_TOKEN (or AT_CALLBACK_TOKEN_PREVIOUS), appended "
        "to each Africa's Talking callback URL. Once it is set, the bare path and a wrong "
        "token answer 404 and change nothing.",
    },
    "CertificateCode": {
        "name": "code",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "A certificate of origin's 10-character verification code, any case; "
        "spaces and dashes are ignored.",
    },
    "Language": {
        "name": "lang",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "The page's language (`en`, `sw`, `fr`, ...); else Accept-Language.",
    },
}
"""Parameters in the path or query: secret segments of callback URLs, and the rest."""

UNAVAILABLE = Body(JSON, schemas.Problem, "The database or Redis is down: retry (Retry-After).")
PLAIN_OK = Body(TEXT, None, "`OK`: stored.")
PLAIN_REFUSED = Body(TEXT, None, "Why the form was refused (a field named); nothing changed.")
TOO_LARGE = Body(JSON, schemas.Problem, "The body is over MAX_CONTENT_LENGTH; nothing was read.")
AT_GUARD = {
    403: Body(JSON, schemas.Problem, "The caller is outside AT_ALLOWED_NETWORKS."),
    404: Body(
        JSON, schemas.Problem, "AT_CALLBACK_TOKEN is set and the path lacks it, or has a wrong one."
    ),
    413: TOO_LARGE,
}
"""What the guard answers before an Africa's Talking callback is read (`gateway/web/guards.py`)."""
AT_CALLBACK = {200: PLAIN_OK, 400: PLAIN_REFUSED, 503: UNAVAILABLE} | AT_GUARD

OPERATIONS = (
    Operation(
        "post",
        "/ussd",
        "One USSD hop from Africa's Talking",
        {
            200: Body(
                TEXT,
                None,
                "`CON <screen>` or `END <screen>`, always 200; the screen id in the "
                "`at-ussd-hop-metadata` header.",
            )
        }
        | AT_GUARD,
        (Body(FORM, schemas.UssdHop),),
        tag="Africa's Talking",
    ),
    Operation(
        "post",
        "/ussd/events",
        "End of a USSD session (stored once per sessionId)",
        AT_CALLBACK,
        (Body(FORM, schemas.UssdSessionEnd),),
        tag="Africa's Talking",
    ),
    Operation(
        "post",
        "/sms/inbound",
        "An incoming SMS (stored once per id, handled by a worker)",
        AT_CALLBACK,
        (Body(FORM, schemas.SmsInbound),),
        tag="Africa's Talking",
    ),
    Operation(
        "post",
        "/sms/delivery",
        "A delivery report of an SMS Sokoni sent",
        AT_CALLBACK,
        (Body(FORM, schemas.SmsDelivery),),
        tag="Africa's Talking",
    ),
    Operation(
        "post",
        "/sms/optout",
        "Africa's Talking's bulk-SMS opt-out",
        AT_CALLBACK,
        (Body(FORM, schemas.SmsOptOut),),
        tag="Africa's Talking",
    ),
    Operation(
        "post",
        "/logistics/events",
        "A carrier's parcel event, HMAC-signed",
        {
            200: Body(
                JSON,
                schemas.CarrierAnswer,
                "A delivery or border clearance: applied, stored as history, or a duplicate.",
            ),
            202: Body(
                JSON,
                schemas.CarrierScanKept,
                "Any other scan: kept for a worker to judge (`queued`), or kept before.",
            ),
            400: Body(JSON, schemas.Problem, "Malformed, or dated outside the parcel's life."),
            401: Body(JSON, schemas.Problem, "Missing or wrong signature."),
            404: Body(JSON, schemas.Problem, "Unknown tracking_ref (judged on the spot)."),
            409: Body(JSON, schemas.Problem, "Illegal, or a wrong delivery code (on the spot)."),
            503: UNAVAILABLE,
        },
        (Body(JSON, schemas.CarrierEvent),),
        security=("carrierSignature",),
        tag="Carriers",
    ),
    Operation(
        "post",
        "/payments/mpesa/{token}",
        "M-Pesa Daraja: STK push result or B2C result (stored, checked by a worker)",
        {
            code: Body(JSON, schemas.MpesaAck, text)
            for code, text in (
                (200, "Accepted: stored, to be checked."),
                (400, "Not a Daraja callback (stored as malformed)."),
                (403, "Wrong token (stored as forged)."),
            )
        }
        | {503: UNAVAILABLE},
        (Body(JSON, (schemas.DarajaStkCallback, schemas.DarajaResult)),),
        parameters=("CallbackToken",),
        tag="Payments",
    ),
    *(
        Operation(
            method,
            "/payments/momo/{token}",
            f"MTN MoMo's final transaction object, by {method.upper()}",
            {
                200: Body(TEXT, None, "`received`"),
                400: Body(TEXT, None, "`malformed` (stored)"),
                403: Body(TEXT, None, "`forged` (stored)"),
                503: UNAVAILABLE,
            },
            (Body(JSON, schemas.MomoTransaction),),
            parameters=("CallbackToken",),
            tag="Payments",
        )
        for method in ("put", "post")
    ),
    Operation(
        "post",
        "/payments/airtel/{token}",
        "Airtel Money: collection or disbursement result (stored, checked by a worker)",
        {
            200: Body(JSON, schemas.CallbackVerdict, "`received`: stored, to be checked."),
            400: Body(JSON, schemas.CallbackVerdict, "`malformed` (a bad `hash` too)."),
            403: Body(JSON, schemas.CallbackVerdict, "`forged`: wrong token."),
            413: TOO_LARGE,
            503: UNAVAILABLE,
        },
        (Body(JSON, schemas.AirtelCallback),),
        parameters=("CallbackToken",),
        tag="Payments",
    ),
    Operation(
        "post",
        "/payments/sandbox/{token}",
        "Decide a sandbox payment (404 in production)",
        {
            200: Body(JSON, schemas.SandboxDecided),
            400: Body(JSON, schemas.Problem, "ref or result missing or unknown."),
            403: Body(JSON, schemas.Problem, "Wrong token."),
            404: Body(JSON, schemas.Problem, "No such sandbox payment, or production."),
            503: UNAVAILABLE,
        },
        (Body(FORM, schemas.SandboxDecision), Body(JSON, schemas.SandboxDecision)),
        parameters=("CallbackToken",),
        tag="Payments",
    ),
    *(
        Operation(
            "get",
            path,
            summary,
            {
                200: Body(media, None, shown),
                404: Body(HTML, None, "No certificate has this code (nothing tells how near)."),
                429: Body(HTML, None, "Too many checks from this address: VERIFY_LIMIT."),
                503: UNAVAILABLE,
            },
            parameters=("CertificateCode", "Language"),
            tag="Certificates of origin",
        )
        for path, summary, media, shown in (
            (
                "/verify/{code}",
                "A certificate of origin, as a page a phone can show without JavaScript",
                HTML,
                "The record and its status: valid, used at the border, or cancelled.",
            ),
            (
                "/verify/{code}.pdf",
                "A certificate of origin as a one-page PDF with a QR code of its page",
                PDF,
                "The certificate, one A4 page.",
            ),
        )
    ),
    Operation(
        "get",
        "/health",
        "Redis and the database reachable; restarts under `make run`",
        {
            200: Body(JSON, schemas.Health),
            503: Body(JSON, schemas.Health, "Redis or the database is down."),
        },
        tag="Operators",
    ),
    Operation(
        "get",
        "/metrics",
        "Every metric in Prometheus's text format",
        {
            200: Body(TEXT, None, "Prometheus exposition format 0.0.4."),
            401: Body(TEXT, None, "METRICS_TOKEN is set and the bearer token is wrong."),
            404: Body(HTML, None, "Production without METRICS_TOKEN."),
            503: UNAVAILABLE,
        },
        security=("metricsToken",),
        tag="Operators",
    ),
    Operation(
        "get",
        "/openapi.json",
        "This document",
        {200: Body(JSON, None, "OpenAPI 3.1.")},
        tag="Operators",
    ),
)
"""Every endpoint Sokoni serves (the Africa's Talking ones also at `<path>/{at_token}`)."""
AT_PATHS = ("/ussd", "/ussd/events", "/sms/inbound", "/sms/delivery", "/sms/optout")


def _with_token(op: Operation) -> Operation:
    """An Africa's Talking operation at its path with AT_CALLBACK_TOKEN appended."""
    return replace(
        op,
        path=f"{op.path}/{{at_token}}",
        summary=f"{op.summary}, at its secret path",
        parameters=(*op.parameters, "AtCallbackToken"),
    )


OPERATIONS = (*OPERATIONS, *(_with_token(op) for op in OPERATIONS if op.path in AT_PATHS))

DESCRIPTION = """\
Sokoni's HTTP edges: Africa's Talking's USSD and SMS callbacks (forms), mobile-money callbacks
(JSON), carriers' parcel events (JSON signed with HMAC-SHA256), health, metrics. The
operators' pages (/admin) and the phone simulator (/simulator) are HTML for people, not part
of this contract.

Input rules: identifiers refuse control characters (U+0000-U+001F, U+007F-U+009F) with 400;
free text has them dropped (tab and newline kept); every integer is a whole number from 0 to
2147483647 or the request is refused with 400. While the database or Redis is down every
endpoint but `/ussd` answers 503 JSON with `Retry-After`; `/ussd` answers a clean `END`.
"""


def _models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for op in OPERATIONS:
        for body in (*op.request, *op.responses.values()):
            models = body.model if isinstance(body.model, tuple) else (body.model,)
            found += [m for m in models if m is not None and m not in found]
    return found


def _content(body: Body, refs: dict[type[BaseModel], dict[str, str]]) -> dict[str, Any]:
    if body.model is None:
        schema: dict[str, Any] = {"type": "object"} if body.media == JSON else {"type": "string"}
    elif isinstance(body.model, tuple):
        schema = {"anyOf": [refs[m] for m in body.model]}
    else:
        schema = refs[body.model]
    return {body.media: {"schema": schema}}


def _operation(op: Operation, refs: dict[type[BaseModel], dict[str, str]]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "summary": op.summary,
        "operationId": f"{op.method}{op.path}".replace("/", "_").strip("_"),
        "tags": [op.tag],
        "responses": {
            str(code): {
                "description": body.description or "",
                "content": _content(body, refs),
                **(
                    {"headers": {"Retry-After": {"schema": {"type": "integer"}}}}
                    if code == 503
                    else {}
                ),
            }
            for code, body in op.responses.items()
        },
    }
    if op.request:
        content: dict[str, Any] = {}
        for body in op.request:
            content |= _content(body, refs)
        spec["requestBody"] = {"required": True, "content": content}
    if op.parameters:
        spec["parameters"] = [{"$ref": f"#/components/parameters/{p}"} for p in op.parameters]
    spec["security"] = [{name: []} for name in op.security]
    return spec


@cache
def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document, built once."""
    models = _models()
    keys, defs = models_json_schema(
        [(m, "validation") for m in models], ref_template="#/components/schemas/{model}"
    )
    refs = {m: keys[(m, "validation")] for m in models}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sokoni gateway", "version": "1", "description": DESCRIPTION},
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": SECURITY,
            "parameters": PARAMETERS,
        },
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document of every endpoint."""
    return jsonify(document())
