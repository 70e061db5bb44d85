"""The Prometheus metrics the web processes record (hops, sessions, delivery reports, carrier
events), with `prometheus_client`.

Under gunicorn every worker process writes its own files in PROMETHEUS_MULTIPROC_DIR
(`config.gunicorn_conf` sets one when it is not given), and `GET /metrics` adds them all up
(`gateway.web.metrics`). Without that variable (a test, `flask run`) the values live in this
process. What the RQ workers count lives in Redis instead (`gateway.store.counters`), since
workers may run on other hosts and fork a process per job.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client import Histogram

RECORDED = CollectorRegistry()
"""This process's metrics (served as they are without PROMETHEUS_MULTIPROC_DIR); a registry of
their own, so importing this module again never registers a metric twice."""

HOP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
"""Seconds; Africa's Talking gives a hop a few seconds at most."""

HOP_SECONDS = Histogram(
    "sokoni_ussd_hop_seconds",
    "Time to answer one USSD hop, by the screen answered",
    ["screen"],
    buckets=HOP_BUCKETS,
    registry=RECORDED,
)
HOPS = Counter(
    "sokoni_ussd_hops",
    "USSD hops answered, by outcome (con: the session goes on, end, error)",
    ["outcome"],
    registry=RECORDED,
)
SESSIONS = Counter(
    "sokoni_ussd_sessions",
    "USSD sessions ended, by Africa's Talking's final status",
    ["outcome"],
    registry=RECORDED,
)
SMS_REPORTS = Counter(
    "sokoni_sms_delivery_reports",
    "SMS delivery reports received, by status (Success means delivered)",
    ["status"],
    registry=RECORDED,
)
CARRIER_EVENTS = Counter(
    "sokoni_carrier_events",
    "Carrier webhook events received, by result",
    ["result"],
    registry=RECORDED,
)
