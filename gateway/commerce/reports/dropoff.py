"""Where people give up on USSD: sessions that ended on each screen, per language and day.

A session that ended `Success` reached an end screen; `Incomplete` and `Failed` ones stopped
on their last screen (Africa's Talking's hop metadata, the screen ids we sent).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from gateway.commerce.reports.overview import DAYS
from gateway.commerce.reports.overview import last_days
from gateway.store.uow import UnitOfWork

FINISHED = "Success"


@dataclass(frozen=True)
class DropOff:
    days: list[str]
    """The days looked at, oldest first (or the one day chosen)."""
    languages: list[str]
    screens: list[str]
    """Screens sessions stopped on, most stops first."""
    stops: dict[str, dict[str, int]]
    """screen -> language -> sessions that stopped there (not `Success`)."""
    per_day: list[tuple[str, str, str, int]]
    """(day, screen, language, sessions stopped)."""
    finished: int
    """Sessions that ended `Success`."""

    @property
    def stopped(self) -> int:
        return sum(sum(by.values()) for by in self.stops.values())


def dropoff(uow: UnitOfWork, now: datetime, day: str | None = None, days: int = DAYS) -> DropOff:
    """Sessions that stopped on each screen over the last `days` days, or on one `day`."""
    calendar = last_days(now, days)
    since = datetime.fromisoformat(calendar[0]).replace(tzinfo=now.tzinfo)
    with uow:
        ended = uow.reports.sessions_ended(since)
    if day is not None:
        ended = [row for row in ended if row.day == day]
        calendar = [day]
    stops: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_day: dict[tuple[str, str, str], int] = defaultdict(int)
    finished = 0
    for row in ended:
        if row.status == FINISHED:
            finished += row.sessions
            continue
        stops[row.screen][row.language] += row.sessions
        per_day[(row.day, row.screen, row.language)] += row.sessions
    screens = sorted(stops, key=lambda screen: (-sum(stops[screen].values()), screen))
    return DropOff(
        days=calendar,
        languages=sorted({lang for by in stops.values() for lang in by}),
        screens=screens,
        stops={screen: dict(by) for screen, by in stops.items()},
        per_day=sorted((d, s, lang, n) for (d, s, lang), n in per_day.items()),
        finished=finished,
    )
