"""Row-level extracts that name nobody: orders and SMS with each phone number replaced by a
keyed hash (HMAC-SHA256 under a secret key), so one number has one hash across extracts made
with the same key, and no hash can be turned back into a number without it (phone numbers
are few enough to be guessed from a plain hash). SMS texts are left out."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from config.currencies import exponent
from gateway.commerce.reports.trade import period
from gateway.store.uow import UnitOfWork

HASH_CHARS = 20
"""Hex characters of a number's hash kept (80 bits)."""

Row = dict[str, object]


def phone_hash(key: str, phone: str | None) -> str:
    if not phone:
        return ""
    digest = hmac.new(key.encode(), phone.encode(), hashlib.sha256).hexdigest()
    return digest[:HASH_CHARS]


def count_orders(uow: UnitOfWork, start: date, end: date) -> int:
    with uow:
        return uow.exports.count_orders(*period(start, end))


def orders(uow: UnitOfWork, start: date, end: date, key: str) -> Iterator[Row]:
    """Orders placed from `start` to `end` (both included), oldest first."""
    with uow:
        for order, buyer, buyer_country, seller, seller_country, agent, lines in uow.exports.orders(
            *period(start, end)
        ):
            by_agent = agent if order.placed_by_id not in (None, order.buyer_id) else None
            yield {
                "ref": order.ref,
                "placed_at": order.created_at.isoformat(timespec="seconds"),
                "status": order.status,
                "channel": order.channel,
                "delivery": order.delivery,
                "buyer": phone_hash(key, buyer),
                "buyer_country": buyer_country,
                "seller": phone_hash(key, seller),
                "seller_country": seller_country,
                "agent": phone_hash(key, by_agent),
                "lines": int(lines),
                "total": str(Decimal(order.total_minor).scaleb(-exponent(order.currency))),
                "currency": order.currency,
            }


def count_sms(uow: UnitOfWork, start: date, end: date) -> int:
    with uow:
        return uow.exports.count_sms(*period(start, end))


def sms(uow: UnitOfWork, start: date, end: date, key: str) -> Iterator[Row]:
    """Outgoing SMS queued from `start` to `end` (both included), oldest first, without text."""
    with uow:
        for m in uow.exports.sms(*period(start, end)):
            yield {
                "id": m.id,
                "queued_at": m.created_at.isoformat(timespec="seconds"),
                "to": phone_hash(key, m.to),
                "kind": m.kind,
                "status": m.status,
                "encoding": m.encoding,
                "segments": m.segments,
                "attempts": m.attempts,
                "delivery_status": m.delivery_status or "",
                "failure_reason": m.failure_reason or "",
                "cost": m.cost or "",
            }
