"""A payment attempt's statuses: `sending` is committed before the provider is called.

sending -> pending -> succeeded | failed
sending -> succeeded | failed           (a callback or query before `pending` was written;
                                         a refused request; cash taken by an agent)
failed  -> succeeded                    (a failure Sokoni recorded itself, proven wrong)
"""

from __future__ import annotations

from gateway.commerce.machine import Machine

PAYMENT = Machine(
    "payment",
    "sending",
    {
        "sending": ("pending", "succeeded", "failed"),
        "pending": ("succeeded", "failed"),
        "succeeded": (),
        "failed": ("succeeded",),
    },
)
STATES = PAYMENT.states
move = PAYMENT.move

OPEN = ("sending", "pending")
"""The provider may still decide the attempt."""
