"""SMS: outgoing messages and their batches, inbound messages, opt-outs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any
from typing import cast

from sqlalchemy import BindParameter
from sqlalchemy import Table
from sqlalchemy import Update
from sqlalchemy import bindparam
from sqlalchemy import insert
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from gateway.store.lone import Lone
from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsInbound
from gateway.store.models.messages import SmsMessage
from gateway.store.models.messages import SmsOptOut
from gateway.store.repositories.rows import lazy
from gateway.store.repositories.rows import lazy_commit
from gateway.store.repositories.rows import values_of

STILL_SENDING = ("sending", "unknown", "sent")
"""Statuses a report that is not final (Sent, Submitted, Buffered) still moves on from."""


class Sms:
    """Outgoing and inbound SMS, delivery reports and opt-outs."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: SmsMessage | SmsInbound | SmsDeliveryReport | SmsOptOut) -> None:
        self.add_all([row])

    def add_all(
        self, rows: Sequence[SmsMessage | SmsInbound | SmsDeliveryReport | SmsOptOut]
    ) -> None:
        """Add rows in one flush (one INSERT per table where the driver allows)."""
        self.session.add_all(rows)
        self.session.flush()

    def message(self, message_id: int) -> SmsMessage | None:
        return self.session.get(SmsMessage, message_id, populate_existing=True)

    def by_at_id(self, at_message_id: str) -> SmsMessage | None:
        return self.session.scalar(
            select(SmsMessage).where(SmsMessage.at_message_id == at_message_id)
        )

    def dedupe_key_taken(self, key: str) -> bool:
        query = select(SmsMessage.id).where(SmsMessage.dedupe_key == key)
        return self.session.scalar(query) is not None

    def opted_out(self, phone: str) -> bool:
        """The number's latest STOP/START says STOP."""
        latest = self.session.scalar(
            select(SmsOptOut.opted_out)
            .where(SmsOptOut.phone == phone)
            .order_by(SmsOptOut.id.desc())
            .limit(1)
        )
        return bool(latest)

    def messages(self, message_ids: Sequence[int]) -> list[SmsMessage]:
        query = select(SmsMessage).where(SmsMessage.id.in_(message_ids)).order_by(SmsMessage.id)
        return list(self.session.scalars(query.execution_options(populate_existing=True)))

    def claim(self, message_ids: Sequence[int], now: datetime) -> set[int]:
        """Mark the queued ones among `message_ids` as being sent (one more attempt); returns
        those this call took (another worker may have taken some first)."""
        if not message_ids:
            return set()
        taken = self.session.execute(
            update(SmsMessage)
            .where(SmsMessage.id.in_(message_ids), SmsMessage.status == "queued")
            .values(
                status="sending",
                attempts=SmsMessage.attempts + 1,
                attempted_at=now,
                updated_at=now,
            )
            .returning(SmsMessage.id)
            .execution_options(synchronize_session=False)
        )
        return set(taken.scalars())

    def name_batches(self, batch_of: dict[int, str]) -> None:
        """Write each claimed message's batch id (the call it goes out in)."""
        if batch_of:
            self.session.execute(
                update(SmsMessage),
                [{"id": message_id, "batch_id": b} for message_id, b in batch_of.items()],
            )

    def in_batch(self, batch_id: str) -> list[SmsMessage]:
        return self.in_batches([batch_id])

    def in_batches(self, batch_ids: Sequence[str]) -> list[SmsMessage]:
        query = select(SmsMessage).where(SmsMessage.batch_id.in_(batch_ids)).order_by(SmsMessage.id)
        return list(self.session.scalars(query.execution_options(populate_existing=True)))

    def add_report(self, report: SmsDeliveryReport) -> tuple[int, int | None]:
        """Store a delivery report, matched in the same statement to the message with its
        `at_message_id`; (the report's id, the message's id or None)."""
        params = {**values_of(report), "at_id": report.at_message_id}
        found = self.session.execute(_ADD_REPORT, params).one()
        return found[0], found[1]

    def add_matched_report(
        self, report: SmsDeliveryReport, values: dict[str, object], final: bool, now: datetime
    ) -> int | None:
        """Store a delivery report for the message with its `at_message_id` and write the
        report's `values` on that message (as `report_delivery` does): one statement on
        PostgreSQL. The message's id, or None, with nothing stored, if no message has that id."""
        params: dict[str, Any] = {f"report_{name}": getattr(report, name) for name in _REPORTED}
        params.update(values, updated_at=now)
        columns = tuple(sorted(values))
        if self.session.get_bind().dialect.name == "postgresql":
            statement = _add_matched_report(final, columns, lazy(self.session))
            return cast(int | None, statement.scalar(self.session, params))
        message_id = self.session.scalar(_STORE_MATCHED, params)
        if message_id is not None:
            self.report_delivery(message_id, values, final, now)
        return message_id

    def match_report(self, report_id: int, message_id: int, at_message_id: str) -> None:
        """Give a message its Africa's Talking id from a report that matched it another way."""
        self.session.execute(
            update(SmsMessage)
            .where(SmsMessage.id == message_id)
            .values(at_message_id=at_message_id)
        )
        self.session.execute(
            update(SmsDeliveryReport)
            .where(SmsDeliveryReport.id == report_id)
            .values(message_id=message_id)
        )

    def report_delivery(
        self, message_id: int, values: dict[str, object], final: bool, now: datetime
    ) -> None:
        """Write a delivery report's `values` on the message in one UPDATE, unless it is
        delivered already or, for a report that is not `final`, past being sent."""
        query = _report_delivery(final, tuple(sorted(values)))
        self.session.execute(query, {**values, "message_id": message_id, "updated_at": now})

    def unmatched_attempt(self, phone: str) -> SmsMessage | None:
        """The newest message to `phone` whose send was attempted but never recorded."""
        return self.session.scalar(
            select(SmsMessage)
            .where(
                SmsMessage.to == phone,
                SmsMessage.status.in_(("unknown", "sending")),
                SmsMessage.at_message_id.is_(None),
            )
            .order_by(SmsMessage.id.desc())
            .limit(1)
        )

    def inbound(self, inbound_id: int) -> SmsInbound | None:
        return self.session.get(SmsInbound, inbound_id, populate_existing=True)

    def inbound_many(self, inbound_ids: Sequence[int]) -> list[SmsInbound]:
        """The inbound messages among `inbound_ids` that are stored, oldest first."""
        query = select(SmsInbound).where(SmsInbound.id.in_(inbound_ids)).order_by(SmsInbound.id)
        return list(self.session.scalars(query.execution_options(populate_existing=True)))

    def add_inbound(self, row: SmsInbound) -> bool:
        """Store a received message as the first write of its transaction; False if its
        `at_id` is already stored (a retry), and then the transaction is rolled back. The
        unique `at_id` decides, so two requests racing with one message store it once."""
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            self.session.rollback()
            return False
        return True

    def settle_inbound(
        self, inbound_ids: Sequence[int], status: str, command: str | None, now: datetime
    ) -> set[int]:
        """Move received messages to `status`; returns those this call moved (something else
        may have settled some first)."""
        if not inbound_ids:
            return set()
        result = self.session.execute(
            update(SmsInbound)
            .where(SmsInbound.id.in_(inbound_ids), SmsInbound.status == "received")
            .values(status=status, command=command, handled_at=now)
            .returning(SmsInbound.id)
            .execution_options(synchronize_session=False)
        )
        return set(result.scalars())


