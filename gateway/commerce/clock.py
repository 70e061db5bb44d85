"""The clock the domain is handed: a function returning the current time, timezone-aware UTC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The wall clock in UTC; tests hand the domain a fixed clock instead."""
    return datetime.now(UTC)
