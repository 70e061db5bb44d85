"""Delivery reports: each one is stored, and moves the message it names forward, never back."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from gateway.store.models.base import utcnow
from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsMessage
from gateway.store.uow import UnitOfWork


class DeliveryReport(Protocol):
    """A delivery report as a provider read it: `outcome` is sent, delivered or failed;
    `final` is False for reports that may still be followed by another (Africa's Talking's
    `DeliveryReport` fits)."""

    @property
    def at_message_id(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def outcome(self) -> str: ...

    @property
    def final(self) -> bool: ...

    @property
    def failure_reason(self) -> str | None: ...

    @property
    def phone(self) -> str | None: ...

    @property
    def network_code(self) -> str | None: ...

    @property
    def retry_count(self) -> int | None: ...


def record_delivery(uow: UnitOfWork, report: DeliveryReport) -> bool:
    """Store the report and apply it; False when it matches none of our messages (kept anyway).

    A report for an id we never recorded is matched, by its phone number, to the newest
    message whose send was attempted but whose outcome was lost (a worker died, a timeout):
    this is how such a message gets its `messageId` and status after all.
    """
    now = utcnow()
    with uow:
        message = uow.sms.by_at_id(report.at_message_id)
        if message is None and report.phone:
            message = uow.sms.unmatched_attempt(report.phone)
            if message is not None:
                message.at_message_id = report.at_message_id
        uow.sms.add(
            SmsDeliveryReport(
                at_message_id=report.at_message_id,
                message_id=message.id if message is not None else None,
                status=report.status,
                failure_reason=report.failure_reason,
                phone=report.phone,
                network_code=report.network_code,
                retry_count=report.retry_count,
                received_at=now,
            )
        )
        if message is not None:
            _apply(message, report, now)
        uow.commit()
        return message is not None


def _apply(message: SmsMessage, report: DeliveryReport, now: datetime) -> None:
    if message.status == "delivered":
        return
    if not report.final and message.status not in ("sending", "unknown", "sent"):
        return
    message.status = report.outcome
    message.delivery_status = report.status
    message.updated_at = now
    if report.outcome == "delivered":
        message.delivered_at, message.failure_reason = now, None
    elif report.outcome == "failed":
        message.failure_reason = (report.failure_reason or report.status)[:60]
