"""The carriers' inbox: tracking scans kept as they arrive, found while waiting, and judged."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from typing import cast

from sqlalchemy import JSON
from sqlalchemy import ColumnElement
from sqlalchemy import Select
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import bindparam
from sqlalchemy import cast as sql_cast
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from config.logs import REQUEST_ID_KEY
from config.logs import request_id
from gateway.store.lone import Lone
from gateway.store.models.outbox import OutboxItem
from gateway.store.models.shipments import QueuedCarrierEvent

DUPLICATE = "duplicate"
INBOX_ID = "inbox_id"
"""The payload key of the outbox row that wakes the judge of a kept scan."""


class CarrierInbox:
    """Scans waiting for a worker's judgement, and their verdicts once judged."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def keep(self, scan: dict[str, Any], topic: str) -> bool:
        """Store `scan` (its columns) and an outbox row of `topic` whose payload names it (and
        the request id); False, and nothing written, when the carrier's `event_id` is kept
        already. One statement on PostgreSQL; elsewhere two in the caller's transaction."""
        rid, now = request_id(), scan["received_at"]
        if self.session.get_bind().dialect.name == "postgresql":
            params = {f"scan_{name}": scan[name] for name in _KEPT_COLUMNS}
            params |= {"topic": topic, "request_id": rid}
            return bool(_KEEP.scalar(self.session, params))
        table = cast(Table, QueuedCarrierEvent.__table__)
        kept = sqlite.insert(table).on_conflict_do_nothing(index_elements=_UNIQUE)
        scan_id = self.session.execute(kept.returning(table.c.id), scan).scalar()
        if scan_id is None:
            return False
        payload = {INBOX_ID: scan_id} | ({REQUEST_ID_KEY: rid} if rid is not None else {})
        row = {"topic": topic, "payload": payload, "status": "pending", "attempts": 0}
        self.session.execute(insert(OutboxItem), row | {"available_at": now, "created_at": now})
        return True

    def waiting(self, scan_ids: Sequence[int]) -> list[QueuedCarrierEvent]:
        """The scans among `scan_ids` not judged yet, in the order they arrived."""
        query = select(QueuedCarrierEvent).where(
            QueuedCarrierEvent.id.in_(scan_ids), QueuedCarrierEvent.judged_at.is_(None)
        )
        return list(self.session.scalars(query.order_by(QueuedCarrierEvent.id)))

    def waiting_for(self, carrier: str, tracking_ref: str) -> list[QueuedCarrierEvent]:
        """A carrier's scans of one tracking reference not judged yet, in the order they arrived."""
        query = select(QueuedCarrierEvent).where(
            QueuedCarrierEvent.carrier == carrier,
            QueuedCarrierEvent.tracking_ref == tracking_ref,
            QueuedCarrierEvent.judged_at.is_(None),
        )
        return list(self.session.scalars(query.order_by(QueuedCarrierEvent.id)))

    def judged(self, verdicts: Mapping[int, str], now: datetime) -> None:
        """Keep each scan's verdict (by scan id), one statement a verdict. Two judges of one
        scan (a worker, and the catch-up before an event on the spot) find it applied and a
        duplicate: `duplicate` never replaces a verdict, and any other replaces it."""
        by_verdict: dict[str, list[int]] = defaultdict(list)
        for scan_id, verdict in verdicts.items():
            by_verdict[verdict].append(scan_id)
        for verdict, scan_ids in by_verdict.items():
            open_to: ColumnElement[bool] = QueuedCarrierEvent.judged_at.is_(None)
            if verdict != DUPLICATE:
                open_to = or_(open_to, QueuedCarrierEvent.verdict == DUPLICATE)
            self.session.execute(
                update(QueuedCarrierEvent)
                .where(QueuedCarrierEvent.id.in_(scan_ids), open_to)
                .values(verdict=verdict, judged_at=now)
                .execution_options(synchronize_session=False)
            )


_UNIQUE = ("carrier", "event_id")
_KEPT_COLUMNS = tuple(
    c.name
    for c in QueuedCarrierEvent.__table__.columns
    if c.name not in ("id", "judged_at", "verdict")
)
"""What `keep` stores of a scan (the rest is the judge's)."""


def _keep() -> Select[Any]:
    """`CarrierInbox.keep`'s statement on PostgreSQL: the scan stored unless kept before, and
    then its outbox row; how many outbox rows (0 or 1). The payload is built in SQL, so
    nothing is encoded as JSON here."""
    table = cast(Table, QueuedCarrierEvent.__table__)
    values = {name: bindparam(f"scan_{name}", type_=table.c[name].type) for name in _KEPT_COLUMNS}
    stored = (
        postgresql.insert(table)
        .values(values)
        .on_conflict_do_nothing(index_elements=_UNIQUE)
        .returning(table.c.id, table.c.received_at)
        .cte("stored")
    )
    payload = func.json_strip_nulls(
        func.json_build_object(
            INBOX_ID, stored.c.id, REQUEST_ID_KEY, bindparam("request_id", type_=String)
        )
    )
    outbox = cast(Table, OutboxItem.__table__)
    row = select(
        bindparam("topic", type_=outbox.c.topic.type),
        sql_cast(payload, JSON),
        literal("pending"),
        literal(0),
        stored.c.received_at,
        stored.c.received_at,
    ).select_from(stored)
    noted = (
        postgresql.insert(outbox)
        .from_select(["topic", "payload", "status", "attempts", "available_at", "created_at"], row)
        .returning(outbox.c.id)
        .cte("noted")
    )
    return select(func.count()).select_from(noted)


_KEEP = Lone(_keep())
"""Built once (building a statement costs more than running it); alone in autocommit, as the
webhook runs it, straight on a pooled connection."""
