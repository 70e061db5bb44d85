"""Delivery reports: each one is stored, and moves the message it names forward, never back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.store.models import SmsDeliveryReport
from gateway.store.models import SmsMessage
from gateway.store.models import utcnow
from gateway.store.uow import UnitOfWork


@dataclass(frozen=True)
class DeliveryReport:
    """A report as Africa's Talking sent it, with its meaning: `outcome` is sent, delivered or
    failed; `final` is False for the intermediate Sent, Submitted and Buffered."""

    at_message_id: str
    status: str
    outcome: str
    final: bool
    failure_reason: str | None = None
    phone: str | None = None
    network_code: str | None = None
    retry_count: int | None = None


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
