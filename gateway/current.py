"""The services of the app serving the current request or operator command."""

from __future__ import annotations

from flask import current_app

from gateway.bootstrap import Services


def services() -> Services:
    services: Services = current_app.extensions["sokoni"]
    return services
