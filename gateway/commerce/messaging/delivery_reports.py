"""Delivery reports: each one is stored, and moves the message it names forward, never back."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from gateway.store.models.base import utcnow
from gateway.store.models.messages import SmsDeliveryReport
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
    this is how such a message gets its `messageId` and status after all. A message already
    delivered stays so, and a report that is not final only moves a message still being sent.
    """
    now = utcnow()
    row = SmsDeliveryReport(
        at_message_id=report.at_message_id,
        status=report.status,
        failure_reason=report.failure_reason,
        phone=report.phone,
        network_code=report.network_code,
        retry_count=report.retry_count,
        received_at=now,
    )
    changes = _changes(report, now)
    with uow.autocommit() as alone:  # the usual case: one statement, its own transaction
        matched = alone.sms.add_matched_report(row, changes, report.final, now)
        alone.commit()
    if matched is not None:
        return True
    with uow:
        report_id, message_id = uow.sms.add_report(row)
        if message_id is None and report.phone:
            message = uow.sms.unmatched_attempt(report.phone)
            if message is not None:
                message_id = message.id
                uow.sms.match_report(report_id, message_id, report.at_message_id)
        if message_id is not None:
            uow.sms.report_delivery(message_id, changes, report.final, now)
        uow.commit()
        return message_id is not None


def _changes(report: DeliveryReport, now: datetime) -> dict[str, object]:
    """What the report writes on its message, if it may move it."""
    values: dict[str, object] = {"status": report.outcome, "delivery_status": report.status}
    if report.outcome == "delivered":
        values.update(delivered_at=now, failure_reason=None)
    elif report.outcome == "failed":
        values["failure_reason"] = (report.failure_reason or report.status)[:60]
    return values
