"""An order's statuses, the steps between them, and the groups other modules ask about.

placed ─┬─> awaiting_payment <─> payment_failed
        │        │                    │
        ├────────┴──> paid <──────────┘          (a cash order: placed -> paid)
        │              ├─> delivered             (escrow released to the seller)
        │              ├─> refunded              (returned, expired at a point)
        │              └─> disputed ─┬─> delivered   (the buyer reported a problem: escrow
        │                            └─> refunded     held until an operator settles it)
        └─> cancelled | expired                  (from any unpaid status; stock goes back)
"""

from __future__ import annotations

from gateway.commerce.machine import Machine

ORDER = Machine(
    "order",
    "placed",
    {
        "placed": ("awaiting_payment", "paid", "cancelled", "expired"),
        "awaiting_payment": ("awaiting_payment", "paid", "payment_failed", "cancelled", "expired"),
        "payment_failed": ("awaiting_payment", "paid", "cancelled", "expired"),
        "paid": ("delivered", "refunded", "disputed"),
        "disputed": ("delivered", "refunded"),
        "delivered": (),
        "refunded": (),
        "cancelled": (),
        "expired": (),
    },
)
STATES = ORDER.states
move = ORDER.move

PAYABLE = ("placed", "awaiting_payment", "payment_failed")
"""Money arriving now pays the order; the buyer (or their agent) may still cancel it."""
HELD = ("paid", "disputed")
"""The order's total sits in escrow until delivery or a refund empties it."""
DISPUTABLE = ("paid",)
"""The buyer may report a problem: the money is still held and nobody disputed it yet."""
TO_FULFIL = ("paid",)
"""A seller is asked to prepare the goods."""
MAY_BE_DELIVERED = (*PAYABLE, *HELD)
"""An agent's commission on the order is still pending."""
DELIVERED = ("delivered",)
"""An agent's commission on the order is earned."""
