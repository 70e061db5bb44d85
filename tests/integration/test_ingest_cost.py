"""What a carrier event and a delivery report cost, counted: SQL statements per request.

The statements of each request are counted (SQLAlchemy `before_cursor_execute`, as for the hop
in `test_hop_cost`) and held under a bound. On PostgreSQL a carrier's event is read in one
statement and written in another, each in autocommit (no BEGIN or COMMIT round trips);
elsewhere it runs in one transaction. A delivery report for one of our messages is one
statement that PostgreSQL runs in autocommit, and two in one transaction elsewhere.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select

from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsMessage
from tests.faults.support import POSTGRES
from tests.integration.test_hop_cost import Counts
from tests.integration.test_hop_cost import counted  # noqa: F401  (the counting fixture)
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import shipment
from tests.sms_support import rows
from tests.sms_support import sent_message

MAX_EVENT_SQL = (
    {"applied": 2, "history": 2, "duplicate": 1}
    if POSTGRES
    else {"applied": 6, "history": 5, "duplicate": 2}
)
"""On PostgreSQL: the parcel read with its events around the event's time and an earlier
receipt, then the event, the parcel and the outbox row written in one statement; a duplicate
stops after the read. Elsewhere: the parcel found and locked, an earlier receipt looked for,
the events around its time read, the event stored, the parcel and one outbox row written; a
late event stores itself and moves the parcel's version; a duplicate stops after the look."""


def _posted(client, counts: Counts, **fields) -> tuple[str, int]:
    counts.sql, counts.in_transaction, counts.statements = 0, 0, []
    answer = post_event(client, **fields)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert not POSTGRES or not counts.in_transaction, "an event ran inside BEGIN ... COMMIT"
    return answer.get_json()["result"], counts.sql


def test_a_carrier_event_costs_a_few_statements(services, client, counted):  # noqa: F811
    ref = paid_parcel(services)
    now = datetime.now(UTC)
    post_event(
        client,
        tracking_ref=ref,
        status="picked_up",
        occurred_at=(now - timedelta(hours=2)).isoformat(),
    )
    applied = _posted(client, counted, tracking_ref=ref, status="in_transit", event_id="sb-1")
    late = (now - timedelta(hours=1)).isoformat()
    history = _posted(client, counted, tracking_ref=ref, status="in_transit", occurred_at=late)
    again = _posted(client, counted, tracking_ref=ref, status="in_transit", event_id="sb-1")
    assert [applied[0], history[0], again[0]] == ["applied", "history", "duplicate"]
    assert applied[1] <= MAX_EVENT_SQL["applied"], counted.statements
    assert history[1] <= MAX_EVENT_SQL["history"], counted.statements
    assert again[1] <= MAX_EVENT_SQL["duplicate"], counted.statements
    assert shipment(services, ref).status == "in_transit"


def test_a_delivery_report_costs_one_round_trip_and_still_never_undoes_delivered(
    services,
    client,
    counted,  # noqa: F811
):
    sent_message(services, "+254711000601", "ATXid_c1")
    spent, in_transaction = [], []
    for status in ("Buffered", "Success", "Buffered", "Failed"):
        counted.sql, counted.in_transaction = 0, 0
        form = {"id": "ATXid_c1", "status": status, "phoneNumber": "+254711000601"}
        assert client.post("/sms/delivery", data=form).status_code == 200
        spent.append(counted.sql)
        in_transaction.append(counted.in_transaction)
    assert max(spent) <= (1 if POSTGRES else 2), counted.statements
    assert not any(in_transaction), "PostgreSQL ran a delivery report inside BEGIN ... COMMIT"
    [message] = rows(services, SmsMessage)
    assert (message.status, message.delivery_status) == ("delivered", "Success")
    with services.uow() as uow:
        linked = uow.session.scalars(select(SmsDeliveryReport.message_id))
        assert list(linked) == [message.id] * 4
