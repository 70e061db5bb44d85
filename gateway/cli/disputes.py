"""Operator commands for disputes: `flask disputes list` and `flask disputes resolve REF`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from gateway.commerce import errors
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.commerce.payments.disputes import disputes as listed
from gateway.commerce.payments.disputes import resolve_dispute
from gateway.current import services
from gateway.store.models.disputes import OUTCOMES

disputes = AppGroup("disputes", help="Buyers' reported problems: escrow held until settled.")


@disputes.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(OUTCOMES))
def list_disputes(statuses: tuple[str, ...]) -> None:
    """Disputes (default: the open ones), the longest waiting first."""
    for d in listed(services().uow(), statuses or ("open",)):
        amount = format_money(Money(d.total_minor, d.currency))
        click.echo(
            f"{d.ref}\t{d.status}\t{d.reason}\t{amount}\tbuyer {d.buyer_phone}\t"
            f"seller {d.seller_phone}\t{d.opened_at:%Y-%m-%d %H:%M}\t{d.note or ''}"
        )


@disputes.command("resolve")
@click.argument("ref")
@click.option("--refund", "outcome", flag_value="refund", help="Refund the buyer in full.")
@click.option("--release", "outcome", flag_value="release", help="Pay the seller, as a delivery.")
@click.option("--note", default="", help="Why, for the record.")
def resolve(ref: str, outcome: str | None, note: str) -> None:
    """Settle the open dispute about order REF: --refund or --release (one of them)."""
    if outcome is None:
        click.echo("say --refund or --release", err=True)
        sys.exit(2)
    found = services()
    try:
        status = resolve_dispute(
            found.uow(), ref, outcome, found.deps.rates, found.deps.notices, found.clock(), note
        )
    except errors.DisputeNotFound:
        click.echo(f"no open dispute about order {ref}", err=True)
        sys.exit(1)
    click.echo(f"order {ref.upper()}: dispute {status}")


COMMANDS = (disputes,)
