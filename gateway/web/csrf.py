"""CSRF protection (Flask-WTF) for the pages people use in a browser, /admin and /simulator;
the provider callbacks are left alone (they prove themselves with tokens and signatures)."""

from __future__ import annotations

from flask import Flask
from flask import request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Tokens for every form; checked only where `protect_posts` is called."""
    app.config.update(WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None)
    csrf.init_app(app)


def protect_posts() -> None:
    """A blueprint's before-request hook: every form posted carries the session's token."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
