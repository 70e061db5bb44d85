"""`make run` heals: a worker killed with SIGKILL comes back, counted in /health, which keeps
answering; Ctrl-C stops every process, and the embedded Redis is shut down."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
from rq import Worker

from config.settings import ROOT
from gateway.cli.devserver import FIRST_DELAY
from gateway.store.connections import start_embedded_redis
from gateway.store.connections import stop_embedded_redis
from tests.faults.support import RedisServer
from tests.faults.support import free_port
from tests.faults.support import wait_until


@pytest.fixture()
def make_run(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, redis.Redis]]:
    """`python -m gateway.cli.devserver` on a fresh SQLite file and a Redis of its own, in its
    own process group (so the test can press Ctrl-C on it, and clean up after a failure)."""
    server = RedisServer(tmp_path).start()
    port = free_port()
    env = {
        **os.environ,
        "SOKONI_ENV": "development",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'make-run.db'}",
        "REDIS_URL": server.url,
    }
    command = [sys.executable, "-m", "gateway.cli.devserver"]
    devserver = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        yield devserver, f"http://127.0.0.1:{port}", redis.Redis.from_url(server.url)
    finally:
        if devserver.poll() is None:
            os.killpg(devserver.pid, signal.SIGKILL)
            devserver.wait()
        server.stop()


def _worker_pids(connection: redis.Redis) -> set[int]:
    return {w.pid for w in Worker.all(connection=connection) if w.pid}


def _health(url: str) -> dict:
    return requests.get(f"{url}/health", timeout=5).json()


def test_a_killed_worker_is_restarted_counted_in_health_and_health_never_stops_answering(
    make_run,
) -> None:
    devserver, url, connection = make_run
    [first] = wait_until("the RQ worker to register", lambda: _worker_pids(connection))
    wait_until("/health to answer", lambda: _health(url)["status"] == "ok")

    os.kill(first, signal.SIGKILL)
    killed_at = time.monotonic()
    answers = []

    def back() -> set[int]:
        answers.append(requests.get(f"{url}/health", timeout=5).status_code)
        return _worker_pids(connection) - {first}

    wait_until("a new worker", back)
    back_after = time.monotonic() - killed_at
    assert set(answers) == {200}, "/health stopped answering while the worker was down"
    assert _health(url)["worker"] == "restarted 1x"
    assert devserver.poll() is None
    print(f"worker back {back_after:.1f} s after SIGKILL (first restart waits {FIRST_DELAY} s)")


def test_ctrl_c_stops_every_process(make_run) -> None:
    devserver, url, connection = make_run
    [worker] = wait_until("the RQ worker to register", lambda: _worker_pids(connection))
    wait_until("/health to answer", lambda: _health(url)["status"] == "ok")

    os.killpg(devserver.pid, signal.SIGINT)
    assert devserver.wait(timeout=60) == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/health", timeout=5)
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)


def test_stopping_the_embedded_redis_shuts_it_down(tmp_path: Path) -> None:
    url = start_embedded_redis(tmp_path / "redis.db")
    embedded = redis.Redis.from_url(url)
    assert embedded.ping()
    stop_embedded_redis(url)
    with pytest.raises(redis.exceptions.ConnectionError):
        redis.Redis.from_url(url).ping()
