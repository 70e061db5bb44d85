"""Fixed-window counters in Redis: how often one key was hit in the current window."""

from __future__ import annotations

from collections.abc import Sequence

import redis


class RateLimit:
    """`hit(key)` counts one more use of `key` and returns the count in this window."""

    def __init__(self, connection: redis.Redis, prefix: str, limit: int, window: int) -> None:
        self.connection = connection
        self.prefix = prefix
        self.limit = limit
        self.window = window

    def hit(self, key: str) -> int:
        return self.hit_all([key])[0]

    def hit_all(self, keys: Sequence[str]) -> list[int]:
        """`hit` each of `keys` in turn (a key may repeat), in one round trip; their counts."""
        pipe = self.connection.pipeline(transaction=False)
        for key in keys:
            name = f"{self.prefix}:{key}"
            pipe.set(name, 0, ex=self.window, nx=True)
            pipe.incr(name)
        return [int(count) for count in pipe.execute()[1::2]]
