"""A carrier event must be dated after its parcel was created and within CARRIER_EVENT_MAX_AGE:
a scan dated otherwise is judged refused and changes nothing; a malformed one is answered 400."""

from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from gateway.commerce.topics import PARCEL_SCAN
from gateway.store.models.outbox import OutboxItem
from tests.parcel_support import events
from tests.parcel_support import opened_before
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import scan
from tests.parcel_support import shipment
from tests.sms_support import rows


def _outbox(services) -> int:
    """Outbox rows other than kept scans' (work that a change leaves)."""
    return len([row for row in rows(services, OutboxItem) if row.topic != PARCEL_SCAN])


def test_an_event_dated_before_the_parcel_existed_is_refused(services, client):
    ref = paid_parcel(services)
    opened_before(services, ref, timedelta(hours=2))
    before = _outbox(services)
    early = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    verdict = scan(services, client, tracking_ref=ref, status="picked_up", occurred_at=early)
    assert verdict == "before_shipment"
    assert [e.status for e in events(services, ref)] == ["created"]
    assert shipment(services, ref).status == "created" and _outbox(services) == before


def test_an_event_older_than_the_configured_age_is_refused(services, client):
    ref = paid_parcel(services)
    opened_before(services, ref, timedelta(days=60))
    old = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    assert (
        scan(services, client, tracking_ref=ref, status="picked_up", occurred_at=old) == "too_old"
    )
    assert [e.status for e in events(services, ref)] == ["created"]

    original = services.settings
    services.settings = replace(original, CARRIER_EVENT_MAX_AGE=40 * 86400)
    services.__dict__.pop("deps", None)
    try:
        verdict = scan(services, client, tracking_ref=ref, status="picked_up", occurred_at=old)
    finally:
        services.settings = original
        services.__dict__.pop("deps", None)
    assert verdict == "applied"


def test_a_signed_event_with_a_nul_in_its_tracking_ref_is_refused_and_changes_nothing(
    services, client
):
    ref = paid_parcel(services)
    before = _outbox(services)
    answer = post_event(client, tracking_ref=f"{ref}\x00", status="picked_up")
    assert (answer.status_code, answer.json) == (
        400,
        {"error": "tracking_ref contains a control character"},
    )
    assert [e.status for e in events(services, ref)] == ["created"]
    assert _outbox(services) == before
