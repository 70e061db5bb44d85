"""Operator commands for money: `flask payments ...` and `flask ledger check|balances`."""

from __future__ import annotations

import getpass
import sys
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import click
from flask.cli import AppGroup

from config.currencies import UnknownCurrency
from gateway.cli.output import report_problems
from gateway.cli.sandbox import decide
from gateway.commerce import errors
from gateway.commerce.money import InvalidAmount
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.commerce.money import parse_amount
from gateway.commerce.payments import cash
from gateway.commerce.payments import ledger
from gateway.commerce.payments.callbacks import SUSPICIOUS
from gateway.commerce.payments.callbacks import suspicious
from gateway.commerce.payments.payouts import retry_payout
from gateway.commerce.payments.resolutions import Resolution
from gateway.commerce.payments.resolutions import describe
from gateway.commerce.payments.resolutions import open_payout
from gateway.commerce.payments.resolutions import resolve_payout
from gateway.commerce.payments.views import payments_of
from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import to_e164
from gateway.current import services
from gateway.providers.payments.sandbox import DECISIONS
from gateway.providers.payments.sandbox import UnknownSandboxPayment

payments = AppGroup("payments", help="Payments, callbacks, payouts, the sandbox, agent floats.")
ledger_group = AppGroup("ledger", help="The double-entry ledger.")


@payments.command("show")
@click.argument("order_ref")
def show(order_ref: str) -> None:
    """Every attempt to pay one order."""
    for p in payments_of(services().uow(), order_ref):
        amount = format_money(Money(p.amount_minor, p.currency))
        click.echo(
            f"{p.order_ref}#{p.attempt}\t{p.provider}\t{p.status}\t{amount}\t{p.phone}\t"
            f"{p.provider_ref}\t{p.reason or '-'}\t{p.outcome or '-'}\torder {p.order_status}"
        )


@payments.command("callbacks")
@click.option("--verdict", "verdicts", multiple=True, type=click.Choice(SUSPICIOUS))
@click.option("--limit", default=20, show_default=True)
def callbacks(verdicts: tuple[str, ...], limit: int) -> None:
    """Callbacks that changed nothing (forged, malformed, unknown, mismatch, disputed) or are
    not yet checked, newest first."""
    for row in suspicious(services().uow(), limit, verdicts or SUSPICIOUS):
        click.echo(
            f"{row.id}\t{row.received_at:%Y-%m-%d %H:%M:%S}\t{row.provider}\t{row.method}\t"
            f"{row.remote_addr}\t{row.verdict}\t{row.provider_ref or '-'}\t{row.detail or ''}"
        )


@payments.command("payouts")
@click.option("--status", "statuses", multiple=True, default=("failed", "unknown"))
@click.option("--limit", default=20, show_default=True)
def payouts(statuses: tuple[str, ...], limit: int) -> None:
    """Payouts in the given states (default: failed and unknown), newest first."""
    with services().uow() as uow:
        for p in uow.payouts.with_status(tuple(statuses), limit):
            amount = format_money(Money(p.amount_minor, p.currency))
            click.echo(
                f"{p.id}\t{p.key}\t{p.status}\t{amount}\t{p.phone}\t{p.provider or '-'}\t"
                f"{p.attempts} attempts\t{p.last_error or ''}"
            )


@payments.command("retry-payout")
@click.argument("payout_id", type=int)
def retry(payout_id: int) -> None:
    """Send a failed payout again, as a new request."""
    if not retry_payout(services().uow(), payout_id, services().clock()):
        click.echo(f"payout {payout_id} is not failed; nothing to retry", err=True)
        sys.exit(1)
    click.echo(f"payout {payout_id} queued again")


