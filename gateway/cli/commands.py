"""Every operator command group, registered on the app (`flask --app wsgi --help` lists them)."""

from __future__ import annotations

from flask import Flask

from gateway.cli import agents
from gateway.cli import core
from gateway.cli import disputes
from gateway.cli import export
from gateway.cli import operators
from gateway.cli import parcels
from gateway.cli import payments
from gateway.cli import security
from gateway.cli import trade


def init_app(app: Flask) -> None:
    for command in (
        *core.COMMANDS,
        *payments.COMMANDS,
        *parcels.COMMANDS,
        *security.COMMANDS,
        *disputes.COMMANDS,
        *trade.COMMANDS,
        *operators.COMMANDS,
        *export.COMMANDS,
        agents.agent,
    ):
        app.cli.add_command(command)
