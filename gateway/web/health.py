"""`GET /health`: is Redis reachable, is the database reachable; and under `make run`, how often
each of its processes was restarted."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify

from gateway.current import services
from gateway.store.restarts import restart_counts

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> tuple[Response, int]:
    """200 when both stores answer, 503 naming the one that does not; restarts as
    `{"worker": "restarted 2x"}` (they do not make the gateway unhealthy)."""
    connections = services().connections
    report = connections.health()
    healthy = all(v == "ok" for v in report.values())
    if report["redis"] == "ok":
        counts = restart_counts(connections.redis)
        report |= {name: f"restarted {count}x" for name, count in counts.items()}
    return jsonify(status="ok" if healthy else "degraded", **report), 200 if healthy else 503
