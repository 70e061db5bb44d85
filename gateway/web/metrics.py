"""`GET /metrics` in Prometheus's text format, and the recording of what the web sees.

What a request shows is recorded after it is answered: hop latency by screen and hops by
outcome (`/ussd`), sessions by outcome (`/ussd/events`), delivery reports by status
(`/sms/delivery`), carrier events by result (`/logistics/events`). Under gunicorn each worker
writes its own files and the scrape adds them up (prometheus_client's multiprocess mode,
PROMETHEUS_MULTIPROC_DIR). The scrape adds what the RQ workers counted (kept in Redis), the
outbox by topic and status, and the depth of each queue.

Protection: with METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>` (else
401); in production without METRICS_TOKEN, /metrics does not exist (404).
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Iterator

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import request
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client import CollectorRegistry
from prometheus_client import generate_latest
from prometheus_client import multiprocess
from prometheus_client.core import CounterMetricFamily
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from config import metrics
from config.settings import Settings
from gateway.bootstrap import Services
from gateway.commerce.topics import QUEUES
from gateway.current import services
from gateway.store.counters import COUNTERS
from gateway.store.counters import Counters
from gateway.store.queue_depths import depths
from gateway.web.guards import refused
from gateway.web.guards import token_ok
from gateway.web.tracing import elapsed

bp = Blueprint("metrics", __name__)
log = logging.getLogger(__name__)

SESSION_OUTCOMES = ("success", "incomplete", "failed")
CARRIER_RESULTS = {401: "bad_signature", 400: "malformed", 404: "unknown_parcel", 409: "refused"}
"""A carrier event's result by answer; a 200 or 202 carries its result (applied, history,
duplicate; queued, or duplicate for a scan kept before)."""


def init_app(app: Flask, settings: Settings) -> None:
    app.register_blueprint(bp)
    app.after_request(_record)


@bp.get("/metrics")
def scrape() -> Response:
    """Every metric, for Prometheus."""
    svc = services()
    settings = svc.settings
    if settings.METRICS_TOKEN:
        given = request.headers.get("Authorization", "")
        if not given.startswith("Bearer ") or not token_ok(given[7:], settings.METRICS_TOKEN):
            refused("metrics token")
            return Response(
                "bearer token required\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'}
            )
    elif settings.is_production:
        abort(404)
    body = generate_latest(_recorded()) + generate_latest(_backlog(svc))
    return Response(body, 200, {"Content-Type": CONTENT_TYPE_LATEST})


def _recorded() -> CollectorRegistry:
    """What the web processes recorded: every gunicorn worker's files, or this process."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return metrics.RECORDED
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def _backlog(svc: Services) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(Backlog(svc))
    return registry


class Backlog(Collector):
    """Read at each scrape: the workers' counters (Redis), the outbox, the queues."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def collect(self) -> Iterable[CounterMetricFamily | GaugeMetricFamily]:
        yield from self._counters()
        outbox = GaugeMetricFamily(
            "sokoni_outbox_rows", "Outbox rows by topic and status", labels=["topic", "status"]
        )
        with self.svc.uow() as uow:
            for topic, status, n in uow.reports.outbox_counts():
                outbox.add_metric([topic, status], n)
        yield outbox
        queued = GaugeMetricFamily(
            "sokoni_queue_depth",
            "Jobs waiting in each RQ queue: queued now, scheduled (retries), failed",
            labels=["queue", "state"],
        )
        for queue in depths(self.svc.connections.redis, QUEUES):
            queued.add_metric([queue.name, "queued"], queue.queued)
            queued.add_metric([queue.name, "scheduled"], queue.scheduled)
            queued.add_metric([queue.name, "failed"], queue.failed)
        yield queued

    def _counters(self) -> Iterator[CounterMetricFamily]:
        counts = defaultdict(list)
        for count in Counters(self.svc.connections.redis).all():
            counts[count.name].append(count)
        for name, help_text in COUNTERS.items():
            found = counts.get(name, [])
            labels = sorted(found[0].labels) if found else []
            family = CounterMetricFamily(name, help_text, labels=labels)
            for count in found:
                family.add_metric([count.labels.get(k, "") for k in labels], count.value)
            yield family


def _record(response: Response) -> Response:
    """Count what this request showed; a metric that cannot be recorded is only logged."""
    try:
        _count(request.endpoint, response)
    except Exception:  # metrics never break an answer
        log.exception("could not record metrics for %s", request.endpoint)
    return response


def _count(endpoint: str | None, response: Response) -> None:
    if endpoint == "ussd.hop":
        screen = response.headers.get("at-ussd-hop-metadata", "")
        body = response.get_data(as_text=True)
        outcome = "error" if screen == "error" else body[:3].lower()
        metrics.HOP_SECONDS.labels(screen or "none").observe(elapsed())
        metrics.HOPS.labels(outcome if outcome in ("con", "end", "error") else "other").inc()
    elif endpoint == "ussd.session_end" and response.status_code == 200:
        outcome = request.form.get("status", "").lower()
        metrics.SESSIONS.labels(outcome if outcome in SESSION_OUTCOMES else "other").inc()
    elif endpoint == "sms.delivery" and response.status_code == 200:
        metrics.SMS_REPORTS.labels(request.form.get("status", "")[:20]).inc()
    elif endpoint == "logistics.events":
        answered = response.status_code in (200, 202)
        payload = response.get_json(silent=True) if answered else None
        result = payload.get("result") if isinstance(payload, dict) else None
        metrics.CARRIER_EVENTS.labels(
            str(result or CARRIER_RESULTS.get(response.status_code, str(response.status_code)))
        ).inc()
