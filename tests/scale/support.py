"""What the scale-out tests share: a Redis primary with a replica and three sentinels of
Debian's `redis-server`/`redis-sentinel`, a client that spreads one caller's hops over several
gateways, and Africa's Talking's inbound SMS form."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import redis

from tests.faults.support import free_port
from tests.faults.support import wait_until
from tests.http_support import Answer
from tests.http_support import HttpClient

REDIS_SERVER = shutil.which("redis-server")
REDIS_SENTINEL = shutil.which("redis-sentinel")
NO_SENTINEL = "needs Debian's redis-server and redis-sentinel (apt-get install redis-sentinel)"
MASTER = "sokoni"
"""The name the sentinels monitor the primary under."""
DOWN_AFTER_MS = 1000
"""Milliseconds without an answer before a sentinel deems the primary down (30000 by default)."""
FAILOVER_TIMEOUT_MS = 3000


class Alternating:
    """Posts like the test client, each request to the next gateway in turn: Africa's Talking
    behind a load balancer that sends every hop of a session somewhere else."""

    def __init__(self, urls: list[str]) -> None:
        self._clients = itertools.cycle([HttpClient(url) for url in urls])

    def post(self, path: str, data: Any = None, **sent: Any) -> Answer:
        return next(self._clients).post(path, data=data, **sent)


def inbound_sms(number: str, body: str, at_id: str) -> dict[str, str]:
    """The form Africa's Talking posts to `/sms/inbound` for a text sent to the short code."""
    return {"from": number, "to": "22384", "text": body, "id": at_id, "networkCode": "63902"}


class SentinelGroup:
    """A primary, one replica and three sentinels on free ports, without persistence, in
    `folder`; the sentinels deem a silent primary down after DOWN_AFTER_MS."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ports = {"primary": free_port(), "replica": free_port()}
        self.sentinel_ports = [free_port() for _ in range(3)]
        self.processes: dict[int, subprocess.Popen[bytes]] = {}

    @property
    def addresses(self) -> str:
        """The REDIS_SENTINELS setting that names these sentinels."""
        return ",".join(f"127.0.0.1:{port}" for port in self.sentinel_ports)

    def start(self) -> SentinelGroup:
        primary = self.ports["primary"]
        self._server(primary)
        self._server(self.ports["replica"], "--replicaof", "127.0.0.1", str(primary))
        wait_until("the replica to sync", lambda: self.synced(self.ports["replica"]))
        for port in self.sentinel_ports:
            conf = self.folder / f"sentinel-{port}.conf"
            conf.write_text(
                f"port {port}\nbind 127.0.0.1\ndir {self.folder}\n"
                f"sentinel monitor {MASTER} 127.0.0.1 {primary} 2\n"
                f"sentinel down-after-milliseconds {MASTER} {DOWN_AFTER_MS}\n"
                f"sentinel failover-timeout {MASTER} {FAILOVER_TIMEOUT_MS}\n"
            )
            self._spawn(port, [str(REDIS_SENTINEL), str(conf)])
        wait_until("the sentinels to know the replica and each other", self._ready)
        return self

    def _server(self, port: int, *more: str) -> None:
        folder = self.folder / str(port)
        folder.mkdir()
        argv = [str(REDIS_SERVER), "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        self._spawn(port, [*argv, "--appendonly", "no", "--dir", str(folder), *more])

    def _spawn(self, port: int, argv: list[str]) -> None:
        self.processes[port] = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        wait_until(f"port {port} to answer", redis.Redis(port=port).ping)

    def _ready(self) -> bool:
        for port in self.sentinel_ports:
            sentinel = redis.Redis(port=port, decode_responses=True)
            replicas = sentinel.execute_command("SENTINEL", "REPLICAS", MASTER)
            peers = sentinel.execute_command("SENTINEL", "SENTINELS", MASTER)
            if not replicas or len(peers) < len(self.sentinel_ports) - 1:
                return False
        return True

    def synced(self, port: int) -> bool:
        info = redis.Redis(port=port).info("replication")
        return info.get("master_link_status") == "up"

    def names_primary(self, port: int) -> bool:
        """Whether every sentinel names the server on `port` as a healthy primary in
        `SENTINEL MASTERS`, the reply redis-py reads. A sentinel's GET-MASTER-ADDR-BY-NAME names
        the promoted replica while the failover still runs; `MASTERS` then shows the dead primary,
        flagged down, and a client finds no primary at all."""
        for sentinel_port in self.sentinel_ports:
            sentinel = redis.Redis(port=sentinel_port, decode_responses=True)
            state = sentinel.sentinel_master(MASTER)  # type: ignore[no-untyped-call]
            healthy = state["is_master"] and not (state["is_sdown"] or state["is_odown"])
            if state["port"] != port or not healthy:
                return False
        return True

    def replicated(self) -> None:
        """Wait until the replica holds every write the primary took so far: one write of our
        own, acknowledged by the replica, comes after all of them in the replication stream."""
        primary = redis.Redis(port=self.ports["primary"])
        primary.set("scale:marker", "1")
        assert primary.wait(1, 10_000) == 1, "the replica never acknowledged"

    def kill_primary(self) -> None:
        """SIGKILL the primary, as a crash of its machine would; it does not come back."""
        process = self.processes.pop(self.ports["primary"])
        process.kill()
        process.wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
