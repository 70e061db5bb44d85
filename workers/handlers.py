"""The tables of what runs for each outbox topic: a handler gets the services and the row's
payload (ids only), or, for topics run together, the payloads of many rows. Follow-ups of
facts are the domain's (`gateway.commerce.followups`); tasks that call a provider are this
package's own."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from gateway.bootstrap import Services
from gateway.commerce import followups
from gateway.commerce import topics
from workers import parcels
from workers import payments
from workers import sms

Handler = Callable[[Services, dict[str, Any]], None]
Together = Callable[[Services, Sequence[dict[str, Any]], datetime], dict[int, Exception]]
"""Runs many rows of one topic at once; returns the rows (by position) that failed, with why."""

HANDLERS: dict[str, Handler] = {
    topics.ORDER_PLACED: lambda s, p: followups.order_placed(s.deps, p["order_id"]),
    topics.ORDER_PAID: lambda s, p: followups.order_paid(s.deps, p["order_id"]),
    topics.PAYMENT_REQUEST: payments.request,
    topics.PAYMENT_CALLBACK: payments.callback,
    topics.PAYMENT_CHECK: payments.check,
    topics.PAYOUT_SEND: payments.payout_send,
    topics.PAYOUT_CHECK: payments.payout_check,
    topics.PARCEL_CHANGED: lambda s, p: followups.parcel_changed(
        s.deps, p["shipment_id"], p["status"]
    ),
    topics.PARCEL_NOTIFY: lambda s, p: followups.parcel_notify(s.deps, p["shipment_id"]),
}
"""Topics whose rows run one at a time."""
TOGETHER: dict[str, Together] = {
    **{topic: sms.send for topic in topics.SMS_SENDS},
    topics.SMS_INBOUND: sms.inbound,
    topics.PARCEL_SCAN: parcels.judge_scans,
}
"""Topics whose due rows run together: SMS sends, grouped into calls by text; inbound
commands, answered in one transaction where their answer is a fixed text; carriers' scans,
judged in the order they arrived."""