@payments.command("resolve-payout")
@click.argument("payout_id", type=int)
@click.option("--paid", "receipt", metavar="RECEIPT", help="It was paid: the provider's receipt.")
@click.option("--failed", is_flag=True, help="It was not paid: the money is owed again.")
@click.option("--by", "operator", default=getpass.getuser, help="Who decides (default: you).")
def resolve(payout_id: int, receipt: str | None, failed: bool, operator: str) -> None:
    """Settle a payout the provider cannot answer for; refused if its own answer disagrees.
    Every attempt is kept in payout_resolutions."""
    if bool(receipt) == failed:
        raise click.UsageError("say either --paid RECEIPT or --failed")
    svc = services()
    try:
        open_payout(svc.uow(), payout_id)
        said, unreachable = svc.payout_word(payout_id)
        if unreachable:
            click.echo(unreachable, err=True)
        resolved = resolve_payout(
            svc.uow(),
            Resolution(payout_id, not failed, receipt, operator),
            said,
            svc.deps.notices,
            svc.clock(),
        )
    except (errors.PayoutNotFound, errors.PayoutNotOpen) as err:
        click.echo(f"nothing to resolve: {err}", err=True)
        sys.exit(1)
    if resolved.verdict == "refused":
        click.echo(f"refused: {resolved.detail} ({describe(said)})", err=True)
        sys.exit(1)
    click.echo(f"payout {payout_id} resolved: {resolved.detail}")
    if failed:
        click.echo(f"the money is owed again; send it with: payments retry-payout {payout_id}")


@payments.command("sandbox")
@click.argument("decision", type=click.Choice(tuple(DECISIONS)))
@click.argument("ref")
@click.option("--silent", is_flag=True, help="Send no callback: only the status query tells.")
def sandbox(decision: str, ref: str, silent: bool) -> None:
    """Decide a sandbox payment by order reference (its latest attempt) or sandbox reference."""
    try:
        decided = decide(services(), ref, decision, callback=not silent)
    except UnknownSandboxPayment:
        click.echo(f"no sandbox payment {ref}", err=True)
        sys.exit(1)
    said = "no callback" if silent else "callback stored; a worker applies it"
    click.echo(f"order {decided.order_ref} ({decided.provider_ref}): {decision}; {said}")


@payments.command("float")
@click.argument("phone")
def show_float(phone: str) -> None:
    """What an agent still owes Sokoni for cash they collected."""
    agent = _person(phone)
    owed = cash.float_owed(agent, services().uow())
    for currency, minor in sorted(owed.items()):
        click.echo(format_money(Money(minor, currency)))
    if not owed:
        click.echo("nothing owed")


@payments.command("settle-float")
@click.argument("phone")
@click.argument("amount")
@click.argument("currency")
@click.option("--ref", required=True, help="The deposit's reference at the provider.")
@click.option("--provider", default="mpesa", show_default=True)
def settle(phone: str, amount: str, currency: str, ref: str, provider: str) -> None:
    """Record an agent's deposit against their float (once per reference)."""
    try:
        money = parse_amount(amount, currency.upper())
    except (InvalidAmount, UnknownCurrency) as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    if not cash.settle_float(_person(phone), money, ref, provider, services().uow()):
        click.echo(f"deposit {ref} was recorded before; nothing changed")
        return
    click.echo(f"{format_money(money)} settled for {phone}")


def _person(phone: str) -> int:
    try:
        number = to_e164(phone)
    except InvalidPhone:
        click.echo(f"not a phone number: {phone}", err=True)
        sys.exit(1)
    with services().uow() as uow:
        person = uow.people.by_phone(number)
        if person is None:
            click.echo(f"nobody has the number {number}", err=True)
            sys.exit(1)
        return person.id


@ledger_group.command("check")
def ledger_check() -> None:
    """Every transaction balances, and escrow equals the paid, undelivered orders."""
    report_problems(
        ledger.check(services().uow()),
        "the ledger balances and escrow matches the paid, undelivered orders",
    )


@ledger_group.command("balances")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (UTC).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (UTC), included.")
@click.option("--kind", help="Only transactions of this kind (payment, release, refund, ...).")
def ledger_balances(start: datetime | None, end: datetime | None, kind: str | None) -> None:
    """Every account's balance per currency (debits positive, credits negative); with --from
    and --to, what the transactions of that period moved."""
    since = start.replace(tzinfo=UTC) if start else None
    until = end.replace(tzinfo=UTC) + timedelta(days=1) if end else None
    found = ledger.balances(services().uow(), since, until, kind)
    for (account, currency), minor in sorted(found.items()):
        click.echo(f"{account}\t{format_money(Money(minor, currency))}")


COMMANDS = (payments, ledger_group)
