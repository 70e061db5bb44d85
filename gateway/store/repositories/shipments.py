"""Shipments (parcels) and their events."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from typing import cast

from sqlalchemy import BindParameter
from sqlalchemy import ColumnElement
from sqlalchemy import CompoundSelect
from sqlalchemy import Select
from sqlalchemy import Table
from sqlalchemy import bindparam
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy import union
from sqlalchemy import union_all
from sqlalchemy import update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Session

from gateway.commerce.parcels.states import START
from gateway.commerce.parcels.states import Step
from gateway.store.models.orders import Order
from gateway.store.models.outbox import OutboxItem
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


@dataclass(frozen=True)
class Seen:
    """A parcel read for a carrier's event without a lock: the parcel (its `version` with it),
    the events around the event's time (`Shipments.around`), and the event's earlier receipt."""

    shipment: Shipment
    timeline: list[Step]
    received: Received | None


def _receipt(stored: bool, verdict: str | None, detail: str | None) -> Received | None:
    if stored:
        return Received()
    return None if verdict is None else Received(verdict, detail or "")


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
        query, params = _find(carrier is not None, bool(_wanted(ref)), lock), _params(ref, carrier)
        found = _named(self.session.execute(query, params).all(), ref, carrier)
        return None if found is None else found[0]

    def seen(self, ref: str, carrier: str, event_id: str, at: datetime) -> Seen | None:
        """The parcel `find` names, as a carrier's event `event_id` at `at` finds it, read in
        one statement without a lock (PostgreSQL only: None elsewhere, and when no parcel is
        named). The parcel comes detached: changing it writes nothing."""
        if self.session.get_bind().dialect.name != "postgresql":
            return None
        query = _seen(bool(_wanted(ref)))
        params = {**_params(ref, carrier), "event_id": event_id, "at": at}
        found = _named(self.session.execute(query, params).all(), ref, carrier)
        if found is None:
            return None
        shipment, _tracked, stored, verdict, detail, statuses, times, seqs = found
        self.session.expunge(shipment)
        timeline = _in_order(map(Step, statuses, times, seqs))
        return Seen(shipment, timeline, _receipt(stored, verdict, detail))

    def write_seen(
        self, seen: Seen, event: ShipmentEvent, notice: OutboxItem | None, now: datetime
    ) -> bool:
        """Store `event`, the state of `seen.shipment` (as changed since it was read) and the
        outbox row `notice` in one statement, only if the parcel is still at the version it was
        read at and the event was neither stored nor refused meanwhile; False if not (nothing
        is written). PostgreSQL only (`seen` gives nothing elsewhere)."""
        shipment = seen.shipment
        params = {f"event_{name}": getattr(event, name) for name in _EVENT_COLUMNS}
        params |= {f"new_{name}": getattr(shipment, name) for name in _MOVED_COLUMNS}
        params |= {"parcel": shipment.id, "read_version": shipment.version, "now": now}
        params["event_recorded_at"] = now
        params |= {"topic": None, "payload": None, "announce": False}
        if notice is not None:
            params |= {"topic": notice.topic, "payload": notice.payload, "announce": True}
        stored, _noted = self.session.execute(_WRITE_SEEN, params).one()
        return bool(stored)

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
        return _in_order(Step(*row) for row in rows)

    def received(self, carrier: str, event_id: str) -> Received | None:
        """How the carrier's event `event_id` was received before, if it was (one statement)."""
        query, params = _RECEIVED, {"carrier": carrier, "event_id": event_id}
        return _receipt(*self.session.execute(query, params).one())

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


def _in_order(steps: Iterable[Step]) -> list[Step]:
    """A parcel's steps oldest first, those that happened at once in the order they came."""
    return sorted(steps, key=lambda step: (step.occurred_at, step.seq))


def _wanted(ref: str) -> str:
    return fold(ref).replace(" ", "")


def _params(ref: str, carrier: str | None) -> dict[str, str | None]:
    return {"ref": ref.upper(), "wanted": _wanted(ref), "carrier": carrier}


def _named(rows: Sequence[Sequence[Any]], ref: str, carrier: str | None) -> Sequence[Any] | None:
    """Of the rows `_find` read (a shipment, whether its tracking number matched, ...), the one
    `Shipments.find` names."""
    named = [row for row in rows if row[1]]
    own = next((row for row in rows if row[0].ref == ref.upper()), None)
    if carrier is not None and len(named) == 1:
        return named[0]
    if own is not None or carrier is not None:
        return own
    return named[0] if len(named) == 1 else None


def _candidates(
    by_carrier: bool, by_tracking: bool
) -> tuple[ColumnElement[bool], Select[int] | CompoundSelect[int]]:
    """Whether a parcel's tracking number, squeezed, is `:wanted` (`by_carrier`: at
    `:carrier`), and the ids of the parcels whose reference is `:ref` or (`by_tracking`) whose
    tracking number matched."""
    tracked = squeezed(Shipment.tracking_number) == bindparam("wanted")
    if by_carrier:
        tracked = tracked & (Shipment.carrier == bindparam("carrier"))
    by_ref = select(Shipment.id).where(Shipment.ref == bindparam("ref"))
    ids = union_all(by_ref, select(Shipment.id).where(tracked)) if by_tracking else by_ref
    return tracked, ids


