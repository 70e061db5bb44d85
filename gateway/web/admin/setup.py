"""Wiring /admin into the app: sessions, sign-in, and the pages."""

from __future__ import annotations

from flask import Flask

from config.settings import Settings
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.web.admin import actions  # noqa: F401  (registers the action routes)
from gateway.web.admin import views  # noqa: F401  (registers the pages)
from gateway.web.admin.auth import load_operator
from gateway.web.admin.blueprint import bp
from gateway.web.admin.blueprint import login
from gateway.web.session_cookies import SignedCookieSessions


def init_app(app: Flask, settings: Settings) -> None:
    """Sessions (signed with SECRET_KEY) and sign-in for `app`, and the /admin pages."""
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
    )
    app.session_interface = SignedCookieSessions()
    login.init_app(app)
    login.login_view = "admin.sign_in"
    login.session_protection = "strong"
    login.user_loader(load_operator)
    app.register_blueprint(bp)
    app.add_template_global(percent)
    app.add_template_global(money_text)


def percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.0f}%"


def money_text(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))
