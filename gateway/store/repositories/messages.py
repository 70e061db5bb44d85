"""SMS: outgoing messages and their batches, inbound messages, opt-outs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsInbound
from gateway.store.models.messages import SmsMessage
from gateway.store.models.messages import SmsOptOut


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
