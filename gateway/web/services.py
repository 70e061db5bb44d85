"""How a view reaches the app's services."""

from flask import current_app

from gateway.services import Services


def services() -> Services:
    return current_app.extensions["sokoni"]
