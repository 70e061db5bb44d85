"""Counts of callbacks refused as forged (a wrong token, network or signature), per hour."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

import redis

KEEP = 8 * 86400
"""Seconds an hour's counts are kept."""
PREFIX = "refused"


def _key(hour: datetime) -> str:
    return f"{PREFIX}:{hour:%Y%m%d%H}"


class Refusals:
    """`count(what, now)` adds one refusal of `what` (e.g. `sms.inbound token`) to `now`'s hour."""

    def __init__(self, connection: redis.Redis) -> None:
        self.connection = connection

    def count(self, what: str, now: datetime) -> int:
        """One more refusal of `what`; returns how many there were in this hour."""
        pipe = self.connection.pipeline()
        pipe.hincrby(_key(now), what, 1)
        pipe.expire(_key(now), KEEP)
        total, _ = pipe.execute()
        return int(total)

    def hours(self, now: datetime, hours: int) -> list[tuple[datetime, dict[str, int]]]:
        """The last `hours` hours up to `now` that had refusals, newest first, with their counts."""
        found = []
        top = now.replace(minute=0, second=0, microsecond=0)
        for back in range(hours):
            hour = top - timedelta(hours=back)
            counts: dict[bytes, bytes] = self.connection.hgetall(_key(hour))  # type: ignore[assignment]
            if counts:
                found.append((hour, {k.decode(): int(v) for k, v in sorted(counts.items())}))
        return found
