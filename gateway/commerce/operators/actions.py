"""What an operator may do from /admin, each through the domain's own functions and each
leaving an audit row: retry a dead letter, pause or resume a listing, run the ledger check,
resolve a payout whose outcome is unknown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.catalog.listings import Change
from gateway.commerce.catalog.listings import change
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.operators.accounts import OperatorView
from gateway.commerce.operators.audit import record
from gateway.commerce.payments import ledger
from gateway.commerce.payments import resolutions
from gateway.commerce.payments.callbacks import PayoutReport
from gateway.commerce.payments.resolutions import Resolution
from gateway.commerce.payments.resolutions import describe
from gateway.store.uow import UnitOfWork


@dataclass(frozen=True)
class Done:
    """What an action did, in words for the operator; `ok` false when it changed nothing."""

    ok: bool
    said: str


def _acting(operator: OperatorView) -> None:
    if not operator.may_act:
        raise errors.ViewerCannotAct(operator.email)


def _audit(
    uow: UnitOfWork, operator: OperatorView, action: str, target: str, done: Done, addr: str | None
) -> Done:
    with uow:
        record(uow, operator.id, action, target, done.said, addr)
        uow.commit()
    return done


def retry_dead_letter(
    uow: UnitOfWork, operator: OperatorView, item_id: int, now: datetime, addr: str | None
) -> Done:
    """Put a dead outbox row back to pending and queue it, with a fresh set of retries.

    Raises:
        ViewerCannotAct.
    """
    _acting(operator)
    with uow:
        item = uow.outbox.revive(item_id, now)
        if item is None:
            done = Done(False, f"outbox row {item_id} is not dead; nothing changed")
        else:
            uow.requeue(item)
            done = Done(True, f"outbox row {item_id} ({item.topic}) queued again")
        record(uow, operator.id, "retry_dead_letter", f"outbox:{item_id}", done.said, addr)
        uow.commit()
    return done


def pause_listing(
    uow: UnitOfWork, operator: OperatorView, code: str, paused: bool, addr: str | None
) -> Done:
    """Pause (or resume) a listing as its seller would, with `catalog.listings.change`.

    Raises:
        ViewerCannotAct.
    """
    _acting(operator)
    with uow:
        listing = uow.listings.by_code(code)
        found = (listing.id, listing.seller_id) if listing is not None else None
    if found is None:
        return Done(False, f"no listing {code}")
    try:
        change(Change(found[1], found[0], "paused", paused), uow)
    except errors.DomainError as err:
        done = Done(False, f"listing {code} unchanged: {type(err).__name__}")
    else:
        done = Done(True, f"listing {code} {'paused' if paused else 'active again'}")
    return _audit(uow, operator, "pause_listing" if paused else "resume_listing", code, done, addr)


def run_ledger_check(uow: UnitOfWork, operator: OperatorView, addr: str | None) -> list[str]:
    """The ledger check (`flask ledger check`); returns its problems, none when all is well.
    It changes nothing, so viewers may run it too; it is audited all the same."""
    problems = ledger.check(uow)
    said = f"{len(problems)} problems" if problems else "the ledger balances"
    _audit(uow, operator, "ledger_check", "ledger", Done(not problems, said), addr)
    return problems


def resolve_payout(
    uow: UnitOfWork,
    operator: OperatorView,
    resolution: Resolution,
    said: PayoutReport | None,
    notices: Notices,
    now: datetime,
    addr: str | None,
) -> Done:
    """Settle an `unknown` payout as the operator says (paid with the provider's receipt, or
    failed) with `flask payments resolve-payout`'s rules: refused when the provider's own
    word (`said`) contradicts it.

    Raises:
        ViewerCannotAct.
    """
    _acting(operator)
    payout_id = resolution.payout_id
    if resolution.paid and not resolution.receipt:
        return Done(False, "a paid payout needs the provider's receipt")
    try:
        resolved = resolutions.resolve_payout(uow, resolution, said, notices, now)
    except (errors.PayoutNotFound, errors.PayoutNotOpen) as err:
        done = Done(False, f"nothing to resolve: {err}")
    else:
        applied = resolved.verdict == "applied"
        said_so = f"payout {payout_id} resolved" if applied else f"payout {payout_id} refused"
        done = Done(applied, f"{said_so}: {resolved.detail} (the provider: {describe(said)})")
    return _audit(uow, operator, "resolve_payout", f"payout:{payout_id}", done, addr)
