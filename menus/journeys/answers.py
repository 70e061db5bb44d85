"""A confirmation laid out as a list, for summaries too long to repeat under an error line."""

from __future__ import annotations

from collections.abc import Callable

from menus.context import Context
from menus.i18n import t
from menus.screens import Item
from menus.screens import Pick
from menus.screens import Values

YES = "yes"
NO = "no"


def yes_or_no(
    screen: str,
    title: str,
    shows: Values,
    action: Callable[[Context], None],
    goto: str,
    yes: str = "confirm.yes",
    no: str = "confirm.no",
    no_goto: str = "confirm.cancelled",
) -> Pick:
    """`1` (labelled `yes`) runs `action` and goes to `goto`; `2` (labelled `no`) changes
    nothing and goes to `no_goto`.

    Unlike `Confirm`, a wrong key shows its reason in place of the summary (as lists do),
    so the summary may use the whole screen.
    """

    def options(ctx: Context) -> list[Item]:
        return [Item(YES, t(ctx.language, yes)), Item(NO, t(ctx.language, no))]

    def then(ctx: Context) -> None:
        if ctx.data["answer"] == YES:
            action(ctx)

    return Pick(
        screen,
        title,
        shows=shows,
        source=options,
        store="answer",
        then=then,
        routes=((NO, no_goto),),
        goto=goto,
    )
