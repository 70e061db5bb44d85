"""A parcel's statuses: which may follow which, and replaying events by time.

Events may arrive out of order, so a shipment's state is not "the last event received" but
the fold of its events sorted by `occurred_at` (ties by arrival), starting from `created`,
skipping any event that is not a legal next step. A new event is accepted only if it is legal
where its time puts it and it makes no event already accepted illegal. So a parcel's stored
events never hold a skipped one, and the events before a new one fold to the last of them:
placing it needs only that one and the events after it (`accept`'s `since`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from gateway.commerce import errors
from gateway.commerce.machine import Machine

PARCEL = Machine(
    "parcel",
    "created",
    {
        "created": (
            "picked_up",
            "in_transit",
            "at_pickup_point",
            "out_for_delivery",
            "at_border",
            "cleared_border",
        ),
        "picked_up": (
            "picked_up",
            "in_transit",
            "at_pickup_point",
            "out_for_delivery",
            "at_border",
            "cleared_border",
        ),
        "in_transit": (
            "in_transit",
            "at_pickup_point",
            "out_for_delivery",
            "failed_delivery",
            "returning",
            "at_border",
            "cleared_border",
        ),
        "at_border": ("at_border", "cleared_border", "returning"),
        "cleared_border": ("cleared_border", "in_transit", "at_pickup_point", "out_for_delivery"),
        "at_pickup_point": ("at_pickup_point", "delivered", "expired", "returning"),
        "out_for_delivery": ("out_for_delivery", "delivered", "failed_delivery"),
        "delivered": (),
        "failed_delivery": (
            "failed_delivery",
            "out_for_delivery",
            "at_pickup_point",
            "in_transit",
            "returning",
        ),
        "returning": ("returning", "returned"),
        "returned": (),
        "expired": ("returning",),
    },
)
"""status → the statuses that may follow it; repeating a non-final status is history only."""
START = PARCEL.start
TRANSITIONS = PARCEL.transitions
STATES = PARCEL.states
FINAL = PARCEL.final
legal = PARCEL.legal
REPORTABLE = frozenset(STATES) - {START}
"""Statuses an event may carry (`created` is only ever Sokoni's own first event)."""
CODE_STATES = frozenset({"at_pickup_point", "out_for_delivery"})
BORDER_STATES = frozenset({"at_border", "cleared_border"})
"""A cross-border parcel waits at a border post, then customs clear it (which uses its
Simplified Certificate of Origin, if it has one)."""
"""Where the buyer needs a delivery code: the next step is handing the parcel over."""


@dataclass(frozen=True)
class Step:
    """An event as the state machine sees it; `seq` orders events that happened at once."""

    status: str
    occurred_at: datetime
    seq: int


@dataclass(frozen=True)
class Replay:
    """The state after folding steps, when it was reached, and the steps that did not apply."""

    status: str
    status_at: datetime | None
    skipped: frozenset[int]


def replay(steps: Iterable[Step], since: Step | None = None) -> Replay:
    """Fold `steps` from `since` (the step the earlier ones ended at), else from the start."""
    status, status_at = START, None
    if since is not None and since.status != START:
        status, status_at = since.status, since.occurred_at
    skipped = set()
    for step in sorted(steps, key=lambda s: (s.occurred_at, s.seq)):
        if step.status == START:
            continue
        if legal(status, step.status):
            status, status_at = step.status, step.occurred_at
        else:
            skipped.add(step.seq)
    return Replay(status, status_at, frozenset(skipped))


@dataclass(frozen=True)
class Accepted:
    """What accepting an event did: the status before and after (equal for history only)."""

    before: str
    after: str
    after_at: datetime
    """When the parcel reached `after` (the new event's time while it is still `created`)."""

    @property
    def changed(self) -> bool:
        return self.before != self.after


def accept(ref: str, history: list[Step], new: Step, since: Step | None = None) -> Accepted:
    """Place `new` among `history` by time; with `since`, `history` holds only the steps after
    `since`, the last stored step at or before `new`'s time.

    Raises:
        IllegalTransition: `new` is not a legal step where it falls, or it would make a step
        already accepted illegal.
    """
    if new.status not in REPORTABLE:
        raise errors.IllegalTransition(ref, "?", new.status)
    before = replay(history, since)
    after = replay([*history, new], since)
    if not after.skipped <= before.skipped:
        raise errors.IllegalTransition(ref, before.status, new.status)
    return Accepted(before.status, after.status, after.status_at or new.occurred_at)