def _add_report() -> ReturningInsert[int, int | None]:
    """`Sms.add_report`'s statement: the report's columns, and `:at_id` to match it by."""
    message = select(SmsMessage.id).where(SmsMessage.at_message_id == bindparam("at_id"))
    table = cast(Table, SmsDeliveryReport.__table__)
    stored = insert(table).values(message_id=message.scalar_subquery())
    return stored.returning(table.c.id, table.c.message_id)


_REPORTED = (
    "at_message_id",
    "status",
    "failure_reason",
    "phone",
    "network_code",
    "retry_count",
    "received_at",
)
"""What a delivery report row is given (bound as `report_<column>`)."""


def _store_matched() -> ReturningInsert[int]:
    """A delivery report stored only if a message has its `at_message_id`; that message's id."""
    table = cast(Table, SmsDeliveryReport.__table__)
    given = [bindparam(f"report_{name}", type_=table.c[name].type) for name in _REPORTED]
    matched = select(*given, SmsMessage.id).where(SmsMessage.at_message_id == given[0])
    stored = insert(table).from_select([*_REPORTED, "message_id"], matched)
    return stored.returning(table.c.message_id)


@cache
def _add_matched_report(final: bool, columns: tuple[str, ...], lazily: bool) -> Lone:
    """`Sms.add_matched_report`'s statement on PostgreSQL: the report stored, and the message it
    matched moved, by two data-modifying CTEs; `lazily` committed (`lazy_commit`: a report's
    status lost in a crash leaves its message as it was)."""
    stored = _STORE_MATCHED.cte("stored")
    moved = _moving(final, columns).where(SmsMessage.id == stored.c.message_id).cte("moved")
    query = select(stored.c.message_id).add_cte(moved)
    return Lone(query.where(lazy_commit()) if lazily else query)


@cache
def _report_delivery(final: bool, columns: tuple[str, ...]) -> Update:
    """`Sms.report_delivery`'s statement (one for each kind of report, built once a process)."""
    return _moving(final, columns).where(SmsMessage.id == bindparam("message_id"))


def _moving(final: bool, columns: tuple[str, ...]) -> Update:
    """An UPDATE of messages writing a delivery report's `columns`, unless the message is
    delivered already or, for a report that is not `final`, past being sent."""
    query = update(SmsMessage).where(SmsMessage.status != "delivered")
    if not final:
        still = [literal(status) for status in STILL_SENDING]  # fixed binds: no re-rendering
        query = query.where(SmsMessage.status.in_(still))
    written: dict[str, BindParameter[Any]] = {
        name: bindparam(name) for name in (*columns, "updated_at")
    }
    return query.values(written).execution_options(synchronize_session=False)


_ADD_REPORT = _add_report()
"""Built once: building a statement costs more than running it."""
_STORE_MATCHED = _store_matched()
