"""/admin as an operator uses it: created on the command line, signed in (CSRF on every form,
lockout after wrong passwords), the overview drawn as SVG without a script or a CDN, lists
with search and filters, and actions that go through the domain and leave audit rows; a
viewer looks and changes nothing."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import select

from gateway.store.models.catalog import Listing
from gateway.store.models.operators import Operator as OperatorRow
from gateway.store.models.operators import OperatorAction
from gateway.store.models.outbox import OutboxItem
from gateway.store.models.payments import Payout
from gateway.store.models.people import Person
from tests.admin_support import PASSWORD
from tests.admin_support import Operator
from tests.admin_support import create_user
from tests.admin_support import signed_in
from tests.payment_support import kenyan_order
from tests.payment_support import the_order

pytestmark = pytest.mark.usefixtures("sandbox_only")


def _audit(services) -> list[tuple[str, str | None]]:
    with services.uow() as uow:
        rows = uow.session.scalars(select(OperatorAction).order_by(OperatorAction.id))
        return [(row.action, row.target) for row in rows]


def _dead_row(services, topic: str = "sms.send") -> int:
    with services.uow() as uow:
        item = OutboxItem(
            topic=topic,
            payload={"message_id": 999999},
            status="dead",
            attempts=6,
            last_error="FinalError: gave up",
        )
        uow.session.add(item)
        uow.commit()
        return item.id


def test_create_user_prompts_for_the_password_and_keeps_only_its_argon2_hash(app, services):
    result = create_user(app, "Amina@Sokoni.example", "viewer")
    assert result.exit_code == 0, result.output
    assert re.search(r"operator \d+ created: amina@sokoni.example \(viewer\)", result.output)
    with services.uow() as uow:
        row = uow.session.scalars(select(OperatorRow)).one()
    assert row.password_hash.startswith("$argon2") and PASSWORD not in row.password_hash
    assert create_user(app, "amina@sokoni.example").exit_code == 1
    assert "refused" in create_user(app, "weak@sokoni.example", password="short").output


def test_pages_ask_to_sign_in_and_a_form_without_its_csrf_token_is_refused(app, services):
    client = app.test_client()
    assert client.get("/admin/").headers["Location"].startswith("/admin/login")
    assert create_user(app, "otieno@sokoni.example").exit_code == 0
    answer = client.post(
        "/admin/login", data={"email": "otieno@sokoni.example", "password": PASSWORD}
    )
    assert answer.status_code == 400
    assert ("sign_in", "operator:1") not in _audit(services)


def test_repeated_wrong_passwords_lock_the_account_even_against_the_right_one(app, services):
    assert create_user(app, "wanjiru@sokoni.example").exit_code == 0
    operator = Operator(app.test_client())
    for _ in range(services.settings.ADMIN_LOCKOUT_TRIES):
        page = operator.sign_in("wanjiru@sokoni.example", "not the password at all")
    assert "locked" in page.get_data(as_text=True)
    refused = operator.sign_in("wanjiru@sokoni.example").get_data(as_text=True)
    assert "locked" in refused and "Overview" not in refused
    actions = [action for action, _ in _audit(services)]
    assert actions.count("sign_in_failed") == services.settings.ADMIN_LOCKOUT_TRIES
    assert actions[-1] == "sign_in_locked"


def test_the_overview_draws_its_charts_as_svg_with_no_script_and_nothing_from_elsewhere(
    app, services, run_outbox
):
    kenyan_order(services)
    run_outbox()
    operator = signed_in(app, "nakato@sokoni.example", "viewer")
    response = operator.client.get("/admin/")
    page = response.get_data(as_text=True)
    assert page.count("<svg") >= 6
    for title in ("Orders per day", "GMV per day", "Payment success per provider", "SMS per day"):
        assert title in page
    assert "<script" not in page
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_lists_search_and_filter(app, services, run_outbox):
    order_id, buyer = kenyan_order(services)
    run_outbox()
    ref = the_order(services, order_id).ref
    operator = signed_in(app, "uwase@sokoni.example", "viewer")
    assert ref in operator.get(f"/admin/orders?q={ref}")
    assert ref not in operator.get("/admin/orders?status=delivered")
    assert ref in operator.get("/admin/payments?kind=sandbox")
    assert buyer in operator.get("/admin/sms?q=0301")
    for page in (
        "parcels",
        "contested",
        "agents",
        "sellers",
        "payouts",
        "dead",
        "audit",
        "dropoff",
    ):
        operator.get(f"/admin/{page}")


def test_a_viewer_cannot_retry_a_dead_letter_and_an_operator_can(app, services):
    item_id = _dead_row(services)
    viewer = signed_in(app, "banda@sokoni.example", "viewer")
    assert viewer.post("/admin/dead/retry", follow=False, item_id=item_id).status_code == 403
    operator = signed_in(app, "furaha@sokoni.example", "operator")
    assert "FinalError: gave up" in operator.get("/admin/dead")
    page = operator.post("/admin/dead/retry", item_id=item_id).get_data(as_text=True)
    assert f"outbox row {item_id} (sms.send) queued again" in page
    with services.uow() as uow:
        row = uow.outbox.one(item_id)
    assert (row.status, row.attempts) == ("pending", 0)
    assert ("retry_dead_letter", f"outbox:{item_id}") in _audit(services)
    again = operator.post("/admin/dead/retry", item_id=item_id).get_data(as_text=True)
    assert "is not dead; nothing changed" in again


def test_an_operator_pauses_a_listing_as_its_seller_would(app, services, run_outbox):
    kenyan_order(services)
    with services.uow() as uow:
        listing = uow.session.scalars(select(Listing)).one()
        seller = listing.seller_id
    operator = signed_in(app, "mwale@sokoni.example")
    assert "Pause" in operator.get(f"/admin/sellers/{seller}")
    page = operator.post("/admin/listings/pause", code=listing.code, paused="y")
    assert f"listing {listing.code} paused" in page.get_data(as_text=True)
    with services.uow() as uow:
        assert uow.listings.by_code(listing.code).status == "paused"
    assert ("pause_listing", listing.code) in _audit(services)


def test_the_ledger_check_runs_from_the_page(app, services):
    operator = signed_in(app, "kato@sokoni.example", "viewer")
    page = operator.post("/admin/ledger/check").get_data(as_text=True)
    assert "The ledger balances" in page
    assert ("ledger_check", "ledger") in _audit(services)


def test_an_unknown_payout_is_resolved_as_the_provider_says_never_against_it(
    app, services, run_outbox
):
    order_id, _ = kenyan_order(services)
    with services.uow() as uow:
        seller = uow.session.scalars(select(Person).where(Person.name == "seller")).one()
        payout = Payout(
            key=f"seller:{order_id}",
            kind="seller",
            order_id=order_id,
            person_id=seller.id,
            phone=seller.phone,
            amount_minor=1000,
            currency="KES",
            provider="sandbox",
            status="unknown",
            request_key="7b0c1e9e-0000-4000-8000-000000000001",
            last_error="lost",
        )
        uow.session.add(payout)
        uow.commit()
    operator = signed_in(app, "chanda@sokoni.example")
    assert "Ask the provider" in operator.get("/admin/payouts?status=unknown")
    asked = operator.post(f"/admin/payouts/{payout.id}/ask").get_data(as_text=True)
    assert f"payout {payout.id}: failed, code NOT_FOUND" in asked
    without = operator.post(f"/admin/payouts/{payout.id}/resolve", result="paid")
    assert "needs the provider&#39;s receipt" in without.get_data(as_text=True)
    paid = operator.post(f"/admin/payouts/{payout.id}/resolve", result="paid", receipt="SBX123")
    assert f"payout {payout.id} refused: the provider says failed" in paid.get_data(as_text=True)
    with services.uow() as uow:
        assert uow.payouts.lock(payout.id).status == "unknown"
    failed = operator.post(f"/admin/payouts/{payout.id}/resolve", result="failed")
    assert f"payout {payout.id} resolved: payout is failed" in failed.get_data(as_text=True)
    with services.uow() as uow:
        assert uow.payouts.lock(payout.id).status == "failed"
    assert ("resolve_payout", f"payout:{payout.id}") in _audit(services)


def test_the_dropoff_chart_shows_where_sessions_ended(app, services, client):
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    for n, screen in enumerate(("buy.quantity", "buy.quantity", "sell.pin")):
        client.post(
            "/ussd/events",
            data={
                "sessionId": f"ATUid_drop{n}",
                "status": "Incomplete",
                "phoneNumber": "+254711000777",
                "hopsMetadata": f"home.main|{screen}",
                "date": now,
            },
        )
    operator = signed_in(app, "zawadi@sokoni.example", "viewer")
    page = operator.get("/admin/dropoff")
    assert "Sessions that ended on each screen" in page and "<svg" in page
    assert "buy.quantity" in page and "3 sessions stopped before the end" in page
