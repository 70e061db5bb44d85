"""A local carrier tracking API (see gateway.providers.carriers) for tests and development.

`GET /v1/shipments/<ref>/events` with `Authorization: Bearer <api_key>`: 200 and the events
added with `add`, 404 for a parcel it has none of, 401 for a wrong key. Tests script failures
with `fail_next` and read `calls`. Run alone: `python -m gateway.providers.fakes.carrier`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
from datetime import UTC
from datetime import datetime
from typing import Any

from flask import Flask
from flask import Response
from flask import jsonify
from flask import request

from gateway.providers.fakes.server import FakeServer
from gateway.providers.fakes.server import serve_alone


class FakeCarrier(FakeServer):
    """The fake server; `start()` serves it from a thread on a free port."""

    thread_name = "fake-carrier"

    def __init__(self, name: str = "swiftbox", api_key: str = "fake-carrier-key") -> None:
        self.name = name
        self.api_key = api_key
        self.shipments: dict[str, list[dict[str, Any]]] = {}
        self.calls: list[str] = []
        self._failures: list[int] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.app = Flask(__name__)
        self.app.add_url_rule("/v1/shipments/<ref>/events", "events", self._events)

    def add(self, ref: str, status: str, occurred_at: datetime | None = None, **fields: Any) -> str:
        """Report an event for parcel `ref`; returns its event id."""
        event_id = fields.pop("event_id", None) or f"{self.name}-{next(self._ids)}"
        moment = occurred_at or datetime.now(UTC)
        event = {
            "event_id": event_id,
            "status": status,
            "occurred_at": moment.isoformat(),
            **fields,
        }
        with self._lock:
            self.shipments.setdefault(ref, []).append(event)
        return event_id

    def fail_next(self, status: int = 503, times: int = 1) -> None:
        """Answer the next `times` calls with HTTP `status`."""
        self._failures += [status] * times

    def _events(self, ref: str) -> Response | tuple[Response, int]:
        self.calls.append(ref)
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return jsonify(error="unavailable"), failure
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return jsonify(error="unauthorised"), 401
        if ref not in self.shipments:
            return jsonify(error="no such shipment"), 404
        return jsonify(tracking_ref=ref, events=self.shipments[ref])


def main() -> None:
    """Serve the fake for development; prints the settings that point Sokoni at it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8093)
    args = parser.parse_args()
    serve_alone(FakeCarrier(), args.port, _settings)


def _settings(fake: FakeCarrier) -> str:
    return json.dumps(
        {
            "POLLED_CARRIERS": f"{fake.name}={fake.url}",
            "CARRIER_API_KEYS": f"{fake.name}={fake.api_key}",
        }
    )


if __name__ == "__main__":
    main()
