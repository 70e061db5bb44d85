"""USSD hop speed and memory against a floor measured in the same run.

The floor is the least a hop can do: one HTTP request through Flask that reads one Redis key
and runs `select 1` on the database. The measured hop walks the buy journey (language,
country, menu, category, listing, quantity) through the real engine. Printed: medians, the ratio, and
the peak memory per hop; the run fails when a ratio is above its target.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from flask import Flask

from config.settings import load
from gateway.app import create_app
from gateway.cli.demo import seed
from gateway.store.connections import start_embedded_redis
from gateway.store.migrate import upgrade

HOPS = 300
TIME_RATIO_TARGET = 10.0
"""A hop may cost at most this many floors (a hop does several Redis and SQL round trips)."""
MEMORY_RATIO_TARGET = 4.0
WALK = ["", "1", "1*1", "1*1*1", "1*1*1*2", "1*1*1*2*1", "1*1*1*2*1*1"]
"""Language, country, Buy, a category, a listing, a quantity: a first-time Ugandan buyer."""


def _app() -> Flask:
    tmp = Path(tempfile.mkdtemp(prefix="sokoni-bench-"))
    settings = load(
        SOKONI_ENV="test",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}",
        REDIS_URL=start_embedded_redis(tmp / "redis.db"),
    )
    upgrade(settings.DATABASE_URL)
    app = create_app(settings)
    services = app.extensions["sokoni"]
    seed(services.uow())

    @app.post("/bench/floor")
    def floor() -> str:
        services.connections.redis.get("bench")
        services.connections.health()
        return "CON ok"

    return app


def _time(fn, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - start)
    return samples


def _peak(fn, rounds: int) -> int:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    for i in range(rounds):
        fn(i)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> int:
    client = _app().test_client()

    def floor(i: int) -> None:
        client.post("/bench/floor", data={"sessionId": f"f{i}", "text": ""})

    def hop(i: int) -> None:
        text = WALK[i % len(WALK)]
        client.post(
            "/ussd",
            data={
                "sessionId": f"b{i // len(WALK)}",
                "serviceCode": "*384*123#",
                "phoneNumber": "+256772000999",
                "networkCode": "64110",
                "text": text,
            },
        )

    _time(floor, 30), _time(hop, len(WALK) * 3)  # warm up
    floor_s = statistics.median(_time(floor, HOPS))
    hop_s = statistics.median(_time(hop, HOPS))
    floor_mem, hop_mem = _peak(floor, 50), _peak(hop, 50)
    time_ratio, memory_ratio = hop_s / floor_s, hop_mem / max(floor_mem, 1)
    print(f"floor  {floor_s * 1e3:7.2f} ms median   peak {floor_mem / 1024:8.1f} KiB / 50 requests")
    print(f"hop    {hop_s * 1e3:7.2f} ms median   peak {hop_mem / 1024:8.1f} KiB / 50 hops")
    print(
        f"ratio  time {time_ratio:.1f}x (target <= {TIME_RATIO_TARGET}x)   "
        f"memory {memory_ratio:.1f}x (target <= {MEMORY_RATIO_TARGET}x)"
    )
    return 0 if time_ratio <= TIME_RATIO_TARGET and memory_ratio <= MEMORY_RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
