"""The Flask app: USSD hops, SMS and provider callbacks, and the operator commands."""

from __future__ import annotations

from typing import Any

from flask import Flask

from config import log_masks
from config import logs
from config.settings import INSTANCE
from config.settings import Settings
from config.settings import load
from gateway.bootstrap import Services
from gateway.cli import commands
from gateway.web import csrf
from gateway.web import failures
from gateway.web import guards
from gateway.web import health
from gateway.web import logistics
from gateway.web import metrics
from gateway.web import openapi
from gateway.web import payments
from gateway.web import sms
from gateway.web import tracing
from gateway.web import ussd
from gateway.web import verify
from gateway.web.admin import setup as admin
from gateway.web.simulator import views as simulator
from workers.queues import WAKE_EVERY


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Build the app; `settings` default to the environment, `overrides` replace single ones."""
    settings = settings or load(**overrides)
    app = Flask(__name__, instance_path=str(INSTANCE))
    app.config.from_mapping(settings.as_mapping())
    app.extensions["sokoni"] = Services(settings, wake_every=WAKE_EVERY)
    logs.configure(settings.log_format)
    log_masks.install(settings.secret_values())

    app.register_blueprint(ussd.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(logistics.bp)
    app.register_blueprint(payments.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(verify.bp)
    tracing.init_app(app, settings)
    guards.init_app(app, settings)
    failures.init_app(app)
    metrics.init_app(app, settings)
    csrf.init_app(app)
    admin.init_app(app, settings)
    simulator.init_app(app, settings)
    commands.init_app(app)
    return app
