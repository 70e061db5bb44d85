"""Turns a screen into text that fits the budget: pages of items, a navigation line, clipping."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gateway.text.gsm import screen_fits
from gateway.text.gsm import transliterate
from menus.context import Context
from menus.i18n import t
from menus.screens import HOME_SCREEN
from menus.screens import Item
from menus.screens import Pick
from menus.screens import Screen

FITS_KEPT = 8192
"""Screen texts whose fit a process remembers: a page is tried again on every hop that shows it."""


@dataclass(frozen=True)
class Budget:
    """Characters a screen may use, prefix included, by encoding; and choices per page."""

    gsm: int = 160
    ucs2: int = 80
    per_page: int = 6

    def fits(self, answer: str) -> bool:
        """Whether `answer` fits once written in the phone's alphabet (as the engine sends it)."""
        return _fits(answer, self.gsm, self.ucs2)


@lru_cache(maxsize=FITS_KEPT)
def _fits(answer: str, gsm: int, ucs2: int) -> bool:
    return screen_fits(transliterate(answer), gsm, ucs2)


LABEL_ROOM = 20
"""A long list title is cut into parts so that its last part leaves room for at least this
much of a choice below it."""


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


def split_text(
    text: str, part_fits: Callable[[str], bool], last_fits: Callable[[str], bool]
) -> list[str]:
    """`text` in parts cut between words (at a line's end when that fits): the longest ending
    that `last_fits`, and before it parts that each `part_fits` (a word too long for any part is
    cut). One part when it all fits."""
    words = re.findall(r"\S+\s*", text)
    start = next(
        (i for i in range(len(words) + 1) if last_fits("".join(words[i:]).strip())), len(words)
    )
    line_start = next((i for i in range(start, len(words)) if words[i - 1].endswith("\n")), 0)
    start = line_start if start and line_start else start
    parts: list[str] = []
    current = ""
    for word in words[:start]:
        if part_fits((current + word).strip()):
            current += word
            continue
        line_end = current.rstrip().rfind("\n")
        rest = current[line_end + 1 :] + word
        if line_end > 0 and "\n" not in current[len(current.rstrip()) :] and part_fits(rest):
            parts.append(current[:line_end].strip())  # a part ends at a line's end if it can
            current = rest
            continue
        if current.strip():
            parts.append(current.strip())
        current = word
        while len(current.strip()) > 1 and not part_fits(current.strip()):
            cut = max((k for k in range(1, len(current)) if part_fits(current[:k])), default=1)
            parts.append(current[:cut])
            current = current[cut:]
    if current.strip():
        parts.append(current.strip())
    return [*parts, "".join(words[start:]).strip()]


def _in_parts(
    screen: Screen,
    ctx: Context,
    state: dict[str, Any],
    budget: Budget,
    text: str,
    last_fits: Callable[[str], bool],
) -> tuple[list[str], str] | None:
    """When `text` cannot be shown whole: its parts, and the part for `state["page"]` if that
    is not the last (which the caller shows with the screen's choices). None if it fits."""
    final = screen.final
    nav = nav_line(ctx.language, True, True, not final and screen.id != HOME_SCREEN)
    parts = split_text(text, lambda p: budget.fits("CON " + lines(p, nav)), last_fits)
    state["parts"] = len(parts)
    if len(parts) == 1:
        return None
    page = min(state["page"], len(parts) - 1)
    return parts, parts[page] if page < len(parts) - 1 else ""


def _part_page(ctx: Context, state: dict[str, Any], part: str, final: bool, home: bool) -> str:
    """An early part of a long text: the part, then `98` (and `0`, `00` as usual)."""
    back = state["page"] > 0 or (bool(state["stack"]) and not final)
    state.update(shown=[], more=True)
    return lines(part, nav_line(ctx.language, True, back, home and not final))


def compose(
    screen: Screen,
    ctx: Context,
    state: dict[str, Any],
    budget: Budget,
    items: Callable[[Context], list[Item]],
) -> tuple[str, str]:
    """`(kind, body)` of `screen` before any clipping; records in `state` the values shown.

    Lists are paged to the budget (a list that fits whole is one page, with no room kept for
    `98`); the title gives way to the error line on a refused choice, so pages stay put.
    Free-input and confirm screens show the error above their text (a free-input screen's
    shorter `retry` prompt, when it has one). A text too long for one screen with its choices
    (UCS-2 screens hold 80 characters) is shown in parts, each but the last ending with `98`;
    the last part comes with the choices, and list pages follow it.
    """
    error = error_line(ctx, state)
    prompt = getattr(screen, "retry", "") if error else ""
    title = t(ctx.language, prompt or screen.title, **screen.values(ctx))
    back = bool(state["stack"]) or state["page"] > 0
    home = back and screen.id != HOME_SCREEN
    if screen.final:
        split = _in_parts(screen, ctx, state, budget, title, lambda p: budget.fits("END " + p))
        if split is None:
            state.update(shown=[], more=False)
            return "END", title
        parts, part = split
        if part:
            return "CON", _part_page(ctx, state, part, True, False)
        state.update(shown=[], more=False)
        return "END", parts[-1]
    if screen.paged:
        listed = items(ctx)
        if not listed and isinstance(screen, Pick):
            state.update(shown=[], more=False)
            return "CON", lines(
                t(ctx.language, screen.empty), nav_line(ctx.language, False, back, home)
            )
        invalid = t(ctx.language, "nav.invalid")
        whole = numbered(listed) if len(listed) <= budget.per_page else ["\n" * 99]
        first = numbered([Item(None, listed[0].label[:LABEL_ROOM])])
        one_page = nav_line(ctx.language, False, True, home)
        full_nav = nav_line(ctx.language, True, True, screen.id != HOME_SCREEN)
        fits = budget.fits

        def fits_whole(part: str) -> bool:  # the whole list on one page below `part`
            return fits("CON " + lines(max(part, invalid, key=len), *whole, one_page))

        split = _in_parts(
            screen,
            ctx,
            state,
            budget,
            title,
            fits_whole if fits_whole("") else lambda p: fits("CON " + lines(p, *first, full_nav)),
        )
        skip = 0
        if split is not None:
            parts, part = split
            if part:
                return "CON", _part_page(ctx, state, error or part, False, home)
            title, skip = parts[-1], len(parts) - 1
        header = max(title, invalid, key=len)
        alone = lines(header, *numbered(listed), nav_line(ctx.language, False, True, home))
        if len(listed) <= budget.per_page and budget.fits("CON " + alone):
            pages = [list(listed)]  # one page: no page boundary to keep stable
        else:
            pages = paginate(header, listed, nav_line(ctx.language, True, True, home), budget)
        page = min(state["page"] - skip, len(pages) - 1)
        state["page"] = page + skip
        shown, more = pages[page], page < len(pages) - 1
        body = lines(error or title, *numbered(shown), nav_line(ctx.language, more, back, home))
    else:
        shown, more = items(ctx), False
        nav = nav_line(ctx.language, False, back, home)
        text = lines(error, title)
        split = _in_parts(
            screen,
            ctx,
            state,
            budget,
            text,
            lambda p: budget.fits(
                "CON " + lines(p, *numbered(shown), nav_line(ctx.language, False, True, home))
            ),
        )
        if split is not None:
            parts, part = split
            if part:
                return "CON", _part_page(ctx, state, part, False, home)
            text = parts[-1]
        body = lines(text, *numbered(shown), nav)
    state.update(shown=[i.value for i in shown], more=more)
    return "CON", body
