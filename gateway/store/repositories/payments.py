"""Payment attempts, provider callbacks, and payouts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.models.payments import Payment
from gateway.store.models.payments import PaymentCallback
from gateway.store.models.payments import Payout
from gateway.store.models.payments import PayoutResolution
from gateway.store.repositories.rows import one


class Payments:
    """Payment attempts and the callbacks providers send about them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, payment: Payment) -> None:
        self.session.add(payment)
        self.session.flush()

    def get(self, payment_id: int) -> Payment | None:
        return self.session.get(Payment, payment_id)

    def one(self, payment_id: int) -> Payment:
        return one(self.get(payment_id), "payment", payment_id)

    def lock(self, payment_id: int) -> Payment | None:
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

    def add_callback(self, row: PaymentCallback) -> None:
        self.session.add(row)
        self.session.flush()

    def callback(self, callback_id: int) -> PaymentCallback | None:
        return self.session.get(PaymentCallback, callback_id, populate_existing=True)

    def one_callback(self, callback_id: int) -> PaymentCallback:
        return one(self.callback(callback_id), "payment callback", callback_id)

    def callbacks_about_payout(self, payout_id: int) -> list[PaymentCallback]:
        """The callbacks matched to a payout, oldest first."""
        query = (
            select(PaymentCallback)
            .where(PaymentCallback.payout_id == payout_id)
            .order_by(PaymentCallback.id)
        )
        return list(self.session.scalars(query))

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

    def lock_one(self, payout_id: int) -> Payout:
        return one(self.lock(payout_id), "payout", payout_id)

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

    def get(self, payout_id: int) -> Payout | None:
        return self.session.get(Payout, payout_id)

    def totals_in(self, statuses: tuple[str, ...]) -> dict[str, int]:
        """The amounts of the payouts in `statuses`, per currency."""
        query = (
            select(Payout.currency, func.sum(Payout.amount_minor))
            .where(Payout.status.in_(statuses))
            .group_by(Payout.currency)
        )
        return {currency: int(total) for currency, total in self.session.execute(query)}

    def add_resolution(self, row: PayoutResolution) -> None:
        self.session.add(row)
        self.session.flush()

    def resolutions(self, payout_id: int) -> list[PayoutResolution]:
        query = (
            select(PayoutResolution)
            .where(PayoutResolution.payout_id == payout_id)
            .order_by(PayoutResolution.id)
        )
        return list(self.session.scalars(query))

    def of_person(
        self, person_id: int, kind: str, statuses: tuple[str, ...], limit: int
    ) -> list[Payout]:
        """A person's payouts of `kind` in `statuses`, newest first."""
        query = select(Payout).where(
            Payout.person_id == person_id, Payout.kind == kind, Payout.status.in_(statuses)
        )
        return list(self.session.scalars(query.order_by(Payout.id.desc()).limit(limit)))
