"""What the catalogue showed a moment ago: category lists and listing pages kept a few seconds.

Every USSD hop on a category or listing screen would otherwise read the same rows again. The
views kept are frozen, so one cached list serves any request. A commit that changes listings
in this process empties the shelf (`gateway.store.changes`); another process sees the change once
its own copy expires, after at most `ttl` seconds. Ordering never trusts the shelf: stock is
reserved in SQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from collections.abc import Hashable
from typing import TypeVar
from typing import cast

from cachetools import TTLCache

T = TypeVar("T")
SHELF_ITEMS = 4096
"""Most answers kept: a country's categories, or a category's listings near one district."""


class Shelf:
    """A per-process, thread-safe cache of catalogue reads that expire after `ttl` seconds
    (0 keeps nothing)."""

    def __init__(self, ttl: float, timer: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._kept: TTLCache[Hashable, object] | None = (
            TTLCache(SHELF_ITEMS, ttl, timer) if ttl > 0 else None
        )
        self._generation = 0
        """Counts clears, so a read that overlapped one is not kept."""

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """The answer kept under `key`, or `read()`'s, kept for next time."""
        if self._kept is None:
            return read()
        with self._lock:
            try:  # not `in`, then `[]`: the answer may expire between the two
                return cast(T, self._kept[key])
            except KeyError:
                generation = self._generation
        answer = read()
        with self._lock:
            if generation == self._generation:
                self._kept[key] = answer
        return answer

    def clear(self) -> None:
        """Forget everything kept (listings changed)."""
        with self._lock:
            self._generation += 1
            if self._kept is not None:
                self._kept.clear()
