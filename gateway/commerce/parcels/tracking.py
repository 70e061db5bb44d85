"""Following a parcel: its latest events, for the people of the parcel and nobody else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.store.models.orders import Order
from gateway.store.models.shipments import Shipment
from gateway.store.uow import UnitOfWork


@dataclass(frozen=True)
class EventView:
    status: str
    occurred_at: datetime
    location: str | None


@dataclass(frozen=True)
class TrackView:
    """A parcel as anyone involved may see it: its state and latest events, newest first."""

    ref: str
    status: str
    events: tuple[EventView, ...]


def may_see(uow: UnitOfWork, person_id: int, shipment: Shipment, order: Order) -> bool:
    """Buyer, seller, the agent who ordered, the parcel's courier, or its pickup point's agent."""
    if person_id in (order.buyer_id, order.seller_id, order.placed_by_id, shipment.courier_id):
        return True
    point_id = shipment.point_id or order.pickup_point_id
    point = uow.agents.point(point_id) if point_id else None
    return point is not None and point.agent_id == person_id


def track(uow: UnitOfWork, person_id: int, ref: str, limit: int = 3) -> TrackView | None:
    """The parcel `ref` with its last `limit` events, if `person_id` may see it."""
    with uow:
        shipment = uow.shipments.find(ref)
        if shipment is None:
            return None
        order = uow.orders.one(shipment.order_id)
        if not may_see(uow, person_id, shipment, order):
            return None
        events = sorted(uow.shipments.events(shipment.id), key=lambda e: (e.occurred_at, e.id))
        latest = tuple(EventView(e.status, e.occurred_at, e.location) for e in events[::-1][:limit])
        return TrackView(shipment.ref, shipment.status, latest)
