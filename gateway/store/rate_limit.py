"""Fixed-window counters in Redis: how often one key was hit in the current window."""

from __future__ import annotations

import redis


class RateLimit:
    """`hit(key)` counts one more use of `key` and returns the count in this window."""

    def __init__(self, connection: redis.Redis, prefix: str, limit: int, window: int) -> None:
        self.connection = connection
        self.prefix = prefix
        self.limit = limit
        self.window = window

    def hit(self, key: str) -> int:
        name = f"{self.prefix}:{key}"
        pipe = self.connection.pipeline()
        pipe.set(name, 0, ex=self.window, nx=True)
        pipe.incr(name)
        _, count = pipe.execute()
        return int(count)
