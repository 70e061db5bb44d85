"""A carrier event must be dated after its parcel was created and within CARRIER_EVENT_MAX_AGE;
anything else is refused with 400 and changes nothing."""

from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from gateway.store.models.outbox import OutboxItem
from tests.parcel_support import events
from tests.parcel_support import opened_before
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import shipment
from tests.sms_support import rows


def _outbox(services) -> int:
    return len(rows(services, OutboxItem))


def test_an_event_dated_before_the_parcel_existed_is_refused(services, client):
    ref = paid_parcel(services)
    opened_before(services, ref, timedelta(hours=2))
    before = _outbox(services)
    answer = post_event(
        client,
        tracking_ref=ref,
        status="picked_up",
        occurred_at=(datetime.now(UTC) - timedelta(hours=3)).isoformat(),
    )
    assert answer.status_code == 400
    assert answer.json["error"] == "occurred_at is before the shipment was created"
    assert [e.status for e in events(services, ref)] == ["created"]
    assert shipment(services, ref).status == "created" and _outbox(services) == before


def test_an_event_older_than_the_configured_age_is_refused(services, client):
    ref = paid_parcel(services)
    opened_before(services, ref, timedelta(days=60))
    old = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    answer = post_event(client, tracking_ref=ref, status="picked_up", occurred_at=old)
    assert answer.status_code == 400
    assert answer.json["error"] == "occurred_at is older than CARRIER_EVENT_MAX_AGE"
    assert [e.status for e in events(services, ref)] == ["created"]

    original = services.settings
    services.settings = replace(original, CARRIER_EVENT_MAX_AGE=40 * 86400)
    services.__dict__.pop("deps", None)
    try:
        answer = post_event(client, tracking_ref=ref, status="picked_up", occurred_at=old)
    finally:
        services.settings = original
        services.__dict__.pop("deps", None)
    assert answer.status_code == 200 and answer.json["result"] == "applied"


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
