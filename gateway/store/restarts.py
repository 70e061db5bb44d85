"""How often each process under `make run` was restarted, kept in Redis for `/health`."""

from __future__ import annotations

import redis

KEY = "sokoni:restarts"
"""A hash: process name (`web`, `worker`, `scheduler`) → restarts since `make run` started."""


def record_restart(connection: redis.Redis, name: str) -> int:
    """Count one more restart of `name`; returns how many so far."""
    return int(connection.hincrby(KEY, name, 1))


def restart_counts(connection: redis.Redis) -> dict[str, int]:
    """Restarts by process name; empty when nothing was restarted (or no supervisor runs)."""
    raw: dict[bytes, bytes] = connection.hgetall(KEY)  # type: ignore[assignment]
    return {name.decode(): int(count) for name, count in raw.items()}


def forget_restarts(connection: redis.Redis) -> None:
    """Start counting from zero (a new `make run`)."""
    connection.delete(KEY)
