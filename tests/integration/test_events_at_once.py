"""A carrier's event recorded at once: read without a lock, judged, written only over the
version of the parcel it was judged on; anything else goes to the parcel's lock.

PostgreSQL writes such an event in one statement; elsewhere (and for deliveries, border
clearances, arrivals at a point, refusals and people's reports) the lock decides. Either way
the answers and the stored events are the same, also when events of one parcel race.
"""

from __future__ import annotations

import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from gateway.commerce.parcels.events import Report
from gateway.commerce.parcels.events import Rules
from gateway.commerce.parcels.events import record_event
from gateway.commerce.parcels.inbox import judge_kept
from gateway.commerce.parcels.states import Step
from gateway.commerce.parcels.states import replay
from gateway.store.models.outbox import OutboxItem
from gateway.store.models.shipments import ShipmentEvent
from tests.faults.support import POSTGRES
from tests.parcel_support import events
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import scan
from tests.parcel_support import shipment

RULES = Rules()
CYCLE = ("out_for_delivery", "failed_delivery", "in_transit")


def _carrier(ref: str, status: str, when: datetime, event_id: str) -> Report:
    return Report(ref, status, when, "carrier", "swiftbox", carrier="swiftbox", event_id=event_id)


def _changed_rows(services) -> int:
    with services.uow() as uow:
        query = select(func.count()).where(OutboxItem.topic == "parcel.changed")
        return uow.session.scalar(query.select_from(OutboxItem))


@pytest.mark.skipif(not POSTGRES, reason="the at-once write is PostgreSQL's")
def test_a_judgement_made_before_the_parcel_moved_writes_nothing(services):
    ref = paid_parcel(services)
    start = datetime.now(UTC) - timedelta(hours=3)
    record_event(_carrier(ref, "picked_up", start, "ev-1"), services.uow(), RULES)
    with services.uow().autocommit() as once:
        stale = once.shipments.seen(ref, "swiftbox", "ev-3", start + timedelta(hours=2))
    # a courier's report (a person's: recorded under the lock) lands in between
    moved = Report(ref, "in_transit", start + timedelta(hours=1), "ussd", "courier")
    record_event(moved, services.uow(), RULES, guard=lambda *_: None)
    late = _carrier(ref, "out_for_delivery", start + timedelta(hours=2), "ev-3")
    stale.shipment.status = "out_for_delivery"
    with services.uow().autocommit() as once:
        event = ShipmentEvent(shipment_id=stale.shipment.id, status="out_for_delivery")
        event.occurred_at, event.source, event.actor = late.occurred_at, "carrier", "swiftbox"
        event.carrier, event.event_id = "swiftbox", "ev-3"
        assert not once.shipments.write_seen(stale, event, None, datetime.now(UTC))
    assert [e.status for e in events(services, ref)] == ["created", "picked_up", "in_transit"]
    assert record_event(late, services.uow(), RULES).result == "applied"
    assert shipment(services, ref).status == "out_for_delivery"


@pytest.mark.skipif(not POSTGRES, reason="the at-once read is PostgreSQL's")
def test_the_at_once_read_finds_the_parcel_its_timeline_and_an_earlier_receipt(services):
    ref = paid_parcel(services)
    start = datetime.now(UTC) - timedelta(hours=3)
    record_event(_carrier(ref, "picked_up", start, "ev-1"), services.uow(), RULES)
    record_event(
        _carrier(ref, "in_transit", start + timedelta(hours=2), "ev-2"), services.uow(), RULES
    )
    with services.uow().autocommit() as once:
        seen = once.shipments.seen(ref.lower(), "swiftbox", "ev-2", start + timedelta(hours=1))
        assert once.shipments.seen("ZZZZZZ", "swiftbox", "ev-9", start) is None
    assert seen.shipment.ref == ref and seen.shipment.carrier == "swiftbox"
    assert [s.status for s in seen.timeline] == ["created", "picked_up", "in_transit"]
    assert seen.received is not None and seen.received.verdict is None
    with services.uow() as uow:
        assert seen.shipment.version == uow.shipments.find(ref).version


def test_events_of_one_parcel_racing_are_each_stored_once_and_fold_to_its_state(services, app):
    ref = paid_parcel(services)
    start = datetime.now(UTC) - timedelta(hours=5)
    client = app.test_client()
    scan(services, client, tracking_ref=ref, status="picked_up", occurred_at=start.isoformat())
    for k in range(24):
        when = start + timedelta(minutes=1 + k)
        scanned = post_event(
            client, tracking_ref=ref, status=CYCLE[k % 3], occurred_at=when.isoformat()
        )
        assert scanned.status_code == 202, scanned.get_data(as_text=True)
    with services.uow() as uow:
        kept = [row.id for row in uow.inbox.waiting_for("swiftbox", ref)]
    answers: list[str] = []

    def judge(thread: int) -> None:
        """Judge every fourth scan: four workers racing on one parcel."""
        for scan_id in kept[thread::4]:
            answers.extend(judge_kept(services.uow(), RULES, [scan_id]).values())

    threads = [threading.Thread(target=judge, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = events(services, ref)
    steps = [Step(e.status, e.occurred_at, e.id) for e in stored]
    assert len(answers) == 24
    assert len(stored) == 2 + answers.count("applied") + answers.count("history")
    assert shipment(services, ref).status == replay(steps).status
    assert not replay(steps).skipped, "a stored event is illegal where its time puts it"
    assert _changed_rows(services) == 1 + answers.count("applied")
