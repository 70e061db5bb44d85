"""PIN screens journeys share: choose a new PIN (twice), or enter one's PIN.

The PIN typed is checked and dropped at once; only its argon2 hash is kept in the journey's
data (between the two entries of a new PIN) and in the database.
"""

from __future__ import annotations

from collections.abc import Callable

from gateway.commerce import errors
from gateway.commerce.people.pins import hash_pin
from gateway.commerce.people.pins import matches
from gateway.commerce.people.pins import verify_pin
from menus.context import Context
from menus.screens import Ask
from menus.screens import Invalid

Then = Callable[[Context], None]


def choose_pin(first: str, goto: str, then: Then | None = None) -> tuple[Ask, Ask]:
    """Screens `first` and `first_again`; the new hash ends in `data["new_pin"]`, then `then` runs."""

    def new(ctx: Context, text: str) -> str:
        try:
            return hash_pin(text)
        except errors.InvalidPin as err:
            raise Invalid(f"pin.{err.reason}") from None

    def same(ctx: Context, text: str) -> str:
        if not matches(ctx.data["pin_first"], text):
            raise Invalid("pin.mismatch")
        return str(ctx.data["pin_first"])

    def keep(ctx: Context, pin_hash: str) -> str:
        ctx.data["new_pin"] = pin_hash
        del ctx.data["pin_first"]
        if then is not None:
            then(ctx)
        return pin_hash

    again = f"{first}_again"
    return (
        Ask(
            first,
            "pin.choose",
            parse=new,
            store="pin_first",
            goto=again,
            errors=("pin.format", "pin.weak"),
        ),
        Ask(
            again,
            "pin.again",
            parse=same,
            act=keep,
            store="new_pin",
            goto=goto,
            errors=("pin.mismatch",),
        ),
    )


def enter_pin(screen: str, goto: str, then: Then | None = None, title: str = "pin.enter") -> Ask:
    """Screen `screen` asks for the caller's PIN; on the right one `then` runs (publish, change).

    A wrong PIN is refused with the tries left; the last wrong try, or a locked PIN, ends the
    session (errors.PinLocked or PinNeedsReset through the engine's END_SCREEN).
    """

    def verify(ctx: Context, pin: str) -> bool:
        try:
            verify_pin(ctx.uow(), ctx.caller.id, pin, ctx.deps.pin_lock, ctx.deps.notices)
        except errors.WrongPin as err:
            raise Invalid("pin.wrong", count=err.left) from None
        if then is not None:
            then(ctx)
        return True

    return Ask(screen, title, act=verify, store="pin_ok", goto=goto, errors=("pin.wrong",))
