"""The kinds of screen a journey is declared with, and how each renders and reads input.

A journey is a tuple of screens; each names the screen that follows it. Screens render
through `Page`, which keeps every answer inside the screen budget.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from menus.context import Context
from menus.i18n import t

MORE = "98"
BACK = "0"
SKIP = "1"
HOME = "00"
HOME_SCREEN = "home.main"


class Invalid(Exception):
    """Input a screen refuses; `key` names the locale text that says why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Item:
    """One entry of a list: the value stored when chosen, and its label as shown."""

    value: Any
    label: str


@dataclass(frozen=True)
class Goto:
    """Move to `screen`, pushing the current one on the back stack."""

    screen: str


@dataclass(frozen=True)
class Retry:
    """Show the same screen again with an error line."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


Outcome = Goto | Retry
Values = Callable[[Context], dict[str, object]]
Branches = tuple[tuple[Callable[[Context], bool], str], ...]
"""`((question, screen), ...)`: after an answer, the first screen whose question is true for
the journey's data comes next instead of `goto` (a returning buyer skips the delivery)."""


def _next(ctx: Context, branches: Branches, goto: str) -> Goto:
    return Goto(next((screen for asks, screen in branches if asks(ctx)), goto))


def _no_values(_ctx: Context) -> dict[str, object]:
    return {}


@dataclass(frozen=True)
class Choice:
    """A fixed menu line; `shown` hides it from callers it does not apply to; `then` reads
    what the next screen shows, when chosen."""

    label: str
    goto: str
    shown: Callable[[Context], bool] | None = None
    then: Callable[[Context], None] | None = None


@dataclass(frozen=True)
class Screen:
    """Common to every screen: an id `journey.name` and its title text key (the id itself
    unless the screen shares another screen's title)."""

    id: str
    title: str = ""

    final = False
    paged = False

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", self.id)

    def values(self, ctx: Context) -> dict[str, object]:
        return {}

    def items(self, ctx: Context) -> list[Item]:
        return []

    def handle(self, ctx: Context, text: str, items: Sequence[Item]) -> Outcome:
        raise NotImplementedError


@dataclass(frozen=True)
class Menu(Screen):
    """A fixed list of choices, each leading to its own screen."""

    choices: tuple[Choice, ...] = ()
    shows: Values = _no_values
    paged = True

    def values(self, ctx: Context) -> dict[str, object]:
        return self.shows(ctx)

    def visible(self, ctx: Context) -> list[Choice]:
        return [c for c in self.choices if c.shown is None or c.shown(ctx)]

    def items(self, ctx: Context) -> list[Item]:
        return [Item(c.goto, t(ctx.language, c.label)) for c in self.visible(ctx)]

    def handle(self, ctx: Context, text: str, items: Sequence[Item]) -> Outcome:
        chosen = pick_item(text, items)
        if chosen is None:
            return Retry("nav.invalid")
        choice = next((c for c in self.choices if c.goto == chosen.value), None)
        if choice is not None and choice.then is not None:
            choice.then(ctx)
        return Goto(chosen.value)


@dataclass(frozen=True)
class Pick(Screen):
    """A list computed from the domain; the chosen item's value is stored under `store`.

    `routes` sends chosen values to other screens than `goto` (`(("other", "x.typed"),)`);
    `branches` then look at the journey's data.
    """

    source: Callable[[Context], list[Item]] = lambda ctx: []
    store: str = ""
    goto: str = ""
    empty: str = "nav.empty"
    then: Callable[[Context], None] | None = None
    routes: tuple[tuple[Any, str], ...] = ()
    branches: Branches = ()
    shows: Values = _no_values
    paged = True

    def values(self, ctx: Context) -> dict[str, object]:
        return self.shows(ctx)

    def items(self, ctx: Context) -> list[Item]:
        return self.source(ctx)

    def handle(self, ctx: Context, text: str, items: Sequence[Item]) -> Outcome:
        chosen = pick_item(text, items)
        if chosen is None:
            return Retry("nav.invalid")
        ctx.data[self.store] = chosen.value
        if self.then is not None:
            self.then(ctx)
        routed = next((to for value, to in self.routes if value == chosen.value), None)
        return Goto(routed) if routed else _next(ctx, self.branches, self.goto)


@dataclass(frozen=True)
class Ask(Screen):
    """Free input: `parse` reads and checks it (changing nothing), `act` does what it asks for
    (recording, paying, redeeming), and what `act` returns (else the parsed value) is stored
    under `store`. Either may refuse the input with `Invalid`; `branches` choose what follows."""

    parse: Callable[[Context, str], Any] = lambda ctx, text: text
    act: Callable[[Context, Any], object] | None = None
    store: str = ""
    goto: str = ""
    branches: Branches = ()
    shows: Values = _no_values
    errors: tuple[str, ...] = ()
    retry: str = ""
    """A shorter prompt shown under an error line, when the title is too long for both."""
    skip: str = ""
    """For an optional answer: the text of a `1.` line that answers nothing (stored as None)."""

    def values(self, ctx: Context) -> dict[str, object]:
        return self.shows(ctx)

    def items(self, ctx: Context) -> list[Item]:
        return [Item(SKIP, t(ctx.language, self.skip))] if self.skip else []

    def handle(self, ctx: Context, text: str, items: Sequence[Item]) -> Outcome:
        if self.skip and text.strip() == SKIP:
            ctx.data[self.store] = None
            return _next(ctx, self.branches, self.goto)
        try:
            value = self.parse(ctx, text.strip())
            if self.act is not None:
                value = self.act(ctx, value)
        except Invalid as err:
            return Retry(err.key, dict(err.values))
        ctx.data[self.store] = value
        return _next(ctx, self.branches, self.goto)


@dataclass(frozen=True)
class Confirm(Screen):
    """A summary with `1` to go ahead (running `action`) and `2` to cancel."""

    shows: Values = _no_values
    action: Callable[[Context], None] = lambda ctx: None
    goto: str = ""

    def values(self, ctx: Context) -> dict[str, object]:
        return self.shows(ctx)

    def items(self, ctx: Context) -> list[Item]:
        return [
            Item("yes", t(ctx.language, "confirm.yes")),
            Item("no", t(ctx.language, "confirm.no")),
        ]

    def handle(self, ctx: Context, text: str, items: Sequence[Item]) -> Outcome:
        chosen = pick_item(text, items)
        if chosen is None:
            return Retry("nav.invalid")
        if chosen.value == "no":
            return Goto("confirm.cancelled")
        self.action(ctx)
        return Goto(self.goto)


@dataclass(frozen=True)
class End(Screen):
    """The last screen of a journey: `END` and its text."""

    shows: Values = _no_values
    final = True

    def values(self, ctx: Context) -> dict[str, object]:
        return self.shows(ctx)


def pick_item(text: str, items: Sequence[Item]) -> Item | None:
    """The item numbered `text` on the page shown (1-based), if any."""
    if not text.isdigit():
        return None
    index = int(text) - 1
    return items[index] if 0 <= index < len(items) else None
