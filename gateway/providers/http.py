"""HTTP plumbing shared by the payment clients: transport errors as SendError, cached tokens."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from urllib3.exceptions import MaxRetryError
from urllib3.exceptions import NewConnectionError

from gateway.providers.errors import SendError

TIMEOUT = (5, 30)
"""Seconds to connect, and to wait for an answer."""


def call(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    """One request; never connecting is retryable, losing the answer is ambiguous."""
    kwargs.setdefault("timeout", TIMEOUT)
    try:
        return session.request(method, url, **kwargs)
    except requests.ConnectTimeout as err:
        raise SendError("unreachable", retryable=True) from err
    except requests.ConnectionError as err:
        if _never_connected(err):
            raise SendError("unreachable", retryable=True) from err
        raise SendError("connection lost", ambiguous=True) from err
    except requests.RequestException as err:
        raise SendError(type(err).__name__, ambiguous=True) from err


def _never_connected(err: requests.ConnectionError) -> bool:
    reason = err.args[0] if err.args else None
    return isinstance(reason, MaxRetryError) and isinstance(reason.reason, NewConnectionError)


def json_body(response: requests.Response) -> dict[str, Any]:
    """The answer's JSON object, or {} when it is not one."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def http_error(response: requests.Response, code: str | None = None) -> SendError:
    """5xx and 429 may pass with time; any other refusal is final."""
    status = response.status_code
    retryable = status >= 500 or status == 429
    return SendError(code or f"HTTP {status}", retryable=retryable)


class TokenCache:
    """An access token reused until `margin` seconds before it expires; one fetch at a time."""

    def __init__(
        self,
        fetch: Callable[[], tuple[str, float]],
        margin: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._margin = margin
        self._clock = clock
        self._lock = threading.Lock()
        self._token = ""
        self._expires = 0.0

    def get(self) -> str:
        with self._lock:
            if not self._token or self._clock() >= self._expires - self._margin:
                token, lifetime = self._fetch()
                self._token, self._expires = token, self._clock() + lifetime
            return self._token

    def forget(self) -> None:
        """Drop the token the provider refused, so the next call fetches a new one."""
        with self._lock:
            self._token = ""


def with_token(
    tokens: TokenCache,
    send: Callable[[str], requests.Response],
    refused: Callable[[requests.Response], bool],
) -> requests.Response:
    """`send(token)`, and once more with a fresh token when the provider `refused` the first.

    Returns:
        The last answer, which the caller still reads (it may be a second refusal).
    """
    response = send(tokens.get())
    if refused(response):
        tokens.forget()
        response = send(tokens.get())
    return response


def lifetime(value: object, default: float) -> float:
    """`expires_in` as a number of seconds: a number, or a numeric string ("3599")."""
    try:
        return float(str(value).strip())
    except ValueError:
        return default
