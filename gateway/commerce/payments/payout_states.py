"""A payout's statuses: seller payouts, agent commissions and refunds, each sent once.

scheduled -> sending -> pending -> succeeded | failed
sending   -> succeeded | failed | unknown   (a result before `pending`; a refusal; a lost answer)
unknown   -> succeeded | failed             (the provider's word arrives after all)
failed    -> scheduled                      (an operator sends it again)
scheduled -> cancelled | succeeded          (a commission clawed back, or netted in full)
"""

from __future__ import annotations

from gateway.commerce.machine import Machine

PAYOUT = Machine(
    "payout",
    "scheduled",
    {
        "scheduled": ("sending", "cancelled", "succeeded"),
        "sending": ("pending", "succeeded", "failed", "unknown"),
        "pending": ("succeeded", "failed"),
        "succeeded": (),
        "failed": ("scheduled",),
        "unknown": ("succeeded", "failed"),
        "cancelled": (),
    },
)
STATES = PAYOUT.states
move = PAYOUT.move

SETTLED = ("succeeded", "failed", "cancelled")
"""A result for the payout changes nothing any more."""
