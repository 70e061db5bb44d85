"""Carriers' tracking scans: kept in one statement and answered 202, judged by a worker as of
when they arrived; a delivery judged on the spot first has its parcel's waiting scans judged."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from gateway.bootstrap import Services
from gateway.commerce.parcels import inbox
from gateway.commerce.topics import INBOUND
from gateway.commerce.topics import PARCEL_SCAN
from gateway.store.counters import Counters
from gateway.store.models.outbox import OutboxItem
from gateway.store.models.shipments import QueuedCarrierEvent
from tests.parcel_support import events
from tests.parcel_support import opened_before
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import shipment
from tests.parcel_support import verdicts
from tests.sms_support import rows
from workers.outbox import run_batch


def test_a_scan_is_kept_answered_at_once_and_changes_the_parcel_only_when_judged(
    services: Services, client, run_outbox
) -> None:
    ref = paid_parcel(services)
    answer = post_event(client, tracking_ref=ref, status="in_transit", event_id="sb-1")
    assert (answer.status_code, answer.json) == (202, {"result": "queued", "event_id": "sb-1"})
    again = post_event(client, tracking_ref=ref, status="in_transit", event_id="sb-1")
    assert (again.status_code, again.json["result"]) == (202, "duplicate")
    assert shipment(services, ref).status == "created"
    [kept] = rows(services, QueuedCarrierEvent)
    assert (kept.tracking_ref, kept.status, kept.verdict, kept.judged_at) == (
        ref,
        "in_transit",
        None,
        None,
    )
    noted = [row.payload for row in rows(services, OutboxItem) if row.topic == PARCEL_SCAN]
    assert [payload["inbox_id"] for payload in noted] == [kept.id]
    assert run_batch(services, INBOUND) == ["done"]
    assert shipment(services, ref).status == "in_transit"
    assert verdicts(services) == {"sb-1": "applied"}
    counts = {c.labels.get("verdict"): c.value for c in Counters(services.connections.redis).all()}
    assert counts.get("applied") == 1
    run_outbox()
    assert [e.status for e in events(services, ref)] == ["created", "in_transit"]


def test_scans_refused_or_about_no_parcel_keep_their_verdict_and_change_nothing(
    services: Services, client
) -> None:
    ref = paid_parcel(services)
    opened_before(services, ref, timedelta(days=60))
    post_event(client, tracking_ref=ref, status="returned", event_id="sb-r")
    post_event(client, tracking_ref="NOSUCH", status="in_transit", event_id="sb-n")
    old = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    post_event(client, tracking_ref=ref, status="in_transit", occurred_at=old, event_id="sb-o")
    run_batch(services, INBOUND)
    assert verdicts(services) == {"sb-r": "illegal", "sb-n": "unknown_parcel", "sb-o": "too_old"}
    assert [e.status for e in events(services, ref)] == ["created"]


def test_forged_and_malformed_scans_are_never_kept(services: Services, client) -> None:
    ref = paid_parcel(services)
    forged = post_event(client, secret="guessed", tracking_ref=ref, status="in_transit")
    malformed = post_event(client, tracking_ref=ref, status="teleported")
    assert (forged.status_code, malformed.status_code) == (401, 400)
    assert rows(services, QueuedCarrierEvent) == []
    assert [row for row in rows(services, OutboxItem) if row.topic == PARCEL_SCAN] == []


def test_a_delivery_first_has_its_parcels_waiting_scans_judged(services: Services, client) -> None:
    ref = paid_parcel(services)
    assert post_event(client, tracking_ref=ref, status="out_for_delivery").status_code == 202
    wrong = post_event(client, tracking_ref=ref, status="delivered", delivery_code="000000")
    # Judged after the scan: a wrong code for a parcel out for delivery, not an illegal step.
    assert (wrong.status_code, wrong.json["error"]) == (409, "wrong or missing delivery_code")
    assert shipment(services, ref).status == "out_for_delivery"
    assert list(verdicts(services).values()) == ["applied"]
    assert run_batch(services, INBOUND) == ["done"]  # its row finds it judged already
    assert [e.status for e in events(services, ref)] == ["created", "out_for_delivery"]


def test_a_failure_midway_keeps_the_verdicts_reached_before_it(
    services: Services, client, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = paid_parcel(services)
    for n in (1, 2):
        post_event(client, tracking_ref=ref, status="in_transit", event_id=f"sb-{n}")
    real, calls = inbox.record_event, []

    def second_fails(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(inbox, "record_event", second_fails)
    with services.uow() as uow:
        kept = [scan.id for scan in uow.inbox.waiting_for("swiftbox", ref)]
    with pytest.raises(RuntimeError):
        inbox.judge_kept(services.uow(), services.deps.parcel_rules, kept)
    assert verdicts(services) == {"sb-1": "applied", "sb-2": None}
