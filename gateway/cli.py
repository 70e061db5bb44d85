"""Operator commands: `db upgrade`, `seed`, `screens check`, `worker`, `scheduler`, `outbox dead`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click
from flask import Flask
from flask.cli import AppGroup

from gateway.web.services import services

db = AppGroup("db", help="Database schema.")
screens = AppGroup("screens", help="USSD screens.")
outbox = AppGroup("outbox", help="Work queued after commit.")


@db.command("upgrade")
def db_upgrade() -> None:
    """Upgrade the database to the newest migration."""
    from gateway.store.migrate import upgrade

    upgrade(services().settings.DATABASE_URL)
    click.echo("database is at the newest migration")


@click.command("seed")
def seed() -> None:
    """Add demo sellers and listings from several COMESA countries (safe to run twice)."""
    from gateway.commerce.demo import seed as seed_demo

    click.echo(f"demo data: {seed_demo(services().uow())} listings added")


@screens.command("check")
def screens_check() -> None:
    """Render every screen in every language with worst-case values; fail on any over budget."""
    from menus.budget import check

    report_problems(
        check(services().engine.budget), "every screen fits the budget in every language"
    )


def report_problems(problems: Sequence[str], all_well: str) -> None:
    """Print each problem to stderr and exit with 1, or say `all_well` when there are none."""
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(all_well)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
def worker(burst: bool) -> None:
    """Run an RQ worker on every queue (with RQ's scheduler for delayed retries)."""
    from workers.run import run_worker

    run_worker(services(), burst=burst)


@click.command("scheduler")
def scheduler() -> None:
    """Run the periodic jobs (outbox sweeper, expiries, carrier polling); one per deployment."""
    from workers.run import run_scheduler

    run_scheduler(services())


@outbox.command("dead")
@click.option("--limit", default=20, show_default=True)
def outbox_dead(limit: int) -> None:
    """List outbox rows that failed for good, newest first."""
    with services().uow() as uow:
        for row in uow.outbox.dead(limit):
            click.echo(f"{row.id}\t{row.topic}\t{row.attempts} attempts\t{row.last_error}")


def init_app(app: Flask) -> None:
    from gateway import agent_cli
    from gateway import parcels_cli
    from gateway import payments_cli

    commands = (*payments_cli.COMMANDS, *parcels_cli.COMMANDS)
    for command in (db, seed, screens, worker, scheduler, outbox, *commands):
        app.cli.add_command(command)
    app.cli.add_command(agent_cli.agent)
