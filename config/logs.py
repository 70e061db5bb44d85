"""Log lines for people (`text`) or for machines (`json`, one object a line), and the request id
that ties one USSD hop, SMS or carrier event to every job it causes.

The request id lives in a context variable: the web app sets it for each request, the unit of
work writes it into each outbox row it emits, and the outbox worker sets it again while it runs
that row, so the rows the job emits carry it further (hop -> order.placed -> sms.send). Every
record is masked when it is made (`config.log_masks`), before either format sees it.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from contextvars import Token
from datetime import UTC
from datetime import datetime

FORMATS = ("text", "json")
"""The values LOG_FORMAT may take."""
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
"""Today's readable line (LOG_FORMAT=text)."""
REQUEST_ID_KEY = "request_id"
"""The key of the request id in an outbox row's payload."""
GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
"""A request id a caller may hand us (X-Request-Id); anything else is replaced."""

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id() -> str | None:
    """The request id of the work this thread or task is doing, if any."""
    return _request_id.get()


def new_request_id(given: str | None = None) -> str:
    """`given` when it looks like a request id (from a trusted X-Request-Id), else a new one."""
    if given and GIVEN_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


@contextmanager
def bound(rid: str | None) -> Iterator[None]:
    """Run the block with `rid` as the request id."""
    token = _request_id.set(rid)
    try:
        yield
    finally:
        _request_id.reset(token)


def bind(rid: str | None) -> Token[str | None]:
    """Set the request id until `unbind` is given the token returned (a web request's life)."""
    return _request_id.set(rid)


def unbind(token: Token[str | None]) -> None:
    """Put back the request id that `bind` replaced."""
    _request_id.reset(token)


def chosen_format(env: Mapping[str, str]) -> str:
    """LOG_FORMAT when set; otherwise json in production and text elsewhere."""
    chosen = env.get("LOG_FORMAT", "").strip().lower()
    if chosen:
        return chosen
    return "json" if env.get("SOKONI_ENV", "") == "production" else "text"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, and the
    exception or stack when there is one (all masked already)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, REQUEST_ID_KEY, None) or request_id(),
            "process": record.process,
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


def formatter(fmt: str) -> logging.Formatter:
    return JsonFormatter() if fmt == "json" else logging.Formatter(TEXT)


class _Ours(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure` installs (so a second call replaces it)."""


def configure(fmt: str) -> None:
    """Log INFO and up to stderr in `fmt`, unless something else (a test runner) already
    handles the root logger; called again, the format is replaced."""
    root = logging.getLogger()
    if any(not isinstance(handler, _Ours) for handler in root.handlers):
        return
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = _Ours()
    handler.setFormatter(formatter(fmt))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
