"""What a carrier event and a delivery report cost, counted: SQL statements per request.

The statements of each request are counted (SQLAlchemy `before_cursor_execute`, as for the hop
in `test_hop_cost`) and held under a bound. On PostgreSQL a carrier's scan is kept with its
outbox row in one statement in autocommit (no BEGIN or COMMIT round trips); elsewhere in two,
in one transaction. Judging it, a worker reads it, records it (read in one statement and
written in another on PostgreSQL) and keeps its verdict. A delivery report for one of our
messages is one statement that PostgreSQL runs in autocommit, and two in one transaction
elsewhere.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select

from gateway.commerce.parcels.inbox import judge_kept
from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsMessage
from gateway.store.models.shipments import QueuedCarrierEvent
from tests.faults.support import POSTGRES
from tests.integration.test_hop_cost import Counts
from tests.integration.test_hop_cost import counted  # noqa: F401  (the counting fixture)
from tests.parcel_support import paid_parcel
from tests.parcel_support import post_event
from tests.parcel_support import scan
from tests.parcel_support import shipment
from tests.sms_support import rows
from tests.sms_support import sent_message

MAX_SCAN_SQL = {"queued": 1, "duplicate": 1} if POSTGRES else {"queued": 2, "duplicate": 1}
"""On PostgreSQL the scan and its outbox row in one statement; elsewhere the scan, then the
row; a scan kept before stops after the first."""
JUDGING_SQL = 2
"""Reading the scans waiting, and keeping their verdicts (one statement a verdict)."""
MAX_EVENT_SQL = (
    {"applied": 2, "history": 2, "duplicate": 1}
    if POSTGRES
    else {"applied": 6, "history": 5, "duplicate": 2}
)
"""Recording a scan. On PostgreSQL: the parcel read with its events around the event's time
and an earlier receipt, then the event, the parcel and the outbox row written in one
statement; a duplicate stops after the read. Elsewhere: the parcel found and locked, an
earlier receipt looked for, the events around its time read, the event stored, the parcel
and one outbox row written; a late event stores itself and moves the parcel's version; a
duplicate stops after the look."""


def _posted(services, client, counts: Counts, **fields) -> tuple[str, int, str, int]:
    """(the answer's result, its statements, the verdict, the judging's statements)."""
    counts.sql, counts.in_transaction, counts.statements = 0, 0, []
    answer = post_event(client, **fields)
    assert answer.status_code == 202, answer.get_data(as_text=True)
    assert not POSTGRES or not counts.in_transaction, "a scan was kept inside BEGIN ... COMMIT"
    kept = counts.sql
    with services.uow() as uow:
        wanted = select(QueuedCarrierEvent.id).where(
            QueuedCarrierEvent.event_id == answer.json["event_id"]
        )
        scan_id = uow.session.scalar(wanted)
    counts.sql = 0
    [verdict] = judge_kept(services.uow(), services.deps.parcel_rules, [scan_id]).values() or [
        "duplicate"
    ]
    return answer.get_json()["result"], kept, verdict, counts.sql


def test_a_carrier_event_costs_a_few_statements(services, client, counted):  # noqa: F811
    ref = paid_parcel(services)
    now = datetime.now(UTC)
    early = (now - timedelta(hours=2)).isoformat()
    scan(services, client, tracking_ref=ref, status="picked_up", occurred_at=early)
    applied = _posted(
        services, client, counted, tracking_ref=ref, status="in_transit", event_id="sb-1"
    )
    late = (now - timedelta(hours=1)).isoformat()
    history = _posted(
        services, client, counted, tracking_ref=ref, status="in_transit", occurred_at=late
    )
    twice = {"tracking_ref": ref, "status": "picked_up", "event_id": "sb-2", "occurred_at": late}
    scan(services, client, **twice)
    again = _posted(services, client, counted, **twice)
    assert [applied[0], history[0], again[0]] == ["queued", "queued", "duplicate"]
    assert [applied[2], history[2], again[2]] == ["applied", "history", "duplicate"]
    assert applied[1] <= MAX_SCAN_SQL["queued"] and again[1] <= MAX_SCAN_SQL["duplicate"]
    assert applied[3] <= JUDGING_SQL + MAX_EVENT_SQL["applied"], counted.statements
    assert history[3] <= JUDGING_SQL + MAX_EVENT_SQL["history"], counted.statements
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
