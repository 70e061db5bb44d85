"""Sending SMS through Africa's Talking with the official `africastalking` SDK (protocols.md 2).

Two documented seams on the SDK's `SMSService`, and nothing else changed:

* base URL: `_init_service` points the service at `AT_API_URL` (settings.at_api_url) instead
  of the hard-wired live or sandbox host, so tests and development talk to the local fake
  (`gateway.providers.fakes.africastalking`) and staging to the sandbox. `/version1/messaging`
  is appended exactly as the SDK does.
* HTTP call: `_make_request` sends the request the SDK built (fields, `apiKey` header, the
  `+` check on numbers, all as usual) with urllib3 and returns the status and body. The SDK's
  own handling turns any non-2xx answer into an exception holding only the body, losing the
  status code that says whether a retry makes sense (401 bad key vs 500 vs 429); and the SDK
  calls through `requests`, whose per-call machinery cost 1.1-1.3 ms of CPU against urllib3's
  0.5 ms (measured against the local fake), in a worker that makes one call per text.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from urllib.parse import urlsplit
from urllib.request import getproxies
from urllib.request import proxy_bypass

import africastalking
import certifi
import urllib3
from africastalking.Service import DEFAULT_TIMEOUT_S
from urllib3.exceptions import HTTPError
from urllib3.exceptions import ReadTimeoutError

from gateway.providers.errors import SendError

log = logging.getLogger(__name__)

STATUS_NAMES = {
    100: "Processed",
    101: "Sent",
    102: "Queued",
    401: "RiskHold",
    402: "InvalidSenderId",
    403: "InvalidPhoneNumber",
    404: "UnsupportedNumberType",
    405: "InsufficientBalance",
    406: "UserInBlacklist",
    407: "CouldNotRoute",
    409: "DoNotDisturbRejection",
    500: "InternalServerError",
    501: "GatewayError",
    502: "RejectedByGateway",
}
"""Per-recipient `statusCode` values; the code, not the `status` word, decides."""
ACCEPTED = frozenset({100, 101, 102})
"""Processed, Sent, Queued: Africa's Talking took the message."""
RETRYABLE = frozenset({500, 501})
"""Per-recipient InternalServerError and GatewayError: worth another try later."""


@dataclass(frozen=True)
class Recipient:
    """Africa's Talking's answer for one number of a send call."""

    number: str
    status_code: int
    status: str
    message_id: str | None
    cost: str | None

    @property
    def accepted(self) -> bool:
        return self.status_code in ACCEPTED

    @property
    def retryable(self) -> bool:
        return self.status_code in RETRYABLE


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: its status code and body."""

    status_code: int
    text: str


class _SdkSms(africastalking.SMSService):  # type: ignore[misc]  # the SDK has no type hints
    """The SDK's SMS service aimed at `api_url`, answering with the HTTP status and body."""

    def __init__(self, username: str, api_key: str, api_url: str) -> None:
        self._api_url = api_url.rstrip("/")
        self._http = _connections(self._api_url)
        super().__init__(username, api_key)

    def _init_service(self) -> None:
        super()._init_service()
        self._baseUrl = self._contentUrl = f"{self._api_url}/version1"

    def _make_request(
        self,
        url: str,
        method: str,
        headers: dict[str, str],
        data: dict[str, Any],
        params: dict[str, Any] | None,
        callback: Any = None,
        timeout: Any = DEFAULT_TIMEOUT_S,
    ) -> Answer:
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        answer = self._http.request(
            method,
            f"{url}?{urlencode(params)}" if params else url,
            body=urlencode(data) if data else None,
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            timeout=urllib3.Timeout(connect=connect, read=read),
            retries=False,
            redirect=False,
        )
        return Answer(answer.status, answer.data.decode(errors="replace"))


def _connections(url: str) -> urllib3.PoolManager:
    """Kept-alive connections for calls to `url`, through the proxy the environment names for
    it (unless NO_PROXY exempts its host), checking TLS against REQUESTS_CA_BUNDLE or
    certifi's roots as `requests` did; the environment is read once, here."""
    parts = urlsplit(url)
    proxy = getproxies().get(parts.scheme)
    roots = os.environ.get("REQUESTS_CA_BUNDLE") or certifi.where()
    if proxy and not proxy_bypass(parts.hostname or ""):
        return urllib3.ProxyManager(proxy, ca_certs=roots)
    return urllib3.PoolManager(ca_certs=roots)


class AfricasTalkingSms:
    """`send(text, numbers)`: one call for many numbers, one `Recipient` back per number."""

    def __init__(
        self,
        username: str,
        api_key: str,
        api_url: str,
        sender_id: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._credentials = (username, api_key, api_url)
        self._services = threading.local()
        self._sender_id = sender_id or None
        self._timeout = timeout
        self.api_url = api_url

    def _service(self) -> _SdkSms:
        """This thread's SDK service (and its HTTP connections): calls may run side by side."""
        service: _SdkSms | None = getattr(self._services, "sdk", None)
        if service is None:
            service = self._services.sdk = _SdkSms(*self._credentials)
        return service

    def send(self, text: str, numbers: Sequence[str]) -> list[Recipient]:
        """Send `text` to every number (E.164) in one call.

        Raises:
            SendError: retryable (5xx, 429, no connection), ambiguous (read timeout: it may
                have gone out), or final (401 bad key, other 4xx, a rejected request).
        """
        try:
            response = self._service().send(
                text, list(numbers), sender_id=self._sender_id, timeout=self._timeout
            )
        except ValueError as err:  # the SDK's own check: a number without `+`
            raise SendError("InvalidPhoneNumber") from err
        except ReadTimeoutError as err:
            raise SendError("Timeout", ambiguous=True) from err
        except HTTPError as err:  # no connection, or it broke: as `requests` counted them
            raise SendError("ConnectionFailed", retryable=True) from err
        return _recipients(response)


def _recipients(response: Answer) -> list[Recipient]:
    status = response.status_code
    if status == 401:
        raise SendError("InvalidCredentials")
    if status == 429 or status >= 500:
        raise SendError(f"HTTP {status}", retryable=True)
    if not 200 <= status < 300:
        raise SendError(f"HTTP {status}: {response.text[:100]}")
    try:
        data = json.loads(response.text)["SMSMessageData"]
        rows = data["Recipients"]
        recipients = [_recipient(row) for row in rows]
    except (ValueError, KeyError, TypeError) as err:
        log.error("unreadable Africa's Talking answer (HTTP %s): %.200s", status, response.text)
        raise SendError("UnreadableResponse", ambiguous=True) from err
    if not recipients:
        raise SendError(str(data.get("Message") or "NoRecipients")[:60])
    return recipients


def _recipient(row: dict[str, Any]) -> Recipient:
    code = int(row["statusCode"])
    message_id = row.get("messageId")
    return Recipient(
        number=str(row["number"]),
        status_code=code,
        status=STATUS_NAMES.get(code) or str(row.get("status") or code),
        message_id=None if message_id in (None, "", "None") else str(message_id),
        cost=str(row["cost"]) if row.get("cost") is not None else None,
    )


class Unconfigured:
    """The sender when AT_API_KEY is unset outside development: every send fails for good."""

    api_url = ""

    def send(self, text: str, numbers: Sequence[str]) -> list[Recipient]:
        raise SendError("NotConfigured: set AT_USERNAME, AT_API_KEY (and AT_API_URL)")
