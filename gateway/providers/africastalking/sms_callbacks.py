"""Africa's Talking SMS callbacks, parsed before anything else (protocols.md 2.4).

Each parser returns a typed value, or a short reason (a `str`) that the view answers with 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class InboundSms:
    """An inbound message as Africa's Talking posted it (fields cut to their columns)."""

    at_id: str
    from_number: str
    text: str
    to: str | None = None
    link_id: str | None = None
    network_code: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class DeliveryReport:
    """A delivery report as Africa's Talking sent it, with its meaning: `outcome` is sent, delivered or
    failed; `final` is False for the intermediate Sent, Submitted and Buffered."""

    at_message_id: str
    status: str
    outcome: str
    final: bool
    failure_reason: str | None = None
    phone: str | None = None
    network_code: str | None = None
    retry_count: int | None = None


TEXT_MAX = 5000
"""Longest inbound text kept (32 concatenated parts); the rest is cut, not refused, since
Africa's Talking would retry a refused message for 12 hours."""

DELIVERY_STATUS = {
    "Sent": ("sent", False),
    "Submitted": ("sent", False),
    "Buffered": ("sent", False),
    "Success": ("delivered", True),
    "Failed": ("failed", True),
    "Rejected": ("failed", True),
    "AbsentSubscriber": ("failed", True),
    "Expired": ("failed", True),
}
"""AT's delivery `status` → (our message status, is it final)."""

FAILURE_REASONS = {
    "NotNetworkSubcriber": "NotNetworkSubscriber",  # sic: the official docs' spelling
}
"""Spellings of `failureReason` read as another; any other value is kept as sent."""


def _field(form: Mapping[str, str], name: str, size: int) -> str | None:
    value = (form.get(name) or "").replace("\x00", "").strip()
    return value[:size] or None


def parse_inbound(form: Mapping[str, str]) -> InboundSms | str:
    """An incoming message, or why it cannot be read."""
    at_id, sender = _field(form, "id", 65) or "", _field(form, "from", 33) or ""
    if not at_id:
        return "id is required"
    if len(at_id) > 64:
        return "id is too long"
    if not sender or len(sender) > 32:
        return "from must be a phone number"
    text = form.get("text")
    if text is None:
        return "text is required"
    return InboundSms(
        at_id=at_id,
        from_number=sender,
        text=text.replace("\x00", "")[:TEXT_MAX],
        to=_field(form, "to", 20),
        link_id=_field(form, "linkId", 100),
        network_code=_field(form, "networkCode", 10),
        date=_field(form, "date", 40),
    )


def parse_delivery(form: Mapping[str, str]) -> DeliveryReport | str:
    """A delivery report, or why it cannot be read (an unknown status among them)."""
    at_id, status = _field(form, "id", 65) or "", _field(form, "status", 30) or ""
    if not at_id or len(at_id) > 64:
        return "id is required (at most 64 characters)"
    if status not in DELIVERY_STATUS:
        return f"unknown status {status[:30]!r}"
    outcome, final = DELIVERY_STATUS[status]
    reason = _field(form, "failureReason", 60)
    retries = (form.get("retryCount") or "").strip()
    return DeliveryReport(
        at_message_id=at_id,
        status=status,
        outcome=outcome,
        final=final,
        failure_reason=FAILURE_REASONS.get(reason, reason) if reason else None,
        phone=_field(form, "phoneNumber", 32),
        network_code=_field(form, "networkCode", 10),
        retry_count=int(retries) if retries.isdigit() else None,
    )


def parse_opt_out(form: Mapping[str, str]) -> str | None:
    """The number from AT's bulk-SMS opt-out callback (`senderId`, `phoneNumber`), or None."""
    return _field(form, "phoneNumber", 16)
