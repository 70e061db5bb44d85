"""What a request gets when it cannot be served: JSON, never an HTML page or a traceback.

- The database or Redis unreachable: 503 `{"error": ...}` with `Retry-After`, which every
  provider retries (Africa's Talking resends an inbound SMS every minute for 12 hours, payment
  providers are also asked by status queries, carriers resend or are polled).
- A framework refusal (unknown path, wrong method): its status, `{"error": ...}`.
- Anything else: 500 `{"error": "internal error"}`, the traceback only in the log.
"""

from __future__ import annotations

import logging

import redis
from flask import Flask
from flask import Response
from flask import jsonify
from sqlalchemy import exc as sql
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

RETRY_AFTER = 30
"""Seconds a provider is asked to wait before retrying while a dependency is down."""
UNREACHABLE: dict[type[Exception], str] = {
    sql.OperationalError: "database",
    sql.InterfaceError: "database",
    sql.TimeoutError: "database",
    redis.exceptions.ConnectionError: "redis",
    redis.exceptions.TimeoutError: "redis",
}
"""Errors that mean a dependency is down (not that the request is wrong), and which one."""


def _answer(status: int, error: str) -> Response:
    response = jsonify(error=error)
    response.status_code = status
    return response


def unavailable(err: Exception) -> Response:
    """503 naming the dependency that is down; the provider retries later."""
    name = next(name for kind, name in UNREACHABLE.items() if isinstance(err, kind))
    log.warning("%s unreachable while serving a request: %s", name, type(err).__name__)
    response = _answer(503, f"{name} unavailable; retry later")
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def refused(err: HTTPException) -> Response:
    """A refusal by the framework itself, as JSON."""
    return _answer(err.code or 500, err.description or err.name)


def failed(err: Exception) -> Response:
    """A bug: logged with its traceback, answered without it."""
    log.exception("request failed")
    return _answer(500, "internal error")


def init_app(app: Flask) -> None:
    """Register the handlers on `app` (Flask picks the most specific one for each error)."""
    for kind in UNREACHABLE:
        app.register_error_handler(kind, unavailable)
    app.register_error_handler(HTTPException, refused)
    app.register_error_handler(Exception, failed)
