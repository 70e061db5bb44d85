"""`flask --app wsgi agent grant PHONE --point NAME --place PLACE`, `agent invite`, `agent trail`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from gateway.commerce import errors
from gateway.commerce.agents.points import create_invite
from gateway.commerce.agents.points import details
from gateway.commerce.agents.points import grant_agent
from gateway.commerce.agents.trail import trail
from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import to_e164
from gateway.current import services

agent = AppGroup("agent", help="Village agents and their points.")

_point = click.option("--point", "point", required=True, help="Agent point name (24 letters).")
_place = click.option("--place", required=True, help="Village, town or district (20 letters).")
_hours = click.option("--hours", default=None, help='Opening hours, e.g. "Mon-Sat 8-18".')


def _details(point: str, place: str, hours: str | None):  # type: ignore[no-untyped-def]
    try:
        return details(point, place, hours)
    except errors.InvalidDetail as err:
        raise click.BadParameter(f"{err.field} cannot be shown on a phone screen") from None


@agent.command("grant")
@click.argument("phone")
@_point
@_place
@_hours
@click.option("--country", default=None, help="ISO code for a national number, e.g. KE.")
def grant(phone: str, point: str, place: str, hours: str | None, country: str | None) -> None:
    """Make PHONE an agent with an agent point where parcels can be collected."""
    try:
        number = to_e164(phone, default_region=country)
    except InvalidPhone:
        raise click.BadParameter(f"{phone!r} is not a phone number", param_hint="PHONE") from None
    view = grant_agent(services().uow(), number, _details(point, place, hours))
    click.echo(f"{number} is an agent at {view.name}, {view.place}")


@agent.command("invite")
@_point
@_place
@_hours
@click.option("--days", default=14, show_default=True, help="Days the code stays valid.")
def invite(point: str, place: str, hours: str | None, days: int) -> None:
    """Print a one-time code; whoever enters it (Language / Account) becomes this point's agent."""
    code = create_invite(services().uow(), _details(point, place, hours), days)
    click.echo(code)


@agent.command("trail")
@click.argument("phone")
@click.option("--limit", default=50, show_default=True)
def show_trail(phone: str, limit: int) -> None:
    """Print an agent's audit trail, newest first: when, who, what, for whom, which order."""
    try:
        number = to_e164(phone)
    except InvalidPhone:
        raise click.BadParameter(f"{phone!r} is not a phone number", param_hint="PHONE") from None
    for line in trail(services().uow(), number, limit):
        fields = (line.customer or "-", line.order or "-", line.note or "")
        click.echo(
            f"{line.at:%Y-%m-%d %H:%M:%S}\t{line.actor}\t{line.action}\t" + "\t".join(fields)
        )
