"""The operators' overview: orders and GMV per day, payment success per provider, SMS
delivery and segments per day, parcels by status, the outbox by topic and status."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from config.currencies import exponent
from gateway.commerce.orders import states as order_states
from gateway.store.uow import UnitOfWork

DAYS = 30
"""How far back the overview looks."""
PAID = (*order_states.HELD, "delivered", "refunded")
"""Orders whose money came in: their totals make the GMV."""
DELIVERED = ("delivered",)
"""SMS statuses that count as delivered."""
UNDELIVERED = ("failed", "rejected", "dead", "unknown")
"""SMS statuses that count as not delivered (queued, sending and sent are still on their way)."""


@dataclass(frozen=True)
class Series:
    """One line of a chart: a name and a value per day (None: nothing that day)."""

    name: str
    values: list[float | None]


@dataclass(frozen=True)
class ProviderRate:
    provider: str
    succeeded: int
    failed: int
    waiting: int

    @property
    def rate(self) -> float | None:
        """Succeeded among the attempts decided, or None when none is decided yet."""
        decided = self.succeeded + self.failed
        return self.succeeded / decided if decided else None


@dataclass(frozen=True)
class Overview:
    days: list[str]
    orders: list[Series]
    """Orders placed per day, one series per country and currency."""
    gmv: list[Series]
    """GMV per day in major units, one series per country and currency."""
    payments: list[ProviderRate]
    sms_delivered: Series
    sms_undelivered: Series
    sms_segments: Series
    parcels: list[tuple[str, int]]
    outbox: list[tuple[str, str, int]]

    @property
    def sms_delivery_rate(self) -> float | None:
        delivered = sum(v or 0 for v in self.sms_delivered.values)
        failed = sum(v or 0 for v in self.sms_undelivered.values)
        return delivered / (delivered + failed) if delivered + failed else None

    @property
    def orders_placed(self) -> int:
        return int(sum(v or 0 for line in self.orders for v in line.values))

    @property
    def dead_letters(self) -> int:
        return sum(n for _, status, n in self.outbox if status == "dead")


def last_days(now: datetime, days: int = DAYS) -> list[str]:
    """The `days` UTC days up to `now`, oldest first, as `YYYY-MM-DD`."""
    return [f"{(now - timedelta(days=back)):%Y-%m-%d}" for back in range(days - 1, -1, -1)]


def _series(name: str, days: list[str], per_day: dict[str, float]) -> Series:
    return Series(name, [per_day.get(day) for day in days])


def overview(uow: UnitOfWork, now: datetime, days: int = DAYS) -> Overview:
    """Everything the overview page shows, from `days` days back to `now`."""
    calendar = last_days(now, days)
    since = datetime.fromisoformat(calendar[0]).replace(tzinfo=now.tzinfo)
    with uow:
        orders = uow.reports.orders_per_day(since, PAID)
        attempts = uow.reports.payment_statuses(since)
        sms = uow.reports.sms_per_day(since)
        parcels = uow.reports.parcels_by_status()
        outbox = uow.reports.outbox_counts()
    counts: dict[str, dict[str, float]] = defaultdict(dict)
    gmv: dict[str, dict[str, float]] = defaultdict(dict)
    for row in orders:
        name = f"{row.country} {row.currency}"
        counts[name][row.day] = counts[name].get(row.day, 0) + row.orders
        gmv[name][row.day] = gmv[name].get(row.day, 0) + row.gmv_minor / 10 ** exponent(
            row.currency
        )
    rates: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for provider, status, n in attempts:
        rates[provider][status] += n
    delivered: dict[str, float] = defaultdict(float)
    undelivered: dict[str, float] = defaultdict(float)
    segments: dict[str, float] = defaultdict(float)
    for day in sms:
        segments[day.day] += day.segments
        if day.status in DELIVERED:
            delivered[day.day] += day.messages
        elif day.status in UNDELIVERED:
            undelivered[day.day] += day.messages
    return Overview(
        days=calendar,
        orders=[_series(name, calendar, per) for name, per in sorted(counts.items())],
        gmv=[_series(name, calendar, per) for name, per in sorted(gmv.items())],
        payments=[
            ProviderRate(
                provider,
                by["succeeded"],
                by["failed"],
                sum(n for status, n in by.items() if status not in ("succeeded", "failed")),
            )
            for provider, by in sorted(rates.items())
        ],
        sms_delivered=_series("delivered", calendar, delivered),
        sms_undelivered=_series("not delivered", calendar, undelivered),
        sms_segments=_series("segments", calendar, segments),
        parcels=parcels,
        outbox=outbox,
    )
