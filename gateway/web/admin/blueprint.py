"""The /admin blueprint, its sign-in manager, CSRF checks, and the headers of every page."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask_login import LoginManager

from gateway.web.csrf import protect_posts

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
login = LoginManager()
POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""No script runs on an /admin page: charts are SVG drawn on the server."""


bp.before_request(protect_posts)


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
