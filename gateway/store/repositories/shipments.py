"""Shipments (parcels) and their events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.store.models.orders import Order
from gateway.store.models.shipments import Shipment
from gateway.store.models.shipments import ShipmentEvent
from gateway.store.repositories.rows import one


class Shipments:
    """Parcels and their events."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, shipment: Shipment) -> Shipment:
        self.session.add(shipment)
        self.session.flush()
        return shipment

    def get(self, shipment_id: int) -> Shipment | None:
        return self.session.get(Shipment, shipment_id)

    def one(self, shipment_id: int) -> Shipment:
        return one(self.get(shipment_id), "shipment", shipment_id)

    def lock(self, shipment_id: int) -> Shipment | None:
        return self.session.get(Shipment, shipment_id, with_for_update=True, populate_existing=True)

    def lock_one(self, shipment_id: int) -> Shipment:
        return one(self.lock(shipment_id), "shipment", shipment_id)

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

    def code_waiting(self, buyer_id: int, statuses: tuple[str, ...]) -> bool:
        """Whether a parcel of the buyer's is in `statuses` with a delivery code."""
        query = (
            select(Shipment.id)
            .join(Order, Order.id == Shipment.order_id)
            .where(
                Order.buyer_id == buyer_id,
                Shipment.status.in_(statuses),
                Shipment.code_hash.is_not(None),
            )
            .limit(1)
        )
        return self.session.scalar(query) is not None
