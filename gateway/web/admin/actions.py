"""What operators do from /admin (POST, CSRF-checked, audited): retry a dead letter, pause or
resume a listing, resolve an unknown payout after asking the provider, run the ledger check."""

from __future__ import annotations

from flask import flash
from flask import redirect
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from gateway.commerce.errors import PayoutNotFound
from gateway.commerce.operators import actions
from gateway.commerce.payments.resolutions import Resolution
from gateway.commerce.payments.resolutions import describe
from gateway.current import services
from gateway.web.admin.auth import acting
from gateway.web.admin.auth import me
from gateway.web.admin.auth import viewing
from gateway.web.admin.blueprint import bp
from gateway.web.admin.forms import ActionForm
from gateway.web.admin.forms import PauseForm
from gateway.web.admin.forms import ResolveForm
from gateway.web.admin.forms import RetryForm
from gateway.web.admin.views import render_page


def _said(done: actions.Done) -> None:
    flash(done.said, "ok" if done.ok else "error")


def _back(default: str) -> ResponseReturnValue:
    wanted = request.form.get("back", "")
    return redirect(wanted if wanted.startswith("/admin") and "//" not in wanted else default)


@bp.post("/dead/retry")
@acting
def retry() -> ResponseReturnValue:
    """Put a dead outbox row back to pending and queue it."""
    form = RetryForm()
    if form.validate_on_submit() and form.item_id.data is not None:
        svc = services()
        _said(
            actions.retry_dead_letter(
                svc.uow(), me(), form.item_id.data, svc.clock(), request.remote_addr
            )
        )
    return _back(url_for("admin.dead"))


@bp.post("/listings/pause")
@acting
def pause() -> ResponseReturnValue:
    """Pause (or resume) a listing."""
    form = PauseForm()
    if form.validate_on_submit() and form.code.data:
        done = actions.pause_listing(
            services().uow(), me(), form.code.data, bool(form.paused.data), request.remote_addr
        )
        _said(done)
    return _back(url_for("admin.sellers"))


@bp.post("/payouts/<int:payout_id>/ask")
@acting
def ask_provider(payout_id: int) -> ResponseReturnValue:
    """Ask the payout's provider how it went, where the provider can be asked."""
    if ActionForm().validate_on_submit():
        flash(_ask(payout_id), "ok")
    return redirect(url_for("admin.payouts", q=str(payout_id)))


def _ask(payout_id: int) -> str:
    """What the provider says of the payout, as `flask payments resolve-payout` asks it."""
    try:
        said, unreachable = services().payout_word(payout_id)
    except PayoutNotFound:
        return f"payout {payout_id}: never given to a provider; nothing to ask"
    return f"payout {payout_id}: " + "; ".join(filter(None, (unreachable, describe(said))))


@bp.post("/payouts/<int:payout_id>/resolve")
@acting
def resolve(payout_id: int) -> ResponseReturnValue:
    """Settle an `unknown` payout as the provider said: paid (with its receipt) or failed."""
    form = ResolveForm()
    if form.validate_on_submit():
        svc = services()
        operator = me()
        try:
            said, unreachable = svc.payout_word(payout_id)
        except PayoutNotFound:
            said, unreachable = None, None
        if unreachable:
            flash(unreachable, "error")
        paid = form.result.data == "paid"
        receipt = (form.receipt.data or "").strip() or None
        _said(
            actions.resolve_payout(
                svc.uow(),
                operator,
                Resolution(payout_id, paid, receipt if paid else None, operator.email),
                said,
                svc.deps.notices,
                svc.clock(),
                request.remote_addr,
            )
        )
    return redirect(url_for("admin.payouts", status="unknown"))


@bp.post("/ledger/check")
@viewing
def ledger_check() -> ResponseReturnValue:
    """Run the ledger check and show what it found (it changes nothing)."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.ledger"))
    problems = actions.run_ledger_check(services().uow(), me(), request.remote_addr)
    return render_page("admin/ledger.html", problems=problems)
