"""The operators' lists, each a page of rows matching a search and filters (read-only)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from gateway.store.models.agents import AgentAction
from gateway.store.models.agents import AgentPoint
from gateway.store.models.catalog import Listing
from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsMessage
from gateway.store.models.outbox import OutboxItem
from gateway.store.models.payments import Payment
from gateway.store.models.payments import PaymentCallback
from gateway.store.models.payments import Payout
from gateway.store.models.people import Person
from gateway.store.models.shipments import RefusedCarrierEvent
from gateway.store.models.shipments import Shipment
from gateway.store.models.shipments import ShipmentEvent
from gateway.store.repositories.reports import OrderRow
from gateway.store.repositories.reports import Page
from gateway.store.uow import UnitOfWork

DISPUTED = ("disputed", "mismatch")
"""Callbacks the provider's own status query contradicted, or that did not match the request."""

__all__ = ["Page"]


def orders(uow: UnitOfWork, page: Page) -> list[OrderRow]:
    with uow:
        return uow.reports.orders(page)


def payments(uow: UnitOfWork, page: Page) -> list[tuple[Payment, str]]:
    """Every payment attempt with its order's reference."""
    with uow:
        return uow.reports.payments(page)


def callbacks(
    uow: UnitOfWork, page: Page, verdicts: tuple[str, ...] = ()
) -> Sequence[PaymentCallback]:
    """Provider callbacks as received, with the verdict checking them reached."""
    with uow:
        return uow.reports.callbacks(page, verdicts)


def contested(uow: UnitOfWork, page: Page) -> Sequence[PaymentCallback]:
    return callbacks(uow, page, DISPUTED)


def payouts(uow: UnitOfWork, page: Page) -> Sequence[Payout]:
    with uow:
        return uow.reports.payouts(page)


@dataclass(frozen=True)
class SmsWithReports:
    message: SmsMessage
    reports: list[SmsDeliveryReport]


def sms(uow: UnitOfWork, page: Page) -> list[SmsWithReports]:
    """Outgoing SMS with the delivery reports received for each."""
    with uow:
        messages = uow.reports.sms(page)
        reports: dict[int, list[SmsDeliveryReport]] = defaultdict(list)
        for report in uow.reports.delivery_reports([m.id for m in messages]):
            reports[report.message_id or 0].append(report)
        return [SmsWithReports(m, reports[m.id]) for m in messages]


@dataclass(frozen=True)
class ParcelWithEvents:
    parcel: Shipment
    events: list[ShipmentEvent]
    refused: list[RefusedCarrierEvent]


def parcels(uow: UnitOfWork, page: Page) -> list[ParcelWithEvents]:
    """Parcels with their events (oldest first) and the carrier events refused for them."""
    with uow:
        found = uow.reports.parcels(page)
        ids = [p.id for p in found]
        events: dict[int, list[ShipmentEvent]] = defaultdict(list)
        refused: dict[int, list[RefusedCarrierEvent]] = defaultdict(list)
        for event in uow.reports.parcel_events(ids):
            events[event.shipment_id].append(event)
        for row in uow.reports.refused_events(ids):
            refused[row.shipment_id].append(row)
        return [ParcelWithEvents(p, events[p.id], refused[p.id]) for p in found]


def agents(uow: UnitOfWork, page: Page) -> list[tuple[Person, AgentPoint | None]]:
    with uow:
        return uow.reports.agents(page)


def agent_trail(uow: UnitOfWork, agent_id: int, limit: int = 100) -> Sequence[AgentAction]:
    """An agent's audit trail, newest first."""
    with uow:
        return uow.reports.agent_trail(agent_id, limit)


def sellers(uow: UnitOfWork, page: Page) -> list[tuple[Person, int, int]]:
    """Sellers with their listings counted (all, active)."""
    with uow:
        return uow.reports.sellers(page)


def listings_of(uow: UnitOfWork, seller_id: int) -> Sequence[Listing]:
    with uow:
        return uow.reports.listings_of(seller_id)


def dead_letters(uow: UnitOfWork, limit: int = 50) -> Sequence[OutboxItem]:
    """Outbox rows that failed for good, newest first."""
    with uow:
        return uow.outbox.dead(limit)
