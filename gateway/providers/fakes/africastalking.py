"""A local Africa's Talking SMS API that answers like the real one (protocols.md 2.1–2.2).

`POST /version1/messaging` with the form fields the SDK sends: HTTP 201 and
`{"SMSMessageData": {"Message": ..., "Recipients": [{statusCode, number, status, cost,
messageId}]}}`; HTTP 401 `text/plain` "The supplied authentication is invalid" for a wrong
`apiKey` header or username. Tests script failures (`fail_next`, `reject`, `hold_next`) and
assert on `received`. Run it alone with `python -m gateway.providers.fakes.africastalking`;
`--latency-ms` makes every send call take that long, like a distant API (the bench uses 20).

Two things the real one does elsewhere: `GET /fake/inbox?phoneNumber=...` lists what a number
received (the phone simulator's SMS inbox), and with `delivery_url` each message sent gets a
`Success` delivery report POSTed there a moment later, as Africa's Talking would.
"""

from __future__ import annotations

import argparse
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import requests
from flask import Flask
from flask import Response
from flask import jsonify
from flask import request

from gateway.providers.fakes.server import FakeServer
from gateway.providers.fakes.server import serve_alone
from gateway.text.gsm import measure

log = logging.getLogger(__name__)

BAD_KEY = "The supplied authentication is invalid"
PRICE_PER_PART = 0.8
REPORT_AFTER = 2.0
"""Seconds after a send that its delivery report is posted (after the send was recorded)."""
REJECTIONS = {
    403: "InvalidPhoneNumber",
    404: "UnsupportedNumberType",
    406: "UserInBlacklist",
    500: "InternalServerError",
    501: "GatewayError",
    502: "RejectedByGateway",
}


@dataclass(frozen=True)
class Received:
    """One send call as the fake saw it."""

    username: str
    recipients: tuple[str, ...]
    message: str
    sender: str | None
    api_key: str | None
    bulk_sms_mode: str | None
    enqueue: str | None
    message_ids: tuple[str, ...]


