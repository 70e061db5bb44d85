"""Operator commands for cross-border trade: `flask fx set|load|show` (exchange rates) and
`flask origin hs|hs-category|border-agent|flags|cancel` (HS headings, border agents,
certificates of origin)."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from gateway.commerce.fx.rates import InvalidRate
from gateway.commerce.fx.rates import set_rate
from gateway.commerce.origin.border import grant_border_agent
from gateway.commerce.origin.certificates import withdraw
from gateway.commerce.origin.headings import InvalidHeading
from gateway.commerce.origin.headings import set_category_heading
from gateway.commerce.origin.headings import set_listing_heading
from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import to_e164
from gateway.current import services

fx = AppGroup("fx", help="Exchange rates for cross-border prices.")
origin = AppGroup("origin", help="Origin of goods: HS headings, border agents, certificates.")
CSV_COLUMNS = ("base", "quote", "rate", "date", "source")


def _day(text: str | None) -> date:
    if not text:
        return services().clock().date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRate(f"not a date (YYYY-MM-DD): {text!r}") from None


@fx.command("set")
@click.argument("base")
@click.argument("quote")
@click.argument("rate")
@click.option("--date", "day", default=None, help="The day the rate is for (default today).")
@click.option("--source", default="operator", show_default=True, help="Who published it.")
def fx_set(base: str, quote: str, rate: str, day: str | None, source: str) -> None:
    """1 BASE = RATE QUOTE, e.g. `flask fx set USD KES 129.50 --source CBK`."""
    try:
        with services().uow() as uow:
            row = set_rate(uow, base, quote, rate, _day(day), source)
            uow.commit()
            click.echo(f"1 {row.base} = {row.rate} {row.quote} on {row.as_of} ({row.source})")
    except InvalidRate as err:
        raise click.BadParameter(str(err)) from None


@fx.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def fx_load(path: Path) -> None:
    """Rates from a CSV file with the header `base,quote,rate,date,source` (date YYYY-MM-DD);
    all of them or, if any line is wrong, none."""
    problems, count = [], 0
    with open(path, newline="", encoding="utf-8") as fh, services().uow() as uow:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
            click.echo(f"{path}: the header must be {','.join(CSV_COLUMNS)}", err=True)
            sys.exit(1)
        for line, row in enumerate(reader, start=2):
            try:
                set_rate(
                    uow, row["base"], row["quote"], row["rate"], _day(row["date"]), row["source"]
                )
                count += 1
            except (InvalidRate, AttributeError) as err:
                problems.append(f"{path}:{line}: {err}")
        if problems:
            click.echo("\n".join(problems), err=True)
            click.echo("nothing was loaded", err=True)
            sys.exit(1)
        uow.commit()
    click.echo(f"{count} rates loaded")


@fx.command("show")
def fx_show() -> None:
    """The newest rate of every pair, its age, and STALE past FX_MAX_AGE_DAYS."""
    svc = services()
    today, limit = svc.clock().date(), svc.settings.FX_MAX_AGE_DAYS
    with svc.uow() as uow:
        rows = uow.fx.newest_of_each()
    if not rows:
        click.echo("no rates: cross-border prices are paused (flask fx set USD KES 129.50)")
    for row in rows:
        age = (today - row.as_of).days
        stale = "\tSTALE" if age > limit else ""
        click.echo(
            f"1 {row.base} = {row.rate} {row.quote}\t{row.as_of}\t{age} days\t{row.source}{stale}"
        )


@origin.command("hs")
@click.argument("code")
@click.argument("heading")
def origin_hs(code: str, heading: str) -> None:
    """Give the listing CODE the HS heading HEADING (e.g. 10.05)."""
    try:
        found = set_listing_heading(services().uow(), code, heading)
    except InvalidHeading as err:
        raise click.BadParameter(str(err), param_hint="HEADING") from None
    if not found:
        click.echo(f"no listing {code}", err=True)
        sys.exit(1)
    click.echo(f"listing {code.upper()} has HS heading {heading}")


@origin.command("hs-category")
@click.argument("category")
@click.argument("heading")
def origin_hs_category(category: str, heading: str) -> None:
    """New goods of CATEGORY whose name points to no heading get HEADING (instead of
    config/hs_headings.toml's default)."""
    try:
        set_category_heading(services().uow(), category, heading)
    except InvalidHeading as err:
        raise click.BadParameter(str(err)) from None
    click.echo(f"category {category} defaults to HS heading {heading}")


@origin.command("border-agent")
@click.argument("phone")
@click.option("--country", default=None, help="ISO code for a national number, e.g. UG.")
def origin_border_agent(phone: str, country: str | None) -> None:
    """Let PHONE record border crossings by USSD (Parcels -> Border crossing)."""
    try:
        number = to_e164(phone, default_region=country)
    except InvalidPhone:
        raise click.BadParameter(f"{phone!r} is not a phone number", param_hint="PHONE") from None
    grant_border_agent(services().uow(), number)
    click.echo(f"{number} is a border agent")


@origin.command("flags")
@click.option("--limit", default=50, show_default=True)
def origin_flags(limit: int) -> None:
    """Certificates a border was asked to clear again (used or cancelled), newest first."""
    with services().uow() as uow:
        rows = uow.certificates.flags(limit)
    if not rows:
        click.echo("no certificate was flagged")
    for flag, certificate in rows:
        click.echo(
            f"{flag.created_at:%Y-%m-%d %H:%M}\t{certificate.code}\t{flag.reason}\t"
            f"{flag.actor}\t{flag.parcel_ref or '-'}\tused {certificate.used_at or '-'} by "
            f"{certificate.used_by or '-'}"
        )


@origin.command("cancel")
@click.argument("code")
def origin_cancel(code: str) -> None:
    """Withdraw the valid certificate CODE (a border asked to clear it later is refused)."""
    if not withdraw(services().uow(), code, services().clock()):
        click.echo(f"no valid certificate {code}", err=True)
        sys.exit(1)
    click.echo(f"certificate {code.upper()} cancelled")


COMMANDS = (fx, origin)
