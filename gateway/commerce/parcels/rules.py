"""The rules parcels follow: the delivery-code lock, the return window, the wait at a point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Rules:
    """Built once from the settings by the composition root (`gateway.bootstrap`)."""

    code_tries: int = 5
    """Wrong delivery codes that lock a parcel."""
    lock: timedelta = timedelta(hours=1)
    """How long a parcel stays locked after `code_tries` wrong codes."""
    return_window: timedelta = timedelta(days=7)
    """After delivery, how long the buyer may still return the goods."""
    pickup_days: int = 7
    """Days a parcel waits at a pickup point before it expires and goes back."""
    notify_window: timedelta = timedelta(seconds=60)
    """A burst of one parcel's changes within this window makes one SMS to the buyer."""
    resend_gap: timedelta = timedelta(seconds=60)
    """Least time between two new delivery codes for one parcel."""
    event_max_age: timedelta = timedelta(days=30)
    """Oldest event accepted: a report of something longer ago is refused."""
