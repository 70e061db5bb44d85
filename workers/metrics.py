"""What the workers count for `GET /metrics` (kept in Redis, `gateway.store.counters`); a
count that cannot be written is logged and never fails the job."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

import redis

from gateway.bootstrap import Services
from gateway.commerce.messaging.sending import Batch
from gateway.commerce.messaging.sending import CallFailed
from gateway.commerce.messaging.sending import Outcome
from gateway.store.counters import Counters

log = logging.getLogger(__name__)


def count(services: Services, name: str, n: int = 1, **labels: str) -> None:
    """Add `n` to the counter `name`; a Redis failure is only logged."""
    try:
        Counters(services.connections.redis).add(name, n, **labels)
    except redis.RedisError:
        log.warning("could not count %s %s", name, labels)


def sms_results(services: Services, outcomes: Iterable[tuple[Batch, Outcome]]) -> None:
    """One per number of the calls: `sent`, `rejected` (Africa's Talking refused the number)
    or `failed` (the whole call failed); one Redis command per result, whatever the calls."""
    results: Counter[str] = Counter()
    for batch, outcome in outcomes:
        if isinstance(outcome, CallFailed):
            results["failed"] += len(batch.numbers)
        else:
            results.update("sent" if r.accepted else "rejected" for r in outcome)
    for result, n in results.items():
        count(services, "sokoni_sms_sent", n, result=result)


def payment_result(services: Services, provider: str, verdict: str, state: str) -> None:
    """A settled payment: `succeeded` or `failed` when applied, else the verdict (disputed,
    mismatch, duplicate, pending)."""
    result = state if verdict == "applied" else verdict
    count(services, "sokoni_payments", provider=provider, result=result)
