"""Operator commands: `db upgrade`, `seed`, `screens check`, `worker`, `scheduler`, `outbox dead`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from gateway.cli.demo import seed as seed_demo
from gateway.cli.output import report_problems
from gateway.commerce.topics import QUEUES
from gateway.current import services
from menus.budget import check
from workers.run import run_scheduler
from workers.run import run_worker

db = AppGroup("db", help="Database schema.")
screens = AppGroup("screens", help="USSD screens.")
outbox = AppGroup("outbox", help="Work queued after commit.")


@db.command("upgrade")
def db_upgrade() -> None:
    """Upgrade the database to the newest migration."""
    # Deferred: Alembic is needed by this command only, not by every process that loads the CLI.
    from gateway.store.migrate import upgrade

    upgrade(services().settings.DATABASE_URL)
    click.echo("database is at the newest migration")


@click.command("seed")
def seed() -> None:
    """Add demo sellers and listings from several COMESA countries (safe to run twice)."""
    click.echo(f"demo data: {seed_demo(services().uow())} listings added")


@screens.command("check")
def screens_check() -> None:
    """Render every screen in every language with worst-case values; fail on any over budget."""
    report_problems(
        check(services().engine.budget), "every screen fits the budget in every language"
    )


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
@click.option(
    "--queue",
    "queues",
    multiple=True,
    type=click.Choice(QUEUES),
    help="Work only this queue (repeatable); every queue by default.",
)
def worker(burst: bool, queues: tuple[str, ...]) -> None:
    """Run a non-forking RQ worker on the queues, most urgent first (with RQ's scheduler for
    delayed retries)."""
    run_worker(services(), burst=burst, queues=queues or QUEUES)


@click.command("scheduler")
def scheduler() -> None:
    """Run the periodic jobs (outbox sweeper, expiries, carrier polling); one per deployment."""
    run_scheduler(services())


@outbox.command("dead")
@click.option("--limit", default=20, show_default=True)
def outbox_dead(limit: int) -> None:
    """List outbox rows that failed for good, newest first."""
    with services().uow() as uow:
        for row in uow.outbox.dead(limit):
            click.echo(f"{row.id}\t{row.topic}\t{row.attempts} attempts\t{row.last_error}")


COMMANDS = (db, seed, screens, worker, scheduler, outbox)
