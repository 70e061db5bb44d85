"""Screens whose choices are fixed (not read from the database) show every choice in full,
on one page (after the parts of a text too long for one screen), even with the widest values
the budget check uses."""

import pytest

from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.people.callers import Caller
from menus.budget import CHECK_DEPS
from menus.budget import NoDatabase
from menus.budget import worst_data
from menus.context import Context
from menus.i18n import LANGUAGES
from menus.journeys.registry import SCREENS
from menus.render import Budget
from menus.render import compose
from menus.render import numbered
from menus.screens import HOME_SCREEN
from menus.screens import Item

MINE = {"home", "account", "sell", "buy", "orders", "agent"}
"""The journeys of this feature (other features test their own)."""
CALLER = Caller(
    1, "+254700000000", "KE", "en", "W" * NAME_MAX, None, None, frozenset({"seller", "agent"}), True
)


def _fixed(screen, ctx) -> list[Item] | None:  # type: ignore[no-untyped-def]
    try:
        return screen.items(ctx)
    except (NoDatabase, KeyError):  # the list comes from the database
        return None


@pytest.mark.parametrize("language", LANGUAGES)
def test_fixed_choices_are_never_cut_or_paged(language):
    budget = Budget()
    for screen in SCREENS.values():
        if not screen.paged or screen.id.split(".")[0] not in MINE:
            continue
        for error in (None, ["nav.invalid", {}]):
            ctx = Context(CALLER, language, CHECK_DEPS, "t", "t", data=worst_data(language))
            items = _fixed(screen, ctx)
            if items is None or len(items) > budget.per_page:
                continue
            state = {"screen": screen.id, "page": 0, "stack": [[HOME_SCREEN, 0]], "error": error}
            _, body = compose(screen, ctx, state, budget, screen.items)
            while not state["shown"] and state["more"]:  # a long text's parts come first
                state["page"] += 1
                _, body = compose(screen, ctx, state, budget, screen.items)
            shown = [line for line in body.split("\n") if line in numbered(items)]
            assert shown == numbered(items), f"{language} {screen.id}: {body}"
            assert state["shown"] == [i.value for i in items], f"{language} {screen.id}"
