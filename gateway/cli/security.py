"""`flask --app wsgi secrets new` (fresh values to paste), `flask --app wsgi security refused`
(callbacks refused for a wrong token, network or signature, per hour) and `flask --app wsgi
security reset-pin PHONE` (forget a PIN; its owner chooses a new one from their phone)."""

from __future__ import annotations

import sys
from secrets import token_urlsafe

import click
from flask.cli import AppGroup

from config.settings import pairs
from gateway.commerce import errors
from gateway.commerce.people.pins import reset_pin
from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import to_e164
from gateway.current import services
from gateway.store.refusals import Refusals

secrets = AppGroup("secrets", help="Secrets of our own making.")
security = AppGroup("security", help="What the edges refused.")

OWN = ("SECRET_KEY", "CALLBACK_TOKEN", "AT_CALLBACK_TOKEN")
"""Secrets `secrets new` makes every time."""
BYTES = 32
"""Random bytes in each new value (43 URL-safe characters)."""


@secrets.command("new")
@click.option(
    "--carrier",
    "carriers",
    multiple=True,
    help="A carrier that posts webhooks (repeat it); default: those in CARRIER_WEBHOOK_SECRETS.",
)
def new(carriers: tuple[str, ...]) -> None:
    """Print fresh secrets to paste into the environment; nothing is stored or changed.

    To rotate one without downtime, move its current value to `<NAME>_PREVIOUS`, set the new
    one, restart, switch the caller over, then unset `<NAME>_PREVIOUS`.
    """
    for name in OWN:
        click.echo(f"{name}={token_urlsafe(BYTES)}")
    names = carriers or tuple(pairs(services().settings.CARRIER_WEBHOOK_SECRETS))
    if names:
        keys = ",".join(f"{name.lower()}={token_urlsafe(BYTES)}" for name in names)
        click.echo(f"CARRIER_WEBHOOK_SECRETS={keys}")
    else:
        click.echo("# CARRIER_WEBHOOK_SECRETS: add --carrier NAME for each carrier with webhooks")


@security.command("refused")
@click.option("--hours", default=24, show_default=True, help="How far back to look.")
def refused(hours: int) -> None:
    """Callbacks refused as forged, per hour (newest first) and kind."""
    svc = services()
    found = Refusals(svc.connections.redis).hours(svc.clock(), hours)
    for hour, counts in found:
        for what, count in counts.items():
            click.echo(f"{hour:%Y-%m-%d %H}:00\t{what}\t{count}")
    if not found:
        click.echo(f"nothing refused in the last {hours} hours")


@security.command("reset-pin")
@click.argument("phone")
@click.option("--country", default=None, help="ISO code for a national number, e.g. KE.")
def reset_pin_command(phone: str, country: str | None) -> None:
    """Forget PHONE's Sokoni PIN, locked or not, once you know it is its owner asking; they get
    an SMS and choose a new PIN from their own phone (Language / Account)."""
    try:
        number = to_e164(phone, default_region=country)
    except InvalidPhone:
        raise click.BadParameter(f"{phone!r} is not a phone number", param_hint="PHONE") from None
    deps = services().deps
    try:
        reset_pin(deps.uow(), number, deps.pin_lock, deps.notices)
    except errors.PinNotLocked:
        click.echo(f"{number} has no PIN to reset", err=True)
        sys.exit(1)
    click.echo(f"PIN of {number} reset; they choose a new one from their phone")


COMMANDS = (secrets, security)
