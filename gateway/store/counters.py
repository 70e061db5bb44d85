"""Counters the workers keep in Redis (one hash), which `GET /metrics` shows as Prometheus
counters: Redis is what every worker, on any host, shares with the web processes.

Each counter is a name from `COUNTERS` and a few labels; a field of the hash is the name and
the labels (`sokoni_sms_sent|result=sent`), its value the count so far. Prometheus shows each with `_total` added.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass

import redis

KEY = "metrics:counters"
COUNTERS = {
    "sokoni_sms_sent": "SMS handed to Africa's Talking, by result (sent, rejected, failed)",
    "sokoni_payments": "Payment outcomes recorded by the workers, by provider and result",
    "sokoni_outbox_runs": "Outbox rows run by a worker, by topic and outcome",
    "sokoni_carrier_scans_judged": "Carriers' kept scans judged by a worker, by verdict",
}
"""Every counter the workers keep, with its help text."""


@dataclass(frozen=True)
class Count:
    name: str
    labels: dict[str, str]
    value: int


def _field(name: str, labels: Mapping[str, str]) -> str:
    parts = [name, *(f"{k}={v}" for k, v in sorted(labels.items()))]
    return "|".join(part.replace("|", "/") for part in parts)


class Counters:
    """`add(name, n, **labels)`; `all()` reads every count back."""

    def __init__(self, connection: redis.Redis) -> None:
        self.connection = connection

    def add(self, name: str, n: int = 1, **labels: str) -> None:
        """Add `n` to the counter `name` with `labels`.

        Raises:
            KeyError: `name` is not in COUNTERS.
        """
        if name not in COUNTERS:
            raise KeyError(name)
        if n:
            self.connection.hincrby(KEY, _field(name, labels), n)

    def all(self) -> Iterator[Count]:
        stored: dict[bytes, bytes] = self.connection.hgetall(KEY)  # type: ignore[assignment]
        for field, value in sorted(stored.items()):
            name, *pairs = field.decode().split("|")
            labels = dict(pair.partition("=")[::2] for pair in pairs)
            yield Count(name, labels, int(value))
