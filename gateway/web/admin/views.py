"""The /admin pages: the overview, the USSD drop-off, and the lists (read-only)."""

from __future__ import annotations

from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from gateway.commerce.operators.audit import trail
from gateway.commerce.orders.states import STATES as ORDER_STATES
from gateway.commerce.parcels.states import PARCEL
from gateway.commerce.payments.payout_states import STATES as PAYOUT_STATES
from gateway.commerce.payments.states import STATES as PAYMENT_STATES
from gateway.commerce.reports import lists
from gateway.commerce.reports.dropoff import dropoff as dropoff_report
from gateway.commerce.reports.overview import last_days
from gateway.commerce.reports.overview import overview as overview_report
from gateway.commerce.topics import QUEUES
from gateway.current import services
from gateway.store.models.messages import MESSAGE_KINDS
from gateway.store.models.messages import MESSAGE_STATUSES
from gateway.store.models.payments import CALLBACK_VERDICTS
from gateway.store.queue_depths import depths
from gateway.store.repositories.reports import Page
from gateway.web.admin import charts
from gateway.web.admin.auth import me
from gateway.web.admin.auth import viewing
from gateway.web.admin.blueprint import bp
from gateway.web.admin.forms import ActionForm
from gateway.web.admin.forms import PauseForm
from gateway.web.admin.forms import ResolveForm
from gateway.web.admin.forms import RetryForm

PER_PAGE = 50


def _page() -> Page:
    """The list's page, search and filters from the query string."""
    args = request.args
    number = args.get("page", "1")
    at = max(int(number), 1) if number.isdigit() else 1
    return Page(
        limit=PER_PAGE,
        offset=(at - 1) * PER_PAGE,
        search=args.get("q", "").strip()[:40],
        status=args.get("status", "").strip()[:20],
        kind=args.get("kind", "").strip()[:20],
    )


def render_page(template: str, **values: object) -> ResponseReturnValue:
    page = _page()
    return render_template(
        template,
        me=me(),
        page=page,
        page_number=page.offset // PER_PAGE + 1,
        per_page=PER_PAGE,
        action=ActionForm(),
        **values,
    )


@bp.get("/")
@viewing
def overview() -> ResponseReturnValue:
    """Orders and GMV per day, payment success, SMS delivery, parcels, queues, dead letters."""
    svc = services()
    report = overview_report(svc.uow(), svc.clock())
    drawn = {
        "orders": charts.per_day("Orders per day", report.days, report.orders),
        "gmv": charts.line_per_day(
            "GMV per day (paid orders, major units)", report.days, report.gmv
        ),
        "payments": charts.rates(
            "Payment success per provider", [(p.provider, p.rate) for p in report.payments]
        ),
        "sms": charts.per_day(
            "SMS per day", report.days, [report.sms_delivered, report.sms_undelivered]
        ),
        "segments": charts.per_day("SMS segments per day", report.days, [report.sms_segments]),
        "parcels": charts.counts("Parcels by status", report.parcels),
    }
    return render_page(
        "admin/overview.html",
        report=report,
        charts=drawn,
        queues=depths(svc.connections.redis, QUEUES),
        dead=lists.dead_letters(svc.uow(), 10),
        retry=RetryForm(),
    )


@bp.get("/dropoff")
@viewing
def dropoff() -> ResponseReturnValue:
    """Where USSD sessions stop: per screen, language and day."""
    svc = services()
    day = request.args.get("day") or None
    report = dropoff_report(svc.uow(), svc.clock(), day if day and len(day) == 10 else None)
    chart = charts.dropoff(report.screens, report.languages, report.stops)
    every = list(reversed(last_days(svc.clock())))
    return render_page(
        "admin/dropoff.html", report=report, chart=chart, day=day or "", all_days=every
    )


@bp.get("/orders")
@viewing
def orders() -> ResponseReturnValue:
    rows = lists.orders(services().uow(), _page())
    return render_page("admin/orders.html", rows=rows, statuses=ORDER_STATES)


@bp.get("/payments")
@viewing
def payments() -> ResponseReturnValue:
    """Every payment attempt, and every callback with its verdict."""
    svc = services()
    return render_page(
        "admin/payments.html",
        rows=lists.payments(svc.uow(), _page()),
        callbacks=lists.callbacks(svc.uow(), Page(limit=PER_PAGE, search=_page().search)),
        statuses=PAYMENT_STATES,
        verdicts=CALLBACK_VERDICTS,
    )


@bp.get("/payouts")
@viewing
def payouts() -> ResponseReturnValue:
    return render_page(
        "admin/payouts.html",
        rows=lists.payouts(services().uow(), _page()),
        statuses=PAYOUT_STATES,
        resolve=ResolveForm(),
    )


@bp.get("/contested")
@viewing
def contested() -> ResponseReturnValue:
    """Callbacks the provider's own status query contradicted, or that did not match."""
    return render_page("admin/contested.html", rows=lists.contested(services().uow(), _page()))


@bp.get("/sms")
@viewing
def sms() -> ResponseReturnValue:
    return render_page(
        "admin/sms.html",
        rows=lists.sms(services().uow(), _page()),
        statuses=MESSAGE_STATUSES,
        kinds=MESSAGE_KINDS,
    )


@bp.get("/parcels")
@viewing
def parcels() -> ResponseReturnValue:
    return render_page(
        "admin/parcels.html", rows=lists.parcels(services().uow(), _page()), statuses=PARCEL.states
    )


@bp.get("/agents")
@viewing
def agents() -> ResponseReturnValue:
    return render_page("admin/agents.html", rows=lists.agents(services().uow(), _page()))


@bp.get("/agents/<int:agent_id>")
@viewing
def agent(agent_id: int) -> ResponseReturnValue:
    """One agent's audit trail."""
    return render_page(
        "admin/agent.html", agent_id=agent_id, rows=lists.agent_trail(services().uow(), agent_id)
    )


@bp.get("/sellers")
@viewing
def sellers() -> ResponseReturnValue:
    return render_page("admin/sellers.html", rows=lists.sellers(services().uow(), _page()))


@bp.get("/sellers/<int:seller_id>")
@viewing
def seller(seller_id: int) -> ResponseReturnValue:
    """A seller's listings, each with a pause (or resume) button for operators."""
    return render_page(
        "admin/seller.html",
        seller_id=seller_id,
        rows=lists.listings_of(services().uow(), seller_id),
        pause=PauseForm(),
    )


@bp.get("/dead")
@viewing
def dead() -> ResponseReturnValue:
    """Outbox rows that failed for good, each with a retry button for operators."""
    return render_page(
        "admin/dead.html", dead=lists.dead_letters(services().uow(), PER_PAGE), retry=RetryForm()
    )


@bp.get("/audit")
@viewing
def audit() -> ResponseReturnValue:
    """What operators did, newest first."""
    return render_page("admin/audit.html", rows=trail(services().uow()))


@bp.get("/ledger")
@viewing
def ledger() -> ResponseReturnValue:
    return render_page("admin/ledger.html", problems=None)
