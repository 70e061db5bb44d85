"""Operator commands for parcels: `flask parcels book|show|expire|poll`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from gateway.commerce import errors
from gateway.commerce.parcels.polls import book_carrier
from gateway.commerce.refs import normalise_ref
from gateway.current import services
from workers.parcels import expire
from workers.parcels import poll_due

parcels = AppGroup("parcels", help="Parcels: carriers, events, expiry, polling.")


@parcels.command("book")
@click.argument("ref")
@click.argument("carrier")
@click.argument("tracking_number", required=False)
def book(ref: str, carrier: str, tracking_number: str | None) -> None:
    """The parcel goes with CARRIER, which knows it as TRACKING_NUMBER (polled if listed in
    POLLED_CARRIERS)."""
    try:
        book_carrier(
            services().uow(),
            normalise_ref(ref),
            carrier.lower(),
            tracking_number,
            services().clock(),
        )
    except errors.ParcelNotFound:
        click.echo(f"no parcel {ref}", err=True)
        sys.exit(1)
    click.echo(
        f"parcel {normalise_ref(ref)} booked with {carrier.lower()} {tracking_number or ''}".rstrip()
    )


@parcels.command("show")
@click.argument("ref")
def show(ref: str) -> None:
    """A parcel's state, every event (oldest first), then carriers' events it refused."""
    with services().uow() as uow:
        shipment = uow.shipments.find(normalise_ref(ref))
        if shipment is None:
            click.echo(f"no parcel {ref}", err=True)
            sys.exit(1)
        click.echo(
            f"{shipment.ref}\t{shipment.status}\t{shipment.carrier or '-'}\t{shipment.tracking_number or '-'}"
        )
        for e in sorted(uow.shipments.events(shipment.id), key=lambda e: (e.occurred_at, e.id)):
            click.echo(
                f"{e.occurred_at:%Y-%m-%d %H:%M:%S}\t{e.status}\t{e.source}\t{e.actor}\t"
                f"{e.location or '-'}\t{e.event_id or '-'}\t{e.note or ''}"
            )
        for r in uow.shipments.refused_events(shipment.id):
            click.echo(
                f"{r.received_at:%Y-%m-%d %H:%M:%S}\trefused {r.status}\t{r.carrier}\t"
                f"{r.event_id}\t{r.verdict}\t{r.detail}"
            )


@parcels.command("expire")
def expire_now() -> None:
    """Expire parcels left at pickup points past PARCEL_PICKUP_DAYS (the scheduler does this)."""
    click.echo(f"{expire(services(), services().clock())} parcels expired")


@parcels.command("poll")
def poll_now() -> None:
    """Ask the polled carriers about every parcel due (the scheduler does this)."""
    click.echo(f"{poll_due(services(), services().clock())} parcels polled")


COMMANDS = (parcels,)
