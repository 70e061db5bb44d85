"""Schemathesis against the real app on the real database (SQLite, or PostgreSQL when
DATABASE_URL says so) and the real Redis: every operation of the published OpenAPI document,
with valid and invalid examples (NUL bytes, control characters, huge and negative integers,
missing and wrong-typed fields), answers without a server error and as documented.

Payment callbacks get the right path token and carrier events a valid signature, so the
examples reach the parsers and the database rather than stopping at the authentication.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck
from hypothesis import settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.specs.openapi.checks import content_type_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.checks import status_code_conformance

from gateway.bootstrap import Services
from gateway.providers.carriers.events import sign

EXAMPLES = 60
"""Examples per operation and generation mode (valid and invalid): enough to reach a NUL byte
and an integer past 2**31 on every field that takes one, within seconds per database."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
TOKEN = "fuzz-callback-token"
SECRET = "fuzz-logistics-secret"


@pytest.fixture()
def api(app: Flask, services: Services) -> Iterator[Any]:
    """The published document, loaded from the app as an integrator would."""
    original = services.settings
    services.settings = replace(original, CALLBACK_TOKEN=TOKEN, LOGISTICS_WEBHOOK_SECRET=SECRET)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        allow_x00=True,
        deterministic=True,
    )
    yield schema
    services.settings = original


schema = schemathesis.pytest.from_fixture("api")


def _signed(case: Any) -> dict[str, Any]:
    """The carrier event serialised once and signed, so the signature matches the bytes."""
    if isinstance(case.body, NotSet):
        return {}
    raw = case.body if isinstance(case.body, bytes) else json.dumps(case.body).encode()
    return {"data": raw, "headers": {"X-Sokoni-Signature": sign(raw, SECRET)}}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_as_documented_and_never_with_a_server_error(case: Any) -> None:
    if "token" in (case.path_parameters or {}):
        case.path_parameters["token"] = TOKEN
    extra = _signed(case) if case.path == "/logistics/events" else {}
    case.call_and_validate(checks=CHECKS, **extra)
