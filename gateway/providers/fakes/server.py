"""What every fake shares: serving its Flask app from a thread, calling back, running alone."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any
from typing import Self
from typing import TypeVar

import requests
import waitress
from flask import Flask
from werkzeug.serving import make_server

log = logging.getLogger(__name__)


class FakeServer:
    """A fake's serving: `start()` serves `self.app` from a thread on a free port."""

    thread_name = "fake"
    app: Flask
    _server: Any = None
    url = ""

    def start(self, host: str = "127.0.0.1", port: int = 0) -> Self:
        self._server = make_server(host, port, self.app, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        threading.Thread(
            target=self._server.serve_forever, name=self.thread_name, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()


def call_back(method: str, url: str, body: dict[str, Any], who: str) -> None:
    """Send a callback as the real service would; a failure to deliver is only logged."""
    try:
        requests.request(method, url, json=body, timeout=10)
    except requests.RequestException as err:
        log.warning("fake %s could not deliver a callback: %s", who, err)


Fake = TypeVar("Fake", bound=FakeServer)


ALONE_THREADS = 64
"""Requests a fake served alone answers at once (each may wait out its simulated latency)."""


def serve_alone(fake: Fake, port: int, describe: Callable[[Fake], str]) -> None:
    """Serve `fake` on `port` (development, the bench), print `describe(fake)`, then serve for
    ever. waitress, unlike Werkzeug's development server, keeps a client's connection open
    between calls, as the real services do."""
    host = "127.0.0.1"
    fake.url = f"http://{host}:{port}"
    print(describe(fake), flush=True)
    waitress.serve(fake.app, host=host, port=port, threads=ALONE_THREADS, _quiet=True)
