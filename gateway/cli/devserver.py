"""`make run`: embedded Redis (unless REDIS_URL), migrate, seed, then gunicorn, one RQ worker
and the scheduler of periodic jobs, kept running.

A process that exits is started again after a backoff (1 s, doubling to 30 s; back to 1 s once
it has run a minute), logged, and counted in `/health` (`{"worker": "restarted 2x"}`). Only
Ctrl-C (or SIGTERM) stops everything, the embedded Redis included. Every setting is passed
through from the environment, so the same command runs against a real Redis, PostgreSQL and
provider URLs. Production runs the same three processes under systemd (see `deploy/`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType

import redis

from config.settings import load
from gateway.bootstrap import Services
from gateway.cli import devenv
from gateway.cli.demo import seed
from gateway.store.connections import start_embedded_redis
from gateway.store.connections import stop_embedded_redis
from gateway.store.migrate import upgrade
from gateway.store.restarts import forget_restarts
from gateway.store.restarts import record_restart

HOST = os.environ.get("HOST", "127.0.0.1")
FIRST_DELAY = 1.0
"""Seconds before the first restart of a process that exited."""
MAX_DELAY = 30.0
"""Longest wait between restarts of a process that keeps exiting."""
STEADY = 60.0
"""Seconds a process must run before its next exit is treated as a first one again."""
STOP_WAIT = 15.0
"""Seconds each process gets to stop after SIGTERM before it is killed."""


@dataclass
class Child:
    """One supervised process: how to start it, and when it started or may start again."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    delay: float = FIRST_DELAY
    due: float | None = None
    """When to start it again after it exited (None: running, or not yet noticed)."""


class Supervisor:
    """Starts the children and restarts any that exits, until `stop()`."""

    def __init__(self, children: list[Child], env: dict[str, str], counts: redis.Redis) -> None:
        self.children = children
        self.env = env
        self.counts = counts

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, env=self.env)
        child.started, child.due = time.monotonic(), None
        print(f"[make run] {child.name} started (pid {child.process.pid})", flush=True)

    def tick(self, now: float) -> None:
        """Notice children that exited, and start again those whose wait is over."""
        for child in self.children:
            if child.due is not None:
                if now >= child.due:
                    self.start(child)
                    print(
                        f"[make run] {child.name} restarted {self._count(child.name)}x", flush=True
                    )
                continue
            code = child.process.poll() if child.process else 0
            if code is None:
                continue
            if now - child.started >= STEADY:
                child.delay = FIRST_DELAY
            child.due, child.delay = now + child.delay, min(child.delay * 2, MAX_DELAY)
            print(
                f"[make run] {child.name} exited with code {code}; "
                f"restarting it in {child.due - now:.0f} s",
                flush=True,
            )

    def _count(self, name: str) -> int | str:
        try:
            return record_restart(self.counts, name)
        except redis.exceptions.RedisError:  # still restarted, just not counted
            return "?"

    def stop(self) -> None:
        """SIGTERM every child, then SIGKILL whatever is still running after STOP_WAIT."""
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def children(port: int) -> list[Child]:
    """The gateway's processes: the web server, one RQ worker, the scheduler."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    gunicorn = [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", "2"]
    return [
        Child("web", [*gunicorn, "--config", "python:config.gunicorn_conf", "wsgi:app"]),
        Child("worker", [*flask, "worker"]),
        Child("scheduler", [*flask, "scheduler"]),
    ]


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    env = dict(os.environ)
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = start_embedded_redis()
    devenv.fake_africastalking(env, f"http://{HOST}:{env.get('PORT', '8000')}")
    try:
        settings = load(env)
        upgrade(settings.DATABASE_URL)
        print(f"demo data: {seed(Services(settings).uow())} listings added", flush=True)
        counts = redis.Redis.from_url(env["REDIS_URL"], socket_timeout=5)
        forget_restarts(counts)
        supervisor = Supervisor(children(settings.PORT), env, counts)
        try:
            for child in supervisor.children:
                supervisor.start(child)
            _welcome(settings.PORT, settings.USSD_SERVICE_CODE, env["REDIS_URL"])
            while True:
                time.sleep(0.5)
                supervisor.tick(time.monotonic())
        except KeyboardInterrupt:
            print("\n[make run] stopping", flush=True)
        finally:
            supervisor.stop()
    finally:
        stop_embedded_redis(env["REDIS_URL"])
    return 0


def _welcome(port: int, service_code: str, redis_url: str) -> None:
    url = f"http://{HOST}:{port}"
    print(f"\nSokoni is listening on {url}  (Redis: {redis_url})", flush=True)
    print(devenv.urls(url), flush=True)
    print("Dial it:", flush=True)
    print(
        f"  curl -s -d sessionId=s1 -d serviceCode='{service_code}' "
        f"-d phoneNumber=+254711000001 -d networkCode=63902 -d text= {url}/ussd\n",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
