"""Read-only queries for the operators' dashboard and lists: counts per day, per status, per
screen, and filtered pages of rows. Nothing here writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from gateway.store.models.agents import AgentAction
from gateway.store.models.agents import AgentPoint
from gateway.store.models.catalog import Listing
from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsMessage
from gateway.store.models.orders import Order
from gateway.store.models.outbox import OutboxItem
from gateway.store.models.payments import Payment
from gateway.store.models.payments import PaymentCallback
from gateway.store.models.payments import Payout
from gateway.store.models.people import Person
from gateway.store.models.people import PersonRole
from gateway.store.models.shipments import RefusedCarrierEvent
from gateway.store.models.shipments import Shipment
from gateway.store.models.shipments import ShipmentEvent
from gateway.store.models.ussd import UssdSessionEvent
from gateway.store.repositories.days import day_of


@dataclass(frozen=True)
class Page:
    """Which rows of a list: `limit` of them after skipping `offset`, matching `search`."""

    limit: int = 50
    offset: int = 0
    search: str = ""
    status: str = ""
    kind: str = ""


@dataclass(frozen=True)
class OrderDay:
    day: str
    country: str
    currency: str
    orders: int
    paid_orders: int
    gmv_minor: int


@dataclass(frozen=True)
class SmsDay:
    day: str
    status: str
    messages: int
    segments: int


@dataclass(frozen=True)
class Ended:
    day: str
    language: str
    screen: str
    status: str
    sessions: int


@dataclass(frozen=True)
class OrderRow:
    order: Order
    buyer_phone: str
    seller_phone: str
    seller_country: str


Query = TypeVar("Query", bound="Select[*tuple[Any, ...]]")


def _paged(query: Query, page: Page) -> Query:
    return query.limit(page.limit).offset(page.offset)


def _filtered(
    query: Query,
    page: Page,
    status: Any = None,
    kind: Any = None,
    search: tuple[Any, ...] = (),
) -> Query:
    """`query` narrowed to the page's status and kind (where the list has those columns) and
    to rows one of whose `search` columns contains the page's search text, any case."""
    if page.status and status is not None:
        query = query.where(status == page.status)
    if page.kind and kind is not None:
        query = query.where(kind == page.kind)
    if page.search and search:
        text = _like(page.search)
        query = query.where(or_(*(column.ilike(text) for column in search)))
    return query


def _like(text: str) -> str:
    return "%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%"


