"""Orders: by buyer, seller or agent, locked while they change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models.orders import Order
from gateway.store.repositories.rows import one


class Orders:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, order_id: int) -> Order | None:
        return self.session.get(Order, order_id)

    def one(self, order_id: int) -> Order:
        return one(self.get(order_id), "order", order_id)

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

    def lock(self, order_id: int) -> Order | None:
        """The order, re-read and locked for update until the transaction ends."""
        return self.session.get(Order, order_id, with_for_update=True, populate_existing=True)

    def lock_one(self, order_id: int) -> Order:
        return one(self.lock(order_id), "order", order_id)

    def placed_before(self, statuses: tuple[str, ...], placed_before: datetime) -> list[int]:
        """Ids of orders in `statuses` placed before `placed_before`, oldest first."""
        query = select(Order.id).where(Order.status.in_(statuses), Order.created_at < placed_before)
        return list(self.session.scalars(query.order_by(Order.id)))

    def totals_in(self, statuses: tuple[str, ...]) -> dict[tuple[int, str], int]:
        """`{(order id, seller currency): seller total}` of the orders in `statuses` (what
        escrow holds for them)."""
        query = select(Order.id, Order.seller_currency, Order.seller_total_minor).where(
            Order.status.in_(statuses)
        )
        return {(i, c): t for i, c, t in self.session.execute(query)}

    def totals_of_seller(self, seller_id: int, statuses: tuple[str, ...]) -> dict[str, int]:
        """`{currency: total}` of a seller's orders in `statuses`."""
        query = (
            select(Order.currency, func.sum(Order.total_minor))
            .where(Order.seller_id == seller_id, Order.status.in_(statuses))
            .group_by(Order.currency)
        )
        return {currency: int(total) for currency, total in self.session.execute(query)}

    def latest_for_customer(self, agent_id: int, customer_id: int) -> Order | None:
        """The latest order an agent placed for one customer."""
        query = select(Order).where(Order.placed_by_id == agent_id, Order.buyer_id == customer_id)
        return self.session.scalar(query.order_by(Order.id.desc()).limit(1))
