"""`flask --app wsgi admin create-user EMAIL --role operator|viewer`: an operator for /admin
(the password is prompted for, twice, and only its argon2 hash is stored)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from gateway.commerce import errors
from gateway.commerce.operators.accounts import PASSWORD_MIN
from gateway.commerce.operators.accounts import ROLES
from gateway.commerce.operators.accounts import create_operator
from gateway.current import services

admin = AppGroup("admin", help="Operators of /admin.")


@admin.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="viewer: look only.")
@click.password_option(
    "--password",
    prompt=f"Password (at least {PASSWORD_MIN} characters)",
    help="Prompted for when not given (never put it in a shell history).",
)
def create_user(email: str, role: str, password: str) -> None:
    """Add an operator who signs in to /admin with EMAIL and the password."""
    try:
        operator_id = create_operator(services().uow(), email, password, role)
    except errors.OperatorExists:
        click.echo(f"{email} is an operator already", err=True)
        sys.exit(1)
    except (errors.WeakPassword, ValueError) as err:
        click.echo(f"refused: {err}", err=True)
        sys.exit(1)
    click.echo(f"operator {operator_id} created: {email.strip().lower()} ({role})")


COMMANDS = (admin,)
