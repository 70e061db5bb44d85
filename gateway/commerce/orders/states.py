"""An order's statuses, the steps between them, and the groups other modules ask about.

placed ─┬─> awaiting_payment <─> payment_failed
        │        │                    │
        ├────────┴──> paid <──────────┘          (a cash order: placed -> paid)
        │              ├─> delivered             (escrow released to the seller)
        │              └─> refunded              (returned, expired at a point, disputed)
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
        "paid": ("delivered", "refunded"),
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
HELD = ("paid",)
"""The order's total sits in escrow until delivery or a refund empties it."""
TO_FULFIL = ("paid",)
"""A seller is asked to prepare the goods."""
MAY_BE_DELIVERED = (*PAYABLE, "paid")
"""An agent's commission on the order is still pending."""
DELIVERED = ("delivered",)
"""An agent's commission on the order is earned."""
