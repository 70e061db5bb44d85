"""Each request gets a request id (`config.logs`): it is in every log line the request makes,
in the outbox rows it emits, and in the `X-Request-Id` answer header. With JSON logs, each
request also logs one line of its own (method, path masked, status, time)."""

from __future__ import annotations

import logging
import time

from flask import Flask
from flask import Response
from flask import g
from flask import request

from config.logs import bind
from config.logs import new_request_id
from config.logs import request_id
from config.logs import unbind
from config.settings import Settings

log = logging.getLogger("sokoni.request")
HEADER = "X-Request-Id"
TOKEN = "sokoni.request_id_token"


def init_app(app: Flask, settings: Settings) -> None:
    """Give every request of `app` a request id (register before the guards)."""
    app.before_request(_start)
    if settings.log_format == "json":
        app.after_request(_log)
    app.after_request(_tell)
    app.teardown_request(_end)


def elapsed() -> float:
    """Seconds since the request began."""
    started: float = g.get("started", time.perf_counter())
    return time.perf_counter() - started


def _start() -> None:
    g.started = time.perf_counter()
    request.environ[TOKEN] = bind(new_request_id())


def _end(_error: BaseException | None) -> None:
    """Put back the request id the request replaced (a request made inside another one, as
    the simulator makes them, shares its `g` but not its environ)."""
    token = request.environ.pop(TOKEN, None)
    if token is not None:
        unbind(token)


def _log(response: Response) -> Response:
    screen = response.headers.get("at-ussd-hop-metadata")
    log.info(
        "%s %s %s %.1fms%s",
        request.method,
        request.path,
        response.status_code,
        elapsed() * 1000,
        f" screen={screen}" if screen else "",
    )
    return response


def _tell(response: Response) -> Response:
    rid = request_id()
    if rid:
        response.headers[HEADER] = rid
    return response
