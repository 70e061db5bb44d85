"""Queries the domain needs, so `gateway.commerce` never writes SQL itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from datetime import timedelta

from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.store.models import AgentAction
from gateway.store.models import AgentConsent
from gateway.store.models import AgentInvite
from gateway.store.models import AgentPoint
from gateway.store.models import LedgerPosting
from gateway.store.models import LedgerTransaction
from gateway.store.models import Listing
from gateway.store.models import Order
from gateway.store.models import OutboxItem
from gateway.store.models import Payment
from gateway.store.models import PaymentCallback
from gateway.store.models import Payout
from gateway.store.models import Person
from gateway.store.models import Shipment
from gateway.store.models import ShipmentEvent
from gateway.store.models import SmsDeliveryReport
from gateway.store.models import SmsInbound
from gateway.store.models import SmsMessage
from gateway.store.models import SmsOptOut
from gateway.store.models import UssdSessionEvent


def _nearness(  # type: ignore[no-untyped-def]
    model: type[Listing] | type[AgentPoint], region: str | None, district: str | None
):
    """0 for the same district, 1 for the same region, 2 for elsewhere in the country."""
    return case(
        (model.district == (district or ""), 0),
        (model.region == (region or ""), 1),
        else_=2,
    )


def _orderable(country: str) -> tuple:  # type: ignore[type-arg]
    return (Listing.country == country, Listing.status == "active", Listing.stock > 0)


class People:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_phone(self, phone: str) -> Person | None:
        return self.session.scalar(select(Person).where(Person.phone == phone))

    def get(self, person_id: int) -> Person | None:
        return self.session.get(Person, person_id)

    def add(self, person: Person) -> Person:
        self.session.add(person)
        self.session.flush()
        return person

    def lock(self, person_id: int) -> Person | None:
        """The person, re-read and locked for update until the transaction ends."""
        return self.session.get(Person, person_id, with_for_update=True, populate_existing=True)


class Listings:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, listing_id: int) -> Listing | None:
        return self.session.get(Listing, listing_id)

    def by_code(self, code: str) -> Listing | None:
        return self.session.scalar(select(Listing).where(Listing.code == code))

    def add(self, listing: Listing) -> Listing:
        self.session.add(listing)
        self.session.flush()
        return listing

    def categories_in(self, country: str) -> list[str]:
        """Categories with something to buy in `country`."""
        rows = self.session.scalars(
            select(Listing.category)
            .where(Listing.country == country, Listing.status == "active", Listing.stock > 0)
            .distinct()
        )
        return sorted(rows)

    def browse(
        self, country: str, category: str, region: str | None, district: str | None, limit: int
    ) -> Sequence[Listing]:
        """Orderable listings, nearest first (same district, then region), then freshest."""
        nearness = _nearness(Listing, region, district)
        query = (
            select(Listing)
            .where(
                Listing.country == country,
                Listing.category == category,
                Listing.status == "active",
                Listing.stock > 0,
            )
            .order_by(nearness, Listing.created_at.desc(), Listing.id.desc())
            .limit(limit)
        )
        return self.session.scalars(query).all()

    def cheapest(self, country: str, name: str, place: str | None, limit: int) -> Sequence[Listing]:
        """Orderable listings whose name contains `name` (any case), in `place` if given."""
        query = select(Listing).where(
            Listing.country == country,
            Listing.status == "active",
            Listing.stock > 0,
            func.lower(Listing.name).contains(name.lower(), autoescape=True),
        )
        if place:
            query = query.where(
                or_(
                    func.lower(Listing.district) == place.lower(),
                    func.lower(Listing.region) == place.lower(),
                )
            )
        query = query.order_by(Listing.price_minor, Listing.created_at.desc(), Listing.id.desc())
        return self.session.scalars(query.limit(limit)).all()

    def usual_category(self, name: str) -> str | None:
        """The category most listings of this name (any case) are in, if any."""
        return self.session.scalar(
            select(Listing.category)
            .where(func.lower(Listing.name) == name.lower())
            .group_by(Listing.category)
            .order_by(func.count().desc(), Listing.category)
            .limit(1)
        )

    def of_seller(self, seller_id: int, limit: int) -> Sequence[Listing]:
        """A seller's listings, active ones first, newest first."""
        query = select(Listing).where(Listing.seller_id == seller_id)
        query = query.order_by(Listing.status, Listing.created_at.desc(), Listing.id.desc())
        return self.session.scalars(query.limit(limit)).all()

    def starting_with(
        self, country: str, prefix: str, region: str | None, district: str | None, limit: int
    ) -> Sequence[Listing]:
        """Orderable listings with a word of their folded name starting with `prefix`."""
        query = select(Listing).where(
            *_orderable(country),
            or_(
                Listing.search_name.startswith(prefix, autoescape=True),
                Listing.search_name.contains(" " + prefix, autoescape=True),
            ),
        )
        query = query.order_by(
            _nearness(Listing, region, district), Listing.created_at.desc(), Listing.id.desc()
        )
        return self.session.scalars(query.limit(limit)).all()

    def names_near(
        self, country: str, region: str | None, district: str | None, limit: int
    ) -> list[tuple[int, str]]:
        """`(id, folded name)` of the nearest and freshest orderable listings."""
        query = select(Listing.id, Listing.search_name).where(*_orderable(country))
        query = query.order_by(
            _nearness(Listing, region, district), Listing.created_at.desc(), Listing.id.desc()
        )
        return [(row_id, name) for row_id, name in self.session.execute(query.limit(limit))]

    def by_ids(self, ids: list[int]) -> list[Listing]:
        """The listings with these ids, in the order given."""
        found = self.session.scalars(select(Listing).where(Listing.id.in_(ids)))
        rows = {row.id: row for row in found}
        return [rows[i] for i in ids if i in rows]

    def reserve(self, listing_id: int, quantity: int) -> bool:
        """Take `quantity` from stock in one statement; False when not enough is left."""
        result = self.session.execute(
            update(Listing)
            .where(
                Listing.id == listing_id,
                Listing.status == "active",
                Listing.stock >= quantity,
            )
            .values(stock=Listing.stock - quantity)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


class Orders:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, order_id: int) -> Order | None:
        return self.session.get(Order, order_id)

    def latest_of_buyer(self, buyer_id: int, limit: int) -> Sequence[Order]:
        query = select(Order).where(Order.buyer_id == buyer_id)
        return self.session.scalars(query.order_by(Order.id.desc()).limit(limit)).all()

    def of_seller(self, seller_id: int, statuses: tuple[str, ...], limit: int) -> Sequence[Order]:
        """A seller's orders in `statuses`, oldest first (first come, first served)."""
        query = select(Order).where(Order.seller_id == seller_id, Order.status.in_(statuses))
        return self.session.scalars(query.order_by(Order.id).limit(limit)).all()

    def placed_by(self, agent_id: int) -> Sequence[Order]:
        """Orders an agent placed for other people."""
        query = select(Order).where(Order.placed_by_id == agent_id, Order.buyer_id != agent_id)
        return self.session.scalars(query.order_by(Order.id)).all()

    def add(self, order: Order) -> Order:
        self.session.add(order)
        self.session.flush()
        return order

    def by_ref(self, ref: str) -> Order | None:
        return self.session.scalar(select(Order).where(Order.ref == ref))

    def by_idempotency_key(self, key: str) -> Order | None:
        return self.session.scalar(select(Order).where(Order.idempotency_key == key))

    def ref_taken(self, ref: str) -> bool:
        return self.session.scalar(select(Order.id).where(Order.ref == ref)) is not None


