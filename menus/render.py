"""Turns a screen into text that fits the budget: pages of items, a navigation line, clipping."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gateway.text.gsm import screen_fits
from gateway.text.gsm import transliterate
from menus.context import Context
from menus.i18n import t
from menus.screens import HOME_SCREEN
from menus.screens import Item
from menus.screens import Pick
from menus.screens import Screen


@dataclass(frozen=True)
class Budget:
    """Characters a screen may use, prefix included, by encoding; and choices per page."""

    gsm: int = 160
    ucs2: int = 80
    per_page: int = 6

    def fits(self, answer: str) -> bool:
        """Whether `answer` fits once written in the phone's alphabet (as the engine sends it)."""
        return screen_fits(transliterate(answer), self.gsm, self.ucs2)


def nav_line(language: str, more: bool, back: bool, home: bool) -> str:
    parts = [
        t(language, key)
        for key, on in (("nav.more", more), ("nav.back", back), ("nav.home", home))
        if on
    ]
    return " ".join(parts)


def lines(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def numbered(items: Sequence[Item]) -> list[str]:
    return [f"{i}. {item.label}" for i, item in enumerate(items, 1)]


def clip(text: str, budget: Budget) -> str:
    """Shorten `text` (without prefix) until `CON text` fits; a last resort, never the plan."""
    while len(text) > 1 and not budget.fits("CON " + text):
        text = text[:-2] + "."
    return text


def _shorten_label(item: Item, header: str, nav: str, budget: Budget) -> Item:
    """`item` with its label cut until it fits alone between `header` and `nav`."""
    label = item.label
    while len(label) > 1 and not budget.fits("CON " + lines(header, f"1. {label}", nav)):
        label = label[:-2] + "."
    return Item(item.value, label)


def paginate(header: str, items: Sequence[Item], nav: str, budget: Budget) -> list[list[Item]]:
    """Split `items` into pages that fit between `header` and the navigation lines.

    Every page keeps room for the `98` line, so page boundaries never depend on which page
    is last. A single item too long for a page has its label shortened.
    """
    pages: list[list[Item]] = []
    start = 0
    while start < len(items):
        page: list[Item] = []
        for item in items[start : start + budget.per_page]:
            trial = lines(header, *numbered([*page, item]), nav)
            if not budget.fits("CON " + trial):
                break
            page.append(item)
        if not page:
            page = [_shorten_label(items[start], header, nav, budget)]
        pages.append(page)
        start += len(page)
    return pages or [[]]


def error_line(ctx: Context, state: dict[str, Any]) -> str:
    """The localised reason the last input was refused, or nothing."""
    if not state.get("error"):
        return ""
    key, values = state["error"]
    return t(ctx.language, key, **values)


def compose(
    screen: Screen,
    ctx: Context,
    state: dict[str, Any],
    budget: Budget,
    items: Callable[[Context], list[Item]],
) -> tuple[str, str]:
    """`(kind, body)` of `screen` before any clipping; records in `state` the values shown.

    Lists are paged to the budget (a list that fits whole is one page, with no room kept for
    `98`); the title gives way to the error line on a refused choice, so pages stay put. Free-input and confirm screens show the error
    above their text (a free-input screen's shorter `retry` prompt, when it has one).
    """
    error = error_line(ctx, state)
    prompt = getattr(screen, "retry", "") if error else ""
    title = t(ctx.language, prompt or screen.title, **screen.values(ctx))
    if screen.final:
        return "END", title
    back = bool(state["stack"]) or state["page"] > 0
    home = back and screen.id != HOME_SCREEN
    if screen.paged:
        listed = items(ctx)
        if not listed and isinstance(screen, Pick):
            state.update(shown=[], more=False)
            return "CON", lines(
                t(ctx.language, screen.empty), nav_line(ctx.language, False, back, home)
            )
        header = max(title, t(ctx.language, "nav.invalid"), key=len)
        alone = lines(header, *numbered(listed), nav_line(ctx.language, False, True, home))
        if len(listed) <= budget.per_page and budget.fits("CON " + alone):
            pages = [list(listed)]  # one page: no page boundary to keep stable
        else:
            pages = paginate(header, listed, nav_line(ctx.language, True, True, home), budget)
        state["page"] = page = min(state["page"], len(pages) - 1)
        shown, more = pages[page], page < len(pages) - 1
        body = lines(error or title, *numbered(shown), nav_line(ctx.language, more, back, home))
    else:
        shown, more = items(ctx), False
        body = lines(error, title, *numbered(shown), nav_line(ctx.language, False, back, home))
    state.update(shown=[i.value for i in shown], more=more)
    return "CON", body
