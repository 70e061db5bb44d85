"""Shipments (parcels) and their events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import cast

from sqlalchemy import BindParameter
from sqlalchemy import CompoundSelect
from sqlalchemy import Select
from sqlalchemy import Table
from sqlalchemy import bindparam
from sqlalchemy import exists
from sqlalchemy import select
from sqlalchemy import union
from sqlalchemy import union_all
from sqlalchemy.orm import Session

from gateway.commerce.parcels.states import START
from gateway.commerce.parcels.states import Step
from gateway.store.models.orders import Order
from gateway.store.models.shipments import RefusedCarrierEvent
from gateway.store.models.shipments import Shipment
from gateway.store.models.shipments import ShipmentEvent
from gateway.store.models.shipments import squeezed
from gateway.store.repositories.rows import insert_new
from gateway.store.repositories.rows import one
from gateway.store.repositories.rows import values_of
from gateway.text.folding import fold


@dataclass(frozen=True)
class Received:
    """A carrier's event received before: stored (no `verdict`), or refused with `verdict`."""

    verdict: str | None = None
    detail: str = ""


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

    def find(self, ref: str, carrier: str | None = None, lock: bool = False) -> Shipment | None:
        """The shipment `carrier` knows as `ref`, else the one whose order reference is `ref`,
        else (no carrier named) the one parcel booked with a carrier as `ref`; with `lock`,
        locked for update (with the other parcels `ref` may name), all in one statement."""
        wanted = fold(ref).replace(" ", "")
        query = _find(carrier is not None, bool(wanted), lock)
        params = {"ref": ref.upper(), "wanted": wanted, "carrier": carrier}
        rows = self.session.execute(query, params).all()
        named = [shipment for shipment, by_tracking in rows if by_tracking]
        own = next((shipment for shipment, _ in rows if shipment.ref == ref.upper()), None)
        if carrier is not None and len(named) == 1:
            return named[0]
        if own is not None or carrier is not None:
            return own
        return named[0] if len(named) == 1 else None

    def by_tracking(self, number: str, carrier: str | None = None) -> Shipment | None:
        """The parcel a carrier (any one, if just one has it) knows by tracking `number`,
        however its separators and case were typed."""
        wanted = fold(number).replace(" ", "")
        if not wanted:
            return None
        query = select(Shipment).where(squeezed(Shipment.tracking_number) == wanted)
        if carrier is not None:
            query = query.where(Shipment.carrier == carrier)
        found = list(self.session.scalars(query.limit(2)))
        return found[0] if len(found) == 1 else None

    def around(self, shipment_id: int, at: datetime) -> list[Step]:
        """What placing an event at `at` needs of the parcel's events, oldest first: its
        `created` event, the last event at or before `at`, and every event after `at`."""
        rows = self.session.execute(_AROUND, {"shipment_id": shipment_id, "at": at}).all()
        return sorted((Step(*row) for row in rows), key=lambda step: (step.occurred_at, step.seq))

    def received(self, carrier: str, event_id: str) -> Received | None:
        """How the carrier's event `event_id` was received before, if it was (one statement)."""
        query, params = _RECEIVED, {"carrier": carrier, "event_id": event_id}
        was_stored, verdict, detail = self.session.execute(query, params).one()
        if was_stored:
            return Received()
        return None if verdict is None else Received(verdict, detail)

    def events(self, shipment_id: int) -> list[ShipmentEvent]:
        query = select(ShipmentEvent).where(ShipmentEvent.shipment_id == shipment_id)
        return list(self.session.scalars(query.order_by(ShipmentEvent.id)))

    def add_event(self, event: ShipmentEvent | RefusedCarrierEvent) -> bool:
        """Store an event, or a refused one, in one INSERT; False if its (carrier, event_id)
        was stored already (concurrently). `event` itself stays out of the session."""
        table = cast(Table, type(event).__table__)
        return insert_new(self.session, table, values_of(event), ("carrier", "event_id"))

    def refused_events(self, shipment_id: int) -> list[RefusedCarrierEvent]:
        query = select(RefusedCarrierEvent).where(RefusedCarrierEvent.shipment_id == shipment_id)
        return list(self.session.scalars(query.order_by(RefusedCarrierEvent.id)))

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


@cache
def _find(by_carrier: bool, by_tracking: bool, lock: bool) -> Select[Shipment, bool]:
    """`Shipments.find`'s statement (built once a process): the parcels whose reference is
    `:ref` or (`by_tracking`) whose tracking number, squeezed, is `:wanted` (`by_carrier`: at
    `:carrier`), each with whether its tracking number matched."""
    tracked = squeezed(Shipment.tracking_number) == bindparam("wanted")
    if by_carrier:
        tracked = tracked & (Shipment.carrier == bindparam("carrier"))
    by_ref = select(Shipment.id).where(Shipment.ref == bindparam("ref"))
    ids = union_all(by_ref, select(Shipment.id).where(tracked)) if by_tracking else by_ref
    query = select(Shipment, tracked).where(Shipment.id.in_(ids)).order_by(Shipment.id)
    if lock:
        return query.with_for_update().execution_options(populate_existing=True)
    return query


def _around() -> CompoundSelect[str, datetime, int]:
    """`Shipments.around`'s statement, for `:shipment_id` and `:at`."""
    columns = (ShipmentEvent.status, ShipmentEvent.occurred_at, ShipmentEvent.id)
    own = select(*columns).where(ShipmentEvent.shipment_id == bindparam("shipment_id"))
    at = bindparam("at", type_=ShipmentEvent.occurred_at.type)
    created = own.where(ShipmentEvent.status == START).order_by(ShipmentEvent.occurred_at)
    before = own.where(ShipmentEvent.occurred_at <= at).order_by(
        ShipmentEvent.occurred_at.desc(), ShipmentEvent.id.desc()
    )
    return union(
        select(*created.limit(1).subquery().c),
        select(*before.limit(1).subquery().c),
        own.where(ShipmentEvent.occurred_at > at),
    )


def _received() -> Select[bool, str | None, str]:
    """`Shipments.received`'s statement, for `:carrier` and `:event_id`."""
    carrier: BindParameter[str] = bindparam("carrier")
    event_id: BindParameter[str] = bindparam("event_id")
    refused = select(RefusedCarrierEvent).where(
        RefusedCarrierEvent.carrier == carrier, RefusedCarrierEvent.event_id == event_id
    )
    stored = exists().where(ShipmentEvent.carrier == carrier, ShipmentEvent.event_id == event_id)
    return select(
        stored,
        refused.with_only_columns(RefusedCarrierEvent.verdict).scalar_subquery(),
        refused.with_only_columns(RefusedCarrierEvent.detail).scalar_subquery(),
    )


_AROUND = _around()
_RECEIVED = _received()
"""Built once: building a statement costs more than running it."""
