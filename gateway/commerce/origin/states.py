"""A certificate's statuses: `valid` until a border clears the parcel (`used`) or the order is
refunded or an operator withdraws it (`cancelled`)."""

from __future__ import annotations

from gateway.commerce.machine import Machine

CERTIFICATE = Machine(
    "certificate",
    "valid",
    {
        "valid": ("used", "cancelled"),
        "used": (),
        "cancelled": (),
    },
)
move = CERTIFICATE.move
