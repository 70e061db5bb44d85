"""Africa's Talking's USSD end-of-session notification, parsed defensively (protocols.md 1.3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime

STATUSES = ("Success", "Incomplete", "Failed")
"""How Africa's Talking says a session ended."""


@dataclass(frozen=True)
class SessionEnd:
    """Africa's Talking's end-of-session notification, read defensively."""

    session_id: str
    status: str
    phone: str | None
    service_code: str | None
    network_code: str | None
    hops: int | None
    duration_ms: int | None
    last_screen: str | None
    hops_metadata: str | None
    last_response: str | None
    cost: str | None
    error: str | None
    occurred_at: datetime | None


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def _date(raw: str | None) -> datetime | None:
    """AT sends `yyyy-MM-dd HH:mm:ss` in UTC; anything else is kept as unknown."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(raw or "", fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _cut(raw: str | None, size: int) -> str | None:
    return raw[:size] if raw else None


def parse_session_end(form: Mapping[str, str]) -> SessionEnd | str:
    """The notification as a `SessionEnd`, or the reason it cannot be read."""
    session_id, status = form.get("sessionId", "").strip(), form.get("status", "").strip()
    if not session_id:
        return "sessionId is required"
    if len(session_id) > 100:
        return "sessionId is too long"
    if status not in STATUSES:
        return f"unknown status {status[:30]!r}"
    metadata = form.get("hopsMetadata") or None
    return SessionEnd(
        session_id=session_id,
        status=status,
        phone=_cut(form.get("phoneNumber"), 16),
        service_code=_cut(form.get("serviceCode"), 40),
        network_code=_cut(form.get("networkCode"), 10),
        hops=_int(form.get("hopsCount")),
        duration_ms=_int(form.get("durationInMillis")),
        last_screen=_cut(metadata.rsplit("|", 1)[-1], 100) if metadata else None,
        hops_metadata=_cut(metadata, 2000),
        last_response=_cut(form.get("lastAppResponse"), 400),
        cost=_cut(form.get("cost"), 30),
        error=_cut(form.get("errorMessage"), 400),
        occurred_at=_date(form.get("date")),
    )