@cache
def _find(by_carrier: bool, by_tracking: bool, lock: bool) -> Select[Shipment, bool]:
    """`Shipments.find`'s statement (built once a process): the `_candidates` parcels, each
    with whether its tracking number matched."""
    tracked, ids = _candidates(by_carrier, by_tracking)
    query = select(Shipment, tracked).where(Shipment.id.in_(ids)).order_by(Shipment.id)
    if lock:
        return query.with_for_update().execution_options(populate_existing=True)
    return query


def _around(
    shipment_id: ColumnElement[int] | InstrumentedAttribute[int],
) -> CompoundSelect[str, datetime, int]:
    """`Shipments.around`'s statement for the parcel `shipment_id` (a parameter, or the id of
    the parcel an enclosing statement reads) and `:at`."""
    columns = (ShipmentEvent.status, ShipmentEvent.occurred_at, ShipmentEvent.id)
    own = select(*columns).where(ShipmentEvent.shipment_id == shipment_id).correlate(Shipment)
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


def _was_received() -> Select[bool, str | None, str]:
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


@cache
def _seen(by_tracking: bool) -> Select[Any]:
    """`Shipments.seen`'s statement: `_find`'s (a carrier named, no lock), each parcel with
    `_was_received`'s columns and the events `_around` its time, as arrays."""
    steps = _around(Shipment.id).subquery()
    arrays = select(
        func.array_agg(steps.c.status),
        func.array_agg(steps.c.occurred_at),
        func.array_agg(steps.c.id),
    ).lateral()
    found = _find(True, by_tracking, False).join(arrays, true())
    return found.add_columns(*_RECEIVED.selected_columns, *arrays.c)


def _write_seen() -> Select[int, int]:
    """`Shipments.write_seen`'s statement: the parcel locked if still at `:read_version`, the event
    stored unless stored or refused before, the parcel moved (its version too) and the outbox
    row added (if `:announce`) only then; the events and outbox rows written (0 or 1 each).
    No parameter is named after a column of `shipments`: the UPDATE would set that column too."""
    parcels, events = cast(Table, Shipment.__table__), cast(Table, ShipmentEvent.__table__)
    kept = (
        select(parcels.c.id)
        .where(parcels.c.id == bindparam("parcel"), parcels.c.version == bindparam("read_version"))
        .with_for_update()
        .cte("kept")
    )
    refused = select(RefusedCarrierEvent.id).where(
        RefusedCarrierEvent.carrier == bindparam("event_carrier"),
        RefusedCarrierEvent.event_id == bindparam("event_event_id"),
    )
    values = [bindparam(f"event_{c}", type_=events.c[c].type) for c in _EVENT_COLUMNS[1:]]
    stored = (
        postgresql.insert(events)
        .from_select(_EVENT_COLUMNS, select(kept.c.id, *values).where(~refused.exists()))
        .on_conflict_do_nothing(index_elements=["carrier", "event_id"])
        .returning(events.c.shipment_id)
        .cte("stored")
    )
    moves = {name: bindparam(f"new_{name}", type_=parcels.c[name].type) for name in _MOVED_COLUMNS}
    moved = (
        update(parcels)
        .where(parcels.c.id.in_(select(stored.c.shipment_id)))
        .values(version=parcels.c.version + 1, updated_at=bindparam("now"), **moves)
        .returning(parcels.c.id)
        .cte("moved")
    )
    outbox = cast(Table, OutboxItem.__table__)
    row = (
        select(
            bindparam("topic", type_=outbox.c.topic.type),
            bindparam("payload", type_=outbox.c.payload.type),
            literal("pending"),
            literal(0),
            bindparam("now"),
            bindparam("now"),
        )
        .select_from(moved)
        .where(bindparam("announce"))
    )
    noted = (
        postgresql.insert(outbox)
        .from_select(["topic", "payload", "status", "attempts", "available_at", "created_at"], row)
        .returning(outbox.c.id)
        .cte("noted")
    )
    return select(
        *(select(func.count()).select_from(cte).scalar_subquery() for cte in (stored, noted))
    )


_EVENT_COLUMNS = tuple(c.name for c in ShipmentEvent.__table__.columns if c.name != "id")
"""What `write_seen` stores of an event, `shipment_id` first (the locked parcel's id)."""
_MOVED_COLUMNS = (
    "status",
    "status_at",
    "carrier",
    "point_id",
    "delivered_at",
    "return_until",
    "poll_at",
)
"""What recording an event may change of a parcel (`gateway.commerce.parcels.events`)."""
_AROUND = _around(bindparam("shipment_id"))
_RECEIVED = _was_received()
_WRITE_SEEN = _write_seen()
"""Built once: building a statement costs more than running it."""
