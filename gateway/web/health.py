"""`GET /health`: is Redis reachable, is the database reachable."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify

from gateway.current import services

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> tuple[Response, int]:
    """200 when both stores answer, 503 naming the one that does not."""
    report = services().connections.health()
    healthy = all(v == "ok" for v in report.values())
    return jsonify(status="ok" if healthy else "degraded", **report), 200 if healthy else 503
