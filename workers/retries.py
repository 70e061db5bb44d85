"""How failed outbox work is retried: the backoff, and the failure no retry can fix."""

from __future__ import annotations

BACKOFF = (10, 30, 120, 600, 1800)
"""Seconds to wait before each retry; the row is dead after the last one fails."""


class FinalError(Exception):
    """A handler failure that no retry can fix; the row goes straight to the dead letters."""