class FakeAfricasTalking(FakeServer):
    """The fake server; `start()` serves it from a thread on a free port."""

    thread_name = "fake-at"

    def __init__(
        self,
        username: str = "sandbox",
        api_key: str = "fake-at-key",
        show_texts: bool = False,
        latency: float = 0.0,
        delivery_url: str | None = None,
    ) -> None:
        self.username = username
        self.api_key = api_key
        self.show_texts = show_texts
        """Log each text as the phone shows it (development's only view of a delivery code);
        otherwise log only that a message went out."""
        self.latency = latency
        """Seconds every send call waits before it is answered."""
        self.delivery_url = delivery_url
        """Where to POST a `Success` delivery report for each message sent (None: nowhere)."""
        self.received: list[Received] = []
        self.sender_ids: set[str] | None = None
        """When set, a `from` outside it gets the whole-request InvalidSenderId answer."""
        self._failures: list[tuple[int, str]] = []
        self._rejected: dict[str, int] = {}
        self._holds: list[tuple[threading.Event, threading.Event]] = []
        self._lock = threading.Lock()
        self.app = self._build_app()

    def fail_next(
        self, status: int = 500, body: str = "Internal Server Error", times: int = 1
    ) -> None:
        """Answer the next `times` calls with HTTP `status` (nothing is sent or recorded)."""
        self._failures += [(status, body)] * times

    def reject(self, number: str, status_code: int = 403) -> None:
        """Refuse `number` in every call with this per-recipient `statusCode`."""
        self._rejected[number] = status_code

    def accept(self, number: str) -> None:
        """Stop refusing `number`."""
        self._rejected.pop(number, None)

    def hold_next(self) -> tuple[threading.Event, threading.Event]:
        """Record the next call, then wait before answering: (recorded, release) events."""
        hold = (threading.Event(), threading.Event())
        self._holds.append(hold)
        return hold

    def recipients(self) -> list[str]:
        return [number for call in self.received for number in call.recipients]

    def delivery_report(
        self, message_id: str, status: str = "Success", **extra: str
    ) -> dict[str, str]:
        """The form Africa's Talking would POST to `/sms/delivery` for a message it sent."""
        number = next(
            n
            for call in self.received
            for n, i in zip(call.recipients, call.message_ids, strict=True)
            if i == message_id
        )
        return {
            "id": message_id,
            "status": status,
            "phoneNumber": number,
            "networkCode": "63902",
            **extra,
        }

    def stop(self) -> None:
        for _, release in self._holds:
            release.set()
        super().stop()

    def _build_app(self) -> Flask:
        app = Flask(__name__)
        app.add_url_rule("/version1/messaging", "send", self._send, methods=["POST"])
        app.add_url_rule("/fake/inbox", "inbox", self._inbox)
        return app

    def inbox(self, number: str) -> list[dict[str, str]]:
        """What `number` received, oldest first: text, message id, sender."""
        return [
            {"text": call.message, "messageId": message_id, "from": call.sender or "AFRICASTKNG"}
            for call in self.received
            for to, message_id in zip(call.recipients, call.message_ids, strict=True)
            if to == number and message_id != "None"
        ]

    def _inbox(self) -> Response:
        return jsonify(messages=self.inbox(request.args.get("phoneNumber", "")))

    def _report_later(self, rows: list[dict[str, Any]]) -> None:
        """Post a `Success` delivery report for each number sent to, after the answer."""
        url = self.delivery_url
        if url is None:
            return
        for row in rows:
            if row["statusCode"] in (100, 101, 102):
                form = {
                    "id": row["messageId"],
                    "status": "Success",
                    "phoneNumber": row["number"],
                    "networkCode": "63902",
                }
                threading.Timer(REPORT_AFTER, _post_form, (url, form)).start()

    def _send(self) -> Response | tuple[Response, int]:
        if self.latency:
            time.sleep(self.latency)
        form, key = request.form, request.headers.get("apiKey")
        if key != self.api_key or form.get("username") != self.username:
            return Response(BAD_KEY, status=401, mimetype="text/plain")
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
            hold = self._holds.pop(0) if self._holds and failure is None else None
        if failure is not None:
            return Response(failure[1], status=failure[0], mimetype="text/plain")
        sender = form.get("from")
        if self.sender_ids is not None and sender not in self.sender_ids:
            return jsonify(SMSMessageData={"Message": "InvalidSenderId", "Recipients": []}), 201
        numbers = [n.strip() for n in form.get("to", "").split(",") if n.strip()]
        rows = [self._recipient(n, form.get("message", "")) for n in numbers]
        self.received.append(
            Received(
                username=form.get("username", ""),
                recipients=tuple(numbers),
                message=form.get("message", ""),
                sender=sender,
                api_key=key,
                bulk_sms_mode=form.get("bulkSMSMode"),
                enqueue=form.get("enqueue"),
                message_ids=tuple(row["messageId"] for row in rows),
            )
        )
        if self.show_texts:
            log.info("fake Africa's Talking: %r to %s", form.get("message"), ", ".join(numbers))
        else:
            log.info("fake Africa's Talking: a message to %s", ", ".join(numbers))
        if hold is not None:
            hold[0].set()
            hold[1].wait(timeout=60)
        self._report_later(rows)
        sent = [row for row in rows if row["statusCode"] in (100, 101, 102)]
        total = sum(float(row["cost"].split()[1]) for row in sent)
        summary = f"Sent to {len(sent)}/{len(rows)} Total Cost: KES {total:.4f}"
        return jsonify(SMSMessageData={"Message": summary, "Recipients": rows}), 201

    def _recipient(self, number: str, message: str) -> dict[str, Any]:
        code = self._rejected.get(number)
        if code is not None:
            return {
                "statusCode": code,
                "number": number,
                "status": REJECTIONS.get(code, "Failed"),
                "cost": "0",
                "messageId": "None",
            }
        parts = measure(message).segments
        return {
            "statusCode": 101,
            "number": number,
            "status": "Success",
            "cost": f"KES {PRICE_PER_PART * parts:.4f}",
            "messageId": f"ATXid_{uuid.uuid4().hex}",
        }


def _post_form(url: str, form: dict[str, str]) -> None:
    try:
        requests.post(url, data=form, timeout=10)
    except requests.RequestException as err:
        log.warning("fake Africa's Talking could not deliver a report: %s", err)


def main() -> None:
    """Serve the fake on a fixed port for development: AT_API_URL=http://127.0.0.1:<port>."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--username", default="sandbox")
    parser.add_argument("--api-key", default="fake-at-key")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay of every send")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    serve_alone(
        FakeAfricasTalking(
            args.username, args.api_key, show_texts=True, latency=args.latency_ms / 1000
        ),
        args.port,
        lambda fake: (
            f"fake Africa's Talking at {fake.url}"
            f" (AT_USERNAME={fake.username} AT_API_KEY={fake.api_key})"
        ),
    )


if __name__ == "__main__":
    main()