class Reports:
    """Counts and pages of rows for /admin; every method only reads."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- the overview ------------------------------------------------------------------------

    def orders_per_day(self, since: datetime, paid: tuple[str, ...]) -> list[OrderDay]:
        """Orders placed per UTC day, seller country and currency since `since`; GMV counts
        the totals of those that were paid (`paid` statuses)."""
        seller = aliased(Person)
        day = day_of(Order.created_at)
        is_paid = Order.status.in_(paid)
        query = (
            select(
                day,
                seller.country,
                Order.currency,
                func.count(Order.id),
                func.count(Order.id).filter(is_paid),
                func.coalesce(func.sum(Order.total_minor).filter(is_paid), 0),
            )
            .join(seller, seller.id == Order.seller_id)
            .where(Order.created_at >= since)
            .group_by(day, seller.country, Order.currency)
            .order_by(day)
        )
        return [OrderDay(*row) for row in self.session.execute(query)]

    def payment_statuses(self, since: datetime) -> list[tuple[str, str, int]]:
        """(provider, status, attempts) of payment attempts made since `since`."""
        query = (
            select(Payment.provider, Payment.status, func.count(Payment.id))
            .where(Payment.created_at >= since)
            .group_by(Payment.provider, Payment.status)
            .order_by(Payment.provider, Payment.status)
        )
        return [(p, s, int(n)) for p, s, n in self.session.execute(query)]

    def sms_per_day(self, since: datetime) -> list[SmsDay]:
        day = day_of(SmsMessage.created_at)
        query = (
            select(day, SmsMessage.status, func.count(SmsMessage.id), func.sum(SmsMessage.segments))
            .where(SmsMessage.created_at >= since)
            .group_by(day, SmsMessage.status)
            .order_by(day)
        )
        return [SmsDay(d, s, int(n), int(seg or 0)) for d, s, n, seg in self.session.execute(query)]

    def parcels_by_status(self) -> list[tuple[str, int]]:
        query = select(Shipment.status, func.count(Shipment.id)).group_by(Shipment.status)
        return [(s, int(n)) for s, n in self.session.execute(query.order_by(Shipment.status))]

    def outbox_counts(self) -> list[tuple[str, str, int]]:
        """(topic, status, rows) of the whole outbox."""
        query = (
            select(OutboxItem.topic, OutboxItem.status, func.count(OutboxItem.id))
            .group_by(OutboxItem.topic, OutboxItem.status)
            .order_by(OutboxItem.topic, OutboxItem.status)
        )
        return [(t, s, int(n)) for t, s, n in self.session.execute(query)]

    def sessions_ended(self, since: datetime) -> list[Ended]:
        """USSD sessions ended since `since`, per UTC day, caller's language, last screen and
        Africa's Talking status."""
        when = func.coalesce(UssdSessionEvent.occurred_at, UssdSessionEvent.received_at)
        day = day_of(when)
        language = func.coalesce(Person.language, "?")
        screen = func.coalesce(UssdSessionEvent.last_screen, "?")
        query = (
            select(day, language, screen, UssdSessionEvent.status, func.count(UssdSessionEvent.id))
            .outerjoin(Person, Person.phone == UssdSessionEvent.phone)
            .where(when >= since)
            .group_by(day, language, screen, UssdSessionEvent.status)
            .order_by(day)
        )
        return [
            Ended(d, lang, sc, st, int(n)) for d, lang, sc, st, n in self.session.execute(query)
        ]

    # -- lists -------------------------------------------------------------------------------

    def orders(self, page: Page) -> list[OrderRow]:
        buyer, seller = aliased(Person), aliased(Person)
        query = (
            select(Order, buyer.phone, seller.phone, seller.country)
            .join(buyer, buyer.id == Order.buyer_id)
            .join(seller, seller.id == Order.seller_id)
            .order_by(Order.id.desc())
        )
        query = _filtered(
            query, page, Order.status, seller.country, (Order.ref, buyer.phone, seller.phone)
        )
        return [OrderRow(*row) for row in self.session.execute(_paged(query, page))]

    def payments(self, page: Page) -> list[tuple[Payment, str]]:
        """Payment attempts with their order's reference, newest first."""
        query = select(Payment, Order.ref).join(Order).order_by(Payment.id.desc())
        query = _filtered(query, page, Payment.status, Payment.provider, (Order.ref, Payment.phone))
        return [(p, ref) for p, ref in self.session.execute(_paged(query, page))]

    def callbacks(self, page: Page, verdicts: tuple[str, ...] = ()) -> Sequence[PaymentCallback]:
        query = select(PaymentCallback).order_by(PaymentCallback.id.desc())
        if verdicts:
            query = query.where(PaymentCallback.verdict.in_(verdicts))
        query = _filtered(
            query,
            page,
            PaymentCallback.verdict,
            PaymentCallback.provider,
            (PaymentCallback.provider_ref,),
        )
        return self.session.scalars(_paged(query, page)).all()

    def payouts(self, page: Page) -> Sequence[Payout]:
        query = select(Payout).order_by(Payout.id.desc())
        query = _filtered(query, page, Payout.status, search=(Payout.key, Payout.phone))
        return self.session.scalars(_paged(query, page)).all()

    def sms(self, page: Page) -> Sequence[SmsMessage]:
        query = select(SmsMessage).order_by(SmsMessage.id.desc())
        query = _filtered(query, page, SmsMessage.status, SmsMessage.kind, (SmsMessage.to,))
        return self.session.scalars(_paged(query, page)).all()

    def delivery_reports(self, message_ids: Sequence[int]) -> Sequence[SmsDeliveryReport]:
        query = select(SmsDeliveryReport).where(SmsDeliveryReport.message_id.in_(message_ids))
        return self.session.scalars(query.order_by(SmsDeliveryReport.id)).all()

    def parcels(self, page: Page) -> Sequence[Shipment]:
        query = select(Shipment).order_by(Shipment.id.desc())
        query = _filtered(
            query, page, Shipment.status, Shipment.carrier, (Shipment.ref, Shipment.tracking_number)
        )
        return self.session.scalars(_paged(query, page)).all()

    def parcel_events(self, shipment_ids: Sequence[int]) -> Sequence[ShipmentEvent]:
        query = select(ShipmentEvent).where(ShipmentEvent.shipment_id.in_(shipment_ids))
        return self.session.scalars(query.order_by(ShipmentEvent.occurred_at)).all()

    def refused_events(self, shipment_ids: Sequence[int]) -> Sequence[RefusedCarrierEvent]:
        query = select(RefusedCarrierEvent).where(RefusedCarrierEvent.shipment_id.in_(shipment_ids))
        return self.session.scalars(query.order_by(RefusedCarrierEvent.id)).all()

    def agents(self, page: Page) -> list[tuple[Person, AgentPoint | None]]:
        query = (
            select(Person, AgentPoint)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .outerjoin(AgentPoint, AgentPoint.agent_id == Person.id)
            .where(PersonRole.role == "agent")
            .order_by(Person.id.desc())
        )
        query = _filtered(query, page, search=(Person.phone, AgentPoint.name))
        return [(p, point) for p, point in self.session.execute(_paged(query, page))]

    def agent_trail(self, agent_id: int, limit: int) -> Sequence[AgentAction]:
        query = select(AgentAction).where(AgentAction.agent_id == agent_id)
        return self.session.scalars(query.order_by(AgentAction.id.desc()).limit(limit)).all()

    def sellers(self, page: Page) -> list[tuple[Person, int, int]]:
        """Sellers with how many listings they have and how many are active."""
        active = func.count(Listing.id).filter(Listing.status == "active")
        query = (
            select(Person, func.count(Listing.id), active)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .outerjoin(Listing, Listing.seller_id == Person.id)
            .where(PersonRole.role == "seller")
            .group_by(Person.id)
            .order_by(Person.id.desc())
        )
        query = _filtered(query, page, kind=Person.country, search=(Person.phone, Person.name))
        return [(p, int(n), int(a)) for p, n, a in self.session.execute(_paged(query, page))]

    def listings_of(self, seller_id: int) -> Sequence[Listing]:
        query = select(Listing).where(Listing.seller_id == seller_id).order_by(Listing.id)
        return self.session.scalars(query).all()