class UssdEvents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_session(self, session_id: str) -> UssdSessionEvent | None:
        return self.session.scalar(
            select(UssdSessionEvent).where(UssdSessionEvent.session_id == session_id)
        )

    def add(self, event: UssdSessionEvent) -> None:
        self.session.add(event)
        self.session.flush()


class Outbox:
    """Rows of work to do after commit, claimed by one worker at a time under a lease."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, item_id: int, now: datetime, lease: timedelta) -> OutboxItem | None:
        """Take the row if it is due and nobody holds a live lease on it."""
        result = self.session.execute(
            update(OutboxItem)
            .where(
                OutboxItem.id == item_id,
                OutboxItem.status.in_(("pending", "running")),
                OutboxItem.available_at <= now,
            )
            .values(status="running", attempts=OutboxItem.attempts + 1, available_at=now + lease)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return None
        return self.session.get(OutboxItem, item_id, populate_existing=True)

    def get(self, item_id: int) -> OutboxItem | None:
        return self.session.get(OutboxItem, item_id)

    def due(self, now: datetime, limit: int) -> list[int]:
        """Ids of rows that should have run by now: never queued, or a worker died on them."""
        return list(
            self.session.scalars(
                select(OutboxItem.id)
                .where(
                    OutboxItem.status.in_(("pending", "running")), OutboxItem.available_at <= now
                )
                .order_by(OutboxItem.id)
                .limit(limit)
            )
        )

    def dead(self, limit: int) -> Sequence[OutboxItem]:
        return self.session.scalars(
            select(OutboxItem)
            .where(OutboxItem.status == "dead")
            .order_by(OutboxItem.id.desc())
            .limit(limit)
        ).all()


class Sms:
    """Outgoing and inbound SMS, delivery reports and opt-outs."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: SmsMessage | SmsInbound | SmsDeliveryReport | SmsOptOut) -> None:
        self.session.add(row)
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

    def claim_batch(
        self, lead: SmsMessage, batch_id: str, size: int, now: datetime
    ) -> list[SmsMessage]:
        """Mark `lead`, then other queued messages with its text (one per number), as being sent.

        Empty when another worker claimed `lead` first.
        """
        claim = dict(
            status="sending",
            batch_id=batch_id,
            attempts=SmsMessage.attempts + 1,
            attempted_at=now,
            updated_at=now,
        )
        taken = self.session.execute(
            update(SmsMessage)
            .where(SmsMessage.id == lead.id, SmsMessage.status == "queued")
            .values(**claim)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            return []
        rows = self.session.execute(
            select(SmsMessage.id, SmsMessage.to)
            .where(
                SmsMessage.status == "queued",
                SmsMessage.text_hash == lead.text_hash,
                SmsMessage.to != lead.to,
            )
            .order_by(SmsMessage.id)
            .limit(size * 2)
        ).all()
        ids: list[int] = []
        numbers = {lead.to}
        for row_id, to in rows:
            if len(ids) + 1 < size and to not in numbers:
                ids.append(row_id)
                numbers.add(to)
        if ids:
            self.session.execute(
                update(SmsMessage)
                .where(SmsMessage.id.in_(ids), SmsMessage.status == "queued")
                .values(**claim)
                .execution_options(synchronize_session=False)
            )
        return self.in_batch(batch_id)

    def send_later(self, message_id: int, at: datetime) -> None:
        """An outbox row that sends the message again once `at` has passed (the sweeper runs it)."""
        self.session.add(
            OutboxItem(topic="sms.send", payload={"message_id": message_id}, available_at=at)
        )

    def in_batch(self, batch_id: str) -> list[SmsMessage]:
        query = select(SmsMessage).where(SmsMessage.batch_id == batch_id).order_by(SmsMessage.id)
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

    def add_inbound(self, row: SmsInbound) -> bool:
        """Store a received message; False if its `at_id` is already stored (a retry)."""
        if self.session.scalar(select(SmsInbound.id).where(SmsInbound.at_id == row.at_id)):
            return False
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:  # the same id, stored by a concurrent request
            return False
        return True

    def settle_inbound(
        self, inbound_id: int, status: str, command: str | None, now: datetime
    ) -> bool:
        """Move a received message to `status`; False if something else settled it first."""
        result = self.session.execute(
            update(SmsInbound)
            .where(SmsInbound.id == inbound_id, SmsInbound.status == "received")
            .values(status=status, command=command, handled_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


class Payments:
    """Payment attempts, the orders they pay (locked while changed), callbacks, later jobs."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_order(self, order_id: int) -> Order | None:
        return self.session.get(Order, order_id, with_for_update=True, populate_existing=True)

    def add(self, payment: Payment) -> None:
        self.session.add(payment)
        self.session.flush()

    def get(self, payment_id: int) -> Payment | None:
        return self.session.get(Payment, payment_id)

    def lock_payment(self, payment_id: int) -> Payment | None:
        return self.session.get(Payment, payment_id, with_for_update=True, populate_existing=True)

    def attempt(self, order_id: int, attempt: int) -> Payment | None:
        return self.session.scalar(
            select(Payment).where(Payment.order_id == order_id, Payment.attempt == attempt)
        )

    def latest(self, order_id: int) -> Payment | None:
        return self.session.scalar(
            select(Payment)
            .where(Payment.order_id == order_id)
            .order_by(Payment.attempt.desc())
            .limit(1)
        )

    def for_order(self, order_id: int) -> Sequence[Payment]:
        query = select(Payment).where(Payment.order_id == order_id).order_by(Payment.attempt)
        return self.session.scalars(query).all()

    def by_provider_ref(self, provider: str, ref: str | None) -> Payment | None:
        if not ref:
            return None
        return self.session.scalar(
            select(Payment).where(Payment.provider == provider, Payment.provider_ref == ref)
        )

    def sending_exists(self, provider: str, since: datetime) -> bool:
        """Whether a request to `provider` begun after `since` is still being sent."""
        query = select(Payment.id).where(
            Payment.provider == provider, Payment.status == "sending", Payment.created_at > since
        )
        return self.session.scalar(query.limit(1)) is not None

    def unpaid_orders(self, statuses: tuple[str, ...], placed_before: datetime) -> list[int]:
        query = select(Order.id).where(Order.status.in_(statuses), Order.created_at < placed_before)
        return list(self.session.scalars(query.order_by(Order.id)))

    def restock(self, listing_id: int, quantity: int) -> None:
        """Give `quantity` back to a listing's stock (an order that will not be paid)."""
        self.session.execute(
            update(Listing)
            .where(Listing.id == listing_id)
            .values(stock=Listing.stock + quantity)
            .execution_options(synchronize_session=False)
        )

    def run_later(self, topic: str, at: datetime, **payload: object) -> None:
        """An outbox row the sweeper runs once `at` has passed."""
        self.session.add(OutboxItem(topic=topic, payload=payload, available_at=at))

    def add_callback(self, row: PaymentCallback) -> None:
        self.session.add(row)
        self.session.flush()

    def callback(self, callback_id: int) -> PaymentCallback | None:
        return self.session.get(PaymentCallback, callback_id, populate_existing=True)

    def callbacks_with(self, verdicts: tuple[str, ...], limit: int) -> list[PaymentCallback]:
        query = (
            select(PaymentCallback)
            .where(PaymentCallback.verdict.in_(verdicts))
            .order_by(PaymentCallback.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(query))


class Payouts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, payout: Payout) -> None:
        self.session.add(payout)
        self.session.flush()

    def by_key(self, key: str) -> Payout | None:
        return self.session.scalar(select(Payout).where(Payout.key == key))

    def lock(self, payout_id: int) -> Payout | None:
        return self.session.get(Payout, payout_id, with_for_update=True, populate_existing=True)

    def by_reference(
        self, provider: str, provider_ref: str | None, request_key: str | None
    ) -> Payout | None:
        """The payout a provider names by its own reference or by ours."""
        refs = [Payout.provider_ref == provider_ref] if provider_ref else []
        refs += [Payout.request_key == request_key] if request_key else []
        if not refs:
            return None
        return self.session.scalar(
            select(Payout).where(Payout.provider == provider, or_(*refs)).limit(1)
        )

    def with_status(self, statuses: tuple[str, ...], limit: int) -> list[Payout]:
        query = select(Payout).where(Payout.status.in_(statuses)).order_by(Payout.id.desc())
        return list(self.session.scalars(query.limit(limit)))


class Ledger:
    """Ledger transactions and the balances the check compares."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def posted(self, key: str) -> bool:
        query = select(LedgerTransaction.id).where(LedgerTransaction.key == key)
        return self.session.scalar(query) is not None

    def add(self, transaction: LedgerTransaction) -> None:
        self.session.add(transaction)
        self.session.flush()

    def unbalanced(self) -> list[tuple[str, str, int]]:
        total = func.sum(LedgerPosting.amount_minor)
        query = (
            select(LedgerTransaction.key, LedgerPosting.currency, total)
            .join(LedgerPosting)
            .group_by(LedgerTransaction.key, LedgerPosting.currency)
            .having(total != 0)
        )
        return [
            (key, currency, int(amount)) for key, currency, amount in self.session.execute(query)
        ]

    def held_orders(self, statuses: tuple[str, ...]) -> dict[tuple[int, str], int]:
        query = select(Order.id, Order.currency, Order.total_minor).where(
            Order.status.in_(statuses)
        )
        return {(i, c): t for i, c, t in self.session.execute(query)}

    def escrow_by_order(self) -> dict[tuple[int, str], int]:
        total = func.sum(LedgerPosting.amount_minor)
        query = (
            select(LedgerPosting.order_id, LedgerPosting.currency, total)
            .where(LedgerPosting.account == "escrow")
            .group_by(LedgerPosting.order_id, LedgerPosting.currency)
        )
        return {(o, c): int(t) for o, c, t in self.session.execute(query) if t}

    def escrow_of(self, order_id: int, currency: str) -> int:
        query = select(func.coalesce(func.sum(LedgerPosting.amount_minor), 0)).where(
            LedgerPosting.account == "escrow",
            LedgerPosting.order_id == order_id,
            LedgerPosting.currency == currency,
        )
        return int(self.session.scalar(query))

    def _sums(self, *where: object) -> dict[str, int]:
        query = (
            select(LedgerPosting.currency, func.sum(LedgerPosting.amount_minor))
            .where(*where)
            .group_by(LedgerPosting.currency)
        )
        return {currency: int(total) for currency, total in self.session.execute(query)}

    def balances(self, account: str) -> dict[str, int]:
        return self._sums(LedgerPosting.account == account)

    def party_balance(self, account: str, party_id: int) -> dict[str, int]:
        return self._sums(LedgerPosting.account == account, LedgerPosting.party_id == party_id)

    def all_balances(self) -> dict[tuple[str, str], int]:
        query = select(
            LedgerPosting.account, LedgerPosting.currency, func.sum(LedgerPosting.amount_minor)
        ).group_by(LedgerPosting.account, LedgerPosting.currency)
        return {(a, c): int(t) for a, c, t in self.session.execute(query)}


class Shipments:
    """Parcels, their events, and the work they schedule."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, shipment: Shipment) -> Shipment:
        self.session.add(shipment)
        self.session.flush()
        return shipment

    def get(self, shipment_id: int) -> Shipment | None:
        return self.session.get(Shipment, shipment_id)

    def lock(self, shipment_id: int) -> Shipment | None:
        return self.session.get(Shipment, shipment_id, with_for_update=True, populate_existing=True)

    def for_order(self, order_id: int) -> Shipment | None:
        return self.session.scalar(select(Shipment).where(Shipment.order_id == order_id))

    def find(self, ref: str, carrier: str | None = None) -> Shipment | None:
        """The shipment `carrier` knows as `ref`, else the one whose order reference is `ref`."""
        if carrier is not None:
            found = self.session.scalar(
                select(Shipment).where(Shipment.carrier == carrier, Shipment.tracking_number == ref)
            )
            if found is not None:
                return found
        return self.session.scalar(select(Shipment).where(Shipment.ref == ref.upper()))

    def events(self, shipment_id: int) -> list[ShipmentEvent]:
        query = select(ShipmentEvent).where(ShipmentEvent.shipment_id == shipment_id)
        return list(self.session.scalars(query.order_by(ShipmentEvent.id)))

    def carrier_event(self, carrier: str, event_id: str) -> ShipmentEvent | None:
        return self.session.scalar(
            select(ShipmentEvent).where(
                ShipmentEvent.carrier == carrier, ShipmentEvent.event_id == event_id
            )
        )

    def add_event(self, event: ShipmentEvent) -> bool:
        """Store an event; False if its (carrier, event_id) was stored concurrently."""
        try:
            with self.session.begin_nested():
                self.session.add(event)
        except IntegrityError:
            return False
        return True

    def of_seller(self, seller_id: int, statuses: tuple[str, ...], limit: int) -> list[Shipment]:
        query = (
            select(Shipment)
            .join(Order, Order.id == Shipment.order_id)
            .where(Order.seller_id == seller_id, Shipment.status.in_(statuses))
            .order_by(Shipment.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def left_at_points(self, arrived_before: datetime, limit: int) -> list[int]:
        """Parcels waiting at a pickup point since before `arrived_before`."""
        query = select(Shipment.id).where(
            Shipment.status == "at_pickup_point", Shipment.status_at <= arrived_before
        )
        return list(self.session.scalars(query.order_by(Shipment.id).limit(limit)))

    def due_polls(self, carriers: Sequence[str], now: datetime, limit: int) -> list[int]:
        """Unfinished parcels of polled `carriers` whose next poll is due."""
        query = select(Shipment.id).where(
            Shipment.carrier.in_(list(carriers)),
            Shipment.poll_at <= now,
            Shipment.status.not_in(("delivered", "returned")),
        )
        return list(self.session.scalars(query.order_by(Shipment.poll_at).limit(limit)))

    def run_later(self, topic: str, at: datetime, **payload: object) -> None:
        """An outbox row the sweeper runs once `at` has passed."""
        self.session.add(OutboxItem(topic=topic, payload=payload, available_at=at))


class Agents:
    """Agent points, customers' consents, invites and the agents' audit trail."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: AgentPoint | AgentConsent | AgentInvite | AgentAction) -> None:
        self.session.add(row)
        self.session.flush()

    def point_of(self, agent_id: int) -> AgentPoint | None:
        return self.session.scalar(select(AgentPoint).where(AgentPoint.agent_id == agent_id))

    def point(self, point_id: int) -> AgentPoint | None:
        return self.session.get(AgentPoint, point_id)

    def points_near(
        self, country: str, region: str | None, district: str | None, limit: int
    ) -> Sequence[AgentPoint]:
        """The country's agent points, same district first, then same region."""
        query = select(AgentPoint).where(AgentPoint.country == country)
        query = query.order_by(_nearness(AgentPoint, region, district), AgentPoint.id)
        return self.session.scalars(query.limit(limit)).all()

    def consent(self, agent_id: int, customer_id: int) -> AgentConsent | None:
        query = select(AgentConsent).where(
            AgentConsent.agent_id == agent_id, AgentConsent.customer_id == customer_id
        )
        return self.session.scalar(query.with_for_update(of=AgentConsent))

    def consents_of_agent(self, agent_id: int, limit: int) -> Sequence[AgentConsent]:
        """An agent's customers, those who agreed first, most recently asked first."""
        query = select(AgentConsent).where(AgentConsent.agent_id == agent_id)
        query = query.order_by(AgentConsent.status, AgentConsent.requested_at.desc())
        return self.session.scalars(query.limit(limit)).all()

    def consents_of_customer(
        self, customer_id: int, statuses: tuple[str, ...]
    ) -> Sequence[AgentConsent]:
        query = select(AgentConsent).where(
            AgentConsent.customer_id == customer_id, AgentConsent.status.in_(statuses)
        )
        query = query.order_by(AgentConsent.id).with_for_update(of=AgentConsent)
        return self.session.scalars(query).all()

    def actions_of(self, agent_id: int, limit: int) -> Sequence[AgentAction]:
        """The agent's audit trail, newest first."""
        query = select(AgentAction).where(AgentAction.agent_id == agent_id)
        return self.session.scalars(query.order_by(AgentAction.id.desc()).limit(limit)).all()

    def invite(self, code: str) -> AgentInvite | None:
        query = select(AgentInvite).where(AgentInvite.code == code)
        return self.session.scalar(query.with_for_update())
